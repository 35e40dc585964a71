"""Report an activity: one form for a new Activity Report, a draft or a returned one (?id=N), or a new
report started from an earlier one (?from=N). Nothing typed is lost: the fields live in session state,
and errors, conflicts and refusals are shown above or next to the fields, never by clearing them."""

from datetime import date

import streamlit as st

from db import vocab
from db.countries import COUNTRIES
from db.engine import transaction
from services import activity_reports as ar
from services.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from ui import activity_readers as readers
from ui import url_state
from ui.auth import signed_in_actor
from ui.data import data_version, engine
from ui.format import escape_md, fmt_date

actor = signed_in_actor()
version = data_version()

# form field -> session-state key of its widget
KEYS = {
    "component_id": "ar_component", "resolution_ids": "ar_resolutions", "title": "ar_title",
    "description": "ar_description", "action_types": "ar_action_types", "action_status": "ar_action_status",
    "period_start": "ar_start", "period_end": "ar_end", "scope_global": "ar_global",
    "scope_regions": "ar_regions", "scope_countries": "ar_countries", "partners": "ar_partners",
    "results": "ar_results", "challenges": "ar_challenges", "support_needed": "ar_support", "links": "ar_links",
}
DATE_RANGE = (date(1990, 1, 1), date(date.today().year + 10, 12, 31))


def _param_int(name: str) -> int | None:
    """?id= (the report to edit) or ?from= (the report to start from): an id, or None (with a notice)."""
    return url_state.read_id(name, label="report to edit" if name == "id" else "report to start from")


def _fill(data: ar.ActivityInput) -> None:
    """Put a report's content into the widgets."""
    for name, key in KEYS.items():
        value = getattr(data, name)
        st.session_state[key] = "\n".join(value) if name == "links" else value


def _form_input() -> ar.ActivityInput:
    values = {name: st.session_state.get(key) for name, key in KEYS.items()}
    values["links"] = (values["links"] or "").splitlines()
    for name in ("resolution_ids", "action_types", "scope_regions", "scope_countries"):
        values[name] = list(values[name] or [])
    values["scope_global"] = bool(values["scope_global"])
    for name in ar.TEXT_FIELDS:
        values[name] = values[name] or ""
    return ar.ActivityInput(**values)


def _start_new(components: list[tuple[int, str]]) -> None:
    _fill(ar.ActivityInput(component_id=components[0][0] if len(components) == 1 else None))
    st.session_state.update(ar_report_id=None, ar_version=None, ar_view=None)


def _save(submit: bool) -> None:
    """Form button callback: runs before the page, so messages appear next to the fields."""
    st.session_state.update(ar_errors={}, ar_problem=None, ar_flash=None)
    data = _form_input()
    report_id = st.session_state.get("ar_report_id")
    try:
        with transaction(engine()) as s:
            action = ar.submit if submit else ar.save_draft
            saved = action(session=s, actor=actor, data=data, report_id=report_id,
                           version=st.session_state.get("ar_version"))
            saved_id, saved_version = saved.id, saved.version
    except ValidationFailed as failed:
        errors: dict[str, list[str]] = {}
        for e in failed.errors:
            errors.setdefault(e.field, []).append(e.message)
        st.session_state["ar_errors"] = errors
        return
    except ConflictError as conflict:
        st.session_state["ar_problem"] = ("conflict", str(conflict))
        return
    except (PermissionDenied, NotFound) as refused:
        st.session_state["ar_problem"] = ("refused", str(refused))
        return
    if submit:
        st.session_state["ar_flash"] = ("submitted", saved_id, data.title, data.resolution_ids)
        st.query_params.clear()
        st.session_state["ar_source"] = ("new",)
        _start_new(readers.reporting_components(data_version(), actor))
    else:
        st.session_state["ar_flash"] = ("draft", saved_id, data.title, data.resolution_ids)
        st.session_state.update(ar_report_id=saved_id, ar_version=saved_version)
        st.query_params.clear()
        st.query_params["id"] = str(saved_id)
        st.session_state["ar_source"] = ("id", saved_id)


def _reload() -> None:
    st.session_state["ar_source"] = None
    st.session_state["ar_problem"] = None


def _field_errors(name: str) -> None:
    for message in st.session_state.get("ar_errors", {}).get(name, []):
        st.error(message, icon=":material/error:")


def _limit(name: str) -> str:
    return f"At most {ar.LIMITS[name]:,} characters."


st.title(":material/edit_note: Report an activity")

components = readers.reporting_components(version, actor)
if not components:
    st.warning("You are not attached to any IUCN component, so there is nothing to report for. "
               "Ask the Secretariat to add you to your component.", icon=":material/group_off:")
    st.stop()

