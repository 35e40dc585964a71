"""The Progress Report editor (hidden page, ?code=...&year=...): the focal point writes and submits; the
Secretariat publishes or returns with a comment; a published report is corrected by a new version."""

from datetime import date

import pandas as pd
import streamlit as st

import locales
from db import vocab
from locales import _, ngettext
from services import progress_reports as pr
from services.errors import NotFound, PermissionDenied
from services.form_fields import Kind
from services.permissions import can
from ui import paragraph_readers, report_form, return_report, unsaved, url_state
from ui import progress_readers as readers
from ui.auth import signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.progress_badges import state_badge, status_badge
from ui.write import FAILED, Feedback

actor = signed_in_actor()
ss = st.session_state
code = url_state.read_text("code", max_len=32, label=_("Resolution code"))  # the codes' column holds 32

back = "pages/review_queue.py" if can(actor, "progress.review") else "pages/my_resolutions.py"
st.page_link(back, label=_("Back to the review queue") if back.endswith("queue.py") else _("Back to My Resolutions"),
             icon=":material/arrow_back:")
url_state.show_notices()
if not code:
    st.info(_("Open a Progress Report from My Resolutions or the review queue."), icon=":material/info:")
    st.stop()
try:
    with session() as s:
        first_year, last_year = pr.year_range(session=s, code=code)
        if first_year > last_year:
            url_state.show_notices()
            st.info(_("Progress Reports on this Resolution start with the year {year}.").format(year=first_year),
                    icon=":material/info:")
            st.stop()
        year = url_state.read_year("year", first_year, last_year, last_year)  # no report for 2039 or 1900
        view = pr.open_report(session=s, actor=actor, code=code, year=year)
        candidates = pr.source_candidates(session=s, resolution_id=view.resolution_id, year=year,
                                          include_ids=tuple(view.data.source_ids))
except NotFound:
    st.error(_("There is no Resolution with the code {code}. It may have been mistyped in the link.").format(
        code=escape_md(repr(code))), icon=":material/error:")
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
feedback = Feedback(P, fields=((*(f.name for f in pr.FIELDS), "paragraph_statuses")
                               if view.editable else ()) + (("comment",) if view.may_review else ()))


F = {f.name: f for f in pr.FIELDS}  # the fields, declared once in services/report_fields.py
KEYS = report_form.keys(pr.FIELDS, P)  # field -> widget key; the sources are one checkbox each (src_<id>)
HEIGHTS = {"summary": 140, "results": 110}  # of the text areas; the others 100
paragraph_list = paragraph_readers.paragraphs_of(code=code)
STATUS_NAMES = {s: _(s) for s in vocab.IMPLEMENTATION_STATUSES}  # a dict's .get as format_func (AppTest)


def key(name: str) -> str:
    return P + name


def load_form() -> None:
    """Fill the form from the stored (or pre-filled) report, once; kept as typed until saved or reloaded."""
    data = view.data
    for name, value in report_form.form_values(pr.FIELDS, data).items():
        if name != "source_ids":
            ss[KEYS[name]] = value
    if not ss.get(KEYS["language"]):  # a new report: in the author's interface language, unless changed
        ss[KEYS["language"]] = locales.current()
    ss[key("computed")] = sorted({int(component_of_source[i]) for i in data.source_ids if i in component_of_source})
    for source_id in candidates["id"]:
        ss[key(f"src_{source_id}")] = int(source_id) in data.source_ids
    for paragraph in paragraph_list:  # the optional status per operative paragraph (issue 18)
        ss[key(f"para_{paragraph['id']}")] = view.paragraph_statuses.get(paragraph["id"])
    ss[key("version")] = view.version
    ss[key("loaded")] = True


def reset_form() -> None:
    unsaved.forget(P)
    for name in [k for k in ss if isinstance(k, str) and k.startswith(P)]:
        del ss[name]


# The editor's widgets: Streamlit forgets them on another page; ui/unsaved.py brings back what was typed.
WIDGETS = ([w for name, w in KEYS.items() if name != "source_ids"] + [key(f"src_{i}") for i in candidates["id"]]
           + [key(f"para_{p['id']}") for p in paragraph_list])
