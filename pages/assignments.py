"""Focal points and deadlines (Secretariat, admin): who synthesises which Resolution, bulk assignment
from CSV, Resolutions without a focal point, and the reporting calendar."""

from datetime import date

import streamlit as st

import locales
from locales import _, ngettext
from services import assignments
from ui import progress_readers as readers
from ui import url_state
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/group_add: " + _("Focal points and deadlines"))
st.caption(_("Each Resolution needs at least one Secretariat focal point, who writes its yearly Progress Report. "
             "The reporting calendar says when each year's Progress Reports are due."))
show_flash()

counts = readers.unassigned_counts(actor=actor)
flagged = int(counts["without_focal_point"].sum())


assign_tab, bulk_tab, missing_tab, calendar_tab = st.tabs([
    ":material/person_add: " + _("Assign"),
    ":material/upload_file: " + _("Bulk import"),
    ":material/person_off: " + _("Without focal point ({n})").format(n=locales.format_number(flagged)),
    ":material/event: " + _("Reporting calendar"),
])

# -- one Resolution at a time ---------------------------------------------------------------------------
with assign_tab:
    options = readers.assignable_resolutions(actor=actor)
    titles = dict(zip(options["code"], options["title"]))
    codes = list(options["code"])
    wanted = url_state.read_choice("code", codes, label=_("Resolution code"))
    url_state.show_notices()
    if "assign_code" not in st.session_state and wanted in titles:
        st.session_state["assign_code"] = wanted
    code = st.selectbox(_("Resolution"), codes, key="assign_code", index=None,
                        placeholder=_("Type a code or words of the title"),
                        format_func=lambda c: f"{c} · {titles[c]}")  # the whole title: it is data, never translated
    if code is None:
        st.info(_("Choose a Resolution to see and change its focal points."), icon=":material/info:")
    else:
        current = readers.focal_points_of(actor=actor, code=code)
        st.markdown("**" + _("Current focal points") + "**")
        if current.empty:
            st.warning(_("No focal point yet: nobody will write this Resolution's Progress Report."),
                       icon=":material/person_off:")
        removing = Feedback(f"unassign_{code}", not_done=_("Not removed"))
        removing.summary()
        for person in current.itertuples():
            name_col, since_col, button_col = st.columns([4, 2, 1], vertical_alignment="center")
            name_col.text(f"{person.name} ({person.email})")
            since_col.caption(_("since {date}").format(date=fmt_date(person.since)))
            if button_col.button(_("Remove"), key=f"remove_{code}_{person.username}", icon=":material/person_remove:"):
                if removing.run(assignments.unassign, actor=actor, code=code,
                                username=person.username) is not FAILED:
                    flash(_("{name} is no longer a focal point of {code}.").format(
                        name=escape_md(person.name), code=escape_md(code)))
                st.rerun()

        people = readers.focal_point_candidates(actor=actor)
        people = people[~people["username"].isin(current["username"])]
        names = dict(zip(people["username"], people["name"] + " (" + people["email"] + ")"))
        assigning = Feedback(f"assign_{code}", fields=("users",), not_done=_("Not assigned"))
        assigning.summary()
        # A new key per Resolution and after each assignment gives a new, empty box: clearing the old key's
        # state does not clear the browser's copy, which comes back on the next run holding people who are
        # no longer options (the TypeError of issue 11, item 1).
        rounds = st.session_state.setdefault("assign_rounds", 0)
        with st.form("assign_form", clear_on_submit=False, border=True):
            chosen = st.multiselect(_("Add focal points"), list(names), key=f"assign_users_{code}_{rounds}",
                                    format_func=lambda u: names.get(u, u), placeholder=_("Choose Secretariat staff"),
                                    help=_("Only users with the Secretariat focal point or Secretariat role are "
                                           "listed."))
            assigning.field("users")
            add = st.form_submit_button(_("Assign"), type="primary", icon=":material/person_add:")
        if add:
            # Someone assigned elsewhere meanwhile is no longer an option: not assigned twice.
            chosen = [u for u in chosen if u in names]
            result = assigning.run(assignments.assign, actor=actor, code=code, usernames=chosen)
            if result is not FAILED:
                flash(ngettext("{n} focal point assigned to {code}.", "{n} focal points assigned to {code}.",
                               result.created).format(n=locales.format_number(result.created), code=escape_md(code)))
                st.session_state["assign_rounds"] = rounds + 1
            st.rerun()

