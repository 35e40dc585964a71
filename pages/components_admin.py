"""Organisations (admin): search, a selected organisation's members, reports and edit form, deactivation,
new organisations, and the all-or-nothing CSV import and the export in the same format."""


import pandas as pd
import streamlit as st
from sqlmodel import Session

import locales
from db import vocab
from locales import N_, _, ngettext
from services import components
from services.errors import NotFound
from ui.auth import signed_in_actor
from ui.data import engine, session
from ui.flash import flash, show_flash
from ui.row_choice import chosen_row
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/corporate_fare: " + _("Organisations"))
st.caption(_("The IUCN components that report: Members, Commissions, Secretariat units and offices, National and "
             "Regional Committees. An organisation is never deleted: deactivate one that no longer takes part, "
             "and its Activity Reports keep it."))
show_flash()

NO_REGION = ""
REGIONS = (NO_REGION, *vocab.IUCN_REGIONS)


# "Active" alone is a Resolution's status in the catalogues ("En vigueur"): an organisation is "in use".
STATUS_LABELS = {"All": N_("All statuses"), "Active": N_("In use"), "Deactivated": N_("Deactivated")}
STATUS_LABELS = {k: _(v) for k, v in STATUS_LABELS.items()}  # this run's language


def region_label(region: str) -> str:
    return _(region) if region else _("No region")  # stored in English (db/vocab), shown translated


def kind_label(kind: str) -> str:
    return _(kind)


def count_label(n: int) -> str:
    return ngettext("{n} organisation found. Select a row to see its members and reports and to edit it.",
                    "{n} organisations found. Select a row to see its members and reports and to edit it.",
                    n).format(n=locales.format_number(n))


# Labels made in this run (its language): a format_func may also be called outside the run.
KIND_NAMES = {k: kind_label(k) for k in vocab.COMPONENT_KINDS}
REGION_NAMES = {r: region_label(r) for r in REGIONS}


def next_revision() -> None:
    """Fresh keys for the edit form, so it shows what is now stored."""
    st.session_state["org_rev"] = st.session_state.get("org_rev", 0) + 1


def fields_form(prefix: str, current: dict, submit_label: str, submit_icon: str) -> tuple[dict, dict, bool]:
    """The five fields of an organisation, each with a slot right under it for its errors.
    Returns (values, slots, submitted); call inside st.form."""
    slots = {}
    values = {}
    values["name"] = st.text_input(_("Name"), value=current.get("name") or "", key=f"{prefix}_name", max_chars=200)
    slots["name"] = st.container()
    left, right = st.columns(2)
    with left:
        values["acronym"] = st.text_input(_("Acronym"), value=current.get("acronym") or "", key=f"{prefix}_acronym",
                                          max_chars=20)
        slots["acronym"] = st.container()
        kind = current.get("kind")
        values["kind"] = st.selectbox(_("Kind"), vocab.COMPONENT_KINDS, key=f"{prefix}_kind",
                                      format_func=KIND_NAMES.get,
                                      index=vocab.COMPONENT_KINDS.index(kind) if kind in vocab.COMPONENT_KINDS
                                      else None, placeholder=_("Choose a kind"))
        slots["kind"] = st.container()
    with right:
        region = current.get("region") or NO_REGION
        values["region"] = st.selectbox(_("Region"), REGIONS, key=f"{prefix}_region", format_func=REGION_NAMES.get,
                                        index=REGIONS.index(region) if region in REGIONS else 0,
                                        help=_("The IUCN statutory region; none for a global organisation."))
        slots["region"] = st.container()
        values["country"] = st.text_input(_("Country"), value=current.get("country") or "", key=f"{prefix}_country",
                                          max_chars=80)
        slots["country"] = st.container()
    submitted = st.form_submit_button(submit_label, type="primary", icon=submit_icon)
    return values, slots, submitted


with session() as s:
    counts = components.component_counts(session=s, actor=actor)
st.markdown(ngettext("**{n} organisation**, {deactivated} deactivated",
                     "**{n} organisations**, {deactivated} deactivated",
                     counts["total"]).format(n=locales.format_number(counts["total"]),
                                             deactivated=locales.format_number(counts["deactivated"])))

