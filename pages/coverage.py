"""Reporting coverage for a year and a Congress: which Resolutions have a published Progress Report, which are
in draft or review, which have none; which components reported on what; who still owes what (CSV). Every text in
the reader's language (issue 14); the URL and the colours keep the stored states."""

from datetime import date

import streamlit as st

import locales
from analytics import coverage
from locales import N_, _, format_number, format_percent, ngettext
from services import export_tables, reminders
from services.permissions import can, duties
from services.tabular import csv_bytes
from ui import coverage_readers as readers
from ui import operative_paragraphs, paragraph_readers, tables, url_state
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.navigation import may_open
from ui.write import FAILED, Feedback

actor = signed_in_actor()
today = date.today()
years = readers.reporting_years(today=today)
congresses = readers.congresses()
labels = dict(zip(congresses["code"], congresses["label"]))


def default_congress(year: int) -> str:
    return coverage.congress_reported_in(congresses, year) or ""


def state_label(state: str) -> str:
    return _(coverage.COVERAGE_LABELS[state])


def state_style(label: str) -> str:
    state = next(s for s in coverage.COVERAGE_STATES if state_label(s) == label)
    dark = state == "published"  # white text on the dark colour only
    return f"background-color: {coverage.COVERAGE_COLOURS[state]}; color: {'white' if dark else '#1f2933'}"


def follow_year() -> None:
    # A new year usually means the Congress reported on that year: pick it, the user may change it after.
    st.session_state["congress"] = default_congress(st.session_state["year"])


url_state.init_year("year", today.year, years, label=N_("reporting year"))
url_state.init_text("congress", default_congress(st.session_state["year"]), list(congresses["code"]))
url_state.init_list("state", list(coverage.COVERAGE_STATES))
url_state.init_text("mine", "", ["1"])
st.session_state.setdefault("mine_box", st.session_state["mine"] == "1")

st.title(":material/checklist: " + _("Reporting coverage"))
st.caption(_("For one reporting year and one Congress: which Resolutions have a published Progress Report, which "
             "are in draft or in review, which have none, who still owes what, and which components reported."))
show_flash()

cols = st.columns([1, 2, 2])
cols[0].selectbox(_("Reporting year"), years, key="year", on_change=follow_year)
cols[1].selectbox(_("Congress"), list(congresses["code"]), key="congress", format_func=labels.get,
                  help=_("Whose Resolutions are covered. Changing the year picks the Congress reported on that "
                         "year."))
only_mine = False
if "write_progress_reports" in duties(actor):  # focal points: the Resolutions assigned to them
    with cols[2]:
        st.write("")
        only_mine = st.checkbox(_("Only my Resolutions"), key="mine_box",
                                help=_("Keep only the Resolutions assigned to you as focal point."))
st.session_state["mine"] = "1" if only_mine else ""

year, congress = st.session_state["year"], st.session_state["congress"]
url_state.write_back({"year": today.year, "congress": default_congress(year), "state": [], "mine": ""})
focal_id = actor.id if only_mine else None

table = readers.resolution_coverage(actor=actor, year=year, congress_code=congress, focal_user_id=focal_id)
due = readers.deadline(year=year, today=today)
counts = {s: int((table["state"] == s).sum()) for s in coverage.COVERAGE_STATES}
missing = coverage.missing_reports(table)
left_out = readers.archived_left_out(actor=actor, year=year, congress_code=congress)

# -- headline ------------------------------------------------------------------------------------
n = format_number
# The Resolutions in scope, named once: "assigned to you" or "of WCC-2025".
scope = _("assigned to you") if only_mine else _("of {congress}").format(congress=congress)
owe = _("Resolutions {scope} that owe a Progress Report for {year}.").format(scope=scope, year=year)
left_out_note = (ngettext("{n} archived Resolution archived in {year} or before owes nothing and is left out.",
                          "{n} archived Resolutions archived in {year} or before owe nothing and are left out.",
                          left_out).format(n=n(left_out), year=year) if left_out
                 else _("Archived Resolutions owe no report from the year they were archived."))
