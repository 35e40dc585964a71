"""Users (admin): find accounts, open one to edit it, deactivate or reactivate it or send it a password-reset
link; make new accounts (each receives an activation mail); import and export the accounts as CSV."""

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st
from sqlmodel import Session

import locales
from db import vocab
from db.settings import load_settings
from locales import N_, _, ngettext
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
st.title(":material/group: " + _("Users"))
st.caption(_("Who may sign in, with which roles and for which organisations. An account is never deleted: "
             "deactivate it, and it is signed out everywhere at once. Role changes take effect at the user's "
             "next click."))
show_flash()

LAST_SIGN_IN = {"any": N_("Any time"), "recent": N_("In the last 30 days"), "never": N_("Never")}
# "Active" alone is a Resolution's status in the catalogues ("En vigueur"): an account is "in use".
STATUS = {"all": N_("All statuses"), "active": N_("In use"), "deactivated": N_("Deactivated account")}
ACTIVATION = ngettext(
    "New users receive an activation mail with a link to choose their password (it works once, for {n} day). "
    "Mail waits in the outbox until the mail server takes it (the administrator's Sent mail page shows it).",
    "New users receive an activation mail with a link to choose their password (it works once, for {n} days). "
    "Mail waits in the outbox until the mail server takes it (the administrator's Sent mail page shows it).",
    settings.activation_link_days).format(n=settings.activation_link_days)


def role_label(role: str) -> str:
    return _(vocab.ROLE_LABELS.get(role, role))


# Labels made in this run (its language): a format_func may also be called outside the run.
ROLE_NAMES = {r: role_label(r) for r in vocab.ROLES}
STATUS_NAMES = {k: _(v) for k, v in STATUS.items()}
SIGN_IN_NAMES = {k: _(v) for k, v in LAST_SIGN_IN.items()}


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
        values["username"] = st.text_input(_("Username"), key=f"{prefix}_username", max_chars=60,
                                           help=_("3 to 60 letters, digits and . _ - (no spaces). It never changes."))
        slots["username"] = st.container()
    left, right = st.columns(2)
    with left:
        values["display_name"] = st.text_input(_("Name"), value=current.get("display_name", ""),
                                               key=f"{prefix}_display_name", max_chars=120)
        slots["display_name"] = st.container()
    with right:
        values["email"] = st.text_input(_("Email"), value=current.get("email", ""), key=f"{prefix}_email",
                                        max_chars=200)
        slots["email"] = st.container()
    values["roles"] = st.multiselect(_("Roles"), vocab.ROLES, default=current.get("roles", []), key=f"{prefix}_roles",
                                     format_func=ROLE_NAMES.get, placeholder=_("Choose one or more roles"))
    slots["roles"] = st.container()
    kept = [i for i in current.get("component_ids", []) if i not in active_components]
    values["components"] = st.multiselect(
        _("Organisations"), active_components + kept, default=current.get("component_ids", []),
        key=f"{prefix}_components", format_func=lambda i: component_names.get(i, str(i)),
        placeholder=_("Type a name"), help=_("The components this person reports for (component focal points)."))
    slots["components"] = st.container()
    return values, slots


users_tab, new_tab, file_tab = st.tabs([":material/group: " + _("Accounts"), ":material/person_add: " + _("New user"),
                                        ":material/import_export: " + _("Import and export")])

