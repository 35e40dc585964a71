"""The 'Report an activity' page, driven with AppTest on a copy of the demo data, for every role."""

from datetime import date

import pytest
from sqlmodel import Session, func, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    Component,
    Resolution,
    User,
    UserComponent,
)
from services import activity_reports
from tests.factories import actor
from tests.pages.apptest import open_page, reachable, siblings_of
from ui.format import escape_md

PAGE = "pages/report_activity.py"


def db(app_db) -> Session:
    return Session(make_engine(app_db), expire_on_commit=False)


def ids_of(app_db, *codes) -> list[int]:
    with db(app_db) as s:
        found = {code: rid for rid, code in s.exec(select(Resolution.id, Resolution.code)
                                                   .where(Resolution.code.in_(codes)))}
    return [found[c] for c in codes]


def components_of(app_db, username) -> set[int]:
    with db(app_db) as s:
        return set(s.exec(select(UserComponent.component_id).join(User).where(User.username == username)))


def report_where(app_db, username, state, mine=True) -> ActivityReport:
    """A demo report in `state` of one of `username`'s components (or, mine=False, of another one)."""
    comps = components_of(app_db, username)
    with db(app_db) as s:
        query = select(ActivityReport).where(ActivityReport.state == state)
        query = query.where(ActivityReport.component_id.in_(comps) if mine
                            else ActivityReport.component_id.not_in(comps))
        return s.exec(query.order_by(ActivityReport.id)).first()


def button(at, label):
    return next(b for b in at.button if b.label == label)


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("error", "success", "warning", "info", "caption", "markdown")
                     for e in getattr(at, kind))


def fill_valid(at, app_db) -> list[int]:
    res = ids_of(app_db, "WCC-2020-Res-001", "WCC-2025-Res-002")
    comps = components_of(app_db, "reporter")
    if at.selectbox:
        at.selectbox(key="ar_component").set_value(min(comps))
    at.multiselect(key="ar_resolutions").set_value(res)
    at.text_input(key="ar_title").input("Reef managers trained")
    at.text_area(key="ar_description").input("Three workshops for 60 reef managers.")
    at.multiselect(key="ar_action_types").set_value(["Capacity-building", "Field activities"])
    at.radio(key="ar_action_status").set_value("Completed")
    at.date_input(key="ar_start").set_value(date(2025, 3, 1))
    at.date_input(key="ar_end").set_value(date(2025, 6, 30))
    at.checkbox(key="ar_global").uncheck()
    at.multiselect(key="ar_regions").set_value(["Oceania"])
    at.multiselect(key="ar_countries").set_value(["Fiji", "Samoa"])
    at.text_area(key="ar_partners").input("Fiji Ministry of Fisheries")
    at.text_area(key="ar_results").input("60 managers trained")
    at.text_area(key="ar_challenges").input("Travel costs")
    at.text_area(key="ar_support").input("A trainer in French")
    at.text_area(key="ar_links").input("https://example.org/a\n\nhttps://example.org/b\n")
    return res


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat"])
def test_a_valid_submission_lands_in_the_database_with_every_field(app_db, user):
    at = open_page(PAGE, user)
    assert not at.exception
    assert at.title[0].value.endswith("Report an activity")
    res = ids_of(app_db, "WCC-2020-Res-001", "WCC-2025-Res-002")
    comps = components_of(app_db, user)
    if len(comps) > 1:
        at.selectbox(key="ar_component").set_value(min(comps))
    else:
        assert "Reporting for" in texts(at)
    fill_valid(at, app_db)
    button(at, "Submit").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "is submitted" in at.success[0].value
    with db(app_db) as s:
        author = s.exec(select(User).where(User.username == user)).one()
        row = s.exec(select(ActivityReport).where(ActivityReport.author_id == author.id)
                     .order_by(ActivityReport.id.desc())).first()
        assert (row.title, row.state, row.component_id) == ("Reef managers trained", "submitted", min(comps))
        assert row.description == "Three workshops for 60 reef managers."
        assert (row.action_status, row.period_start, row.period_end) == ("Completed", date(2025, 3, 1),
                                                                         date(2025, 6, 30))
        assert (row.scope_global, row.scope_regions, row.scope_countries) == (False, ["Oceania"], ["Fiji", "Samoa"])
        assert (row.partners, row.results, row.challenges, row.support_needed) == (
            "Fiji Ministry of Fisheries", "60 managers trained", "Travel costs", "A trainer in French")
        assert row.links == ["https://example.org/a", "https://example.org/b"]
        assert set(s.exec(select(ActivityReportResolution.resolution_id)
                          .where(ActivityReportResolution.activity_report_id == row.id))) == set(res)
        assert set(s.exec(select(ActivityReportActionType.action_type)
                          .where(ActivityReportActionType.activity_report_id == row.id))) == {
            "Capacity-building", "Field activities"}
    # after submitting, the form is empty for the next report and links lead on
    assert at.text_input(key="ar_title").value == ""
    assert {link.label for link in at.get("page_link")} >= {"My reports", "WCC-2020-Res-001", "WCC-2025-Res-002"}