# -- new organisation -----------------------------------------------------------------------------------
with st.expander(_("New organisation"), icon=":material/add_business:"):
    new_notice = st.container()  # above the form: a refusal, or the messages on no field of it
    with st.form("org_new", clear_on_submit=False, border=False):
        new_values, new_slots, create = fields_form("new", {}, _("Create organisation"), ":material/add:")
    creating = Feedback("org_new", fields=new_slots)
    creating.summary(new_notice)
    creating.fill(new_slots)
    if create:
        row = creating.run(components.create_component, actor=actor, **new_values)
        if row is not FAILED:
            for field in new_values:
                st.session_state.pop(f"new_{field}", None)
            st.session_state["org_open"] = row.id
            flash(_("Organisation created."))
        st.rerun()

# -- search ---------------------------------------------------------------------------------------------
text_col, kind_col, region_col, status_col = st.columns([3, 2, 2, 1.5])
text = text_col.text_input(_("Search"), key="org_q", placeholder=_("Words of the name, acronym or country"))
kinds = kind_col.multiselect(_("Kind"), vocab.COMPONENT_KINDS, key="org_kinds", placeholder=_("Every kind"),
                             format_func=KIND_NAMES.get)
regions = region_col.multiselect(_("Region"), vocab.IUCN_REGIONS, key="org_regions", placeholder=_("Every region"),
                                 format_func=REGION_NAMES.get)
status = status_col.selectbox(_("Status"), ("All", "Active", "Deactivated"), key="org_status",
                              format_func=STATUS_LABELS.get)
with session() as s:
    table = components.search_components(
        session=s, actor=actor, text=text, kinds=tuple(kinds), regions=tuple(regions),
        active={"All": None, "Active": True, "Deactivated": False}[status])

ids = [int(i) for i in table["id"]]
st.caption(count_label(len(table)))
shown_table = table.fillna({"acronym": "", "region": "", "country": ""})
shown_table = shown_table.assign(kind=shown_table["kind"].map(kind_label), region=shown_table["region"].map(
    lambda r: _(r) if r else ""))
open_id = chosen_row(
    shown_table, ids=ids, key="org_table", remember="org_open",
    column_order=["name", "acronym", "kind", "members", "reports", "active", "region", "country"],
    column_config={
        "name": st.column_config.TextColumn(_("Name"), width="large"),
        "acronym": st.column_config.TextColumn(_("Acronym"), width="small"), "kind": _("Kind"),
        "members": st.column_config.NumberColumn(_("Members"), format="%d", width="small"),
        "reports": st.column_config.NumberColumn(_("Reports"), format="%d", width="small",
                                                 help=_("Activity Reports filed for this organisation")),
        "active": st.column_config.CheckboxColumn(_("In use"), width="small"),
        "region": _("Region"), "country": _("Country"),
    },
)

# -- the selected organisation --------------------------------------------------------------------------
detail = None
if open_id is not None:
    try:
        with session() as s:
            detail = components.component_detail(session=s, actor=actor, component_id=open_id)
    except NotFound as missing:
        st.warning(str(missing), icon=":material/warning:")
