"""The page an unsubscribe link opens (…/?unsubscribe=<token>), signed in or not: app.py calls `answered`
before the sign-in gate. The link is honoured at once (services/mail_preferences.py); the answer is kept for
the session, so a rerun does not record it again."""

import streamlit as st

from db.settings import Settings
from db.vocab import MAIL_KIND_LABELS
from locales import _
from services import mail_preferences
from services.errors import ValidationFailed
from ui.data import engine
from ui.format import escape_md

_DONE = "_rt_unsubscribed"  # session state: token -> (kind, or None when refused, and the message)


def _back() -> None:
    st.query_params.pop(mail_preferences.QUERY_PARAM, None)


def answered(settings: Settings) -> bool:
    """Whether the address held an unsubscribe link: then its answer is drawn and the caller stops."""
    token = st.query_params.get(mail_preferences.QUERY_PARAM)
    if not token:
        return False
    done = st.session_state.setdefault(_DONE, {})
    if token not in done:
        try:
            _user_id, kind = mail_preferences.unsubscribe(engine(), token, settings)
            done[token] = (kind, "")
        except ValidationFailed as refused:
            done[token] = (None, " ".join(e.message for e in refused.errors))
    kind, problem = done[token]
    st.title(":material/unsubscribe: " + _("Mail choices"), anchor=False)
    if kind is None:
        st.error(escape_md(_(problem)), icon=":material/error:")
    else:
        st.success(_("You will no longer receive “{kind}” mails.").format(kind=escape_md(_(MAIL_KIND_LABELS[kind]))),
                   icon=":material/check_circle:")
        st.caption(_("You can turn them on again on My account."))
    st.button(_("Back to the Resolutions Tracker"), icon=":material/arrow_back:", on_click=_back)
    return True
