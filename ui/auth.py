"""The sign-in gate. Who is signed in is decided on every run from a server-side session (services.sign_in):
the session id lives in this browser session's state and in the re-login cookie, which carries nothing else.

- Password sign-in: our own form; the check runs in the submit button's callback, before the script, so
  the run that follows already draws the signed-in app (no second form, no lost click, the address and
  its filters untouched).
- Single sign-on: Streamlit's st.login with the OpenID Connect provider of `.streamlit/secrets.toml`
  `[auth]`; the provider's email is matched to the users table; someone with no account may ask for one.
- The cookie is written and cleared by a tiny script in the page (st.html), not by a component, so it
  costs no extra rerun. Reading it needs no script: st.context.cookies has it from the connection.
"""

import json

import streamlit as st
from sqlalchemy.exc import OperationalError

from db.demo import DEMO_ACCOUNTS
from db.settings import Settings, load_settings
from db.vocab import ROLE_LABELS
from locales import N_, _
from services import sign_in
from services.permissions import Actor
from ui import language, url_state
from ui.data import session
from ui.errors import guarded
from ui.format import escape_md
from ui.navigation import PAGES
from ui.write import call

SESSION_KEY = "_rt_session"  # this browser session's sign-in session id
_REFUSED_KEY = "_rt_refused_cookie"  # a cookie found ended: not tried again in this browser session
_COOKIE_KEY = "_rt_cookie_action"  # ("set", token) or ("clear",): done by the next script run
_ERROR_KEY = "_rt_sign_in_error"
_NOTICE_KEY = "_rt_sign_in_notice"  # why this browser is back on the sign-in screen
_SIGN_IN_HERE = "_rt_sign_in_here"  # the public page (url path) on which a visitor asked for the sign-in form
SSO_LABEL = N_("Sign in with IUCN Accounts")


def sso_configured() -> bool:
    """Whether `.streamlit/secrets.toml` has an [auth] section (no secrets file at all: no)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _client() -> str | None:
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # None without a browser (AppTest)


def gate(settings: Settings) -> Actor | None:
    """The signed-in user; or None (then app.py calls signed_out_page). Only single sign-on's own screens
    (no verified email, refused, request access) are drawn here."""
    finish_sign_out()
    return current_actor(settings)


def signed_out_page(settings: Settings):
    """Nobody signed in: register the visitor's navigation and return the public page to run (public site on,
    a public page opened); or None, and the screen that lets them in (sign-in, set a password, request
    access) has been drawn instead."""
    screen_drawn = st.session_state.pop("_rt_screen_drawn", False)
    page = _signed_out_navigation(public=settings.public_site, listed=not screen_drawn)
    asked = page is not None and st.session_state.get(_SIGN_IN_HERE) == page.url_path
    if not asked:  # asked on another page, then gone elsewhere
        st.session_state.pop(_SIGN_IN_HERE, None)
    if screen_drawn or asked or _NOTICE_KEY in st.session_state:  # just signed out: told so on the sign-in screen
        page = None
    if page is None and not screen_drawn:
        sign_in_screen(settings)
    return page


def current_actor(settings: Settings) -> Actor | None:
    """The signed-in user, or None."""
    token = st.session_state.get(SESSION_KEY)
    was_signed_in = token is not None
    if token is None:
        cookie = st.context.cookies.get(settings.cookie_name)
        if isinstance(cookie, str) and cookie and cookie != st.session_state.get(_REFUSED_KEY):
            token = cookie
    if token:
        actor = _resume(token, settings)
        if actor is not None:
            st.session_state[SESSION_KEY] = token
            return actor
        _forget(token, ENDED if was_signed_in else None)
    if sso_configured() and st.user.is_logged_in:
        return _single_sign_on(settings)
    return None


def _resume(token: str, settings: Settings) -> Actor | None:
    """Check the session on every run without taking the write lock: only when the session must be marked
    used (at most every few minutes) or ended is anything written, and a busy database just postpones that."""
    with session() as s:
        actor = sign_in.resume(session=s, token=token, settings=settings)
        if s.dirty:
            try:
                s.commit()
            except OperationalError:
                s.rollback()
    return actor


def _remember(signed: sign_in.SignedIn) -> None:
    st.session_state[SESSION_KEY] = signed.token
    st.session_state[_COOKIE_KEY] = ("set", signed.token)
    st.session_state.pop(_ERROR_KEY, None)
    st.session_state.pop(_SIGN_IN_HERE, None)


ENDED = N_("Your session has ended: you signed out elsewhere, your password was changed or reset, your account "
           "was changed by an administrator, or it was not used for a long time. Sign in again.")
SIGNED_OUT = N_("You are signed out.")


def _forget(token: str | None, notice: str | None = None) -> None:
    """This browser session's sign-in ended (sign-out, expiry, deactivation, reset elsewhere)."""
    if notice:
        st.session_state[_NOTICE_KEY] = notice
    st.session_state[_REFUSED_KEY] = token
    for key in (SESSION_KEY, "actor", _SIGN_IN_HERE):
        st.session_state.pop(key, None)
    st.session_state[_COOKIE_KEY] = ("clear",)


