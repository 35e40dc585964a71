"""What the sign-in screen shows for passwords set by mail: "Forgot your password?" and the form a
set-password link (…/?set_password=<token>) opens. ui/auth.py calls them; services.account_tokens does
the work."""

import streamlit as st

from db.settings import Settings
from locales import _
from services import account_tokens, passwords
from ui.data import session
from ui.write import FAILED, Feedback

QUERY_PARAM = "set_password"
_SETTING = Feedback("set_password", fields=("password", "confirm"))  # "token": the link does not work
_ASKING = Feedback("forgot_password")
_DONE = "_rt_password_set_with"  # the token that set a password in this browser session
_SENT = "_rt_reset_requested"
_NEW, _REPEAT, _WHO = "set_password_new", "set_password_repeat", "forgot_password_who"


# -- forgot password --------------------------------------------------------------------------------

def forgot_password_form(settings: Settings) -> None:
    """One field, one button, and the same answer whether or not an account matched."""
    _forgot_form(settings, heading=False)


def _forgot_form(settings: Settings, *, heading: bool) -> None:
    _ASKING.summary()
    with st.form("forgot_password", enter_to_submit=True):
        if heading:
            st.subheader(_("Forgot your password?"), anchor=False)
        st.caption(_("Enter the email address or username of your account: we mail you a link to set a new "
                     "password."))
        st.text_input(_("Email or username"), key=_WHO, autocomplete="email", max_chars=200)
        submitted = st.form_submit_button(_("Send me a link"), icon=":material/send:")
    if submitted:
        who = st.session_state.get(_WHO, "").strip()
        if not who:
            st.error(_("Enter your email address or username."), icon=":material/error:")
            return
        if _ASKING.run(account_tokens.request_reset, email_or_username=who, settings=settings) is not FAILED:
            st.session_state[_SENT] = True
        st.rerun()
    if st.session_state.get(_SENT):
        st.success(_(account_tokens.sent_sentence(settings)), icon=":material/mark_email_read:")


# -- set a password from a link ---------------------------------------------------------------------

def _submit(token: str) -> None:
    password = st.session_state.get(_NEW, "")
    confirm = st.session_state.get(_REPEAT, "")
    if _SETTING.run(account_tokens.set_password, token=token, password=password, confirm=confirm) is FAILED:
        return
    for key in (_NEW, _REPEAT):  # a password is never kept in the session once it is set
        st.session_state.pop(key, None)
    st.session_state[_DONE] = token


def _back_to_sign_in() -> None:
    st.query_params.pop(QUERY_PARAM, None)
    st.session_state.pop(_DONE, None)
    _SETTING.clear()


def set_password_form(token: str, settings: Settings) -> bool:
    """The screen a set-password link opens, in place of the sign-in form: the password form; once it is
    set, the confirmation and a way to the sign-in; for a link that does not work (used, expired, unknown),
    why, the forgot-password form and a way back to the sign-in. Returns True when it drew that screen (so
    the caller draws no sign-in form: the forgot-password form must not appear twice); False only for an
    empty token."""
    if not token:
        return False
    if st.session_state.get(_DONE) == token:
        st.success(_("Your password is set. Sign in with it now."), icon=":material/check_circle:")
        st.button(_("Go to sign in"), type="primary", icon=":material/login:", on_click=_back_to_sign_in)
        return True
    with session() as s:
        user = account_tokens.check(s, token=token)
        username = user.username if user else None
    if user is None or _SETTING.messages("token"):
        _SETTING.clear()
        st.error(_(account_tokens.BAD_LINK), icon=":material/link_off:")
        _forgot_form(settings, heading=True)
        st.button(_("Back to sign in"), icon=":material/login:", on_click=_back_to_sign_in)
        return True

    with st.form("set_password", enter_to_submit=True):
        st.subheader(_("Set your password"), anchor=False)
        st.text(_("Username: {username}").format(username=username))
        _SETTING.summary()
        st.text_input(_("New password"), key=_NEW, type="password", autocomplete="new-password",
                      help=_(passwords.RULE))
        _SETTING.field("password")
        st.text_input(_("Repeat the new password"), key=_REPEAT, type="password", autocomplete="new-password")
        _SETTING.field("confirm")
        st.caption(_(passwords.RULE))
        st.form_submit_button(_("Set my password"), type="primary", icon=":material/lock_reset:",
                              on_click=_submit, args=(token,))
    return True