# Two rows of three: six cards in one row cut the French and Spanish labels short ("Aucun Rapport d'av…").
m = [*st.columns(3), *st.columns(3)]
assert len(m) == 2 + len(coverage.COVERAGE_STATES)
m[0].metric(_("Resolutions"), n(len(table)), border=True, help=f"{owe} {left_out_note}")
for col, state in zip(m[1:-1], coverage.COVERAGE_STATES):
    share = (_("{share} of them").format(share=format_percent(counts[state] / len(table))) if len(table)
             else None)
    col.metric(state_label(state), n(counts[state]), delta=share, delta_color="off", delta_arrow="off", border=True)
day_month = "dd MMM" if locales.current() == locales.DEFAULT else "d MMM"  # 15 Dec, 15 déc., 15 dic
m[-1].metric(_("Deadline {year}").format(year=year),
             locales.format_date(due.due_on, format=day_month) if due.due_on else _("Not set"),
             delta=due.describe(), delta_color="inverse" if due.overdue else "off", delta_arrow="off", border=True,
             help=_("Set by the Secretariat on the page Focal points and deadlines."))

if table.empty:
    st.info((_("No Resolution {scope} owes a Progress Report for {year}. Choose another year or Congress, or untick "
               "Only my Resolutions.") if only_mine else
             _("No Resolution {scope} owes a Progress Report for {year}. Choose another year or Congress."))
            .format(scope=scope, year=year), icon=":material/info:")
    st.stop()

if due.overdue and len(missing):
    passed = ngettext("The {year} deadline passed {n} day ago", "The {year} deadline passed {n} days ago",
                      -due.days_left).format(year=year, n=n(-due.days_left))
    still = ngettext("{n} Resolution still has no published report.",
                     "{n} Resolutions still have no published report.", len(missing)).format(n=n(len(missing)))
    st.error(_("{passed} and {still} The list below says whom to remind.").format(passed=passed, still=still),
             icon=":material/alarm:")
elif due.due_on and len(missing):
    st.warning(ngettext("{n} Progress Report still to be published before {date} ({when}).",
                        "{n} Progress Reports still to be published before {date} ({when}).", len(missing)).format(
        n=n(len(missing)), date=fmt_date(due.due_on), when=due.describe().lower()), icon=":material/schedule:")

st.plotly_chart(coverage.state_bar(counts), config={"displayModeBar": False})

tab_state, tab_missing, tab_components = st.tabs([
    ":material/table_rows: " + _("State of each Resolution"),
    ":material/notification_important: " + _("Missing reports ({n})").format(n=n(len(missing))),
    ":material/groups: " + _("Which components reported"),
])

# -- each Resolution -----------------------------------------------------------------------------
with tab_state:
    chosen = st.segmented_control(_("Show"), list(coverage.COVERAGE_STATES), key="state", selection_mode="multi",
                                  format_func=state_label, help=_("Leave all off to see every state."))
    shown = table[table["state"].isin(chosen)] if chosen else table
    view = shown.assign(state=shown["state"].map(state_label),
                        implementation_status=shown["implementation_status"].map(
                            lambda s: _(s) if isinstance(s, str) else s),
                        components=shown["components"].map(tables.first_names))[
        ["code", "title", "state", "implementation_status", "focal_points", "activity_reports", "components"]]
    styled = view.style.map(state_style, subset=["state"])
    st.caption(ngettext("{n} Resolution. Select a row to open the Resolution.",
                        "{n} Resolutions. Select a row to open the Resolution.", len(view)).format(n=n(len(view))))
    event = st.dataframe(
        # Pixel widths that keep every column in sight at 1440 px wide with most titles whole; an empty cell
        # shows "—", never "None". The full title is on the Resolution's page, which a selected row opens.
        styled, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 560), placeholder="—",
        on_select="rerun", selection_mode="single-row", key="coverage_table",
        column_config={
            "code": st.column_config.TextColumn(_("Code"), width=130),
            "title": st.column_config.TextColumn(_("Title"), width=300),
            # 160 px: "Aucun Rapport d'avancement" / "Ningún Informe de progreso" (nearly) whole
            "state": st.column_config.TextColumn(_("Progress Report {year}").format(year=year), width=160,
                                                 help=_("The state of the year's Progress Report")),
            "implementation_status": st.column_config.TextColumn(
                _("Status"), help=_("Implementation status: published, or as drafted so far"), width=95),
            "focal_points": st.column_config.TextColumn(_("Focal points"), width=100),
            "activity_reports": st.column_config.NumberColumn(
                _("Activity Reports {year}").format(year=year), help=_("Submitted in {year}").format(year=year),
                format="%d", width=60),
            "components": st.column_config.TextColumn(_("Components that reported"), width=100),
        },
    )
    if event.selection.rows:
        st.switch_page("pages/resolution.py", query_params={"code": view.iloc[event.selection.rows[0]]["code"]})

