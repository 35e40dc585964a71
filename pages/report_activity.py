"""Report an activity: one form for a new Activity Report, a draft or a returned one (?id=N), or a new
report started from an earlier one (?from=N). The fields live in session state (kept while the user visits other
pages: ui/unsaved.py), and errors, conflicts and refusals are shown above or next to the fields, never by
clearing them."""

from datetime import date

import streamlit as st

import locales
from db import vocab
from locales import _
from services import activity_reports as ar
from services.errors import NotFound, PermissionDenied
from services.form_fields import Kind, draft_rule
from ui import activity_readers as readers
from ui import operative_paragraphs, paragraph_readers, report_form, unsaved, url_state
from ui.auth import signed_in_actor
from ui.chosen import list_chosen
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()

F = {f.name: f for f in ar.FIELDS}  # the fields, declared once in services/report_fields.py
KEYS = report_form.keys(ar.FIELDS, "ar_")  # form field -> session-state key of its widget
# Free texts the form does not place itself go, in the spec's order, under "Partners, results and needs".
NEEDS = [f for f in ar.FIELDS if f.kind is Kind.TEXT and f.name != "description"]
DATE_RANGE = (date(1990, 1, 1), date(date.today().year + 10, 12, 31))
feedback = Feedback("activity_report", fields=(*KEYS, "scope"))  # every field has its messages under it
FORM = "activity_report"  # its unsaved input, kept across pages (ui/unsaved.py)


def _param_int(name: str) -> int | None:
    """?id= (the report to edit) or ?from= (the report to start from): an id, or None (with a notice)."""
    return url_state.read_id(name, label=_("report to edit") if name == "id" else _("report to start from"))


def _fill(data: ar.ActivityInput) -> None:
    """Put a report's content into the widgets."""
    for name, value in report_form.form_values(ar.FIELDS, data).items():
        st.session_state[KEYS[name]] = value


def _form_input() -> ar.ActivityInput:
    widgets = {name: st.session_state.get(key) for name, key in KEYS.items()}
    return ar.ActivityInput(**report_form.input_values(ar.FIELDS, widgets))


def _start_new(components: list[tuple[int, str]]) -> None:
    _fill(ar.ActivityInput(component_id=components[0][0] if len(components) == 1 else None,
                           language=locales.current()))  # the author's interface language, unless changed
    st.session_state.update(ar_report_id=None, ar_version=None, ar_view=None)


def _save(submit: bool) -> None:
    """Form button callback: runs before the page, so messages appear next to the fields."""
    st.session_state["ar_flash"] = None
    data = _form_input()
    saved = feedback.run(ar.submit if submit else ar.save_draft, actor=actor, data=data,
                         report_id=st.session_state.get("ar_report_id"), version=st.session_state.get("ar_version"))
    if saved is FAILED:
        return
    saved_id, saved_version = saved.id, saved.version
    unsaved.forget(FORM)
    if submit:
        st.session_state["ar_flash"] = ("submitted", saved_id, data.title, data.resolution_ids)
        st.query_params.clear()
        st.session_state["ar_source"] = ("new",)
        _start_new(readers.reporting_components(actor=actor))
    else:
        st.session_state["ar_flash"] = ("draft", saved_id, data.title, data.resolution_ids)
        st.session_state.update(ar_report_id=saved_id, ar_version=saved_version)
        st.query_params.clear()
        st.query_params["id"] = str(saved_id)
        st.session_state["ar_source"] = ("id", saved_id)


def _reload() -> None:
    unsaved.forget(FORM)
    st.session_state["ar_source"] = None


def _field_errors(name: str) -> None:
    feedback.field(name)


def _label(name: str) -> str:
    return report_form.label(F[name])


def _help(name: str) -> str | None:
    return report_form.help_text(F[name])


def _placeholder(name: str) -> str | None:
    return report_form.placeholder(F[name])


st.title(":material/edit_note: " + _("Report an activity"))

components = readers.reporting_components(actor=actor)
if not components:
    st.warning(_("You are not attached to any IUCN component, so there is nothing to report for. "
                 "Ask the Secretariat to add you to your component."), icon=":material/group_off:")
    st.stop()
