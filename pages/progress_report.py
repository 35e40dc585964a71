"""The Progress Report editor (hidden page, ?code=...&year=...): the focal point writes and submits; the
Secretariat publishes or returns with a comment; a published report is corrected by a new version."""

from datetime import date

import pandas as pd
import streamlit as st

from db import vocab
from services import progress_reports as pr
from services.errors import NotFound, PermissionDenied
from services.form_fields import Kind
from services.permissions import can
from ui import progress_readers as readers
from ui import report_form, return_report, url_state
from ui.auth import signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date, plural
from ui.progress_badges import state_badge, status_badge
from ui.write import FAILED, Feedback

actor = signed_in_actor()
ss = st.session_state
code = url_state.read_text("code", max_len=32, label="Resolution code")  # the codes' column holds 32

back = "pages/review_queue.py" if can(actor, "progress.review") else "pages/my_resolutions.py"
st.page_link(back, label="Back to the review queue" if back.endswith("queue.py") else "Back to My Resolutions",
             icon=":material/arrow_back:")
url_state.show_notices()
if not code:
    st.info("Open a Progress Report from My Resolutions or the review queue.", icon=":material/info:")
    st.stop()
try:
    with session() as s:
        first_year, last_year = pr.year_range(session=s, code=code)
        if first_year > last_year:
            url_state.show_notices()
            st.info(f"Progress Reports on this Resolution start with the year {first_year}.", icon=":material/info:")
            st.stop()
        year = url_state.read_year("year", first_year, last_year, last_year)  # no report for 2039 or 1900
        view = pr.open_report(session=s, actor=actor, code=code, year=year)
        candidates = pr.source_candidates(session=s, resolution_id=view.resolution_id, year=year,
                                          include_ids=tuple(view.data.source_ids))
except NotFound:
    st.error(f"There is no Resolution with the code {escape_md(repr(code))}. It may have been mistyped in the link.",
             icon=":material/error:")
    st.stop()
except PermissionDenied as denied:
    st.error(escape_md(denied), icon=":material/block:")
    st.stop()
url_state.show_notices()  # a refused ?year=

components = readers.component_options()
component_names = dict(zip(components["id"], components["name"]))
component_of_source = dict(zip(candidates["id"], candidates["component_id"]))
P = f"pr_{code}_{year}_"  # widget keys of this report
# the fields drawn below (the editor's, the return comment's); a message on any other goes into the summary
feedback = Feedback(P, fields=(tuple(f.name for f in pr.FIELDS)
                               if view.editable else ()) + (("comment",) if view.may_review else ()))


F = {f.name: f for f in pr.FIELDS}  # the fields, declared once in services/report_fields.py
KEYS = report_form.keys(pr.FIELDS, P)  # field -> widget key; the sources are one checkbox each (src_<id>)
HEIGHTS = {"summary": 140, "results": 110}  # of the text areas; the others 100


def key(name: str) -> str:
    return P + name


def load_form() -> None:
    """Fill the form from the stored (or pre-filled) report, once; kept as typed until saved or reloaded."""
    data = view.data
    for name, value in report_form.form_values(pr.FIELDS, data).items():
        if name != "source_ids":
            ss[KEYS[name]] = value
    ss[key("computed")] = sorted({int(component_of_source[i]) for i in data.source_ids if i in component_of_source})
    for source_id in candidates["id"]:
        ss[key(f"src_{source_id}")] = int(source_id) in data.source_ids
    ss[key("version")] = view.version
    ss[key("loaded")] = True


def reset_form() -> None:
    for name in [k for k in ss if isinstance(k, str) and k.startswith(P)]:
        del ss[name]


if not ss.get(key("loaded")):
    load_form()


def chosen_sources() -> list[int]:
    return [int(i) for i in candidates["id"] if ss.get(key(f"src_{i}"))]


def sources_changed() -> None:
    """Components involved follow the chosen sources; components the user added by hand stay."""
    computed = sorted({int(component_of_source[i]) for i in chosen_sources()})
    manual = [c for c in ss.get(key("components"), []) if c not in ss.get(key("computed"), [])]
    ss[key("components")] = sorted(set(computed) | set(manual))
    ss[key("computed")] = computed


def form_input() -> pr.ProgressInput:
    widgets = {name: ss.get(widget) for name, widget in KEYS.items() if name != "source_ids"}
    return pr.ProgressInput(**report_form.input_values(pr.FIELDS, widgets) | {"source_ids": chosen_sources()})


def act(fn, success: str, reload: bool = True, **kwargs) -> None:
    """Run a service write (a button callback); keep the form as typed on any refusal."""
    if feedback.run(fn, actor=actor, **kwargs) is not FAILED:
        if reload:
            reset_form()
        flash(success)