# -- who still owes what -------------------------------------------------------------------------
with tab_missing:
    if missing.empty:
        st.success(_("Every Resolution {scope} has a published Progress Report for {year}.").format(
            scope=scope, year=year), icon=":material/task_alt:")
    else:
        st.markdown(ngettext("**{n} Resolution** without a published Progress Report for {year}, with the focal "
                             "points to remind.",
                             "**{n} Resolutions** without a published Progress Report for {year}, with the focal "
                             "points to remind.", len(missing)).format(n=n(len(missing)), year=year))
        missing_table = export_tables.missing_reports_table(missing)  # shown below and downloaded: same headers
        st.download_button(
            _("Download missing reports (CSV)"), lambda: csv_bytes(missing_table),  # built on the click
            icon=":material/download:",
            file_name=f"missing-progress-reports-{congress}-{year}.csv", mime="text/csv", key="missing_csv",
            on_click="ignore",
        )
        st.markdown(_("**By focal point**: one reminder per person"))
        owed = coverage.owed_by_focal_point(missing)
        nobody = (owed["focal_point"] == coverage.NO_FOCAL_POINT) & (owed["email"] == "")
        owed = owed.assign(focal_point=owed["focal_point"].where(~nobody, _(coverage.NO_FOCAL_POINT)))
        st.dataframe(
            owed, hide_index=True, width="stretch", height=min(40 + 35 * len(owed), 390),
            column_config={
                "focal_point": _("Focal point"),
                "email": _("Email"),
                "owed": st.column_config.NumberColumn(_("Reports owed"), format="%d"),
                "resolutions": st.column_config.TextColumn(_("Resolutions"), width="large"),
            },
        )
        st.markdown("**" + _("By Resolution") + "**")
        may_remind = can(actor, "reminders.manage")
        if may_remind:
            st.caption(_("Select rows, then Remind now: their focal points get a reminder at once (one mail each), "
                         "recorded like the daily job's."))
        picked = st.dataframe(
            tables.shown(missing_table), hide_index=True, width="stretch", height=min(38 + 35 * len(missing), 480),
            column_config=tables.column_config(missing_table), key="missing_table",
            on_select="rerun" if may_remind else "ignore", selection_mode="multi-row",
        )
        if may_remind:
            reminding = Feedback("remind_now", not_done=_("Not reminded"))
            reminding.summary()
            rows = picked.selection.rows if picked is not None else []
            codes = [missing["code"].iloc[i] for i in rows if i < len(missing)]
            if st.button(_("Remind now ({n})").format(n=len(codes)) if codes else _("Remind now"),
                         icon=":material/send:", disabled=not codes, key="remind_now",
                         help=_("Select the missing reports first.")):
                done = reminding.run(reminders.remind_now, actor=actor, year=year, codes=codes, today=today)
                if done is not FAILED:
                    parts = [ngettext("{n} reminder queued", "{n} reminders queued", done["sent"]).format(
                        n=n(done["sent"]))]
                    if done["turned_off"]:
                        parts.append(ngettext("{n} focal point turned reminders off",
                                              "{n} focal points turned reminders off", done["turned_off"]).format(
                            n=n(done["turned_off"])))
                    if done["nothing_owed"]:
                        parts.append(ngettext(
                            "{n} Resolution with nobody to remind (no focal point, or answered meanwhile)",
                            "{n} Resolutions with nobody to remind (no focal point, or answered meanwhile)",
                            done["nothing_owed"]).format(n=n(done["nothing_owed"])))
                    flash(_("{parts}.").format(parts="; ".join(parts)))
                st.rerun()
    orphans = coverage.without_focal_point(table)
    if not orphans.empty:
        st.warning(ngettext("{n} Resolution has no focal point at all, so nobody is writing their report: {codes}.",
                            "{n} Resolutions have no focal point at all, so nobody is writing their report: {codes}.",
                            len(orphans)).format(n=n(len(orphans)), codes=escape_md(", ".join(orphans["code"]))),
                   icon=":material/person_off:")
        if may_open(actor, "pages/assignments.py"):
            st.page_link("pages/assignments.py", label=_("Assign focal points"), icon=":material/group_add:")