restored = view.editable and unsaved.restore(P, actor.id, (code, year), WIDGETS)
if not restored and (not ss.get(key("loaded")) or not all(w in ss for w in WIDGETS)):
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


def paragraph_statuses() -> dict[int, str] | None:
    """The statuses picked per paragraph (None when the Resolution has no paragraphs: nothing to change)."""
    if not paragraph_list:
        return None
    picked = {p["id"]: ss.get(key(f"para_{p['id']}")) for p in paragraph_list}
    return {pid: status for pid, status in picked.items() if status}


def save(submit: bool) -> None:
    fn = pr.submit_for_review if submit else pr.save_draft
    act(fn, _("Submitted for review: it is now in the Secretariat's review queue.") if submit
        else _("Draft saved."), code=code, year=year, data=form_input(), version=ss.get(key("version")),
        paragraph_statuses=paragraph_statuses())


def field_errors(name: str) -> None:
    feedback.field(name)


# -- header ---------------------------------------------------------------------------------------------
returned = [c for c in view.comments if c["action"] == "returned"]
returned_note = returned[0] if view.state == "draft" and returned and (
    view.published_at is None or returned[0]["at"] > view.published_at) else None
st.title(":material/edit_document: " + _("Progress Report {year}").format(year=year))
written = ("" if view.id is None else  # a report not started yet has no language: the form chooses it
           " · " + _("written in {language}").format(language=vocab.LANGUAGE_LABELS.get(view.data.language or "en")))
st.markdown(f"**{escape_md(view.code)}** · {escape_md(view.title)}" + written)
info = st.columns([1.8, 1.6, 1.6, 2.4], vertical_alignment="center")  # "Aucun Rapport d'avancement" fits
with info[0]:
    state_badge(view.state, returned_note is not None)
with info[1]:
    if view.revision:
        st.caption(_("Published status (revision {n})").format(n=view.revision))
        status_badge(view.published_status)
with info[2]:
    due = readers.deadlines().set_index("year")["due_on"].get(year)
    if due is not None:
        days = (due - date.today()).days
        left_text = (ngettext("Due on {date} · {n} day left", "Due on {date} · {n} days left", days) if days >= 0
                     else _("Due on {date} · overdue"))
        st.caption(left_text.format(date=fmt_date(due), n=locales.format_number(days)))
with info[3]:
    st.page_link("pages/resolution.py", label=_("See the Resolution"), icon=":material/description:",
                 query_params={"code": code})
show_flash()
feedback.summary(reload=(_("Reload the latest version (replaces the text in the form)"), reset_form))

if returned_note:
    st.warning(_("**Returned by {name} on {date}:** {comment}").format(
        name=escape_md(returned_note["by"]), date=fmt_date(returned_note["at"]),
        comment=escape_md(returned_note["body"])), icon=":material/undo:")
if view.state == "draft" and view.revision:
    st.info(_("You are correcting revision {n}. Readers keep seeing the published version ({status}) until this "
              "correction is published.").format(n=view.revision, status=locales.translate(view.published_status)),
            icon=":material/history_edu:")
if view.prefilled_from:
    st.info(_("Pre-filled from the published {year} report: update what changed this year, and choose this "
              "year's Activity Reports as sources.").format(year=view.prefilled_from), icon=":material/content_copy:")


# -- the content, read-only -------------------------------------------------------------------------------
def show_content() -> None:
    data = view.data
    st.markdown("**" + _("Implementation status") + "**")
    status_badge(data.status)
    if data.status:
        st.caption(_(vocab.IMPLEMENTATION_STATUS_HELP[data.status]))
    for text in (f for f in pr.FIELDS if f.kind is Kind.TEXT):
        st.markdown(f"**{_(text.label)}**")
        st.text(getattr(data, text.name) or "—")
    st.markdown(f"**{_(F['challenge_categories'].label)}**")
    st.text(", ".join(locales.translate(c) for c in data.challenge_categories) or "—")
    st.markdown(f"**{_(F['language'].label)}**")
    st.text(vocab.LANGUAGE_LABELS.get(data.language or "en"))
    st.markdown(f"**{_(F['component_ids'].label)}**")
    st.text(", ".join(component_names.get(c, str(c)) for c in data.component_ids) or "—")
    rated = [(p["number"], view.paragraph_statuses[p["id"]]) for p in paragraph_list
             if p["id"] in view.paragraph_statuses]
    if rated:
        st.markdown("**" + _("Status per operative paragraph") + "**")
        st.text("\n".join(f"{number}: {_(status)}" for number, status in rated))