# What a draft needs, said from the rule itself; with one component the form fills that one in.
DRAFT_NEEDS = draft_rule(ar.FIELDS, filled=("component_id",) if len(components) == 1 else ())

# -- which report the form holds ------------------------------------------------------------------------
edit_id, from_id = _param_int("id"), _param_int("from")
url_state.show_notices()
source = ("id", edit_id) if edit_id else ("from", from_id) if from_id else ("new",)
restored = st.session_state.get("ar_source") == source and unsaved.restore(FORM, actor.id, source, KEYS.values())
if st.session_state.get("ar_source") != source or KEYS["title"] not in st.session_state:
    feedback.clear()
    try:
        if edit_id:
            view = readers.report(actor=actor, report_id=edit_id)
            _fill(view.data)
            st.session_state.update(ar_report_id=view.id, ar_version=view.version, ar_view=view)
        elif from_id:
            copied = readers.prefill_from(actor=actor, report_id=from_id)
            _fill(copied)
            st.session_state[KEYS["language"]] = copied.language or locales.current()
            st.session_state.update(ar_report_id=None, ar_version=None, ar_view=None, ar_from=from_id)
        else:
            _start_new(components)
    except (NotFound, PermissionDenied):
        st.error(_("This report does not exist or is not yours to see. Drafts are visible only to the focal "
                   "points of the component that wrote them."), icon=":material/block:")
        st.page_link("pages/my_reports.py", label=_("Go to My reports"), icon=":material/folder_shared:")
        st.session_state["ar_source"] = None
        st.stop()
    st.session_state["ar_source"] = source

flash = st.session_state.pop("ar_flash", None)
if flash:
    kind, saved_id, title, resolution_ids = flash
    # A toast too: after clicking at the bottom of a long form, the message at the top is out of sight.
    st.toast(_("Report submitted. Thank you!") if kind == "submitted" else _("Draft saved."),
             icon=":material/check_circle:")
    options = readers.resolution_options(include_ids=tuple(resolution_ids))
    codes = list(options[options["id"].isin(resolution_ids)]["code"])
    if kind == "submitted":
        st.success(_("Thank you: your report \"{title}\" is submitted. The Secretariat focal points "
                     "of its Resolutions can now draw on it.").format(title=escape_md(title)),
                   icon=":material/check_circle:")
        cols = st.columns(min(len(codes), 3) + 1)
        cols[0].page_link("pages/my_reports.py", label=_("My reports"), icon=":material/folder_shared:")
        for i, code in enumerate(codes):
            cols[1 + i % 3].page_link("pages/resolution.py", label=code, query_params={"code": code},
                                      icon=":material/description:")
    else:
        st.success(_("Draft saved. Only the focal points of your component can see it; finish and submit it "
                     "when ready."), icon=":material/save:")

view: ar.ReportView | None = st.session_state.get("ar_view")
if view is not None:
    if not view.editable:
        why = (_("Report {id} cannot be edited here: only the focal points of its component may change it.")
               if not view.member else
               _("Report {id} cannot be edited here: it is cited by a published Progress Report; open My reports "
                 "and choose 'Correct (new version)' to change it.") if view.locked else
               _("Report {id} cannot be edited here: it is submitted; withdraw it in My reports to change it.")
               if view.state == "submitted" else
               _("Report {id} cannot be edited here: only the focal points of its component may change it."))
        st.info(why.format(id=view.id), icon=":material/lock:")
        st.markdown(f"**{escape_md(view.data.title)}** · {escape_md(view.component)} · "
                    f"{escape_md(', '.join(view.resolution_codes))} · "
                    f"{vocab.LANGUAGE_LABELS.get(view.data.language, view.data.language or '')}")
        st.text(view.data.description)
        st.page_link("pages/my_reports.py", label=_("Go to My reports"), icon=":material/folder_shared:")
        st.stop()
    editing = (_("Editing a draft (report {id}, {component}, last saved {date}).") if view.state == "draft" else
               _("Editing a report returned to you (report {id}, {component}, last saved {date})."))
    st.caption(editing.format(id=view.id, component=escape_md(view.component), date=fmt_date(view.updated_at)))
    if view.return_comment:
        c = view.return_comment
        st.warning(_("**Returned by {name} on {date}:** {comment}").format(
            name=escape_md(c["by"]), date=fmt_date(c["at"]), comment=escape_md(c["body"])), icon=":material/reply:")
    if view.supersedes_id:
        st.caption(_("This corrects report {id}, which stays as it was cited.").format(id=view.supersedes_id))
