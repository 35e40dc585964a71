"""Users (admin): find accounts, open one to edit it, deactivate or reactivate it or send it a password-reset
link; make new accounts (each receives an activation mail); import and export the accounts as CSV."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from sqlmodel import Session

from db import vocab
from db.settings import load_settings
from services import accounts
from services.errors import NotFound
from ui.auth import signed_in_actor
from ui.data import engine, session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.row_choice import chosen_row
from ui.write import FAILED, Feedback

actor = signed_in_actor()
settings = load_settings()
st.title(":material/group: Users")
st.caption("Who may sign in, with which roles and for which organisations. An account is never deleted: "
           "deactivate it, and it is signed out everywhere at once. Role changes take effect at the user's "
           "next click.")
show_flash()

LAST_SIGN_IN = {"any": "Any time", "recent": "In the last 30 days", "never": "Never"}
STATUS = {"all": "All", "active": "Active", "deactivated": "Deactivated"}
ACTIVATION = (f"New users receive an activation mail with a link to choose their password (it works once, for "
              f"{settings.activation_link_days} days). Mail waits in the outbox until the mail server takes it "
              "(the administrator's Sent mail page shows it).")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def role_label(role: str) -> str:
    return vocab.ROLE_LABELS.get(role, role)


def next_revision() -> None:
    """Fresh keys for the edit form, so it shows what is now stored."""
    st.session_state["users_rev"] = st.session_state.get("users_rev", 0) + 1


with session() as s:
    choices = accounts.component_choices(session=s, actor=actor)
component_names = dict(zip(choices["id"].astype(int), choices["name"]))
active_components = [int(i) for i in choices.loc[choices["active"].astype(bool), "id"]]


def account_fields(prefix: str, current: dict, with_username: bool) -> tuple[dict, dict]:
    """The fields of an account, each with a slot under it for its errors (call inside st.form)."""
    values, slots = {}, {}
    if with_username:
        values["username"] = st.text_input("Username", key=f"{prefix}_username", max_chars=60,
                                           help="3 to 60 letters, digits and . _ - (no spaces). It never changes.")
        slots["username"] = st.container()
    left, right = st.columns(2)
    with left:
        values["display_name"] = st.text_input("Name", value=current.get("display_name", ""),
                                               key=f"{prefix}_display_name", max_chars=120)
        slots["display_name"] = st.container()
    with right:
        values["email"] = st.text_input("Email", value=current.get("email", ""), key=f"{prefix}_email",
                                        max_chars=200)
        slots["email"] = st.container()
    values["roles"] = st.multiselect("Roles", vocab.ROLES, default=current.get("roles", []), key=f"{prefix}_roles",
                                     format_func=role_label, placeholder="Choose one or more roles")
    slots["roles"] = st.container()
    kept = [i for i in current.get("component_ids", []) if i not in active_components]
    values["components"] = st.multiselect(
        "Organisations", active_components + kept, default=current.get("component_ids", []),
        key=f"{prefix}_components", format_func=lambda i: component_names.get(i, str(i)),
        placeholder="Type a name", help="The components this person reports for (component focal points).")
    slots["components"] = st.container()
    return values, slots


users_tab, new_tab, file_tab = st.tabs([":material/group: Accounts", ":material/person_add: New user",
                                        ":material/import_export: Import and export"])

# -- search, table and the selected account ------------------------------------------------------------
with users_tab:
    text_col, role_col, comp_col, status_col, seen_col = st.columns([3, 2, 2, 1.3, 1.7])
    text = text_col.text_input("Search", key="users_q", placeholder="Words of the username, name or email")
    roles = role_col.multiselect("Role", vocab.ROLES, key="users_roles", format_func=role_label,
                                 placeholder="Every role")
    component = comp_col.selectbox("Organisation", list(component_names), key="users_component", index=None,
                                   format_func=component_names.get, placeholder="Every organisation")
    status = status_col.selectbox("Status", list(STATUS), key="users_status", format_func=STATUS.get)
    seen = seen_col.selectbox("Last sign-in", list(LAST_SIGN_IN), key="users_seen", format_func=LAST_SIGN_IN.get)
    with session() as s:
        table = accounts.search_users(
            session=s, actor=actor, text=text, roles=tuple(roles), component_id=component,
            active={"all": None, "active": True, "deactivated": False}[status],
            signed_in_since=datetime.now(UTC) - timedelta(days=30) if seen == "recent" else None,
            never_signed_in=seen == "never")

    ids = [int(i) for i in table["id"]]
    st.caption(f"{plural(len(table), 'account')} found. Select a row to open the account below.")
    shown = table.assign(
        roles=table["roles"].map(lambda codes: "; ".join(role_label(c) for c in codes.split("; ")) if codes else ""),
        # text that still sorts by time, and says "Never" rather than an empty date
        last_sign_in_at=table["last_sign_in_at"].map(
            lambda t: "Never" if t is None or pd.isna(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M")),
    )
    open_id = chosen_row(
        shown, ids=ids, key="users_table", remember="users_open",
        column_order=["username", "display_name", "email", "roles", "components", "active", "last_sign_in_at"],
        column_config={
            "username": "Username", "display_name": "Name", "email": "Email", "roles": "Roles",
            "components": st.column_config.TextColumn("Organisations", width="medium"),
            "active": st.column_config.CheckboxColumn("Active"),
            "last_sign_in_at": st.column_config.TextColumn("Last sign-in", help="UTC"),
        },
    )

    detail = None
    if open_id is not None:
        try:
            with session() as s:
                detail = accounts.user_detail(session=s, actor=actor, user_id=open_id)
        except NotFound as missing:
            st.warning(str(missing), icon=":material/warning:")
    if detail is not None:
        st.divider()
        st.subheader(":material/person: Selected account", anchor=False)
        st.text(f"{detail['display_name']} · {detail['username']} · {detail['email']}")
        facts = [f"Created {fmt_date(detail['created_at'])}",
                 f"last sign-in {fmt_date(detail['last_sign_in_at'])}" if detail["last_sign_in_at"]
                 else "never signed in",
                 "password set" if detail["has_password"] else "no password yet (activation link not used)"]
        st.caption("; ".join(facts) + ".")
        if not detail["active"]:
            st.badge("Deactivated", icon=":material/block:", color="red")

        rev = st.session_state.get("users_rev", 0)
        notice = st.container()  # above the form: a refusal, or the messages on no field of it
        with st.form(f"users_edit_{open_id}", clear_on_submit=False):
            values, slots = account_fields(f"edit_{open_id}_{rev}", detail, with_username=False)
            save = st.form_submit_button("Save", type="primary", icon=":material/save:")
        editing = Feedback(f"users_edit_{open_id}", fields=slots)
        editing.summary(notice)
        editing.fill(slots)
        if save:
            if editing.run(accounts.update_user, actor=actor, user_id=open_id, **values) is not FAILED:
                flash(f"Account {escape_md(detail['username'])} saved.")
                next_revision()
            st.rerun()

        active_col, reset_col = st.columns(2)
        with active_col:
            if detail["active"]:
                own = detail["id"] == actor.id
                clicked = st.button("Deactivate", icon=":material/block:", key=f"users_active_{open_id}",
                                    disabled=own, help="You cannot deactivate your own account." if own else
                                    "Signs the user out everywhere at once; the account can be reactivated.")
            else:
                clicked = st.button("Reactivate", icon=":material/check_circle:", key=f"users_active_{open_id}")
            activating = Feedback(f"users_active_{open_id}",
                                  not_done="Not deactivated" if detail["active"] else "Not reactivated")
            activating.summary()
            if clicked:
                if activating.run(accounts.set_active, actor=actor, user_id=open_id, active=not detail["active"],
                                  settings=settings) is not FAILED:
                    flash(f"Account {escape_md(detail['username'])} " + ("reactivated." if not detail["active"] else
                                                              "deactivated: it is signed out everywhere."))
                st.rerun()
        with reset_col:
            resetting = Feedback(f"users_reset_{open_id}", not_done="Not sent")
            if st.button("Send password-reset link", icon=":material/lock_reset:", key=f"users_reset_{open_id}",
                         disabled=not detail["active"],
                         help=f"Mails {escape_md(detail['email'])} a link to choose a new password (it works once, "
                              "within "
                              f"{settings.reset_link_minutes} minutes)."):
                if resetting.run(accounts.send_reset_link, actor=actor, user_id=open_id,
                                 settings=settings) is not FAILED:
                    flash(f"A password-reset link is on its way to {escape_md(detail['email'])}.")
                st.rerun()
            resetting.summary()

# -- new user ------------------------------------------------------------------------------------------
with new_tab:
    st.info(ACTIVATION, icon=":material/mail:")
    new_notice = st.container()
    with st.form("users_new", clear_on_submit=False):
        new_values, new_slots = account_fields("new", {}, with_username=True)
        create = st.form_submit_button("Create user", type="primary", icon=":material/person_add:")
    creating = Feedback("users_new", fields=new_slots)
    creating.summary(new_notice)
    creating.fill(new_slots)
    if create:
        user = creating.run(accounts.create_user, actor=actor, settings=settings, **new_values)
        if user is not FAILED:
            for field in new_values:
                st.session_state.pop(f"new_{field}", None)
            st.session_state["users_open"] = user.id
            flash(f"Account {escape_md(user.username)} created. An activation mail with a link to choose a "
                  f"password is on its way to {escape_md(user.email)}.")
        st.rerun()

# -- import and export ---------------------------------------------------------------------------------
with file_tab:
    st.markdown(
        "A CSV file (UTF-8) with the columns, in this order: `" + ",".join(accounts.COLUMNS) + "`. `roles` is a "
        "`;`-separated list of role codes (" + ", ".join(f"`{r}`" for r in vocab.ROLES) + "); `components` a "
        "`;`-separated list of organisation names. Rows are matched to accounts by username: a new username "
        "makes an account, a known one is updated where a value differs; accounts absent from the file are left "
        "alone. Every row is checked first: if one is wrong, nothing is imported and every problem is listed. "
        f"At most {accounts.MAX_FILE_BYTES // 1024 // 1024} MB. The export has the same format."
    )
    st.caption(ACTIVATION)
    with st.form("users_import", clear_on_submit=False):
        upload = st.file_uploader("Accounts file", type=["csv"])
        check = st.form_submit_button("Check and import", type="primary", icon=":material/upload:")
    importing = Feedback("users_import", not_done="Not imported")
    importing.summary()
    if check:
        if upload is None:
            st.error("Choose a CSV file first.", icon=":material/error:")
        else:
            result = importing.run_import(accounts.import_users, actor=actor, data=upload.getvalue(),
                                          settings=settings)
            if result is not FAILED:
                flash(f"Imported: {result.created:,} new (each mailed an activation link), {result.updated:,} "
                      f"updated, {result.unchanged:,} unchanged.")
                next_revision()
            st.rerun()

    export_engine = engine()

    def export_file() -> bytes:
        """Built only when the download is asked for (Streamlit runs it on the click)."""
        with Session(export_engine) as s:
            return accounts.export_users(session=s, actor=actor)

    st.download_button("Download CSV", data=export_file, file_name="users.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")