def show_sources(selectable: bool) -> None:
    st.markdown("**" + (_("Activity Reports received in {year}").format(year=year) if selectable
                        else _("Activity Reports cited")) + "**")
    shown = candidates if selectable else candidates[candidates["id"].isin(view.data.source_ids)]
    if shown.empty:
        st.caption(_("None received this year.") if selectable else _("No Activity Report cited."))
        return
    if selectable:
        st.caption(_("Tick the reports this Progress Report draws on. Their components are added to "
                     "'Components involved'. Publication locks the cited reports."))
    may_return = return_report.returnable(actor=actor, report_ids=tuple(int(i) for i in shown["id"]))
    for row in shown.itertuples():
        with st.container(border=True):
            label = f"{row.title} ({row.component})"
            if selectable:
                st.checkbox(escape_md(label), key=key(f"src_{row.id}"), on_change=sources_changed)
            else:
                st.markdown(f":material/check_box: {escape_md(label)}")
            period = f"{fmt_date(row.start)} – {fmt_date(row.end)}" if pd.notna(row.start) else _("no period given")
            returned = " · " + _("returned to its author") if row.state == "returned" else ""
            status = locales.translate(row.action_status) if row.action_status else _("No action status")
            st.caption(_("{status} · {period} · submitted {date}").format(
                status=status, period=period, date=fmt_date(row.submitted_at)) + returned)
            with st.expander(_("What was reported")):
                for label, text in ((_("Description"), row.description), (_("Results"), row.results),
                                    (_("Challenges"), row.challenges)):
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
        unsaved.note(restored)
        for f in pr.FIELDS:  # in the spec's order; the sources are ticked on the right
            if f.name == "source_ids":
                continue
            label = _(f.label)
            help_text = report_form.help_text(f) if f.kind is not Kind.TEXT else (_(f.help) if f.help else "")
            if f.kind is Kind.TEXT:
                st.text_area(label, key=KEYS[f.name], height=HEIGHTS.get(f.name, 100), max_chars=f.limit,
                             placeholder=report_form.placeholder(f), help=help_text or None)
            elif f.name == "status":
                st.radio(label, f.options, key=KEYS[f.name], help=help_text, format_func=locales.translate,
                         captions=[_(vocab.IMPLEMENTATION_STATUS_HELP[s]) for s in f.options])
            elif f.name == "language":
                st.radio(label, f.options, key=KEYS[f.name], help=help_text, horizontal=True,
                         format_func=vocab.LANGUAGE_LABELS.get)
            elif f.name == "component_ids":
                st.multiselect(label, list(components["id"]), key=KEYS[f.name], placeholder=_("Choose one or more"),
                               format_func=lambda c: component_names.get(c, str(c)), help=help_text)
            elif f.kind is Kind.CHOICES:
                st.multiselect(label, f.options, key=KEYS[f.name], help=help_text, format_func=locales.translate,
                               placeholder=_("Choose one or more"))  # not Streamlit's English "Choose options"
            field_errors(f.name)
        field_errors("source_ids")
        if paragraph_list:
            st.markdown("**" + _("Status per operative paragraph (optional)") + "**")
            st.caption(_("The Resolution's status is the one chosen above; give a paragraph a status only "
                         "where you can tell it apart."))
            for paragraph in paragraph_list:
                st.selectbox(_("Paragraph {number}").format(number=paragraph["number"]),
                             list(vocab.IMPLEMENTATION_STATUSES), key=key(f"para_{paragraph['id']}"),
                             index=None, placeholder=_("No status for this paragraph"),
                             format_func=STATUS_NAMES.get, help=paragraph["text"][:300])
            field_errors("paragraph_statuses")
        buttons = st.columns(2)
        buttons[0].form_submit_button(_("Save draft"), icon=":material/save:", on_click=save, args=(False,),
                                      width="stretch")
        buttons[1].form_submit_button(_("Submit for review"), type="primary", icon=":material/send:", on_click=save,
                                      args=(True,), width="stretch")
    unsaved.track(P, actor.id, (code, year), WIDGETS)
