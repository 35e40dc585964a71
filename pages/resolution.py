"""One Resolution: its Congress, themes, status, focal points, Progress Reports by year, Activity Reports.

Signed out (the public site), the same page shows only what services/public.py says the public may see:
published Progress Reports, Activity Reports shown publicly, no person. Texts and vocabulary labels in the reader's
language (issue 14); the reports' own texts as written."""

import pandas as pd
import streamlit as st

from analytics.timeline import timeline_figure
from db import vocab
from locales import N_, _, ngettext
from services import form_fields
from services.errors import NotFound
from services.report_fields import PROGRESS
from ui import (
    activity_readers,
    goal_tags,
    operative_paragraphs,
    progress_readers,
    public_readers,
    readers,
    return_report,
    url_state,
)
from ui.auth import viewer
from ui.flash import show_flash
from ui.format import escape_md, fmt_date
from ui.progress_badges import status_badge
from ui.report_view import show_activity_report, show_public_activity_report
from ui.row_choice import chosen_row

# Pixel widths: the period ("01 Aug 2026 – 22 Apr 2027") whole, and every column in sight at 1440 px.
ACTIVITY_COLUMNS = {
    "title": st.column_config.TextColumn(_("Activity"), width=330),
    "component": st.column_config.TextColumn(_("Reported by"), width=220),
    "action_status": st.column_config.TextColumn(_("Action status"), width=110),
    "period": st.column_config.TextColumn(_("Period"), width=185),
    "submitted_at": st.column_config.TextColumn(_("Submitted on"), width=100),
}

actor = viewer()
public = actor is None  # a visitor: published content only

code = url_state.read_text("code", max_len=32, label=N_("Resolution code"))  # the codes' column holds 32
# With the filters the user last had there (kept by the register), not a cleared register.
st.page_link("pages/register.py", label=_("Back to the register"), icon=":material/arrow_back:",
             query_params=st.session_state.get(url_state.REGISTER_VIEW) or None)
url_state.show_notices()
if not code:
    st.info(_("Choose a Resolution in the register to see it here."), icon=":material/info:")
    st.stop()
try:
    detail = public_readers.resolution(code=code) if public else readers.resolution_detail(code=code)
    if detail is None:
        raise NotFound(code)
except NotFound:
    st.error(_("There is no Resolution with the code {code}. It may have been mistyped in the link.").format(
        code=escape_md(repr(code))), icon=":material/error:")
    st.stop()

congress = detail["congress"]
st.caption(f"{_(detail['kind'])} {escape_md(detail['code'])}")
st.header(escape_md(detail["title"]), anchor=False)
where = _("{kind} {session}, {city}, {country} ({year})").format(
    kind=_(congress["kind"]), session=congress["session"], city=congress["city"], country=congress["country"],
    year=congress["year"])

cols = st.columns([2, 1] if public else [2, 1, 1])  # the public never sees who the focal points are
with cols[0]:
    st.markdown("**" + _("Adopted by") + "**")
    st.text(where)
    st.markdown("**" + _("Themes") + "**")
    st.text(", ".join(_(t) for t in detail["themes"]) or _("No theme assigned"))
    goal_tags.show_targets(detail["code"])
with cols[1]:
    st.markdown("**" + _("Status") + "**")
    if detail["status"] == "archived":
        st.badge(_("Archived on {date}").format(date=fmt_date(detail["archived_on"])), icon=":material/inventory_2:",
                 color="gray")
    else:
        st.badge(_("Active"), icon=":material/check_circle:", color="green")
    if public:
        published = [(r["status"], r["year"]) for r in detail["progress_reports"]]
    else:
        published = list(detail["progress_reports"].dropna(subset=["published_status"])[["published_status", "year"]]
                         .itertuples(index=False, name=None))
    st.markdown("**" + _("Latest implementation status") + "**")
    st.text(_("{status} ({year})").format(status=_(published[0][0]), year=published[0][1]) if published
            else _(vocab.NEVER_PUBLISHED))
if not public:
    with cols[2]:
        st.markdown("**" + _("Secretariat focal points") + "**")
        focal = detail["focal_points"]
        if focal.empty:
            st.warning(_("No focal point assigned"), icon=":material/person_off:")
        for fp in focal.itertuples():
            st.text(f"{fp.name}\n{fp.email}")

goal_tags.offer_tagging(actor, detail["code"])  # the Secretariat's: the targets above

if detail["summary"]:
    st.subheader(_("Summary"), anchor=False)
    st.text(detail["summary"])
if detail["text_url"]:  # an http(s) address (the service hands out no other), shown as a button, not Markdown
    st.link_button(_("Read the official text"), detail["text_url"], icon=":material/open_in_new:")

operative_paragraphs.show(actor, code, detail.get("paragraphs"))  # issue 18: who reported what, per paragraph

st.subheader(_("Progress Reports by year"), anchor=False)
reports = detail["progress_reports"]
if public and not reports:
    st.caption(_("No Progress Report published yet."))
elif public:
    st.dataframe([{"year": r["year"], "status": _(r["status"]), "published_at": fmt_date(r["published_at"])}
                  for r in reports], hide_index=True, width="stretch", column_config={
        "year": st.column_config.NumberColumn(_("Year"), format="%d"),
        "status": _("Implementation status"),
        "published_at": _("Published on"),
    })
elif reports.empty:
    st.caption(_("No Progress Report yet."))
