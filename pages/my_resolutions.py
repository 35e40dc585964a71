"""My Resolutions (Secretariat focal point): for a reporting year, each assigned Resolution with last
year's status, this year's Progress Report, the Activity Reports received, and the deadline."""

from datetime import date

import streamlit as st

import locales
from locales import N_, _, ngettext
from ui import nothing_to_report
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.flash import show_flash
from ui.format import escape_md, fmt_date
from ui.progress_badges import state_badge, status_badge
from ui.url_state import init_year, write_back

actor = signed_in_actor()
st.title(":material/assignment_ind: " + _("My Resolutions"))
st.caption(_("The Resolutions you are the Secretariat focal point for. Once a year, write one Progress Report "
             "for each, drawing on the Activity Reports components sent in."))
show_flash()

today = date.today()
calendar = readers.deadlines()
years = sorted({int(y) for y in calendar["year"]} | {today.year}, reverse=True)
init_year("year", today.year, years, label=_("reporting year"))
year = st.columns([1, 4])[0].selectbox(_("Reporting year"), years, key="year")
write_back({"year": today.year})

due = calendar.set_index("year")["due_on"].get(year)
mine = readers.my_resolutions(user_id=actor.id, year=year)
said = nothing_to_report.focal_statements(actor=actor, year=year)  # "nothing to report": {code: reason}
done = mine["state"].eq("published")
in_review = mine["state"].eq("in_review")
to_write = ~(done | in_review) & ~mine["code"].isin(list(said))

if due is None:
    st.info(_("No deadline is set for the {year} Progress Reports yet.").format(year=year), icon=":material/event:")
else:
    days = (due - today).days
    when = _("Progress Reports on {year} are due on **{date}**").format(year=year, date=fmt_date(due))
    if days < 0 and to_write.any():
        missing = int(to_write.sum())
        st.error(_("{when}: {rest}").format(when=when, rest=ngettext("{n} day ago.", "{n} days ago.", -days).format(
            n=locales.format_number(-days)) + " " + ngettext(
            "{n} report still to write.", "{n} reports still to write.", missing).format(
            n=locales.format_number(missing))), icon=":material/alarm:")
    elif days < 0:
        st.success(_("{when}: the deadline has passed and none of yours is missing.").format(when=when),
                   icon=":material/event_available:")
    elif days <= 30:
        st.warning(_("{when}: {rest}").format(when=when, rest="**" + ngettext("{n} day left", "{n} days left", days)
                                              .format(n=locales.format_number(days)) + "**."), icon=":material/alarm:")
    else:
        st.info(_("{when}: {rest}").format(when=when, rest=ngettext("{n} day left", "{n} days left", days).format(
            n=locales.format_number(days)) + "."), icon=":material/event:")

if mine.empty:
    st.info(_("No Resolution is assigned to you. The Secretariat assigns focal points "
              "(Administration › Focal points and deadlines)."), icon=":material/info:")
    st.stop()

metrics = st.columns(4)
metrics[0].metric(_("Assigned Resolutions"), locales.format_number(len(mine)))
metrics[1].metric(_("To write or finish"), locales.format_number(int(to_write.sum())))
metrics[2].metric(_("In review"), locales.format_number(int(in_review.sum())))
metrics[3].metric(_("Published"), locales.format_number(int(done.sum())))

# Keyed on the English (stable in the session and the widget), shown translated.
FILTERS = {N_("To write"): to_write, N_("In review"): in_review, N_("Published"): done}
ALL = N_("All")
shown_filter = st.segmented_control(_("Show"), [ALL, *FILTERS], default=ALL, key="my_filter",
                                    format_func=_)
rows = mine[FILTERS[shown_filter]] if shown_filter in FILTERS else mine
if rows.empty:
    st.caption(_("Nothing here."))

WIDTHS = [1.8, 2.3, 2.3, 1.3, 2.1]  # room for the French and Spanish badges and buttons ("Aucun Rapport d'avancement")
header = st.columns(WIDTHS)
for col, label in zip(header, [_("Resolution"), _("Status {year}").format(year=year - 1),
                               _("Report {year}").format(year=year), _("Activity Reports"), ""]):
    col.caption(f"**{label}**" if label else " ")
for row in rows.itertuples():
    with st.container(border=True):
        cols = st.columns(WIDTHS, vertical_alignment="center")
        cols[0].markdown(f"**{escape_md(row.code)}**  \n{escape_md(row.title)}")
        with cols[1]:
            status_badge(row.last_year_status)
        with cols[2]:
            state_badge(row.state, row.returned)
            if row.state == "draft" and row.revision:
                st.caption(_("Correcting revision {n}").format(n=row.revision))
            elif row.status and row.state:
                st.caption(locales.translate(row.status))
        cols[3].markdown(_("**{n}** received in {year}").format(n=locales.format_number(row.received_this_year),
                                                                year=year) + "  \n:gray["
                         + _("{n} since the last report").format(n=locales.format_number(row.since_last_report)) + "]")
        label, icon = {None: (_("Write"), ":material/edit_note:"), "draft": (_("Continue"), ":material/edit:")}.get(
            row.state, (_("Open"), ":material/visibility:"))
        cols[4].page_link("pages/progress_report.py", label=label, icon=icon,
                          query_params={"code": row.code, "year": str(year)})
        if row.state in (None, "draft") and not row.revision:  # not yet answered: it may have nothing to report
            nothing_to_report.toggle(actor, year, row.code, row.code in said, said.get(row.code), where=cols[4])
