"""The login gate: streamlit-authenticator renders the form and the re-login cookie; the users table
is the source of truth; failed sign-ins lock an account for a while."""

import streamlit as st
import streamlit_authenticator as stauth
from streamlit_authenticator.utilities import LoginError

from db.demo import DEMO_ACCOUNTS
from db.engine import transaction
from db.settings import Settings
from db.vocab import ROLE_LABELS
from services import users
from services.permissions import Actor
from ui.data import engine, session
from ui.navigation import PAGES


def _authenticator(settings: Settings) -> tuple[stauth.Authenticate, dict]:
    with session() as s:
        creds = users.credentials(session=s, max_failed_logins=settings.max_failed_logins)
    authenticator = stauth.Authenticate(
        creds, settings.cookie_name, settings.cookie_key, settings.cookie_expiry_days,
        auto_hash=False, login_sleep_time=0,
    )
    return authenticator, creds


def current_actor(settings: Settings) -> Actor | None:
    """Show the login form until the user is signed in; then return who they are."""
    authenticator, creds = _authenticator(settings)
    st.session_state["_authenticator"] = authenticator
    if not st.session_state.get("authentication_status"):
        _login_screen(authenticator, creds, settings)
    if not st.session_state.get("authentication_status"):
        return None
    with session() as s:
        actor = users.actor_for(session=s, username=st.session_state["username"])
    if actor is None:  # deactivated since the cookie was issued
        authenticator.logout(location="unrendered")
        st.error("This account is no longer active. Ask the Secretariat for access.")
        return None
    return actor


def _login_screen(authenticator: stauth.Authenticate, creds: dict, settings: Settings) -> None:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(":material/fact_check: Resolutions Tracker", anchor=False)
        st.markdown("How IUCN Resolutions and Recommendations are implemented: Activity Reports from the "
                    "components, yearly Progress Reports from the Secretariat focal points, and the analysis "
                    "that leadership reads.")
        try:
            authenticator.login(
                location="main", max_login_attempts=settings.max_failed_logins,
                fields={"Form name": "Sign in", "Username": "Username", "Password": "Password",
                        "Login": "Sign in"},
            )
        except LoginError as error:
            _explain(str(error), settings)
            return
        status = st.session_state.get("authentication_status")
        if status is False:
            locked_for = _record_failures(creds, settings)
            if locked_for:
                st.error(f"Too many failed sign-ins: this account is locked for {locked_for} minutes.",
                         icon=":material/lock:")
            else:
                st.error("Wrong username or password. Check both and try again.", icon=":material/error:")
        elif status:
            # No st.rerun() here: the authenticator has just rendered the component that stores the
            # re-login cookie in the browser, and a rerun now would drop it before it runs. That
            # component reruns the app itself once the cookie is set, which clears this form.
            with transaction(engine()) as s:
                users.record_successful_login(session=s, username=st.session_state["username"])
            return
        if settings.demo_mode:
            _demo_accounts()


def _demo_accounts() -> None:
    with st.expander("Demo accounts", icon=":material/info:"):
        st.caption("Demo mode: one account per role, on demo data. They do not exist outside demo mode.")
        st.dataframe(
            [{"Username": name, "Password": password, "Role": ROLE_LABELS[roles[0]]}
             for name, password, _, roles, _ in DEMO_ACCOUNTS],
            hide_index=True, width="stretch",
        )


def _record_failures(creds: dict, settings: Settings) -> int:
    """The authenticator counts a failure in the credentials dict it was given; carry it to the database."""
    locked_for = 0
    for username, entry in creds["usernames"].items():
        if entry["failed_login_attempts"] and not entry["locked"]:
            with transaction(engine()) as s:
                locked_for = users.record_failed_login(
                    session=s, username=username, max_failed_logins=settings.max_failed_logins,
                    lock_minutes=settings.lock_minutes,
                ) or locked_for
    return locked_for


def _explain(message: str, settings: Settings) -> None:
    if "attempts" in message:
        st.error(f"Too many failed sign-ins: this account is locked for up to {settings.lock_minutes} "
                 "minutes. Try again later or ask the Secretariat.", icon=":material/lock:")
    else:
        st.error("You cannot sign in with this account. Ask the Secretariat for access.", icon=":material/error:")


def _sign_in_page() -> None:
    """Stands in for every page while nobody is signed in; current_actor draws the form itself."""


def register_sign_in_only() -> None:
    """Signed out: no page is listed and none runs (app.py stops before running one), but every page path
    is known, so the address the user opened (a shared, filtered view) is still the one they land on
    after signing in. Without any st.navigation call Streamlit would list the files of pages/."""
    pages = [st.Page(_sign_in_page, title="Sign in", icon=":material/login:", default=True)]
    pages += [st.Page(spec.path, title=spec.title) for spec in PAGES]
    st.navigation(pages, position="hidden")


def signed_in_actor() -> Actor:
    """The signed-in user, for pages. Every page calls it first: on the very first request a fresh server
    receives, Streamlit runs a pages/ script named in the address directly, before app.py has declared
    its navigation, so the sign-in gate would be skipped. Such a visitor is sent to the gate."""
    actor = st.session_state.get("actor")
    if actor is None:
        st.switch_page("app.py")
    return actor


def logout_button() -> None:
    authenticator = st.session_state.get("_authenticator")
    if authenticator is not None:
        authenticator.logout("Sign out", location="sidebar", key="sign_out")
