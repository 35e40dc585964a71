"""Focal points and deadlines (Secretariat, admin): who synthesises which Resolution, bulk assignment
from CSV, Resolutions without a focal point, and the reporting calendar."""

from datetime import date

import streamlit as st

from services import assignments
from ui import progress_readers as readers
from ui import url_state
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/group_add: Focal points and deadlines")
st.caption("Each Resolution needs at least one Secretariat focal point, who writes its yearly Progress Report. "
           "The reporting calendar says when each year's Progress Reports are due.")
show_flash()

counts = readers.unassigned_counts(actor=actor)
flagged = int(counts["without_focal_point"].sum())


assign_tab, bulk_tab, missing_tab, calendar_tab = st.tabs([
    ":material/person_add: Assign",
    ":material/upload_file: Bulk import",
    f":material/person_off: Without focal point ({flagged:,})",
    ":material/event: Reporting calendar",
])

# -- one Resolution at a time ---------------------------------------------------------------------------
with assign_tab:
    options = readers.assignable_resolutions(actor=actor)
    titles = dict(zip(options["code"], options["title"]))
    codes = list(options["code"])
    wanted = url_state.read_choice("code", codes, label="Resolution code")
    url_state.show_notices()
    if "assign_code" not in st.session_state and wanted in titles:
        st.session_state["assign_code"] = wanted
    code = st.selectbox("Resolution", codes, key="assign_code", index=None,
                        placeholder="Type a code or words of the title",
                        format_func=lambda c: f"{c} · {titles[c][:90]}")
    if code is None:
        st.info("Choose a Resolution to see and change its focal points.", icon=":material/info:")
    else:
        current = readers.focal_points_of(actor=actor, code=code)
        st.markdown("**Current focal points**")
        if current.empty:
            st.warning("No focal point yet: nobody will write this Resolution's Progress Report.",
                       icon=":material/person_off:")
        removing = Feedback(f"unassign_{code}", not_done="Not removed")
        removing.summary()
        for person in current.itertuples():
            name_col, since_col, button_col = st.columns([4, 2, 1], vertical_alignment="center")
            name_col.text(f"{person.name} ({person.email})")
            since_col.caption(f"since {fmt_date(person.since)}")
            if button_col.button("Remove", key=f"remove_{code}_{person.username}", icon=":material/person_remove:"):
                if removing.run(assignments.unassign, actor=actor, code=code,
                                username=person.username) is not FAILED:
                    flash(f"{escape_md(person.name)} is no longer a focal point of {escape_md(code)}.")
                st.rerun()

        people = readers.focal_point_candidates(actor=actor)
        people = people[~people["username"].isin(current["username"])]
        names = dict(zip(people["username"], people["name"] + " (" + people["email"] + ")"))
        assigning = Feedback(f"assign_{code}", fields=("users",), not_done="Not assigned")
        assigning.summary()
        # A new key per Resolution and after each assignment gives a new, empty box: clearing the old key's
        # state does not clear the browser's copy, which comes back on the next run holding people who are
        # no longer options (the TypeError of issue 11, item 1).
        rounds = st.session_state.setdefault("assign_rounds", 0)
        with st.form("assign_form", clear_on_submit=False, border=True):
            chosen = st.multiselect("Add focal points", list(names), key=f"assign_users_{code}_{rounds}",
                                    format_func=lambda u: names.get(u, u), placeholder="Choose Secretariat staff",
                                    help="Only users with the Secretariat focal point or Secretariat role are listed.")
            assigning.field("users")
            add = st.form_submit_button("Assign", type="primary", icon=":material/person_add:")
        if add:
            # Someone assigned elsewhere meanwhile is no longer an option: not assigned twice.
            chosen = [u for u in chosen if u in names]
            result = assigning.run(assignments.assign, actor=actor, code=code, usernames=chosen)
            if result is not FAILED:
                flash(f"{plural(result.created, 'focal point')} assigned to {escape_md(code)}.")
                st.session_state["assign_rounds"] = rounds + 1
            st.rerun()