# -- components ----------------------------------------------------------------------------------
with tab_components:
    by_component = readers.components_reporting(actor=actor, year=year, congress_code=congress,
                                                   focal_user_id=focal_id)
    if by_component.empty:
        st.info(_("No component has submitted an Activity Report on these Resolutions in {year} yet.").format(
            year=year), icon=":material/inbox:")
    else:
        st.caption(ngettext("{n} component submitted Activity Reports on these Resolutions in {year}, most active "
                            "first.",
                            "{n} components submitted Activity Reports on these Resolutions in {year}, most active "
                            "first.", len(by_component)).format(n=n(len(by_component)), year=year))
        shown_components = by_component.assign(kind=by_component["kind"].map(_),
                                                region=by_component["region"].map(lambda r: _(r) if r else r))
        st.dataframe(
            shown_components[["component", "kind", "region", "reports", "resolution_count", "resolutions"]],
            hide_index=True, width="stretch", height=min(38 + 35 * len(by_component), 420),
            column_config={
                "component": st.column_config.TextColumn(_("Component"), width="medium"),
                "kind": _("Kind"),
                "region": _("Region"),
                "resolutions": st.column_config.TextColumn(_("Resolutions reported on"), width="large"),
                "resolution_count": st.column_config.NumberColumn(_("Resolutions"), format="%d"),
                "reports": st.column_config.NumberColumn(_("Activity Reports"), format="%d"),
            },
        )
        # Drawn only when asked for: a component x Resolution grid is most of what the page would send
        # (565 kB of 1 MB at 100,000 Activity Reports, issue 13), and an expander sends its content closed too.
        if st.toggle(_("Component × Resolution matrix"), key="coverage_matrix"):
            st.caption(_("Number of Activity Reports each component submitted on each Resolution in {year}; only "
                         "Resolutions with reports have a column. Scroll sideways to see them all.").format(year=year))
            grid = coverage.matrix_table(readers.component_matrix(actor=actor, year=year, congress_code=congress,
                                                                  focal_user_id=focal_id))
            grid = grid.astype("string").fillna("")  # blank, not "None", where a component did not report
            st.dataframe(grid, hide_index=True, height=min(40 + 35 * len(grid), 600),
                         column_config={"component": st.column_config.TextColumn(_("Component"), pinned=True)})

# -- operative paragraphs nobody is working on (issue 18) ---------------------------------------------------
st.subheader(_("Paragraphs nobody is working on"), anchor=False)
in_year = st.toggle(_("Only Activity Reports received in {year}").format(year=year), key="idle_in_year",
                    help=_("Off: a paragraph counts as worked on if any Activity Report ever addressed it."))
idle = paragraph_readers.unaddressed(actor=actor, congress=congress, year=year if in_year else None)
if idle.empty:
    st.caption(_("Every operative paragraph entered for this Congress' Resolutions is addressed by at least one "
                 "Activity Report (or no paragraph has been entered yet)."))
else:
    st.caption(ngettext("{n} operative paragraph that no Activity Report addresses.",
                        "{n} operative paragraphs that no Activity Report addresses.", len(idle)).format(
        n=format_number(len(idle))))
    st.dataframe(idle.assign(addressee=idle["addressee"].map(operative_paragraphs.addressee_label)),
                 hide_index=True, width="stretch", height=min(38 + 35 * len(idle), 420), column_config={
        "code": st.column_config.TextColumn(_("Resolution"), width=170),
        "title": st.column_config.TextColumn(_("Title"), width="medium"),
        "number": st.column_config.TextColumn(_("Paragraph"), width=80),
        "addressee": st.column_config.TextColumn(_("Addressee"), width=150),
        "text": st.column_config.TextColumn(_("Text"), width="large"),
    })
