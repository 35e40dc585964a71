"""The page an unsubscribe link opens (…/?unsubscribe=<token>), signed in or not: app.py calls `answered`
before the sign-in gate. It names the mails the link is for and turns them off when the person says so (a mail
scanner that opens every link turns nothing off; mail clients use the one-click address of the
List-Unsubscribe header instead, asgi.py). The answer is kept for the session, so a rerun does not record it
again."""

import streamlit as st

from db.settings import Settings
from db.vocab import MAIL_KIND_LABELS
from locales import _
from services import mail_preferences
from services.errors import ValidationFailed
from ui import language
from ui.data import engine
from ui.format import escape_md

_DONE = "_rt_unsubscribed"  # session state: token -> (kind, or None when refused, and the message)


def _back() -> None:
    st.query_params.pop(mail_preferences.QUERY_PARAM, None)


def _stop(token: str, settings: Settings) -> None:
    language.restore()  # a callback: its messages in the reader's language too
    try:
        _user_id, kind = mail_preferences.unsubscribe(engine(), token, settings)
        st.session_state[_DONE][token] = (kind, "")
    except ValidationFailed as refused:
        st.session_state[_DONE][token] = (None, " ".join(e.message for e in refused.errors))


def answered(settings: Settings) -> bool:
    """Whether the address held an unsubscribe link: then its page is drawn and the caller stops."""
    token = st.query_params.get(mail_preferences.QUERY_PARAM)
    if not token:
        return False
    done = st.session_state.setdefault(_DONE, {})
    st.title(":material/unsubscribe: " + _("Mail choices"), anchor=False)
    if token not in done:
        try:
            _user_id, kind = mail_preferences.read_token(settings, token)
        except ValidationFailed as refused:
            done[token] = (None, " ".join(e.message for e in refused.errors))
        else:
            st.markdown(_("Stop receiving “{kind}” mails from the Resolutions Tracker?").format(
                kind=escape_md(_(MAIL_KIND_LABELS[kind]))))
            st.button(_("Stop these mails"), type="primary", icon=":material/unsubscribe:", on_click=_stop,
                      args=(token, settings))
            st.caption(_("You can turn them on again on My account."))
    if token in done:
        kind, problem = done[token]
        if kind is None:
            st.error(escape_md(_(problem)), icon=":material/error:")
        else:
            st.success(_("You will no longer receive “{kind}” mails.").format(
                kind=escape_md(_(MAIL_KIND_LABELS[kind]))), icon=":material/check_circle:")
            st.caption(_("You can turn them on again on My account."))
    st.button(_("Back to the Resolutions Tracker"), icon=":material/arrow_back:", on_click=_back)
    return True