elif source[0] == "from":
    st.info(_("Started from report {id}: check every field, and give this year's dates.").format(id=from_id),
            icon=":material/content_copy:")
else:
    st.caption(_("Tell IUCN what your component did to implement one or more Resolutions. Fields marked * are "
                 "needed to submit; to save a draft, it is enough to {needs}.").format(needs=DRAFT_NEEDS))

# A toast too: after clicking at the bottom of a long form, the message at the top is out of sight.
feedback.summary(reload=(_("Discard my changes and load the saved version"), _reload), toast=True)

# -- the form ---------------------------------------------------------------------------------------
chosen = tuple(st.session_state.get(KEYS["resolution_ids"]) or ())
options = readers.resolution_options(include_ids=chosen, q=st.session_state.get("ar_find", "").strip())
labels = {r.id: f"{r.code} · {r.title if len(r.title) <= 90 else r.title[:88] + '…'}"
          for r in options.itertuples()}
component_names = dict(components)
full_labels = {r.id: f"{r.code} · {r.title}" for r in options.itertuples()}  # listed under the box, uncut

main, side = st.columns([5, 2], gap="large")
with side:
    with st.container(border=True):
        st.markdown("**" + _("How it works") + "**")
        st.markdown(
            _("- **Save draft** any time: it is enough to {needs}. Drafts stay with your component.\n"
              "- **Submit** when complete: the Secretariat focal points of the Resolutions see it and may "
              "return it with a comment.\n"
              "- Next year, open **My reports** and *start a new report from this one*: only the dates and "
              "news to add.\n"
              "- Once a published Progress Report cites your report, it is kept as cited; corrections make "
              "a new version.").format(needs=DRAFT_NEEDS))