# -- search, table and the selected account ------------------------------------------------------------
with users_tab:
    text_col, role_col, comp_col, status_col, seen_col = st.columns([2.6, 2, 2, 1.7, 1.7])  # "Tous les états"
    text = text_col.text_input(_("Search"), key="users_q", placeholder=_("Words of the username, name or email"))
    roles = role_col.multiselect(_("Role"), vocab.ROLES, key="users_roles", format_func=ROLE_NAMES.get,
                                 placeholder=_("Every role"))
    component = comp_col.selectbox(_("Organisation"), list(component_names), key="users_component", index=None,
                                   format_func=component_names.get, placeholder=_("Every organisation"))
    status = status_col.selectbox(_("Status"), list(STATUS), key="users_status", format_func=STATUS_NAMES.get)
    seen = seen_col.selectbox(_("Last sign-in"), list(LAST_SIGN_IN), key="users_seen",
                              format_func=SIGN_IN_NAMES.get)
    with session() as s:
        table = accounts.search_users(
            session=s, actor=actor, text=text, roles=tuple(roles), component_id=component,
            active={"all": None, "active": True, "deactivated": False}[status],
            signed_in_since=datetime.now(UTC) - timedelta(days=30) if seen == "recent" else None,
            never_signed_in=seen == "never")

    ids = [int(i) for i in table["id"]]
    st.caption(ngettext("{n} account found. Select a row to open the account below.",
                        "{n} accounts found. Select a row to open the account below.", len(table)).format(
        n=locales.format_number(len(table))))
    shown = table.assign(
        roles=table["roles"].map(lambda codes: "; ".join(role_label(c) for c in codes.split("; ")) if codes else ""),
        # text that still sorts by time, and says "Never" rather than an empty date
        last_sign_in_at=table["last_sign_in_at"].map(
            lambda t: _("Never") if t is None or pd.isna(t) else pd.Timestamp(t).strftime("%Y-%m-%d %H:%M")),
    )
    open_id = chosen_row(
        shown, ids=ids, key="users_table", remember="users_open",
        column_order=["username", "display_name", "email", "roles", "components", "active", "last_sign_in_at"],
        column_config={
            "username": _("Username"), "display_name": _("Name"), "email": _("Email"), "roles": _("Roles"),
            "components": st.column_config.TextColumn(_("Organisations"), width="medium"),
            "active": st.column_config.CheckboxColumn(_("In use")),
            "last_sign_in_at": st.column_config.TextColumn(_("Last sign-in"), help="UTC"),
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
        st.subheader(":material/person: " + _("Selected account"), anchor=False)
        st.text(f"{detail['display_name']} · {detail['username']} · {detail['email']}")
        facts = [_("Created {date}").format(date=fmt_date(detail["created_at"])),
                 _("last sign-in {date}").format(date=fmt_date(detail["last_sign_in_at"])) if detail["last_sign_in_at"]
                 else _("never signed in"),
                 _("password set") if detail["has_password"] else _("no password yet (activation link not used)")]
        st.caption("; ".join(facts) + ".")
        if not detail["active"]:
            st.badge(_("Deactivated account"), icon=":material/block:", color="red")

        rev = st.session_state.get("users_rev", 0)
        notice = st.container()  # above the form: a refusal, or the messages on no field of it
        with st.form(f"users_edit_{open_id}", clear_on_submit=False):
            values, slots = account_fields(f"edit_{open_id}_{rev}", detail, with_username=False)
            save = st.form_submit_button(_("Save"), type="primary", icon=":material/save:")
        editing = Feedback(f"users_edit_{open_id}", fields=slots)
        editing.summary(notice)
        editing.fill(slots)
        if save:
            if editing.run(accounts.update_user, actor=actor, user_id=open_id, **values) is not FAILED:
                flash(_("Account {username} saved.").format(username=escape_md(detail["username"])))
                next_revision()
            st.rerun()

        active_col, reset_col = st.columns(2)
        with active_col:
            if detail["active"]:
                own = detail["id"] == actor.id
                clicked = st.button(_("Deactivate"), icon=":material/block:", key=f"users_active_{open_id}",
                                    disabled=own, help=_("You cannot deactivate your own account.") if own else
                                    _("Signs the user out everywhere at once; the account can be reactivated."))
            else:
                clicked = st.button(_("Reactivate"), icon=":material/check_circle:", key=f"users_active_{open_id}")
            activating = Feedback(f"users_active_{open_id}",
                                  not_done=_("Not deactivated") if detail["active"] else _("Not reactivated"))
            activating.summary()
            if clicked:
                if activating.run(accounts.set_active, actor=actor, user_id=open_id, active=not detail["active"],
                                  settings=settings) is not FAILED:
                    done = (_("Account {username} reactivated.") if not detail["active"] else
                            _("Account {username} deactivated: it is signed out everywhere."))
                    flash(done.format(username=escape_md(detail["username"])))
                st.rerun()
        with reset_col:
            resetting = Feedback(f"users_reset_{open_id}", not_done=_("Not sent"))
            if st.button(_("Send password-reset link"), icon=":material/lock_reset:", key=f"users_reset_{open_id}",
                         disabled=not detail["active"],
                         help=_("Mails {email} a link to choose a new password (it works once, within {minutes} "
                                "minutes).").format(email=escape_md(detail["email"]),
                                                    minutes=settings.reset_link_minutes)):
                if resetting.run(accounts.send_reset_link, actor=actor, user_id=open_id,
                                 settings=settings) is not FAILED:
                    flash(_("A password-reset link is on its way to {email}.").format(email=escape_md(detail["email"])))
                st.rerun()
            resetting.summary()

# -- new user ------------------------------------------------------------------------------------------
with new_tab:
    st.info(ACTIVATION, icon=":material/mail:")
    new_notice = st.container()
    with st.form("users_new", clear_on_submit=False):
        new_values, new_slots = account_fields("new", {}, with_username=True)
        create = st.form_submit_button(_("Create user"), type="primary", icon=":material/person_add:")
    creating = Feedback("users_new", fields=new_slots)
    creating.summary(new_notice)
    creating.fill(new_slots)
    if create:
        user = creating.run(accounts.create_user, actor=actor, settings=settings, **new_values)
        if user is not FAILED:
            for field in new_values:
                st.session_state.pop(f"new_{field}", None)
            st.session_state["users_open"] = user.id
            flash(_("Account {username} created. An activation mail with a link to choose a password is on its "
                    "way to {email}.").format(username=escape_md(user.username), email=escape_md(user.email)))
        st.rerun()

# -- import and export ---------------------------------------------------------------------------------
with file_tab:
    st.markdown(_(
        "A CSV file (UTF-8) with the columns, in this order: `{columns}`. `roles` is a `;`-separated list of role "
        "codes ({roles}); `components` a `;`-separated list of organisation names. Rows are matched to accounts by "
        "username: a new username makes an account, a known one is updated where a value differs; accounts absent "
        "from the file are left alone. Every row is checked first: if one is wrong, nothing is imported and every "
        "problem is listed. At most {max} MB. The export has the same format."
    ).format(columns=",".join(accounts.COLUMNS), roles=", ".join(f"`{r}`" for r in vocab.ROLES),
             max=accounts.MAX_FILE_BYTES // 1024 // 1024))
    st.caption(ACTIVATION)
    with st.form("users_import", clear_on_submit=False):
        upload = st.file_uploader(_("Accounts file"), type=["csv"])
        check = st.form_submit_button(_("Check and import"), type="primary", icon=":material/upload:")
    importing = Feedback("users_import", not_done=_("Not imported"))
    importing.summary()
    if check:
        if upload is None:
            st.error(_("Choose a CSV file first."), icon=":material/error:")
        else:
            result = importing.run_import(accounts.import_users, actor=actor, data=upload.getvalue(),
                                          settings=settings)
            if result is not FAILED:
                flash(_("Imported: {created} new (each mailed an activation link), {updated} updated, {unchanged} "
                        "unchanged.").format(created=locales.format_number(result.created),
                                             updated=locales.format_number(result.updated),
                                             unchanged=locales.format_number(result.unchanged)))
                next_revision()
            st.rerun()

    export_engine = engine()

    def export_file() -> bytes:
        """Built only when the download is asked for (Streamlit runs it on the click)."""
        with Session(export_engine) as s:
            return accounts.export_users(session=s, actor=actor)

    st.download_button(_("Download CSV"), data=export_file, file_name="users.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")
