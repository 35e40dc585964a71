"""My Resolutions (Secretariat focal point): for a reporting year, each assigned Resolution with last
year's status, this year's Progress Report, the Activity Reports received, and the deadline."""

from datetime import date

import streamlit as st

from ui import nothing_to_report
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.flash import show_flash
from ui.format import escape_md, fmt_date, plural
from ui.progress_badges import state_badge, status_badge
from ui.url_state import init_year, write_back

actor = signed_in_actor()
st.title(":material/assignment_ind: My Resolutions")
st.caption("The Resolutions you are the Secretariat focal point for. Once a year, write one Progress Report "
           "for each, drawing on the Activity Reports components sent in.")
show_flash()

today = date.today()
calendar = readers.deadlines()
years = sorted({int(y) for y in calendar["year"]} | {today.year}, reverse=True)
init_year("year", today.year, years, label="reporting year")
year = st.columns([1, 4])[0].selectbox("Reporting year", years, key="year")
write_back({"year": today.year})

due = calendar.set_index("year")["due_on"].get(year)
mine = readers.my_resolutions(user_id=actor.id, year=year)
said = nothing_to_report.focal_statements(actor=actor, year=year)  # "nothing to report": {code: reason}
done = mine["state"].eq("published")
in_review = mine["state"].eq("in_review")
to_write = ~(done | in_review) & ~mine["code"].isin(list(said))

if due is None:
    st.info(f"No deadline is set for the {year} Progress Reports yet.", icon=":material/event:")
else:
    days = (due - today).days
    when = f"Progress Reports on {year} are due on **{fmt_date(due)}**"
    if days < 0 and to_write.any():
        st.error(f"{when}: {plural(-days, 'day')} ago. {plural(int(to_write.sum()), 'report')} still to write.",
                 icon=":material/alarm:")
    elif days < 0:
        st.success(f"{when}: the deadline has passed and none of yours is missing.", icon=":material/event_available:")
    elif days <= 30:
        st.warning(f"{when}: **{plural(days, 'day')} left**.", icon=":material/alarm:")
    else:
        st.info(f"{when}: {plural(days, 'day')} left.", icon=":material/event:")

if mine.empty:
    st.info("No Resolution is assigned to you. The Secretariat assigns focal points "
            "(Administration › Focal points and deadlines).", icon=":material/info:")
    st.stop()

metrics = st.columns(4)
metrics[0].metric("Assigned Resolutions", f"{len(mine):,}")
metrics[1].metric("To write or finish", f"{int(to_write.sum()):,}")
metrics[2].metric("In review", f"{int(in_review.sum()):,}")
metrics[3].metric("Published", f"{int(done.sum()):,}")

FILTERS = {"To write": to_write, "In review": in_review, "Published": done}
shown_filter = st.segmented_control("Show", ["All", *FILTERS], default="All", key="my_filter")
rows = mine[FILTERS[shown_filter]] if shown_filter in FILTERS else mine
if rows.empty:
    st.caption("Nothing here.")

header = st.columns([4, 1.4, 1.6, 1.6, 1.3])
for col, label in zip(header, ["Resolution", f"Status {year - 1}", f"Report {year}",
                               "Activity Reports", ""]):
    col.caption(f"**{label}**" if label else " ")
for row in rows.itertuples():
    with st.container(border=True):
        cols = st.columns([4, 1.4, 1.6, 1.6, 1.3], vertical_alignment="center")
        cols[0].markdown(f"**{escape_md(row.code)}**  \n{escape_md(row.title)}")
        with cols[1]:
            status_badge(row.last_year_status)
        with cols[2]:
            state_badge(row.state, row.returned)
            if row.state == "draft" and row.revision:
                st.caption(f"Correcting revision {row.revision}")
            elif row.status and row.state:
                st.caption(row.status)
        cols[3].markdown(f"**{row.received_this_year:,}** received in {year}  \n"
                         f":gray[{row.since_last_report:,} since the last report]")
        label, icon = {None: ("Write", ":material/edit_note:"), "draft": ("Continue", ":material/edit:")}.get(
            row.state, ("Open", ":material/visibility:"))
        cols[4].page_link("pages/progress_report.py", label=label, icon=icon,
                          query_params={"code": row.code, "year": str(year)})
        if row.state in (None, "draft") and not row.revision:  # not yet answered: it may have nothing to report
            nothing_to_report.toggle(actor, year, row.code, row.code in said, said.get(row.code), where=cols[4])