else:
    shown = reports.assign(
        status=reports["published_status"].map(lambda s: _(s) if isinstance(s, str) else "—"),
        reporting_state=reports["reporting_state"].map(lambda s: _(vocab.REPORTING_STATE_LABELS[s])),
        state=reports["state"].map(lambda s: _(vocab.PROGRESS_REPORT_STATE_LABELS[s])),
        published_at=reports["published_at"].map(lambda day: fmt_date(None if pd.isna(day) else day)),  # NaT: none
    )[["year", "reporting_state", "status", "state", "author", "published_at"]]
    st.dataframe(shown, hide_index=True, width="stretch", column_config={
        "year": st.column_config.NumberColumn(_("Year"), format="%d"),
        "status": _("Implementation status (published)"),
        "reporting_state": _("Progress Report"),
        "state": _("Working copy"),
        "author": _("Focal point"),
        "published_at": _("Published on"),
    })

# -- status timeline and published reports (Progress Reports) ----------------------------------------------
st.subheader(_("Implementation status over the years"), anchor=False)
timeline = public_readers.status_timeline(detail) if public else progress_readers.status_timeline(code=code)
if timeline.empty:
    st.caption(_("No Progress Report yet, so no status to show."))
else:
    with st.container(horizontal=True, gap="small"):
        for point in timeline.itertuples():
            status_badge(point.status, prefix=f"{point.year}: ")
    if len(timeline) > 1:
        figure = timeline_figure(timeline)
        st.plotly_chart(public_readers.without_work_in_preparation(figure) if public else figure,
                        config={"displayModeBar": False})
TEXTS = [(f.label, f.name) for f in PROGRESS if f.kind in form_fields.TEXTS]  # the editor's free texts, in order
for report in reports if public else progress_readers.published_reports(code=code):
    label = f"{report['year']} · {_(report['status'])}" + (
        " · " + _("revision {n}").format(n=report["revision"]) if report["revision"] > 1 else "")
    with st.expander(label, icon=":material/article:"):
        if public:
            st.caption(_("Published on {date}").format(date=fmt_date(report["published_at"])))
        else:
            st.caption((_("Written by {author}, published on {date} · a correction is being prepared")
                        if report["correcting"] else _("Written by {author}, published on {date}")).format(
                author=escape_md(report["author"]), date=fmt_date(report["published_at"])))
        for title, name in TEXTS:
            text = report.get(name)
            if text:
                st.markdown(f"**{_(title)}**")
                st.text(text)
        if report["challenge_categories"]:
            st.markdown("**" + _("Challenge categories") + "**")
            st.text(", ".join(_(c) for c in report["challenge_categories"]))
        if report["components"]:
            st.markdown("**" + _("Components involved") + "**")
            st.text(", ".join(report["components"]))

st.subheader(_("Activity Reports"), anchor=False)
show_flash()  # "Returned to its author ...": the report has left the list below
activities = detail["activity_reports"]
if public:  # only those their components chose to show publicly
    if not activities:
        st.caption(_("No Activity Report on this Resolution is shown publicly yet."))
        st.stop()
    st.caption(ngettext("{n} submitted by IUCN components and shown publicly by their choice. Select a row to read "
                        "the report in full.",
                        "{n} submitted by IUCN components and shown publicly by their choice. Select a row to read "
                        "the report in full.", len(activities)).format(n=len(activities)))
    by_id = {a["id"]: a for a in activities}
    opened = chosen_row(
        pd.DataFrame([{"title": a["title"], "component": a["component"], "action_status": _(a["action_status"]),
                       "period": f"{fmt_date(a['period_start'])} – {fmt_date(a['period_end'])}",
                       "submitted_at": fmt_date(a["submitted_at"])} for a in activities]),
        ids=list(by_id), key="public_activities", remember=f"public_activity_{code}",
        height=min(38 + 35 * len(activities), 420), column_config=ACTIVITY_COLUMNS)
    if opened is not None:
        with st.container(border=True):
            show_public_activity_report(by_id[opened])
    st.stop()
if activities.empty:
    st.caption(_("No Activity Report submitted on this Resolution yet."))
else:
    st.caption(ngettext("{n} submitted by IUCN components. Select a row to read the report in full.",
                        "{n} submitted by IUCN components. Select a row to read the report in full.",
                        len(activities)).format(n=len(activities)))
    shown = activities.assign(
        period=activities.apply(lambda r: f"{fmt_date(r.start)} – {fmt_date(r.end)}", axis=1),
        submitted_at=activities["submitted_at"].map(fmt_date),
        action_status=activities["action_status"].map(lambda s: _(s) if isinstance(s, str) else s),
    )[["title", "component", "action_status", "period", "submitted_at"]]
    opened = chosen_row(shown, ids=[int(i) for i in activities["id"]], key="resolution_activities",
                        remember=f"resolution_activity_{code}", height=min(38 + 35 * len(shown), 420),
                        column_config=ACTIVITY_COLUMNS)
    if opened is not None:
        with st.container(border=True):
            try:
                show_activity_report(activity_readers.report(actor=actor, report_id=opened))
            except NotFound:  # withdrawn meanwhile: no longer visible to all
                st.info(_("This report is no longer submitted: it was withdrawn or replaced."), icon=":material/info:")
            else:  # the Secretariat and the Resolution's focal points may send it back
                version = return_report.returnable(actor=actor, report_ids=(opened,)).get(opened)
                if version is not None:
                    return_report.offer(actor=actor, report_id=opened, version=version)
