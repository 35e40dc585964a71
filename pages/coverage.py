"""Reporting coverage for a year and a Congress: which Resolutions have a published Progress Report, which are
in draft or review, which have none; which components reported on what; who still owes what (CSV)."""

from datetime import date

import streamlit as st

from analytics import coverage
from services import export_tables, reminders
from services.permissions import can, duties
from services.tabular import csv_bytes
from ui import coverage_readers as readers
from ui import tables, url_state
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.navigation import may_open
from ui.write import FAILED, Feedback

actor = signed_in_actor()
today = date.today()
years = readers.reporting_years(today=today)
congresses = readers.congresses()
labels = dict(zip(congresses["code"], congresses["label"]))


def default_congress(year: int) -> str:
    return coverage.congress_reported_in(congresses, year) or ""


def state_style(label: str) -> str:
    state = next(s for s, text in coverage.COVERAGE_LABELS.items() if text == label)
    dark = state == "published"  # white text on the dark colour only
    return f"background-color: {coverage.COVERAGE_COLOURS[state]}; color: {'white' if dark else '#1f2933'}"


def follow_year() -> None:
    # A new year usually means the Congress reported on that year: pick it, the user may change it after.
    st.session_state["congress"] = default_congress(st.session_state["year"])


url_state.init_year("year", today.year, years, label="reporting year")
url_state.init_text("congress", default_congress(st.session_state["year"]), list(congresses["code"]))
url_state.init_list("state", list(coverage.COVERAGE_STATES))
url_state.init_text("mine", "", ["1"])
st.session_state.setdefault("mine_box", st.session_state["mine"] == "1")

st.title(":material/checklist: Reporting coverage")
st.caption("For one reporting year and one Congress: which Resolutions have a published Progress Report, which "
           "are in draft or in review, which have none, who still owes what, and which components reported.")
show_flash()

cols = st.columns([1, 2, 2])
cols[0].selectbox("Reporting year", years, key="year", on_change=follow_year)
cols[1].selectbox("Congress", list(congresses["code"]), key="congress", format_func=labels.get,
                  help="Whose Resolutions are covered. Changing the year picks the Congress reported on that year.")
only_mine = False
if "write_progress_reports" in duties(actor):  # focal points: the Resolutions assigned to them
    with cols[2]:
        st.write("")
        only_mine = st.checkbox("Only my Resolutions", key="mine_box",
                                help="Keep only the Resolutions assigned to you as focal point.")
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
scope = "assigned to you" if only_mine else f"of {congress}"
m = st.columns(2 + len(coverage.COVERAGE_STATES))
m[0].metric("Resolutions", f"{len(table):,}", border=True,
            help=f"Resolutions {scope} that owe a Progress Report for {year}. "
                 + (f"{plural(left_out, 'archived Resolution')} archived in "
                                                    f"{year} or before owe nothing and are left out." if left_out
                                                    else "Archived Resolutions owe no report from the year "
                                                         "they were archived."))
for col, state in zip(m[1:-1], coverage.COVERAGE_STATES):
    share = f"{counts[state] / len(table):.0%} of them" if len(table) else None
    col.metric(coverage.COVERAGE_LABELS[state], f"{counts[state]:,}", delta=share, delta_color="off",
               delta_arrow="off", border=True)
m[-1].metric(f"Deadline {year}", f"{due.due_on:%d %b}" if due.due_on else "Not set", delta=due.describe(),
            delta_color="inverse" if due.overdue else "off", delta_arrow="off", border=True,
            help="Set by the Secretariat on the page Focal points and deadlines.")

if table.empty:
    st.info(f"No Resolution {scope} owes a Progress Report for {year}. Choose another year or Congress"
            + (", or untick Only my Resolutions." if only_mine else "."), icon=":material/info:")
    st.stop()

if due.overdue and len(missing):
    st.error(f"The {year} deadline passed {plural(-due.days_left, 'day')} ago and "
             f"{plural(len(missing), 'Resolution')} still {'has' if len(missing) == 1 else 'have'} no published "
             "report. The list below says whom to remind.", icon=":material/alarm:")
elif due.due_on and len(missing):
    st.warning(f"{plural(len(missing), 'Progress Report')} still to be published before "
               f"{fmt_date(due.due_on)} ({due.describe().lower()}).", icon=":material/schedule:")

st.plotly_chart(coverage.state_bar(counts), config={"displayModeBar": False})

tab_state, tab_missing, tab_components = st.tabs([
    ":material/table_rows: State of each Resolution",
    f":material/notification_important: Missing reports ({len(missing)})",
    ":material/groups: Which components reported",
])

# -- each Resolution -----------------------------------------------------------------------------
with tab_state:
    chosen = st.segmented_control("Show", list(coverage.COVERAGE_STATES), key="state", selection_mode="multi",
                                  format_func=coverage.COVERAGE_LABELS.get, help="Leave all off to see every state.")
    shown = table[table["state"].isin(chosen)] if chosen else table
    view = shown.assign(state=shown["state"].map(coverage.COVERAGE_LABELS))[
        ["code", "title", "state", "implementation_status", "focal_points", "activity_reports", "components"]]
    styled = view.style.map(state_style, subset=["state"])
    st.caption(f"{plural(len(view), 'Resolution')}. Select a row to open the Resolution.")
    event = st.dataframe(
        # Pixel widths that keep every column in sight at 1440 px wide with most titles whole; an empty cell
        # shows "—", never "None". The full title is on the Resolution's page, which a selected row opens.
        styled, hide_index=True, width="stretch", height=min(38 + 35 * len(view), 560), placeholder="—",
        on_select="rerun", selection_mode="single-row", key="coverage_table",
        column_config={
            "code": st.column_config.TextColumn("Code", width=130),
            "title": st.column_config.TextColumn("Title", width=320),
            "state": st.column_config.TextColumn(f"Progress Report {year}", width=120),
            "implementation_status": st.column_config.TextColumn(
                "Status", help="Implementation status: published, or as drafted so far", width=95),
            "focal_points": st.column_config.TextColumn("Focal points", width=110),
            "activity_reports": st.column_config.NumberColumn(
                f"Activity Reports {year}", help=f"Submitted in {year}", format="%d", width=60),
            "components": st.column_config.TextColumn("Components that reported", width=110),
        },
    )
    if event.selection.rows:
        st.switch_page("pages/resolution.py", query_params={"code": view.iloc[event.selection.rows[0]]["code"]})