def test_admin_may_report_for_any_component(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    with db(app_db) as s:
        count = len(s.exec(select(Component.id)).all())
    assert len(at.selectbox(key="ar_component").options) == count


def test_leader_cannot_reach_the_page(app_db):
    assert not reachable(PAGE, "leader")
    assert reachable(PAGE, "reporter")


def test_an_invalid_submission_shows_each_message_and_keeps_the_input(app_db):
    at = open_page(PAGE, "reporter")
    fill_valid(at, app_db)
    at.text_area(key="ar_description").input("")
    at.date_input(key="ar_start").set_value(date(2025, 7, 1))
    at.date_input(key="ar_end").set_value(date(2025, 6, 30))
    at.text_area(key="ar_links").input("www.example.org")
    at.text_area(key="ar_results").input("x" * 3001)
    at.multiselect(key="ar_regions").set_value([])
    at.multiselect(key="ar_countries").set_value([])
    button(at, "Submit").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "Please correct these 5 problems" in errors[0]
    for expected in ("Describe what was done.", "The end date is before the start date.",
                     "Line 1 is not a web address starting with http:// or https://.",
                     "Too long: 3,001 characters, at most 3,000. Please shorten it.",
                     "Tick 'Global', or choose at least one region or country."):
        assert escape_md(expected) in errors  # user text may be quoted: every message is Markdown-escaped
    assert at.text_input(key="ar_title").value == "Reef managers trained"
    assert at.text_area(key="ar_results").value == "x" * 3001
    assert at.text_area(key="ar_links").value == "www.example.org"
    assert at.date_input(key="ar_start").value == date(2025, 7, 1)
    assert at.radio(key="ar_action_status").value == "Completed"
    with db(app_db) as s:
        assert s.exec(select(ActivityReport).where(ActivityReport.title == "Reef managers trained")).first() is None


def test_completed_in_the_future_is_refused(app_db):
    at = open_page(PAGE, "reporter")
    fill_valid(at, app_db)
    at.date_input(key="ar_end").set_value(date(date.today().year + 1, 1, 1))
    button(at, "Submit").click().run()
    assert escape_md("A completed action cannot end in the future: check the end date or the status.") in \
        [e.value for e in at.error]


def test_a_draft_needs_only_a_resolution_and_a_title_and_stays_editable(app_db):
    at = open_page(PAGE, "reporter")
    at.selectbox(key="ar_component").set_value(min(components_of(app_db, "reporter")))
    at.multiselect(key="ar_resolutions").set_value(ids_of(app_db, "WCC-2025-Res-010"))
    at.text_input(key="ar_title").input("Half-written idea")
    button(at, "Save draft").click().run()
    assert not at.exception and not at.error
    assert "Draft saved" in at.success[0].value
    with db(app_db) as s:
        draft = s.exec(select(ActivityReport).where(ActivityReport.title == "Half-written idea")).one()
        assert draft.state == "draft"
    assert at.query_params["id"] == str(draft.id)
    at.text_input(key="ar_title").input("Better idea")
    button(at, "Save draft").click().run()
    assert not at.error
    with db(app_db) as s:
        again = s.get(ActivityReport, draft.id)
        assert (again.title, again.version) == ("Better idea", 2)


def test_a_reporter_cannot_open_or_change_another_components_draft(app_db):
    other = report_where(app_db, "reporter", "draft", mine=False)
    at = open_page(PAGE, "reporter", {"id": str(other.id)})
    assert not at.exception
    assert "not yours to see" in at.error[0].value
    assert not at.text_input and not [b for b in at.button if b.key != "sign_out"]  # no form (signing out is)
    with db(app_db) as s:
        assert s.get(ActivityReport, other.id).version == other.version


def test_a_submitted_report_of_another_component_is_shown_read_only(app_db):
    other = report_where(app_db, "reporter", "submitted", mine=False)
    at = open_page(PAGE, "reporter", {"id": str(other.id)})
    assert not at.exception
    assert "cannot be edited here" in at.info[0].value
    assert not at.text_input


def test_the_author_edits_a_returned_report_sees_the_comment_and_resubmits(app_db):
    returned = report_where(app_db, "reporter", "returned")
    at = open_page(PAGE, "reporter", {"id": str(returned.id)})
    assert not at.exception
    assert "Could you add the number of people trained" in at.warning[0].value
    assert at.text_input(key="ar_title").value == returned.title
    at.text_area(key="ar_results").input("45 people trained with two partner organisations")
    at.text_area(key="ar_description").input(returned.description + " Figures added.")
    button(at, "Submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with db(app_db) as s:
        row = s.get(ActivityReport, returned.id)
        assert (row.state, row.results) == ("submitted", "45 people trained with two partner organisations")


def test_start_from_an_earlier_report_prefills_and_clears_dates(app_db):
    earlier = report_where(app_db, "reporter", "submitted")
    with db(app_db) as s:
        before = len(s.exec(select(ActivityReport.id).where(ActivityReport.title == earlier.title)).all())
    at = open_page(PAGE, "reporter", {"from": str(earlier.id)})
    assert not at.exception
    assert f"Started from report {earlier.id}" in at.info[0].value
    assert at.text_input(key="ar_title").value == earlier.title
    assert at.date_input(key="ar_start").value is None and at.date_input(key="ar_end").value is None
    at.date_input(key="ar_start").set_value(date(2026, 2, 1))
    at.radio(key="ar_action_status").set_value("On-going")
    button(at, "Submit").click().run()
    assert not at.error, [e.value for e in at.error]
    with db(app_db) as s:
        rows = s.exec(select(ActivityReport).where(ActivityReport.title == earlier.title)).all()
        [new] = [r for r in rows if r.period_start == date(2026, 2, 1)]
        assert len(rows) == before + 1 and new.id != earlier.id and new.state == "submitted"
        assert (new.description, new.component_id) == (earlier.description, earlier.component_id)


def test_a_concurrent_edit_is_refused_and_the_users_text_is_kept(app_db):
    draft = report_where(app_db, "reporter", "draft")
    at = open_page(PAGE, "reporter", {"id": str(draft.id)})
    with db(app_db) as s:  # a colleague of the same component saves first
        colleague = actor(s, s.exec(select(User).where(User.username == "reporter")).one())
        data = activity_reports.get_report(session=s, actor=colleague, report_id=draft.id).data
        data.title = "Colleague's title"
        activity_reports.save_draft(session=s, actor=colleague, data=data, report_id=draft.id,
                                    version=draft.version)
        s.commit()
    at.text_input(key="ar_title").input("My careful title")
    button(at, "Save draft").click().run()
    assert not at.exception
    assert "Someone else saved this report" in at.error[0].value
    assert at.text_input(key="ar_title").value == "My careful title"
    with db(app_db) as s:
        assert s.get(ActivityReport, draft.id).title == "Colleague's title"
    button(at, "Discard my changes and load the saved version").click().run()
    assert at.text_input(key="ar_title").value == "Colleague's title"


@pytest.mark.parametrize("title", ["Reef\x00 managers trained", "Reef\x0bmanagers trained"],
                         ids=["NUL", "vertical tab"])
def test_a_control_character_in_the_title_is_shown_next_to_the_title_and_the_input_is_kept(app_db, title):
    """Issue 12: a NUL (a raw DataError on PostgreSQL) or a vertical tab (which broke the My reports workbook)
    is refused with a message right under the title; every other field keeps what was typed; nothing is saved."""
    at = open_page(PAGE, "reporter")
    fill_valid(at, app_db)
    at.text_input(key="ar_title").input(title)
    button(at, "Submit").click().run()
    assert not at.exception
    message = escape_md("The title contains a control character ({}); it must be one line of plain text (no line "
                        "breaks or tabs).".format("NUL" if "\x00" in title else "vertical tab"))
    assert [e.value for e in at.error][1:] == [message]
    form = siblings_of(at._tree, "ar_title")
    at_title = next(i for i, el in enumerate(form) if getattr(el, "key", None) == "ar_title")
    assert form[at_title + 1].type == "error" and form[at_title + 1].value == message  # next to the title
    assert at.text_input(key="ar_title").value == title
    assert at.text_area(key="ar_description").value == "Three workshops for 60 reef managers."
    assert at.text_area(key="ar_links").value == "https://example.org/a\n\nhttps://example.org/b\n"
    assert at.multiselect(key="ar_countries").value == ["Fiji", "Samoa"]
    with db(app_db) as s:
        saved = select(ActivityReport).where(ActivityReport.description == "Three workshops for 60 reef managers.")
        assert s.exec(saved).first() is None


def widgets(at) -> dict:
    return {w.key: w for kind in ("selectbox", "multiselect", "text_input", "text_area", "radio", "date_input",
                                  "checkbox") for w in getattr(at, kind)}


def test_every_declared_field_has_its_widget_with_the_declared_label_and_limit(app_db):
    """The form follows services/report_fields.py: a field declared there is drawn, labelled and limited."""
    at = open_page(PAGE, "reporter")  # two components: the component is chosen in a list too
    shown = widgets(at)
    for spec in activity_reports.FIELDS:
        widget = shown[f"ar_{spec.key or spec.name}"]
        assert widget.label == spec.label + (" *" if spec.needed else ""), spec.name
        if spec.limit:
            assert f"{spec.limit:,}" in widget.help, spec.name


def test_a_former_member_can_no_longer_open_the_components_draft_nor_list_its_reports(app_db):
    """Membership, not authorship: Rosa leaves the component of a draft she may have written; the draft is no
    longer hers to see, the component's submitted reports are read-only to her, My reports leaves them out."""
    draft = report_where(app_db, "reporter", "draft")
    with db(app_db) as s:
        rosa = s.exec(select(User).where(User.username == "reporter")).one()
        sent = s.exec(select(ActivityReport).where(ActivityReport.component_id == draft.component_id,
                                                   ActivityReport.state == "submitted",
                                                   ActivityReport.locked.is_(False))).first()
        s.delete(s.get(UserComponent, (rosa.id, draft.component_id)))
        s.commit()
    assert components_of(app_db, "reporter")  # she still reports for her other component
    at = open_page(PAGE, "reporter", {"id": str(draft.id)})
    assert not at.exception
    assert "not yours to see" in at.error[0].value
    assert not at.text_input and not [b for b in at.button if b.key != "sign_out"]
    at = open_page(PAGE, "reporter", {"id": str(sent.id)})
    assert not at.exception
    assert "only the focal points of its component may change it" in at.info[0].value
    assert not at.text_input
    at = open_page("pages/my_reports.py", "reporter")
    assert not at.exception
    listed = set(at.dataframe[0].value["Report"]) if at.dataframe else set()
    assert listed and not listed & {draft.id, sent.id}


@pytest.mark.parametrize("user", ["reporter", "focal"])  # two components, one component
def test_the_draft_sentence_asks_exactly_what_saving_an_empty_draft_refuses(app_db, user):
    """Issue 11, item 7: with two components a draft needs the component too, and the form says so."""
    at = open_page(PAGE, user)
    sentence = next(c.value for c in at.caption if "to save a draft" in c.value)
    button(at, "Save draft").click().run()
    shown = {e.value.replace("\\", "") for e in at.error}  # as escaped for Markdown
    messages = [f.needed for f in activity_reports.FIELDS if f.needed]
    refused = [m.rstrip(".") for m in messages if m in shown]
    assert refused
    for message in refused:  # each refusal is announced...
        assert message[0].lower() + message[1:] in sentence, (message, sentence)
    for message in set(messages) - shown:  # ...and nothing else
        assert message.rstrip(".")[1:] not in sentence, (message, sentence)
    asks_component = "choose the component you report for" in sentence
    assert asks_component == (len(components_of(app_db, user)) > 1)


def test_chosen_resolutions_and_action_types_are_listed_in_full_under_their_boxes(app_db):
    """Issue 11, item 6: the boxes cut long chips; every choice is listed, code and whole title."""
    with db(app_db) as s:
        long_ones = s.exec(select(Resolution).where(Resolution.status == "active")
                           .order_by(func.length(Resolution.title).desc()).limit(2)).all()
    at = open_page(PAGE, "reporter")
    at.multiselect(key="ar_resolutions").set_value([r.id for r in long_ones]).run()
    at.multiselect(key="ar_action_types").set_value(["Policy influencing/advocacy"]).run()
    listed = "\n".join(c.value for c in at.caption)
    for r in long_ones:
        assert len(r.title) > 90  # longer than the box's own label shows
        assert escape_md(f"{r.code} · {r.title}") in listed
    assert escape_md("Policy influencing/advocacy") in listed


def visit_another_page(at) -> None:
    """Open My reports, and drop the form's widget values as a browser session does at the end of a run that
    does not draw them (AppTest keeps them)."""
    at.switch_page("pages/my_reports.py")
    at.run()
    for name in [k for k in at.session_state if k.startswith("ar_") and k not in ("ar_source", "ar_view",
                                                                                   "ar_report_id", "ar_version")]:
        del at.session_state[name]