def save(submit: bool) -> None:
    fn = pr.submit_for_review if submit else pr.save_draft
    act(fn, "Submitted for review: it is now in the Secretariat's review queue." if submit
        else "Draft saved.", code=code, year=year, data=form_input(), version=ss.get(key("version")))


def field_errors(name: str) -> None:
    feedback.field(name)


# -- header ---------------------------------------------------------------------------------------------
returned = [c for c in view.comments if c["action"] == "returned"]
returned_note = returned[0] if view.state == "draft" and returned and (
    view.published_at is None or returned[0]["at"] > view.published_at) else None
st.title(f":material/edit_document: Progress Report {year}")
st.markdown(f"**{escape_md(view.code)}** · {escape_md(view.title)}")
info = st.columns([1.2, 1.6, 1.6, 3], vertical_alignment="center")
with info[0]:
    state_badge(view.state, returned_note is not None)
with info[1]:
    if view.revision:
        st.caption(f"Published status (revision {view.revision})")
        status_badge(view.published_status)
with info[2]:
    due = readers.deadlines().set_index("year")["due_on"].get(year)
    if due is not None:
        days = (due - date.today()).days
        st.caption("Due on " + fmt_date(due) + (f" · {plural(days, 'day')} left" if days >= 0 else " · overdue"))
with info[3]:
    st.page_link("pages/resolution.py", label="See the Resolution", icon=":material/description:",
                 query_params={"code": code})
show_flash()
feedback.summary(reload=("Reload the latest version (replaces the text in the form)", reset_form))

if returned_note:
    st.warning(f"**Returned by {escape_md(returned_note['by'])} on {fmt_date(returned_note['at'])}:** "
               f"{escape_md(returned_note['body'])}", icon=":material/undo:")
if view.state == "draft" and view.revision:
    st.info(f"You are correcting revision {view.revision}. Readers keep seeing the published version "
            f"({view.published_status}) until this correction is published.", icon=":material/history_edu:")
if view.prefilled_from:
    st.info(f"Pre-filled from the published {view.prefilled_from} report: update what changed this year, and "
            "choose this year's Activity Reports as sources.", icon=":material/content_copy:")


# -- the content, read-only -------------------------------------------------------------------------------
def show_content() -> None:
    data = view.data
    st.markdown("**Implementation status**")
    status_badge(data.status)
    if data.status:
        st.caption(vocab.IMPLEMENTATION_STATUS_HELP[data.status])
    for text in (f for f in pr.FIELDS if f.kind is Kind.TEXT):
        st.markdown(f"**{text.label}**")
        st.text(getattr(data, text.name) or "—")
    st.markdown(f"**{F['challenge_categories'].label}**")
    st.text(", ".join(data.challenge_categories) or "—")
    st.markdown(f"**{F['component_ids'].label}**")
    st.text(", ".join(component_names.get(c, str(c)) for c in data.component_ids) or "—")


def show_sources(selectable: bool) -> None:
    st.markdown(f"**Activity Reports received in {year}**" if selectable else "**Activity Reports cited**")
    shown = candidates if selectable else candidates[candidates["id"].isin(view.data.source_ids)]
    if shown.empty:
        st.caption("None received this year." if selectable else "No Activity Report cited.")
        return
    if selectable:
        st.caption("Tick the reports this Progress Report draws on. Their components are added to "
                   "'Components involved'. Publication locks the cited reports.")
    may_return = return_report.returnable(actor=actor, report_ids=tuple(int(i) for i in shown["id"]))
    for row in shown.itertuples():
        with st.container(border=True):
            label = f"{row.title} ({row.component})"
            if selectable:
                st.checkbox(escape_md(label), key=key(f"src_{row.id}"), on_change=sources_changed)
            else:
                st.markdown(f":material/check_box: {escape_md(label)}")
            period = f"{fmt_date(row.start)} – {fmt_date(row.end)}" if pd.notna(row.start) else "no period given"
            returned = " · returned to its author" if row.state == "returned" else ""
            st.caption(f"{row.action_status or 'No action status'} · {period} · submitted {fmt_date(row.submitted_at)}"
                       + returned)
            with st.expander("What was reported"):
                for label, text in (("Description", row.description), ("Results", row.results),
                                    ("Challenges", row.challenges)):
                    if text:
                        st.markdown(f"**{label}**")
                        st.text(text)
            if int(row.id) in may_return:  # the Secretariat, or a focal point of one of its Resolutions
                return_report.offer(actor=actor, report_id=int(row.id), version=may_return[int(row.id)])