def write_cookie(settings: Settings) -> None:
    """Set or clear the re-login cookie in the browser, once, when a sign-in or sign-out asked for it."""
    action = st.session_state.pop(_COOKIE_KEY, None)
    if action is None:
        return
    attributes = "; Path=/; SameSite=Lax" + ("; Secure" if settings.secure_cookie else "")
    if action[0] == "set":
        max_age = int(settings.session_max_days * 86400)
        cookie = f"{settings.cookie_name}={action[1]}{attributes}; Max-Age={max_age}"
    else:
        cookie = f"{settings.cookie_name}={attributes}; Max-Age=0"
    # The value is our own URL-safe token: no user text reaches this script.
    st.html(f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True,
            width="content")


def _single_sign_on(settings: Settings) -> Actor | None:
    st.session_state["_rt_screen_drawn"] = True  # whatever happens below draws its own screen
    email = (st.user.get("email") or "").strip()
    if not email or st.user.get("email_verified") is False:
        _header(settings)
        st.error(_("Your IUCN Accounts sign-in did not give a verified email address, which the Resolutions "
                   "Tracker needs to find your account. Ask the IUCN Accounts support."), icon=":material/error:")
        st.button(_("Sign out"), on_click=st.logout)
        return None
    result = call(sign_in.sso_sign_in, email=email, client=_client(), settings=settings)
    if isinstance(result, sign_in.SignedIn):
        del st.session_state["_rt_screen_drawn"]
        _remember(result)
        return result.actor
    _header(settings)
    if isinstance(result, sign_in.Refused):
        st.error(_(result.message), icon=":material/block:")
        st.button(_("Sign out"), on_click=st.logout)
        return None
    from ui.access_request import request_access_form

    request_access_form(email=email, name=st.user.get("name") or email, settings=settings)
    return None


# -- the sign-in screen -----------------------------------------------------------------------------

def _header(settings: Settings) -> None:
    st.title(f":material/fact_check: {escape_md(settings.product_name)}", anchor=False)


def sign_in_screen(settings: Settings) -> None:
    language.switch(None)
    _left, middle, _right = st.columns([1, 2, 1], gap=None)  # no gap: on a phone the empty columns stack above
    with middle:
        _header(settings)
        token = st.query_params.get("set_password")
        if token:
            from ui.account_forms import set_password_form

            if set_password_form(token, settings):
                return
        st.markdown(_("How IUCN Resolutions and Recommendations are implemented: Activity Reports from the "
                      "components, yearly Progress Reports from the Secretariat focal points, and the analysis "
                      "that leadership reads."))
        notice = st.session_state.pop(_NOTICE_KEY, None)
        if notice:
            st.info(_(notice), icon=":material/logout:")
        if st.session_state.get(_SIGN_IN_HERE):
            st.button(_("Back without signing in"), icon=":material/arrow_back:", on_click=_stay_signed_out)
        if sso_configured():
            st.button(_(SSO_LABEL), icon=":material/key:", type="primary", on_click=st.login,
                      width="stretch")
        if settings.password_login:
            _password_form(settings)
        elif not sso_configured():
            st.error(_("No way to sign in is configured: set RT_PASSWORD_LOGIN=1 or configure single sign-on."))
        if settings.demo_mode and settings.password_login:
            _demo_accounts()
        if settings.public_site and not st.session_state.get(_SIGN_IN_HERE):
            _public_links()


def _password_form(settings: Settings) -> None:
    with st.form("sign_in", enter_to_submit=True):
        st.subheader(_("Sign in"), anchor=False)
        st.text_input(_("Username"), key="sign_in_username", autocomplete="username")
        st.text_input(_("Password"), key="sign_in_password", type="password", autocomplete="current-password")
        st.form_submit_button(_("Sign in"), type="primary", on_click=guarded(_submit_password), args=(settings,))
    error = st.session_state.get(_ERROR_KEY)
    if error:
        st.error(_(error), icon=":material/error:")
    with st.expander(_("Forgot your password?"), icon=":material/lock_reset:"):
        from ui.account_forms import forgot_password_form

        forgot_password_form(settings)


def _submit_password(settings: Settings) -> None:
    username = st.session_state.get("sign_in_username", "")
    password = st.session_state.get("sign_in_password", "")
    st.session_state["sign_in_password"] = ""  # never kept in the session after the attempt
    result = call(sign_in.password_sign_in, username=username, password=password, client=_client(),
                  settings=settings)
    if isinstance(result, sign_in.Refused):
        st.session_state[_ERROR_KEY] = result.message
    else:
        _remember(result)


def _demo_accounts() -> None:
    with st.expander(_("Demo accounts"), icon=":material/info:"):
        st.caption(_("Demo mode: one account per role, on demo data. They do not exist outside demo mode."))
        st.dataframe(
            [{_("Username"): name, _("Password"): password, _("Role"): _(ROLE_LABELS[roles[0]])}
             for name, password, _email, roles, _rest in DEMO_ACCOUNTS],
            hide_index=True, width="stretch",
        )


