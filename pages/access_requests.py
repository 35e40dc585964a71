"""Access requests (admin): people signed in with IUCN Accounts who have no account ask for one. Approving
creates the account (no password: they sign in with single sign-on) and mails them; declining mails them."""

import pandas as pd
import streamlit as st

from db.settings import load_settings
from db.vocab import ROLE_LABELS, ROLES
from services import access_requests
from ui.auth import signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.write import FAILED, Feedback

actor = signed_in_actor()
settings = load_settings()
st.title(":material/person_add: Access requests")
st.caption("People who signed in with IUCN Accounts but have no account here ask for one. Approving a request "
           "creates the account with the roles and organisations you choose, and mails the person; they then "
           "sign in with IUCN Accounts (no password).")
show_flash()

with session() as s:
    pending = access_requests.list_requests(session=s, actor=actor, state="pending")
    decided = access_requests.list_requests(session=s, actor=actor, state="decided")
    organisations = access_requests.organisations(session=s)
org_labels = dict(zip(organisations["id"].tolist(), organisations["label"].tolist()))

TABLE_COLUMNS = {
    "created_at": st.column_config.DatetimeColumn("Sent", format="DD MMM YYYY, HH:mm"),
    "name": "Name", "email": "Email", "component": "Organisation", "role_label": "Role wanted",
    "message": st.column_config.TextColumn("Message", width="large"),
    "state": "Decision", "decided_at": st.column_config.DatetimeColumn("Decided", format="DD MMM YYYY"),
    "decided_by": "By", "decision_note": st.column_config.TextColumn("Note", width="large"),
}


def table(frame, columns: list[str]) -> None:
    shown = frame.assign(role_label=frame["role"].map(ROLE_LABELS))
    st.dataframe(shown[columns], hide_index=True, width="stretch",
                 column_config={c: TABLE_COLUMNS[c] for c in columns})


pending_tab, decided_tab = st.tabs([f":material/pending_actions: Pending ({len(pending):,})",
                                    ":material/task_alt: Decided"])

# -- pending ----------------------------------------------------------------------------------------------
with pending_tab:
    if pending.empty:
        st.success("No request is waiting.", icon=":material/check_circle:")
    else:
        st.caption(f"{plural(len(pending), 'request')} waiting, oldest first.")
        table(pending, ["created_at", "name", "email", "component", "role_label", "message"])
        rows = {int(r.id): r for r in pending.itertuples()}
        request_id = st.selectbox(
            "Request", list(rows), key="access_request_id", index=None,
            placeholder="Choose a request to decide",
            format_func=lambda i: f"{rows[i].name} · {rows[i].email} · {fmt_date(rows[i].created_at)}")
        if request_id is None:
            st.info("Choose a request to see it, then approve or decline it.", icon=":material/info:")
        else:
            chosen = rows[request_id]
            with st.container(border=True):
                st.markdown("**The request**")
                st.text(f"Name: {chosen.name}\nEmail: {chosen.email}\n"
                        f"Organisation: {chosen.component or '—'}\nRole wanted: {ROLE_LABELS[chosen.role]}\n"
                        f"Sent on {fmt_date(chosen.created_at)}")
                if isinstance(chosen.message, str) and chosen.message:
                    st.markdown("**Message**")
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
                    st.markdown("**Approve: create the account**")
                    username = st.text_input("Username", value=suggested, key=f"approve_username_{request_id}",
                                             max_chars=60, help=access_requests.USERNAME_RULE.capitalize() + ".")
                    approving.field("username")
                    roles = st.multiselect("Roles", list(ROLES), default=[chosen.role], format_func=ROLE_LABELS.get,
                                           key=f"approve_roles_{request_id}")
                    approving.field("roles")
                    components = st.multiselect(
                        "Organisations", list(org_labels), format_func=org_labels.get,
                        default=[c for c in asked_component if c in org_labels],
                        key=f"approve_components_{request_id}", placeholder="Type a name or acronym",
                        help="What the person reports for. A component focal point needs at least one.")
                    approving.field("components")
                    approve_note = st.text_area("Note to the person (optional)", key=f"approve_note_{request_id}",
                                                max_chars=access_requests.MAX_NOTE)
                    approving.field("note")
                    approve = st.form_submit_button("Approve and create the account", type="primary",
                                                    icon=":material/how_to_reg:")
            with decline_col, st.form(f"decline_{request_id}", clear_on_submit=False):
                st.markdown("**Decline**")
                decline_note = st.text_area("Note to the person (optional)", key=f"decline_note_{request_id}",
                                            max_chars=access_requests.MAX_NOTE,
                                            help="Sent with the mail that tells them, for example whom to ask.")
                declining.field("note")
                decline = st.form_submit_button("Decline", icon=":material/block:")

            if approve:
                user = approving.run(access_requests.approve, actor=actor, request_id=request_id,
                                     username=username, roles=roles, component_ids=components, note=approve_note,
                                     settings=settings)
                if user is not FAILED:
                    flash(f"Account {escape_md(user.username)} created for {escape_md(chosen.name)}; "
                          "they have been told by mail.")
                    st.session_state.pop("access_request_id", None)
                st.rerun()
            if decline:
                if declining.run(access_requests.decline, actor=actor, request_id=request_id, note=decline_note,
                                 settings=settings) is not FAILED:
                    flash(f"The request of {escape_md(chosen.name)} was declined; they have been told by mail.",
                          icon=":material/block:")
                    st.session_state.pop("access_request_id", None)
                st.rerun()

# -- decided ----------------------------------------------------------------------------------------------
with decided_tab:
    if decided.empty:
        st.caption("No request decided yet.")
    else:
        st.caption(f"{plural(len(decided), 'request')} decided, newest first.")
        table(decided.assign(state=decided["state"].str.capitalize()),
              ["decided_at", "state", "name", "email", "component", "role_label", "decided_by", "decision_note",
               "created_at"])