with main:
    with st.container(border=True):
        # Outside the form, so the Resolution list follows the search words at once, and the choices of
        # both boxes are listed in full under them as they are made (a box cuts long chips).
        st.subheader(_("What it is about"), anchor=False)
        if len(components) > 1 or st.session_state.get(KEYS["component_id"]) not in component_names:
            st.selectbox(_label("component_id"), list(component_names), key=KEYS["component_id"],
                         format_func=component_names.get, placeholder=_("Choose your component"),
                         help=_help("component_id"))
        else:
            st.caption(_("Reporting for **{component}**").format(
                component=escape_md(component_names[st.session_state[KEYS["component_id"]]])))
        _field_errors("component_id")
        find, pick = st.columns([1, 2])
        find.text_input(_("Find Resolutions"), key="ar_find", placeholder=_("Words of the title, any order"),
                        help=_("Narrows the list to Resolutions whose code or title holds every word."))
        pick.multiselect(_label("resolution_ids"), list(labels), key=KEYS["resolution_ids"],
                         format_func=labels.get, placeholder=_placeholder("resolution_ids"),
                         help=_help("resolution_ids"))
        list_chosen(st.session_state.get(KEYS["resolution_ids"]), lambda rid: full_labels.get(rid, rid))
        _field_errors("resolution_ids")
        # The operative paragraphs of the chosen Resolutions (issue 18); picks of a Resolution no longer chosen
        # are dropped before the box is drawn, so it never holds a paragraph it does not offer.
        paragraph_rows = paragraph_readers.options(
            resolution_ids=tuple(st.session_state.get(KEYS["resolution_ids"]) or ()))
        to_whom = operative_paragraphs.addressee_label
        paragraph_labels = {int(r.id): f"{r.code} ¶ {r.number}" + (f" ({to_whom(r.addressee)})" if r.addressee else "")
                            + f" · {r.text if len(r.text) <= 80 else r.text[:78] + '…'}"
                            for r in paragraph_rows.itertuples()}
        st.session_state[KEYS["paragraph_ids"]] = [
            pid for pid in st.session_state.get(KEYS["paragraph_ids"]) or [] if pid in paragraph_labels]
        st.multiselect(_label("paragraph_ids"), list(paragraph_labels), key=KEYS["paragraph_ids"],
                       format_func=paragraph_labels.get, disabled=not paragraph_labels, help=_help("paragraph_ids"),
                       placeholder=_placeholder("paragraph_ids") if paragraph_labels else _(
                           "No operative paragraph entered for the chosen Resolutions"))
        _field_errors("paragraph_ids")
        st.multiselect(_label("action_types"), list(F["action_types"].options), key=KEYS["action_types"],
                       placeholder=_placeholder("action_types"), format_func=locales.translate)
        list_chosen(st.session_state.get(KEYS["action_types"]), locales.translate)
        _field_errors("action_types")

    with st.form("activity_report", enter_to_submit=False):
        unsaved.note(restored)
        st.subheader(_("The activity"), anchor=False)
        st.text_input(_label("title"), key=KEYS["title"], placeholder=_placeholder("title"), help=_help("title"))
        _field_errors("title")
        st.text_area(_label("description"), key=KEYS["description"], height=120,
                     placeholder=_placeholder("description"), help=_help("description"))
        _field_errors("description")

        st.radio(_label("action_status"), list(F["action_status"].options), key=KEYS["action_status"],
                 horizontal=True, format_func=locales.translate)
        _field_errors("action_status")
        left, right = st.columns(2)
        with left:
            st.date_input(_label("period_start"), key=KEYS["period_start"], min_value=DATE_RANGE[0],
                          max_value=DATE_RANGE[1], format="DD/MM/YYYY")
            _field_errors("period_start")
        with right:
            st.date_input(_label("period_end"), key=KEYS["period_end"], min_value=DATE_RANGE[0],
                          max_value=DATE_RANGE[1], format="DD/MM/YYYY", help=_help("period_end"))
            _field_errors("period_end")

        st.subheader(_("Where") + " *", anchor=False)
        st.checkbox(_label("scope_global"), key=KEYS["scope_global"])
        left, right = st.columns(2)
        with left:
            st.multiselect(_label("scope_regions"), list(F["scope_regions"].options), key=KEYS["scope_regions"],
                           placeholder=_placeholder("scope_regions"), format_func=locales.translate)
        with right:
            st.multiselect(_label("scope_countries"), list(F["scope_countries"].options),
                           key=KEYS["scope_countries"], placeholder=_placeholder("scope_countries"),
                           format_func=report_form.country_name)
        _field_errors("scope")

        st.subheader(_("Partners, results and needs"), anchor=False)
        columns = st.columns(2)
        for i, text in enumerate(NEEDS):  # left, right, left...: Partners | Results, Challenges | Support
            with columns[i % 2]:
                st.text_area(_label(text.name), key=KEYS[text.name], height=100, help=_help(text.name),
                             placeholder=report_form.placeholder(text))
                _field_errors(text.name)
        st.text_area(_label("links"), key=KEYS["links"], height=80, placeholder=_placeholder("links"),
                     help=_help("links"))
        _field_errors("links")
        st.checkbox(_label("shown_publicly"), key=KEYS["shown_publicly"], help=_help("shown_publicly"))
        st.radio(_label("language"), list(F["language"].options), key=KEYS["language"], horizontal=True,
                 format_func=vocab.LANGUAGE_LABELS.get, help=_help("language"))
        _field_errors("language")

        left, right, _rest = st.columns([1, 1.4, 1.6])  # "Enregistrer le brouillon" / "Guardar borrador" fit
        left.form_submit_button(_("Submit"), type="primary", icon=":material/send:", on_click=_save, args=(True,),
                                width="stretch")
        right.form_submit_button(_("Save draft"), icon=":material/save:", on_click=_save, args=(False,),
                                 width="stretch")
unsaved.track(FORM, actor.id, source, KEYS.values())