def _public_links() -> None:
    """What a visitor may read without an account (the public pages), under the sign-in form."""
    with st.container(border=True):
        st.markdown("**" + _("No account? Read what IUCN has published") + "**")
        st.caption(_("The Resolutions, their published Progress Reports and the overview of their implementation "
                     "are open to everyone."))
        for spec in PAGES:
            if spec.public and not spec.hidden:
                st.page_link(spec.path, label=_(spec.title), icon=spec.icon,
                             query_params=language.link_parameters())


def _ask_sign_in(url_path: str) -> None:
    st.session_state[_SIGN_IN_HERE] = url_path
    url_state.read_again()  # the page's widgets are not drawn under the form: set again from its address after


def _stay_signed_out() -> None:
    st.session_state.pop(_SIGN_IN_HERE, None)


def visitor_sidebar(page) -> None:
    """The sidebar of a public page (`page`, as signed_out_page returned it): who sees what, and signing in
    without leaving the page (its address and filters are kept, so one lands on the same view signed in)."""
    with st.sidebar:
        st.caption(_("You are not signed in: you see what IUCN has published."))
        st.button(_("Sign in"), key="visitor_sign_in", icon=":material/login:", on_click=_ask_sign_in,
                  args=(page.url_path,))
    language.switch(None)


def _sign_in_page() -> None:
    """Stands in for every page while nobody is signed in; app.py draws the sign-in screen itself."""


def _signed_out_navigation(*, public: bool, listed: bool):
    """Signed out, every page path is known, so the address the user opened (a shared, filtered view) is
    still the one they land on after signing in; without any st.navigation call Streamlit would list the
    files of pages/. With `public`, the public pages are listed (when `listed`) and the one opened is
    returned to run; any other page is not run (None: app.py draws the sign-in screen)."""
    # Not listed: the sign-in screen is the home page, and a public page has its own "Sign in" button.
    sections: dict[str, list] = {"": [st.Page(_sign_in_page, title=_("Sign in"), icon=":material/login:",
                                              default=True, visibility="hidden")]}
    runnable = []
    for spec in PAGES:
        shown = public and spec.public
        page = st.Page(spec.path, title=_(spec.title), icon=spec.icon,
                       visibility="visible" if shown and not spec.hidden else "hidden")
        sections.setdefault(_(spec.section) if shown else "", []).append(page)
        if shown:
            runnable.append(page)
    opened = st.navigation(sections, position="sidebar" if public and listed else "hidden", expanded=True)
    return opened if any(opened is page for page in runnable) else None


def register_sign_in_only() -> None:
    """Signed out and the app cannot run (a bad configuration, the database down): no page is listed and
    none runs, but every page path is known."""
    _signed_out_navigation(public=False, listed=False)


def leave_pages_folder_mode() -> None:
    """Until st.navigation has run once in this process, Streamlit treats pages/ as its old page folder: the
    first session of a fresh server (after a restart; a shared link) is run in that mode. Its first run
    either runs the page the address names without app.py (no gate), or runs app.py under other widget
    ids than every later run, so the first click or typing on that screen was lost (a form submitted for
    nothing). So leave that mode before anything is drawn, as st.navigation would, and run the same
    request again: same page, same address with every filter (st.switch_page would drop both)."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def signed_in_actor() -> Actor:
    """The signed-in user, for pages: every page calls it first, and it checks the session again, so the
    page itself does not trust what an earlier run left in st.session_state (AppTest may rerun a page
    alone). A page run without app.py is run again through it; a visitor without an open session is sent
    to the gate."""
    leave_pages_folder_mode()
    settings = load_settings()
    token = st.session_state.get(SESSION_KEY)
    actor = _resume(token, settings) if token else None
    if actor is None:
        if token:
            _forget(token, ENDED)
        st.switch_page("app.py")
    language.choose(actor)  # a page run alone (AppTest) speaks its user's language too
    st.session_state["actor"] = actor
    return actor


def viewer() -> Actor | None:
    """Who looks at a public page: the signed-in user (checked again, as signed_in_actor does), or None for
    a visitor when the public site is on (the page then shows published content only)."""
    leave_pages_folder_mode()
    settings = load_settings()
    token = st.session_state.get(SESSION_KEY)
    if token or not settings.public_site:
        return signed_in_actor()
    st.session_state.pop("actor", None)
    language.choose(None)
    return None


def _sign_out(settings: Settings) -> None:
    token = st.session_state.get(SESSION_KEY)
    if token:
        call(sign_in.sign_out, token=token, settings=settings)
    _forget(token, SIGNED_OUT)
    if sso_configured() and st.user.is_logged_in:
        st.session_state["_rt_sso_logout"] = True


def sign_out_button(settings: Settings) -> None:
    st.button(_("Sign out"), key="sign_out", icon=":material/logout:", on_click=guarded(_sign_out),
              args=(settings,))


def finish_sign_out() -> None:
    """After a sign-out, end the identity provider's Streamlit session too (st.logout reloads the page)."""
    if st.session_state.pop("_rt_sso_logout", False):
        st.logout()