# -- the editor -------------------------------------------------------------------------------------------
if view.editable:
    left, right = st.columns([3, 2], gap="large")
    with right:
        show_sources(selectable=True)
    with left, st.form(key("form"), border=True):
        for f in pr.FIELDS:  # in the spec's order; the sources are ticked on the right
            if f.name == "source_ids":
                continue
            if f.kind is Kind.TEXT:
                st.text_area(f.label, key=KEYS[f.name], height=HEIGHTS.get(f.name, 100), max_chars=f.limit,
                             placeholder=f.placeholder, help=f.help)
            elif f.name == "status":
                st.radio(f.label, f.options, key=KEYS[f.name], help=f.help,
                         captions=[vocab.IMPLEMENTATION_STATUS_HELP[s] for s in f.options])
            elif f.name == "component_ids":
                st.multiselect(f.label, list(components["id"]), key=KEYS[f.name],
                               format_func=lambda c: component_names.get(c, str(c)), help=f.help)
            elif f.kind is Kind.CHOICES:
                st.multiselect(f.label, f.options, key=KEYS[f.name], help=f.help)
            field_errors(f.name)
        field_errors("source_ids")
        buttons = st.columns(2)
        buttons[0].form_submit_button("Save draft", icon=":material/save:", on_click=save, args=(False,),
                                      width="stretch")
        buttons[1].form_submit_button("Submit for review", type="primary", icon=":material/send:", on_click=save,
                                      args=(True,), width="stretch")
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        if view.id is None:
            st.info(f"No Progress Report on {year} yet. Only the focal points of this Resolution (and the "
                    "Secretariat) can write it.", icon=":material/info:")
        else:
            if view.state == "in_review" and not view.may_review:
                st.info("Submitted: waiting for the Secretariat's review.", icon=":material/hourglass_top:")
            show_content()
    with right:
        if view.id is not None:
            show_sources(selectable=False)

# -- review and correction --------------------------------------------------------------------------------
if view.may_review:
    st.divider()
    st.subheader("Review", anchor=False)
    publish_col, return_col = st.columns([1, 2], gap="large")
    with publish_col:
        st.caption("Publishing makes this report the Resolution's status for the year and locks the "
                   f"{plural(len(view.data.source_ids), 'Activity Report')} it cites.")
        st.button("Publish", type="primary", icon=":material/publish:", key=key("publish"),
                  on_click=act, args=(pr.publish, f"Published: {escape_md(code)} is now shown as {view.data.status} "
                                            f"for {year}."),
                  kwargs={"report_id": view.id, "version": view.version})
    with return_col, st.form(key("return_form"), border=True):
        st.text_area("Comment for the focal point", key=key("comment"), max_chars=pr.LIMITS["comment"],
                     placeholder="What should be changed or added before publication?")
        field_errors("comment")
        st.form_submit_button("Return with comment", icon=":material/undo:", on_click=lambda: act(
            pr.return_to_draft, "Returned to the focal point with your comment.", report_id=view.id,
            version=view.version, comment=ss.get(key("comment"), "")))

if view.state == "published" and view.may_write:
    st.divider()
    st.caption("A published report is never changed in place: a correction makes a new version, and the "
               "published one stays visible until the correction is published.")
    st.button("Start a correction", icon=":material/history_edu:", key=key("correct"), on_click=act,
              args=(pr.start_correction, "Correction started: edit the report below, then submit it for review."),
              kwargs={"report_id": view.id, "version": view.version})

# -- comments and history ---------------------------------------------------------------------------------
if view.id is not None:
    with session() as s:
        history = pr.history(session=s, actor=actor, report_id=view.id) if view.participant else None
        revisions = pr.revisions(session=s, report_id=view.id)
    if view.comments:
        with st.expander(f"Review comments ({len(view.comments)})", icon=":material/forum:"):
            for note in view.comments:
                st.markdown(f"**{escape_md(note['by'])}** · {fmt_date(note['at'])}")
                st.text(note["body"])
    with st.expander("History", icon=":material/history:"):
        if not revisions.empty:
            st.markdown("**Published versions**")
            st.dataframe(revisions.assign(published_at=revisions["published_at"].map(fmt_date)), hide_index=True,
                         width="stretch", column_config={
                             "revision": "Revision", "status": "Status", "published_at": "Published on",
                             "published_by": "Published by", "changes": "What changed"})
        if history is not None:  # every draft change: for the focal points and the Secretariat only
            st.markdown("**Every change**")
            st.dataframe(history.assign(at=history["at"].map(lambda t: t.strftime("%d %b %Y %H:%M"))),
                         hide_index=True, width="stretch", column_config={
                             "at": "When", "who": "Who", "what": "What",
                             "details": st.column_config.TextColumn("Details", width="large")})