# -- which report the form holds ------------------------------------------------------------------------
edit_id, from_id = _param_int("id"), _param_int("from")
url_state.show_notices()
source = ("id", edit_id) if edit_id else ("from", from_id) if from_id else ("new",)
if st.session_state.get("ar_source") != source or KEYS["title"] not in st.session_state:
    st.session_state.update(ar_errors={}, ar_problem=None)
    try:
        if edit_id:
            view = readers.report(version, actor, edit_id)
            _fill(view.data)
            st.session_state.update(ar_report_id=view.id, ar_version=view.version, ar_view=view)
        elif from_id:
            _fill(readers.prefill_from(version, actor, from_id))
            st.session_state.update(ar_report_id=None, ar_version=None, ar_view=None, ar_from=from_id)
        else:
            _start_new(components)
    except (NotFound, PermissionDenied):
        st.error("This report does not exist or is not yours to see. Drafts are visible only to the focal "
                 "points of the component that wrote them.", icon=":material/block:")
        st.page_link("pages/my_reports.py", label="Go to My reports", icon=":material/folder_shared:")
        st.session_state["ar_source"] = None
        st.stop()
    st.session_state["ar_source"] = source

flash = st.session_state.pop("ar_flash", None)
if flash:
    kind, saved_id, title, resolution_ids = flash
    # A toast too: after clicking at the bottom of a long form, the message at the top is out of sight.
    st.toast("Report submitted. Thank you!" if kind == "submitted" else "Draft saved.",
             icon=":material/check_circle:")
    options = readers.resolution_options(data_version(), tuple(resolution_ids))
    codes = list(options[options["id"].isin(resolution_ids)]["code"])
    if kind == "submitted":
        st.success(f"Thank you: your report \"{escape_md(title)}\" is submitted. The Secretariat focal points "
                   "of its Resolutions can now draw on it.", icon=":material/check_circle:")
        cols = st.columns(min(len(codes), 3) + 1)
        cols[0].page_link("pages/my_reports.py", label="My reports", icon=":material/folder_shared:")
        for i, code in enumerate(codes):
            cols[1 + i % 3].page_link("pages/resolution.py", label=code, query_params={"code": code},
                                      icon=":material/description:")
    else:
        st.success("Draft saved. Only the focal points of your component can see it; finish and submit it "
                   "when ready.", icon=":material/save:")

view: ar.ReportView | None = st.session_state.get("ar_view")
if view is not None:
    if not view.editable:
        why = ("it is cited by a published Progress Report; open My reports and choose "
               "'Correct (new version)' to change it" if view.locked else
               "it is submitted; withdraw it in My reports to change it" if view.state == "submitted" else
               "only the focal points of its component may change it")
        st.info(f"Report {view.id} cannot be edited here: {why}.", icon=":material/lock:")
        st.markdown(f"**{escape_md(view.data.title)}** · {escape_md(view.component)} · "
                    f"{escape_md(', '.join(view.resolution_codes))}")
        st.text(view.data.description)
        st.page_link("pages/my_reports.py", label="Go to My reports", icon=":material/folder_shared:")
        st.stop()
    label = {"draft": "a draft", "returned": "a report returned to you"}[view.state]
    st.caption(f"Editing {label} (report {view.id}, {escape_md(view.component)}, "
               f"last saved {fmt_date(view.updated_at)}).")
    if view.return_comment:
        c = view.return_comment
        st.warning(f"**Returned by {escape_md(c['by'])} on {fmt_date(c['at'])}:** {escape_md(c['body'])}",
                   icon=":material/reply:")
    if view.supersedes_id:
        st.caption(f"This corrects report {view.supersedes_id}, which stays as it was cited.")
elif source[0] == "from":
    st.info(f"Started from report {from_id}: check every field, and give this year's dates.",
            icon=":material/content_copy:")
else:
    st.caption("Tell IUCN what your component did to implement one or more Resolutions. "
               "Fields marked * are needed to submit; to save a draft, a Resolution and a title are enough.")

problem = st.session_state.get("ar_problem")
if problem:
    kind, message = problem
    st.error(escape_md(message), icon=":material/sync_problem:" if kind == "conflict" else ":material/block:")
    st.toast("Not saved: see the message at the top of the form.", icon=":material/warning:")
    if kind == "conflict":
        st.button("Discard my changes and load the saved version", on_click=_reload,
                  icon=":material/refresh:")
errors = st.session_state.get("ar_errors", {})
if errors:
    count = sum(len(v) for v in errors.values())
    st.toast(f"Not saved yet: {count} field{'s' if count > 1 else ''} to correct, marked in red.",
             icon=":material/error:")
    st.error(f"Please correct {'this problem' if count == 1 else f'these {count} problems'} "
             "(shown next to each field). Nothing you typed was lost.", icon=":material/error:")

# -- the form ---------------------------------------------------------------------------------------
chosen = tuple(st.session_state.get(KEYS["resolution_ids"]) or ())
options = readers.resolution_options(version, chosen, st.session_state.get("ar_find", "").strip())
labels = {r.id: f"{r.code} · {r.title if len(r.title) <= 90 else r.title[:88] + '…'}"
          for r in options.itertuples()}