# -- bulk import ----------------------------------------------------------------------------------------
with bulk_tab:
    st.markdown(
        "Upload a CSV file (UTF-8) with exactly two columns, `code,username`: one row per Resolution and "
        "focal point, for example `WCC-2025-Res-001,focal`. Every row is checked first: if one is wrong, "
        "nothing is assigned and every problem is listed. Rows already assigned are left as they are, so "
        "the same file can be imported again safely. Nobody is removed by an import."
    )
    with st.form("bulk_form", clear_on_submit=False):
        upload = st.file_uploader("Assignments file", type=["csv"])
        bulk = st.form_submit_button("Check and import", type="primary", icon=":material/upload:")
    importing = Feedback("assignments_import", not_done="Not imported")
    importing.summary()
    if bulk:
        if upload is None:
            st.error("Choose a CSV file first.", icon=":material/error:")
        else:
            result = importing.run_import(assignments.import_assignments, actor=actor, data=upload.getvalue())
            if result is not FAILED:
                flash(f"Imported: {plural(result.created, 'new assignment')}, {result.unchanged:,} already in "
                      "place.")
            st.rerun()

# -- Resolutions without a focal point ------------------------------------------------------------------
with missing_tab:
    if flagged:
        st.warning(f"{plural(flagged, 'active Resolution')} without a focal point.", icon=":material/person_off:")
    else:
        st.success("Every active Resolution has a focal point.", icon=":material/check_circle:")
    st.dataframe(counts, hide_index=True, column_config={
        "congress": "Congress", "year": st.column_config.NumberColumn("Year", format="%d"),
        "active": "Active Resolutions", "without_focal_point": "Without focal point"})
    with_any = counts[counts["active"] > 0]
    congress = st.selectbox("Congress", list(with_any["congress"]), key="missing_congress")
    if congress:
        overview = readers.assignment_overview(actor=actor, congress=congress)
        only_missing = st.toggle("Only those without a focal point", value=True, key="missing_only")
        shown = overview[overview["count"] == 0] if only_missing else overview
        shown = shown.assign(flag=shown["count"].map(lambda n: "⚠ none" if n == 0 else ""))
        st.caption(f"{plural(int((overview['count'] == 0).sum()), 'Resolution')} of {congress} without a "
                   f"focal point, out of {len(overview):,} active.")
        st.dataframe(shown[["code", "title", "focal_points", "flag"]], hide_index=True, width="stretch",
                     column_config={"code": "Code", "title": st.column_config.TextColumn("Title", width="large"),
                                    "focal_points": "Focal points", "flag": "Flag"})
        st.caption("To assign one, choose it in the Assign tab, or import a CSV file.")

# -- reporting calendar ---------------------------------------------------------------------------------
with calendar_tab:
    table = readers.deadlines()
    left, right = st.columns([2, 3], gap="large")
    with left:
        deadline = Feedback("deadline", fields=("year", "due_on"))
        deadline.summary()
        with st.form("deadline_form", clear_on_submit=False):
            st.markdown("**Set a deadline**")
            this_year = date.today().year
            year = st.number_input("Reporting year", min_value=1990, max_value=2100, value=this_year, step=1,
                                   key="deadline_year")
            due_on = st.date_input("Progress Reports due on", value=None, key="deadline_due", format="DD/MM/YYYY",
                                   help="In the reporting year or early in the next one.")
            deadline.field("year")
            deadline.field("due_on")
            save = st.form_submit_button("Save deadline", type="primary", icon=":material/event_available:")
        if save:
            if deadline.run(assignments.set_deadline, actor=actor, year=int(year), due_on=due_on) is not FAILED:
                flash(f"Progress Reports on {int(year)} are due on {fmt_date(due_on)}.")
            st.rerun()
    with right:
        st.markdown("**Calendar**")
        if table.empty:
            st.caption("No deadline set yet.")
        else:
            st.dataframe(table.assign(due=table["due_on"].map(fmt_date))[["year", "due"]], hide_index=True,
                         width="stretch", column_config={"year": st.column_config.NumberColumn("Year", format="%d"),
                                                         "due": "Progress Reports due on"})