# -- bulk import ----------------------------------------------------------------------------------------
with bulk_tab:
    st.markdown(_(
        "Upload a CSV file (UTF-8) with exactly two columns, `code,username`: one row per Resolution and "
        "focal point, for example `WCC-2025-Res-001,focal`. Every row is checked first: if one is wrong, "
        "nothing is assigned and every problem is listed. Rows already assigned are left as they are, so "
        "the same file can be imported again safely. Nobody is removed by an import."
    ))
    with st.form("bulk_form", clear_on_submit=False):
        upload = st.file_uploader(_("Assignments file"), type=["csv"])
        bulk = st.form_submit_button(_("Check and import"), type="primary", icon=":material/upload:")
    importing = Feedback("assignments_import", not_done=_("Not imported"))
    importing.summary()
    if bulk:
        if upload is None:
            st.error(_("Choose a CSV file first."), icon=":material/error:")
        else:
            result = importing.run_import(assignments.import_assignments, actor=actor, data=upload.getvalue())
            if result is not FAILED:
                flash(ngettext("Imported: {n} new assignment, {unchanged} already in place.",
                               "Imported: {n} new assignments, {unchanged} already in place.", result.created).format(
                    n=locales.format_number(result.created), unchanged=locales.format_number(result.unchanged)))
            st.rerun()

# -- Resolutions without a focal point ------------------------------------------------------------------
with missing_tab:
    if flagged:
        st.warning(ngettext("{n} active Resolution without a focal point.",
                            "{n} active Resolutions without a focal point.", flagged).format(
            n=locales.format_number(flagged)), icon=":material/person_off:")
    else:
        st.success(_("Every active Resolution has a focal point."), icon=":material/check_circle:")
    st.dataframe(counts, hide_index=True, column_config={
        "congress": _("Congress"), "year": st.column_config.NumberColumn(_("Year"), format="%d"),
        "active": _("Active Resolutions"), "without_focal_point": _("Without focal point")})
    with_any = counts[counts["active"] > 0]
    congress = st.selectbox(_("Congress"), list(with_any["congress"]), key="missing_congress")
    if congress:
        overview = readers.assignment_overview(actor=actor, congress=congress)
        only_missing = st.toggle(_("Only those without a focal point"), value=True, key="missing_only")
        shown = overview[overview["count"] == 0] if only_missing else overview
        shown = shown.assign(flag=shown["count"].map(lambda n: "⚠ " + _("none") if n == 0 else ""))
        missing = int((overview["count"] == 0).sum())
        st.caption(ngettext("{n} Resolution of {congress} without a focal point, out of {total} active.",
                            "{n} Resolutions of {congress} without a focal point, out of {total} active.",
                            missing).format(n=locales.format_number(missing), congress=congress,
                                            total=locales.format_number(len(overview))))
        st.dataframe(shown[["code", "title", "focal_points", "flag"]], hide_index=True, width="stretch",
                     column_config={"code": _("Code"), "title": st.column_config.TextColumn(_("Title"), width="large"),
                                    "focal_points": _("Focal points"), "flag": _("Flag")})
        st.caption(_("To assign one, choose it in the Assign tab, or import a CSV file."))

# -- reporting calendar ---------------------------------------------------------------------------------
with calendar_tab:
    table = readers.deadlines()
    left, right = st.columns([2, 3], gap="large")
    with left:
        deadline = Feedback("deadline", fields=("year", "due_on"))
        deadline.summary()
        with st.form("deadline_form", clear_on_submit=False):
            st.markdown("**" + _("Set a deadline") + "**")
            this_year = date.today().year
            year = st.number_input(_("Reporting year"), min_value=1990, max_value=2100, value=this_year, step=1,
                                   key="deadline_year")
            due_on = st.date_input(_("Progress Reports due on"), value=None, key="deadline_due", format="DD/MM/YYYY",
                                   help=_("In the reporting year or early in the next one."))
            deadline.field("year")
            deadline.field("due_on")
            save = st.form_submit_button(_("Save deadline"), type="primary", icon=":material/event_available:")
        if save:
            if deadline.run(assignments.set_deadline, actor=actor, year=int(year), due_on=due_on) is not FAILED:
                flash(_("Progress Reports on {year} are due on {date}.").format(year=int(year), date=fmt_date(due_on)))
            st.rerun()
    with right:
        st.markdown("**" + _("Calendar") + "**")
        if table.empty:
            st.caption(_("No deadline set yet."))
        else:
            st.dataframe(table.assign(due=table["due_on"].map(fmt_date))[["year", "due"]], hide_index=True,
                         width="stretch", column_config={"year": st.column_config.NumberColumn(_("Year"), format="%d"),
                                                         "due": _("Progress Reports due on")})
