"""The guide: the reporting cycle as a diagram with this year's counts, where the user's own work sits,
the deadlines, and what is expected of each role."""

from datetime import date

import streamlit as st

from analytics import cycle
from db.vocab import ROLE_LABELS, ROLES
from services.permissions import duties
from ui import coverage_readers as readers
from ui import url_state, work_items
from ui.auth import signed_in_actor
from ui.format import fmt_date

actor = signed_in_actor()
today = date.today()
years = readers.reporting_years(today=today)

url_state.init_year("year", today.year, years)

st.title(":material/help: How reporting works")
st.caption("IUCN tracks the implementation of its Resolutions in a yearly cycle. Any component reports its "
           "activities; once a year the Secretariat focal points turn them into one Progress Report per "
           "Resolution; the Secretariat then analyses all Progress Reports of the latest Congress.")

left = st.columns([1, 4])[0]
left.selectbox("Year", years, key="year", help="The counts and deadline below are for this reporting year.")
url_state.write_back({"year": today.year})
year = st.session_state["year"]

counts = readers.stage_counts(year=year)
work = readers.my_work(user_id=actor.id, duties=duties(actor), year=year)
due = readers.deadline(year=year, today=today)

# -- the cycle -------------------------------------------------------------------------------------
st.subheader(f"The reporting cycle in {year}", anchor=False)
highlight = {w.stage for w in work}
st.graphviz_chart(cycle.cycle_dot(counts, highlight, due.due_on), width="stretch")
if highlight:
    st.caption("The highlighted stage is where your own work sits.")


# -- your work -------------------------------------------------------------------------------------
st.subheader("Your work", anchor=False)
if not work:
    st.info("Nothing in the cycle waits for you. The yearly analysis and the charts show what came out of it.",
            icon=":material/info:")
work_items.show(work, actor)

# -- deadlines -------------------------------------------------------------------------------------
st.subheader("Deadlines", anchor=False)
if due.due_on:
    if due.overdue:
        text = f"The {year} Progress Reports were due on **{fmt_date(due.due_on)}** ({due.describe().lower()})."
    else:
        text = f"The {year} Progress Reports are due on **{fmt_date(due.due_on)}**: {due.describe().lower()}."
    st.info(text, icon=":material/event:")
else:
    st.info(f"The Secretariat has not set a deadline for {year} yet.", icon=":material/event_busy:")
calendar = readers.upcoming_deadlines(year=year)
if not calendar.empty:
    st.dataframe(
        calendar.assign(due_on=calendar["due_on"].map(fmt_date)), hide_index=True,
        column_config={"year": st.column_config.NumberColumn("Reporting year", format="%d"),
                       "due_on": "Progress Reports due"},
    )
st.caption("Activity Reports can be submitted at any time; those submitted before the deadline are used in "
           "that year's Progress Reports.")

# -- roles -----------------------------------------------------------------------------------------
st.subheader("Who does what", anchor=False)
for role in sorted(ROLES, key=lambda r: r not in actor.roles):  # the user's own roles first
    mine = " (you)" if role in actor.roles else ""
    st.markdown(f"**{ROLE_LABELS[role]}{mine}.** {cycle.ROLE_EXPECTATIONS[role]}")