# -- who still owes what -------------------------------------------------------------------------
with tab_missing:
    if missing.empty:
        st.success(f"Every Resolution {scope} has a published Progress Report for {year}.",
                   icon=":material/task_alt:")
    else:
        st.markdown(f"**{plural(len(missing), 'Resolution')}** without a published Progress Report for {year}, "
                    "with the focal points to remind.")
        missing_table = export_tables.missing_reports_table(missing)  # shown below and downloaded: same headers
        st.download_button(
            "Download missing reports (CSV)", lambda: csv_bytes(missing_table), icon=":material/download:",  # on click
            file_name=f"missing-progress-reports-{congress}-{year}.csv", mime="text/csv", key="missing_csv",
            on_click="ignore",
        )
        st.markdown("**By focal point**: one reminder per person")
        owed = coverage.owed_by_focal_point(missing)
        st.dataframe(
            owed, hide_index=True, width="stretch", height=min(40 + 35 * len(owed), 390),
            column_config={
                "focal_point": "Focal point",
                "email": "Email",
                "owed": st.column_config.NumberColumn("Reports owed", format="%d"),
                "resolutions": st.column_config.TextColumn("Resolutions", width="large"),
            },
        )
        st.markdown("**By Resolution**")
        may_remind = can(actor, "reminders.manage")
        if may_remind:
            st.caption("Select rows, then Remind now: their focal points get a reminder at once (one mail each), "
                       "recorded like the daily job's.")
        picked = st.dataframe(
            tables.shown(missing_table), hide_index=True, width="stretch", height=min(38 + 35 * len(missing), 480),
            column_config=tables.column_config(missing_table), key="missing_table",
            on_select="rerun" if may_remind else "ignore", selection_mode="multi-row",
        )
        if may_remind:
            reminding = Feedback("remind_now", not_done="Not reminded")
            reminding.summary()
            rows = picked.selection.rows if picked is not None else []
            codes = [missing["code"].iloc[i] for i in rows if i < len(missing)]
            if st.button(f"Remind now ({len(codes)})" if codes else "Remind now", icon=":material/send:",
                         disabled=not codes, key="remind_now", help="Select the missing reports first."):
                done = reminding.run(reminders.remind_now, actor=actor, year=year, codes=codes, today=today)
                if done is not FAILED:
                    flash(f"{plural(done['sent'], 'reminder')} queued"
                          + (f"; {plural(done['turned_off'], 'focal point')} turned reminders off"
                             if done["turned_off"] else "")
                          + (f"; {plural(done['nothing_owed'], 'Resolution')} with nobody to remind (no focal "
                             "point, or answered meanwhile)" if done["nothing_owed"] else "") + ".")
                st.rerun()
    orphans = coverage.without_focal_point(table)
    if not orphans.empty:
        st.warning(f"{plural(len(orphans), 'Resolution')} {'has' if len(orphans) == 1 else 'have'} no focal point "
                   "at all, so nobody is writing their report: " + escape_md(", ".join(orphans["code"])) + ".",
                   icon=":material/person_off:")
        if may_open(actor, "pages/assignments.py"):
            st.page_link("pages/assignments.py", label="Assign focal points", icon=":material/group_add:")

# -- components ----------------------------------------------------------------------------------
with tab_components:
    by_component = readers.components_reporting(actor=actor, year=year, congress_code=congress,
                                                   focal_user_id=focal_id)
    if by_component.empty:
        st.info(f"No component has submitted an Activity Report on these Resolutions in {year} yet.",
                icon=":material/inbox:")
    else:
        st.caption(f"{plural(len(by_component), 'component')} submitted Activity Reports on these Resolutions "
                   f"in {year}, most active first.")
        st.dataframe(
            by_component[["component", "kind", "region", "reports", "resolution_count", "resolutions"]],
            hide_index=True, width="stretch", height=min(38 + 35 * len(by_component), 420),
            column_config={
                "component": st.column_config.TextColumn("Component", width="medium"),
                "kind": "Kind",
                "region": "Region",
                "resolutions": st.column_config.TextColumn("Resolutions reported on", width="large"),
                "resolution_count": st.column_config.NumberColumn("Resolutions", format="%d"),
                "reports": st.column_config.NumberColumn("Activity Reports", format="%d"),
            },
        )
        with st.expander("Component × Resolution matrix", icon=":material/grid_on:"):
            st.caption("Number of Activity Reports each component submitted on each Resolution in "
                       f"{year}; only Resolutions with reports have a column. Scroll sideways to see them all.")
            grid = coverage.matrix_table(readers.component_matrix(actor=actor, year=year, congress_code=congress,
                                                                  focal_user_id=focal_id))
            grid = grid.astype("string").fillna("")  # blank, not "None", where a component did not report
            st.dataframe(grid, hide_index=True, height=min(40 + 35 * len(grid), 600),
                         column_config={"component": st.column_config.TextColumn("Component", pinned=True)})
