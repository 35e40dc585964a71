"""Drive the app with streamlit.testing: sign in through a real server-side session, open a page by its file."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from db.demo import DEMO_ACCOUNTS
from db.engine import make_engine, transaction
from db.settings import load_settings
from services import sign_in
from ui.auth import SESSION_KEY

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORDS = {username: password for username, password, *_ in DEMO_ACCOUNTS}


def session_token(username: str, password: str | None = None) -> str:
    """Sign `username` in with their password (a demo user's by default) on the database of DATABASE_URL,
    as the sign-in form does, and return the session id the browser would keep."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    try:
        with transaction(engine) as s:
            result = sign_in.password_sign_in(session=s, username=username,
                                              password=password or PASSWORDS[username], client=None,
                                              settings=settings)
    finally:
        engine.dispose()
    assert isinstance(result, sign_in.SignedIn), f"{username} could not sign in: {result}"
    return result.token


def signed_in_app(user: str | None, timeout: float = 30) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    if user:
        at.session_state[SESSION_KEY] = session_token(user)
    return at


def open_page(page: str | None, user: str | None, query: dict | None = None, timeout: float = 30) -> AppTest:
    """Run app.py as `user` (a demo username, or None for nobody signed in) and open `page`
    (a path such as "pages/register.py", or None for the landing page)."""
    at = signed_in_app(user, timeout)
    at.run()
    if page:
        at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def reachable(page: str, user: str) -> bool:
    """Whether `page` is registered in the navigation of `user` (an unregistered page cannot be opened)."""
    at = signed_in_app(user)
    at.run()
    # Signed out, every page path is known (so a shared link survives sign-in) but none runs: only a
    # signed-in user's navigation says what they may open.
    assert at.session_state["actor"].username == user, f"{user} is not signed in"
    try:
        at.switch_page(page)
    except ValueError:
        return False
    return True


def deferred_downloads(monkeypatch) -> dict:
    """The file builders the page hands its download buttons (built on the click, not in the run), by file
    name and by the button's deferred file id: calling one gives what the browser would receive."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    builders = {}
    real = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        file_id = real(self, data_callable, mimetype, coordinates, file_name, **kwargs)
        builders[file_name] = builders[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return builders


def siblings_of(block, key: str) -> list | None:
    """The elements drawn in the same container as the widget `key` (`block`: at._tree), in order."""
    children = list(getattr(block, "children", {}).values())
    if any(getattr(el, "key", None) == key for el in children):
        return children
    return next((found for el in children if (found := siblings_of(el, key)) is not None), None)
