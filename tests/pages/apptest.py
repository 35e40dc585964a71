"""Drive the app with streamlit.testing: sign in through session state, open a page by its file."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.demo import DEMO_ACCOUNTS

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORDS = {username: password for username, password, *_ in DEMO_ACCOUNTS}


def open_page(page: str | None, user: str | None, query: dict | None = None, timeout: float = 30) -> AppTest:
    """Run app.py as `user` (a demo username, or None for nobody signed in) and open `page`
    (a path such as "pages/register.py", or None for the landing page)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if user:
        at.session_state["authentication_status"] = True
        at.session_state["username"] = user
        at.session_state["name"] = user
    at.run()
    if page:
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def reachable(page: str, user: str) -> bool:
    """Whether `page` is registered in the navigation of `user` (an unregistered page cannot be opened)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = user
    at.run()
    # Signed out, every page path is known (so a shared link survives sign-in) but none runs: only a
    # signed-in user's navigation says what they may open.
    assert at.session_state["actor"].username == user, f"{user} is not signed in"
    try:
        at.switch_page(page)
    except ValueError:
        return False
    return True