component_names = dict(components)

main, side = st.columns([5, 2], gap="large")
with side:
    with st.container(border=True):
        st.markdown("**How it works**")
        st.markdown(
            "- **Save draft** any time: a Resolution and a title are enough. Drafts stay with your component.\n"
            "- **Submit** when complete: the Secretariat focal points of the Resolutions see it and may "
            "return it with a comment.\n"
            "- Next year, open **My reports** and *start a new report from this one*: only the dates and "
            "news to add.\n"
            "- Once a published Progress Report cites your report, it is kept as cited; corrections make "
            "a new version.")
with main:
    with st.container(border=True):
        # Outside the form, so the Resolution list follows the search words at once.
        st.subheader("What it is about", anchor=False)
        if len(components) > 1 or st.session_state.get(KEYS["component_id"]) not in component_names:
            st.selectbox("Reporting for *", list(component_names), key=KEYS["component_id"],
                         format_func=component_names.get, placeholder="Choose your component",
                         help="You belong to several components: choose the one this report is from.")
        else:
            st.caption(f"Reporting for **{escape_md(component_names[st.session_state[KEYS['component_id']]])}**")
        _field_errors("component_id")
        find, pick = st.columns([1, 2])
        find.text_input("Find Resolutions", key="ar_find", placeholder="Words of the title, any order",
                        help="Narrows the list to Resolutions whose code or title holds every word.")
        pick.multiselect("Resolutions concerned *", list(labels), key=KEYS["resolution_ids"],
                         format_func=labels.get,
                         placeholder="Choose one or more (type a code such as WCC-2020-Res-001)",
                         help="The latest Congress comes first. Archived Resolutions are not listed.")
        _field_errors("resolution_ids")

    with st.form("activity_report", enter_to_submit=False):
        st.subheader("The activity", anchor=False)
        st.text_input("Title *", key=KEYS["title"],
                      placeholder="e.g. Training reef managers in the Coral Triangle",
                      help=f"A short name for the activity. {_limit('title')}")
        _field_errors("title")
        st.text_area("Description *", key=KEYS["description"], height=120,
                     placeholder="What was done, by whom, for whom.", help=_limit("description"))
        _field_errors("description")

        left, right = st.columns([1, 1])
        with left:
            st.multiselect("Action types *", list(vocab.ACTION_TYPES), key=KEYS["action_types"],
                           placeholder="Choose one or more")
            _field_errors("action_types")
        with right:
            st.radio("Action status *", list(vocab.ACTION_STATUSES), key=KEYS["action_status"], horizontal=True)
            _field_errors("action_status")
        left, right = st.columns(2)
        with left:
            st.date_input("Start date *", key=KEYS["period_start"], min_value=DATE_RANGE[0],
                          max_value=DATE_RANGE[1], format="DD/MM/YYYY")
            _field_errors("period_start")
        with right:
            st.date_input("End date", key=KEYS["period_end"], min_value=DATE_RANGE[0], max_value=DATE_RANGE[1],
                          format="DD/MM/YYYY",
                          help="Needed when the action is completed; leave empty if not known.")
            _field_errors("period_end")

        st.subheader("Where *", anchor=False)
        st.checkbox("Global (worldwide)", key=KEYS["scope_global"])
        left, right = st.columns(2)
        with left:
            st.multiselect("IUCN regions", list(vocab.IUCN_REGIONS), key=KEYS["scope_regions"],
                           placeholder="Choose regions")
        with right:
            st.multiselect("Countries", list(COUNTRIES), key=KEYS["scope_countries"],
                           placeholder="Choose countries")
        _field_errors("scope")

        st.subheader("Partners, results and needs", anchor=False)
        left, right = st.columns(2)
        with left:
            st.text_area("Partners", key=KEYS["partners"], height=100, help=_limit("partners"),
                         placeholder="Organisations you worked with")
            _field_errors("partners")
            st.text_area("Challenges", key=KEYS["challenges"], height=100, help=_limit("challenges"),
                         placeholder="What slowed the work down")
            _field_errors("challenges")
        with right:
            st.text_area("Results", key=KEYS["results"], height=100, help=_limit("results"),
                         placeholder="What changed, with figures where you have them")
            _field_errors("results")
            st.text_area("Support needed", key=KEYS["support_needed"], height=100, help=_limit("support_needed"),
                         placeholder="What IUCN could do to help")
            _field_errors("support_needed")
        st.text_area("Links", key=KEYS["links"], height=80, placeholder="https://…  (one per line)",
                     help="Web pages, publications or photos: one address per line, "
                          f"at most {ar.LIMITS['links']}.")
        _field_errors("links")

        left, right, _ = st.columns([1, 1, 2])
        left.form_submit_button("Submit", type="primary", icon=":material/send:", on_click=_save, args=(True,),
                                width="stretch")
        right.form_submit_button("Save draft", icon=":material/save:", on_click=_save, args=(False,),
                                 width="stretch")
