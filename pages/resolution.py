"""One Resolution: its Congress, themes, status, focal points, Progress Reports by year, Activity Reports."""

import streamlit as st

from analytics.timeline import timeline_figure
from db import vocab
from services.errors import NotFound
from ui import activity_readers, progress_readers, readers, return_report, url_state
from ui.auth import signed_in_actor
from ui.flash import show_flash
from ui.format import escape_md, fmt_date
from ui.progress_badges import status_badge
from ui.report_view import show_activity_report
from ui.row_choice import chosen_row

actor = signed_in_actor()

code = url_state.read_text("code", max_len=32, label="Resolution code")  # the codes' column holds 32
# With the filters the user last had there (kept by the register), not a cleared register.
st.page_link("pages/register.py", label="Back to the register", icon=":material/arrow_back:",
             query_params=st.session_state.get(url_state.REGISTER_VIEW) or None)
url_state.show_notices()
if not code:
    st.info("Choose a Resolution in the register to see it here.", icon=":material/info:")
    st.stop()
try:
    detail = readers.resolution_detail(code=code)
except NotFound:
    st.error(f"There is no Resolution with the code {escape_md(repr(code))}. It may have been mistyped in the link.",
             icon=":material/error:")
    st.stop()

congress = detail["congress"]
st.caption(f"{detail['kind']} {escape_md(detail['code'])}")
st.header(escape_md(detail["title"]), anchor=False)
where = f"{congress['kind']} {congress['session']}, {congress['city']}, {congress['country']} ({congress['year']})"

cols = st.columns([2, 1, 1])
with cols[0]:
    st.markdown("**Adopted by**")
    st.text(where)
    st.markdown("**Themes**")
    st.text(", ".join(detail["themes"]) or "No theme assigned")
with cols[1]:
    st.markdown("**Status**")
    if detail["status"] == "archived":
        st.badge(f"Archived on {fmt_date(detail['archived_on'])}", icon=":material/inventory_2:", color="gray")
    else:
        st.badge("Active", icon=":material/check_circle:", color="green")
    published = detail["progress_reports"].dropna(subset=["published_status"])
    st.markdown("**Latest implementation status**")
    if published.empty:
        st.text(vocab.NEVER_PUBLISHED)
    else:
        latest = published.iloc[0]
        st.text(f"{latest.published_status} ({latest.year})")
with cols[2]:
    st.markdown("**Secretariat focal points**")
    focal = detail["focal_points"]
    if focal.empty:
        st.warning("No focal point assigned", icon=":material/person_off:")
    for fp in focal.itertuples():
        st.text(f"{fp.name}\n{fp.email}")

if detail["summary"]:
    st.subheader("Summary", anchor=False)
    st.text(detail["summary"])
if detail["text_url"]:  # an http(s) address (the service hands out no other), shown as a button, not Markdown
    st.link_button("Read the official text", detail["text_url"], icon=":material/open_in_new:")

st.subheader("Progress Reports by year", anchor=False)
reports = detail["progress_reports"]
if reports.empty:
    st.caption("No Progress Report yet.")
else:
    shown = reports.assign(
        status=reports["published_status"].fillna("—"),
        reporting_state=reports["reporting_state"].map(vocab.REPORTING_STATE_LABELS),
        state=reports["state"].map(vocab.PROGRESS_REPORT_STATE_LABELS),
        published_at=reports["published_at"].map(fmt_date),
    )[["year", "reporting_state", "status", "state", "author", "published_at"]]
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "status": "Implementation status (published)",
        "reporting_state": "Progress Report",
        "state": "Working copy",
        "author": "Focal point",
        "published_at": "Published on",
    })

# -- status timeline and published reports (Progress Reports) ----------------------------------------------
st.subheader("Implementation status over the years", anchor=False)
timeline = progress_readers.status_timeline(code=code)
if timeline.empty:
    st.caption("No Progress Report yet, so no status to show.")
else:
    with st.container(horizontal=True, gap="small"):
        for point in timeline.itertuples():
            status_badge(point.status, prefix=f"{point.year}: ")
    if len(timeline) > 1:
        st.plotly_chart(timeline_figure(timeline), config={"displayModeBar": False})
for report in progress_readers.published_reports(code=code):
    label = f"{report['year']} · {report['status']}" + (f" · revision {report['revision']}" if report["revision"] > 1
                                                          else "")
    with st.expander(label, icon=":material/article:"):
        st.caption(f"Written by {escape_md(report['author'])}, published on {fmt_date(report['published_at'])}"
                   + (" · a correction is being prepared" if report["correcting"] else ""))
        for title, text in report["texts"]:  # the editor's free texts (services/report_fields.py)
            if text:
                st.markdown(f"**{title}**")
                st.text(text)
        if report["challenge_categories"]:
            st.markdown("**Challenge categories**")
            st.text(", ".join(report["challenge_categories"]))
        if report["components"]:
            st.markdown("**Components involved**")
            st.text(", ".join(report["components"]))

st.subheader("Activity Reports", anchor=False)
show_flash()  # "Returned to its author ...": the report has left the list below
activities = detail["activity_reports"]
if activities.empty:
    st.caption("No Activity Report submitted on this Resolution yet.")
else:
    st.caption(f"{len(activities)} submitted by IUCN components. Select a row to read the report in full.")
    shown = activities.assign(
        period=activities.apply(lambda r: f"{fmt_date(r.start)} – {fmt_date(r.end)}", axis=1),
        submitted_at=activities["submitted_at"].map(fmt_date),
    )[["title", "component", "action_status", "period", "submitted_at"]]
    # Pixel widths: the period ("01 Aug 2026 – 22 Apr 2027") whole, and every column in sight at 1440 px.
    opened = chosen_row(shown, ids=[int(i) for i in activities["id"]], key="resolution_activities",
                        remember=f"resolution_activity_{code}", height=min(38 + 35 * len(shown), 420),
                        column_config={
                            "title": st.column_config.TextColumn("Activity", width=330),
                            "component": st.column_config.TextColumn("Reported by", width=220),
                            "action_status": st.column_config.TextColumn("Action status", width=110),
                            "period": st.column_config.TextColumn("Period", width=185),
                            "submitted_at": st.column_config.TextColumn("Submitted on", width=100),
                        })
    if opened is not None:
        with st.container(border=True):
            try:
                show_activity_report(activity_readers.report(actor=actor, report_id=opened))
            except NotFound:  # withdrawn meanwhile: no longer visible to all
                st.info("This report is no longer submitted: it was withdrawn or replaced.", icon=":material/info:")
            else:  # the Secretariat and the Resolution's focal points may send it back
                version = return_report.returnable(actor=actor, report_ids=(opened,)).get(opened)
                if version is not None:
                    return_report.offer(actor=actor, report_id=opened, version=version)