if detail is not None:
    st.divider()
    head, action = st.columns([4, 1], vertical_alignment="center")
    with head:
        st.subheader(":material/corporate_fare: " + _("Selected organisation"), anchor=False)
        st.text(" · ".join(v for v in (detail["name"], detail["acronym"], kind_label(detail["kind"]),
                                       region_label(detail["region"]) if detail["region"] else "",
                                       detail["country"]) if v))
        if not detail["active"]:
            st.badge(_("Deactivated"), icon=":material/block:", color="red")
    with action:
        if detail["active"]:
            label, icon, tip = (_("Deactivate"), ":material/block:",
                                _("It stays in the reports that name it, and can be reactivated at any time."))
            not_done = _("Not deactivated")
        else:
            label, icon, tip = _("Reactivate"), ":material/check_circle:", None
            not_done = _("Not reactivated")
        activating = Feedback(f"org_active_{open_id}", not_done=not_done)
        if st.button(label, icon=icon, key=f"org_active_{open_id}", help=tip):
            if activating.run(components.set_component_active, actor=actor, component_id=open_id,
                              active=not detail["active"]) is not FAILED:
                flash(_("Organisation reactivated.") if not detail["active"] else _("Organisation deactivated."))
                next_revision()
            st.rerun()
        activating.summary()

    edit_tab, members_tab, reports_tab = st.tabs([
        ":material/edit: " + _("Edit"),
        ":material/group: " + _("Members ({n})").format(n=locales.format_number(len(detail["members"]))),
        ":material/description: " + _("Activity Reports ({n})").format(n=locales.format_number(detail["report_count"])),
    ])
    with edit_tab:
        rev = st.session_state.get("org_rev", 0)
        notice = st.container()
        with st.form(f"org_edit_{open_id}", clear_on_submit=False, border=False):
            values, slots, save = fields_form(f"edit_{open_id}_{rev}", detail, _("Save"), ":material/save:")
        editing = Feedback(f"org_edit_{open_id}", fields=slots)
        editing.summary(notice)
        editing.fill(slots)
        if save:
            if editing.run(components.update_component, actor=actor, component_id=open_id, **values) is not FAILED:
                flash(_("Organisation saved."))
                next_revision()
            st.rerun()
    with members_tab:
        if detail["members"]:
            st.dataframe(pd.DataFrame(detail["members"]), hide_index=True, width="stretch", column_config={
                "username": _("Username"), "display_name": _("Name"), "email": _("Email"),
                "active": st.column_config.CheckboxColumn(_("In use"))})
        else:
            st.caption(_("No user belongs to this organisation."))
    with reports_tab:
        if detail["reports"]:
            if detail["report_count"] > len(detail["reports"]):
                st.caption(_("The newest {n} of {total}.").format(n=locales.format_number(len(detail["reports"])),
                                                                  total=locales.format_number(detail["report_count"])))
            reports = pd.DataFrame(detail["reports"])
            if "state" in reports:
                reports["state"] = reports["state"].map(lambda s: _(vocab.ACTIVITY_REPORT_STATE_LABELS.get(s, s)))
            st.dataframe(reports, hide_index=True, width="stretch", column_config={
                "id": st.column_config.NumberColumn(_("Report"), format="%d"),
                "title": st.column_config.TextColumn(_("Title"), width="large"), "state": _("State"),
                "submitted_at": st.column_config.DatetimeColumn(_("Submitted"), format="D MMM YYYY")})
        else:
            st.caption(_("No Activity Report names this organisation."))

# -- import and export ----------------------------------------------------------------------------------
st.divider()
st.subheader(":material/import_export: " + _("Import and export"), anchor=False)
st.markdown(_(
    "A CSV file (UTF-8) with the columns, in this order: `{columns}`. `kind` is one of {kinds}; `region` is an "
    "IUCN statutory region or empty. Rows are matched to organisations by name (capitals do not matter): a new "
    "name adds an organisation, a known one is updated where a value differs. Every row is checked first: if one "
    "is wrong, nothing is imported and every problem is listed. The export has the same format, so it can be "
    "edited and imported back."
).format(columns=",".join(components.COLUMNS), kinds=", ".join(vocab.COMPONENT_KINDS)))
with st.form("org_import", clear_on_submit=False):
    upload = st.file_uploader(_("Organisations file"), type=["csv"])
    check = st.form_submit_button(_("Check and import"), type="primary", icon=":material/upload:")
importing = Feedback("org_import", not_done=_("Not imported"))
importing.summary()
if check:
    if upload is None:
        st.error(_("Choose a CSV file first."), icon=":material/error:")
    else:
        result = importing.run_import(components.import_components, actor=actor, data=upload.getvalue())
        if result is not FAILED:
            flash(_("Imported: {created} new, {updated} updated, {unchanged} unchanged.").format(
                created=locales.format_number(result.created), updated=locales.format_number(result.updated),
                unchanged=locales.format_number(result.unchanged)))
            next_revision()
        st.rerun()

export_engine = engine()


def export_file() -> bytes:
    """Built only when the download is asked for (Streamlit runs it on the click)."""
    with Session(export_engine) as s:
        return components.export_components(session=s, actor=actor)


st.download_button(_("Download CSV"), data=export_file, file_name="organisations.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")