else:
    left, right = st.columns([3, 2], gap="large")
    with left:
        if view.id is None:
            st.info(_("No Progress Report on {year} yet. Only the focal points of this Resolution (and the "
                      "Secretariat) can write it.").format(year=year), icon=":material/info:")
        else:
            if view.state == "in_review" and not view.may_review:
                st.info(_("Submitted: waiting for the Secretariat's review."), icon=":material/hourglass_top:")
            show_content()
    with right:
        if view.id is not None:
            show_sources(selectable=False)

# -- review and correction --------------------------------------------------------------------------------
if view.may_review:
    st.divider()
    st.subheader(_("Review"), anchor=False)
    publish_col, return_col = st.columns([1, 2], gap="large")
    with publish_col:
        n_sources = len(view.data.source_ids)
        st.caption(ngettext("Publishing makes this report the Resolution's status for the year and locks the "
                            "{n} Activity Report it cites.",
                            "Publishing makes this report the Resolution's status for the year and locks the "
                            "{n} Activity Reports it cites.", n_sources).format(n=n_sources))
        published_text = _("Published: {code} is now shown as {status} for {year}.").format(
            code=escape_md(code), status=locales.translate(view.data.status), year=year)
        st.button(_("Publish"), type="primary", icon=":material/publish:", key=key("publish"),
                  on_click=act, args=(pr.publish, published_text),
                  kwargs={"report_id": view.id, "version": view.version})
    with return_col, st.form(key("return_form"), border=True):
        st.text_area(_("Comment for the focal point"), key=key("comment"), max_chars=pr.LIMITS["comment"],
                     placeholder=_("What should be changed or added before publication?"))
        field_errors("comment")
        st.form_submit_button(_("Return with comment"), icon=":material/undo:", on_click=lambda: act(
            pr.return_to_draft, _("Returned to the focal point with your comment."), report_id=view.id,
            version=view.version, comment=ss.get(key("comment"), "")))

if view.state == "published" and view.may_write:
    st.divider()
    st.caption(_("A published report is never changed in place: a correction makes a new version, and the "
                 "published one stays visible until the correction is published."))
    st.button(_("Start a correction"), icon=":material/history_edu:", key=key("correct"), on_click=act,
              args=(pr.start_correction, _("Correction started: edit the report below, then submit it for review.")),
              kwargs={"report_id": view.id, "version": view.version})

# -- comments and history ---------------------------------------------------------------------------------
if view.id is not None:
    with session() as s:
        history = pr.history(session=s, actor=actor, report_id=view.id) if view.participant else None
        revisions = pr.revisions(session=s, report_id=view.id)
    if view.comments:
        with st.expander(_("Review comments ({n})").format(n=len(view.comments)), icon=":material/forum:"):
            for note in view.comments:
                st.markdown(f"**{escape_md(note['by'])}** · {fmt_date(note['at'])}")
                st.text(note["body"])
    with st.expander(_("History"), icon=":material/history:"):
        if not revisions.empty:
            st.markdown("**" + _("Published versions") + "**")
            st.dataframe(revisions.assign(published_at=revisions["published_at"].map(fmt_date),
                                          status=revisions["status"].map(locales.translate)), hide_index=True,
                         width="stretch", column_config={
                             "revision": _("Revision"), "status": _("Status"), "published_at": _("Published on"),
                             "published_by": _("Published by"), "changes": _("What changed")})
        if history is not None:  # every draft change: for the focal points and the Secretariat only
            st.markdown("**" + _("Every change") + "**")
            st.dataframe(history.assign(at=history["at"].map(lambda t: locales.format_datetime(t, "short"))),
                         hide_index=True, width="stretch", column_config={
                             "at": _("When"), "who": _("Who"), "what": _("What"),
                             "details": st.column_config.TextColumn(_("Details"), width="large")})
