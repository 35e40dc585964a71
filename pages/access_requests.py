"""Access requests (admin): people signed in with IUCN Accounts who have no account ask for one. Approving
creates the account (no password: they sign in with single sign-on) and mails them; declining mails them."""

import pandas as pd
import streamlit as st

import locales
from db.settings import load_settings
from db.vocab import ACCESS_REQUEST_STATE_LABELS, ROLE_LABELS, ROLES
from locales import _, ngettext
from services import access_requests, accounts
from ui.auth import signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
settings = load_settings()
st.title(":material/person_add: " + _("Access requests"))
st.caption(_("People who signed in with IUCN Accounts but have no account here ask for one. Approving a request "
             "creates the account with the roles and organisations you choose, and mails the person; they then "
             "sign in with IUCN Accounts (no password)."))
show_flash()

with session() as s:
    pending = access_requests.list_requests(session=s, actor=actor, state="pending")
    decided = access_requests.list_requests(session=s, actor=actor, state="decided")
    organisations = access_requests.organisations(session=s)
org_labels = dict(zip(organisations["id"].tolist(), organisations["label"].tolist()))

TABLE_COLUMNS = {
    "created_at": st.column_config.DatetimeColumn(_("Sent"), format="DD MMM YYYY, HH:mm"),
    "name": _("Name"), "email": _("Email"), "component": _("Organisation"), "role_label": _("Role wanted"),
    "message": st.column_config.TextColumn(_("Message"), width="large"),
    "state": _("Decision"), "decided_at": st.column_config.DatetimeColumn(_("Decided"), format="DD MMM YYYY"),
    "decided_by": _("By"), "decision_note": st.column_config.TextColumn(_("Note"), width="large"),
    "language_name": _("Language"),  # the request's: its decision is mailed in it
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS.get(role, role))


ROLE_NAMES = {r: role_label(r) for r in ROLES}  # made in this run: a format_func may be called outside it


def table(frame, columns: list[str]) -> None:
    shown = frame.assign(role_label=frame["role"].map(role_label),
                         language_name=frame["language"].map(locales.LANGUAGE_NAMES.get))
    st.dataframe(shown[columns], hide_index=True, width="stretch",
                 column_config={c: TABLE_COLUMNS[c] for c in columns})


pending_tab, decided_tab = st.tabs([
    ":material/pending_actions: " + _("Pending ({n})").format(n=locales.format_number(len(pending))),
    ":material/task_alt: " + _("Decided requests")])

# -- pending ----------------------------------------------------------------------------------------------
with pending_tab:
    if pending.empty:
        st.success(_("No request is waiting."), icon=":material/check_circle:")
    else:
        st.caption(ngettext("{n} request waiting, oldest first.", "{n} requests waiting, oldest first.",
                            len(pending)).format(n=locales.format_number(len(pending))))
        table(pending, ["created_at", "name", "email", "component", "role_label", "language_name", "message"])
        rows = {int(r.id): r for r in pending.itertuples()}
        request_labels = {i: f"{r.name} · {r.email} · {fmt_date(r.created_at)}" for i, r in rows.items()}
        request_id = st.selectbox(
            _("Request"), list(rows), key="access_request_id", index=None,
            placeholder=_("Choose a request to decide"),
            format_func=request_labels.get)
        if request_id is None:
            st.info(_("Choose a request to see it, then approve or decline it."), icon=":material/info:")
        else:
            chosen = rows[request_id]
            with st.container(border=True):
                st.markdown("**" + _("The request") + "**")
                st.text(_("Name: {name}\nEmail: {email}\nOrganisation: {organisation}\nRole wanted: {role}\n"
                          "Sent on {date}").format(name=chosen.name, email=chosen.email,
                                                   organisation=chosen.component or "—", role=role_label(chosen.role),
                                                   date=fmt_date(chosen.created_at)))
                if isinstance(chosen.message, str) and chosen.message:
                    st.markdown("**" + _("Message") + "**")
                    st.text(chosen.message)
            approving = Feedback(f"approve_{request_id}", fields=("username", "roles", "components", "note"))
            declining = Feedback(f"decline_{request_id}", fields=("note",))
            approving.summary()  # "already decided", a refusal: above both forms
            declining.summary()
            approve_col, decline_col = st.columns([3, 2], gap="large")
            with approve_col:
                with session() as s:
                    suggested = access_requests.suggest_username(session=s, email=chosen.email)
                asked_component = [] if pd.isna(chosen.component_id) else [int(chosen.component_id)]
                with st.form(f"approve_{request_id}", clear_on_submit=False):
                    st.markdown("**" + _("Approve: create the account") + "**")
                    rule = _(access_requests.USERNAME_RULE).format(min=accounts.USERNAME_MIN, max=accounts.USERNAME_MAX)
                    username = st.text_input(_("Username"), value=suggested, key=f"approve_username_{request_id}",
                                             max_chars=60, help=rule[:1].upper() + rule[1:] + ".")
                    approving.field("username")
                    roles = st.multiselect(_("Roles"), list(ROLES), default=[chosen.role], format_func=ROLE_NAMES.get,
                                           key=f"approve_roles_{request_id}", placeholder=_("Choose one or more roles"))
                    approving.field("roles")
                    components = st.multiselect(
                        _("Organisations"), list(org_labels), format_func=org_labels.get,
                        default=[c for c in asked_component if c in org_labels],
                        key=f"approve_components_{request_id}", placeholder=_("Type a name or acronym"),
                        help=_("What the person reports for. A component focal point needs at least one."))
                    approving.field("components")
                    approve_note = st.text_area(_("Note to the person (optional)"), key=f"approve_note_{request_id}",
                                                max_chars=access_requests.MAX_NOTE)
                    approving.field("note")
                    approve = st.form_submit_button(_("Approve and create the account"), type="primary",
                                                    icon=":material/how_to_reg:")
            with decline_col, st.form(f"decline_{request_id}", clear_on_submit=False):
                st.markdown("**" + _("Decline") + "**")
                decline_note = st.text_area(_("Note to the person (optional)"), key=f"decline_note_{request_id}",
                                            max_chars=access_requests.MAX_NOTE,
                                            help=_("Sent with the mail that tells them, for example whom to ask."))
                declining.field("note")
                decline = st.form_submit_button(_("Decline"), icon=":material/block:")

            if approve:
                user = approving.run(access_requests.approve, actor=actor, request_id=request_id,
                                     username=username, roles=roles, component_ids=components, note=approve_note,
                                     settings=settings)
                if user is not FAILED:
                    flash(_("Account {username} created for {name}; they have been told by mail.").format(
                        username=escape_md(user.username), name=escape_md(chosen.name)))
                    st.session_state.pop("access_request_id", None)
                st.rerun()
            if decline:
                if declining.run(access_requests.decline, actor=actor, request_id=request_id, note=decline_note,
                                 settings=settings) is not FAILED:
                    flash(_("The request of {name} was declined; they have been told by mail.").format(
                        name=escape_md(chosen.name)),
                          icon=":material/block:")
                    st.session_state.pop("access_request_id", None)
                st.rerun()

# -- decided ----------------------------------------------------------------------------------------------
with decided_tab:
    if decided.empty:
        st.caption(_("No request decided yet."))
    else:
        st.caption(ngettext("{n} request decided, newest first.", "{n} requests decided, newest first.",
                            len(decided)).format(n=locales.format_number(len(decided))))
        table(decided.assign(state=decided["state"].map(lambda s: _(ACCESS_REQUEST_STATE_LABELS.get(s, s)))),
              ["decided_at", "state", "name", "email", "component", "role_label", "decided_by", "decision_note",
               "created_at"])
