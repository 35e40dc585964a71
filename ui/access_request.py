"""The screen for someone signed in with IUCN Accounts whose email has no account: ask for access, or see
that the request is waiting. Drawn by the sign-in gate (ui/auth.py); nobody is signed in to the app yet."""

import streamlit as st

from db.settings import Settings
from db.vocab import ROLE_LABELS
from locales import N_, _
from services import access_requests
from ui.data import session
from ui.format import fmt_date
from ui.write import FAILED, Feedback

_SENT_KEY = "_access_request_sent"
ASKABLE = {role: ROLE_LABELS[role] for role in access_requests.ASKABLE_ROLES}
# the provider's email is no field of the form: its messages go into the summary
_ASKING = Feedback("request_access", fields=("component_id", "role", "message"), not_done=N_("Not sent"))


def request_access_form(*, email: str, name: str, settings: Settings) -> None:
    """Explain why the app does not open, then show the pending request or the form to ask for access."""
    # User text (the email and name the provider gave) is shown with st.text only, never as Markdown.
    st.subheader(":material/person_add: " + _("Request access"), anchor=False)
    st.text(_("You are signed in as {email} with IUCN Accounts, but the Resolutions Tracker has no account "
              "for this address yet.").format(email=email))
    with session() as s:
        waiting = access_requests.pending_for(session=s, email=email)
        organisations = access_requests.organisations(session=s) if waiting is None else None

    if waiting is not None:
        if st.session_state.pop(_SENT_KEY, False):
            st.success(_("Your request was sent. An administrator will look at it; you will get a mail at this "
                         "address when it is decided."), icon=":material/check_circle:")
        st.info(_("Your request of {date} is waiting for an administrator. You will get a mail when it is "
                  "decided; then sign in again with IUCN Accounts.").format(date=fmt_date(waiting.created_at)),
                icon=":material/hourglass_top:")
    else:
        _form(email, name, organisations, settings)
    st.button(_("Sign out"), key="access_request_sign_out", icon=":material/logout:", on_click=st.logout,
              help=_("Sign out of IUCN Accounts, for example to use another address."))


def _form(email: str, name: str, organisations, settings: Settings) -> None:
    st.markdown(_("Tell an administrator which organisation you report for and what you need to do. "
                  "They will create your account, and you will get a mail when it is ready."))
    labels = dict(zip(organisations["id"].tolist(), organisations["label"].tolist()))
    _ASKING.summary()
    with st.form("request_access", clear_on_submit=False, border=True):
        st.text(_("Name: {name}").format(name=name))
        component_id = st.selectbox(
            _("Organisation"), list(labels), index=None, format_func=labels.get, key="access_request_component",
            placeholder=_("Type the name or acronym of your organisation"),
            help=_("The IUCN Member, Commission, Committee or Secretariat unit you report for. Required for "
                   "component focal points."))
        _ASKING.field("component_id")
        role = st.selectbox(_("Role wanted"), list(ASKABLE), format_func=lambda r: _(ASKABLE[r]),
                            key="access_request_role",
                            help=_("Component focal points report their organisation's activities; the "
                                   "other roles are for IUCN Secretariat staff and leadership."))
        _ASKING.field("role")
        message = st.text_area(_("Message"), key="access_request_message", max_chars=access_requests.MAX_MESSAGE,
                               placeholder=_("Optional: your position, who asked you to report, ..."))
        _ASKING.field("message")
        sent = st.form_submit_button(_("Send request"), type="primary", icon=":material/send:")
    if sent:
        if _ASKING.run(access_requests.submit_request, email=email, name=name, component_id=component_id, role=role,
                       message=message, settings=settings) is not FAILED:
            st.session_state[_SENT_KEY] = True
        st.rerun()
