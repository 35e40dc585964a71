"""The guide: the reporting cycle as a diagram with this year's counts, where the user's own work sits,
the deadlines, and what is expected of each role."""

from datetime import date

import streamlit as st

from analytics import cycle
from db.vocab import ROLE_LABELS, ROLES
from locales import _
from services.permissions import duties
from ui import coverage_readers as readers
from ui import url_state, work_items
from ui.auth import signed_in_actor
from ui.format import fmt_date

actor = signed_in_actor()
today = date.today()
years = readers.reporting_years(today=today)

url_state.init_year("year", today.year, years)

st.title(":material/help: " + _("How reporting works"))
st.caption(_("IUCN tracks the implementation of its Resolutions in a yearly cycle. Any component reports its "
             "activities; once a year the Secretariat focal points turn them into one Progress Report per "
             "Resolution; the Secretariat then analyses all Progress Reports of the latest Congress."))

left = st.columns([1, 4])[0]
left.selectbox(_("Year"), years, key="year", help=_("The counts and deadline below are for this reporting year."))
url_state.write_back({"year": today.year})
year = st.session_state["year"]

counts = readers.stage_counts(year=year)
work = readers.my_work(user_id=actor.id, duties=duties(actor), year=year)
due = readers.deadline(year=year, today=today)

# -- the cycle -------------------------------------------------------------------------------------
st.subheader(_("The reporting cycle in {year}").format(year=year), anchor=False)
highlight = {w.stage for w in work}
st.graphviz_chart(cycle.cycle_dot(counts, highlight, due.due_on), width="stretch")
if highlight:
    st.caption(_("The highlighted stage is where your own work sits."))


# -- your work -------------------------------------------------------------------------------------
st.subheader(_("Your work"), anchor=False)
if not work:
    st.info(_("Nothing in the cycle waits for you. The yearly analysis and the charts show what came out of it."),
            icon=":material/info:")
work_items.show(work, actor)

# -- deadlines -------------------------------------------------------------------------------------
st.subheader(_("Deadlines"), anchor=False)
if due.due_on:
    if due.overdue:
        text = _("The {year} Progress Reports were due on **{date}** ({when}).")
    else:
        text = _("The {year} Progress Reports are due on **{date}**: {when}.")
    st.info(text.format(year=year, date=fmt_date(due.due_on), when=due.describe().lower()), icon=":material/event:")
else:
    st.info(_("The Secretariat has not set a deadline for {year} yet.").format(year=year),
            icon=":material/event_busy:")
calendar = readers.upcoming_deadlines(year=year)
if not calendar.empty:
    st.dataframe(
        calendar.assign(due_on=calendar["due_on"].map(fmt_date)), hide_index=True,
        column_config={"year": st.column_config.NumberColumn(_("Reporting year"), format="%d"),
                       "due_on": _("Progress Reports due")},
    )
st.caption(_("Activity Reports can be submitted at any time; those submitted before the deadline are used in "
             "that year's Progress Reports."))

# -- roles -----------------------------------------------------------------------------------------
st.subheader(_("Who does what"), anchor=False)
for role in sorted(ROLES, key=lambda r: r not in actor.roles):  # the user's own roles first
    title = _("{role} (you)").format(role=_(ROLE_LABELS[role])) if role in actor.roles else _(ROLE_LABELS[role])
    st.markdown(f"**{title}.** {_(cycle.ROLE_EXPECTATIONS[role])}")
