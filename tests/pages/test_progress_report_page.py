"""The Progress Report editor, driven with AppTest on a copy of the demo data: pre-fill, sources and
components, save, submit, validation next to the field, concurrent edits, review, corrections, refusals."""

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    AuditEvent,
    FocalPointAssignment,
    ProgressReport,
    ProgressReportRevision,
    Resolution,
    ReviewComment,
    User,
)
from services import activity_reports as ar
from services import progress_reports as pr
from services.users import actor_for
from tests.pages.apptest import open_page, reachable, siblings_of
from ui.format import escape_md

PAGE = "pages/progress_report.py"
YEAR = date.today().year


def db(app_db) -> Session:
    return Session(make_engine(app_db), expire_on_commit=False)


def focal_codes(s: Session, username: str = "focal") -> set[str]:
    return set(s.exec(select(Resolution.code).join(FocalPointAssignment)
                      .join(User, User.id == FocalPointAssignment.user_id).where(User.username == username)))


def report(app_db, code: str, year: int = YEAR) -> ProgressReport | None:
    with db(app_db) as s:
        return s.exec(select(ProgressReport).join(Resolution).where(Resolution.code == code,
                                                                   ProgressReport.year == year)).first()


def pick(app_db, *, state: str | None, mine: bool = True, with_previous: bool = False, sources: int = 0) -> str:
    """A demo Resolution in the wanted situation for this year."""
    with db(app_db) as s:
        focal = focal_codes(s)
        for code in sorted(s.exec(select(Resolution.code).join(FocalPointAssignment)).unique()):
            if (code in focal) != mine:
                continue
            current = report(app_db, code)
            if (current.state if current else None) != state:
                continue
            resolution = s.exec(select(Resolution).where(Resolution.code == code)).one()
            if with_previous and not s.exec(select(ProgressReport).where(
                    ProgressReport.resolution_id == resolution.id, ProgressReport.year == YEAR - 1,
                    ProgressReport.revision > 0)).first():
                continue
            if sources and len(pr.source_candidates(session=s, resolution_id=resolution.id, year=YEAR)) < sources:
                continue
            return code
    raise AssertionError("the demo data has no such Resolution")


def open_editor(app_db, user: str, code: str):
    at = open_page(PAGE, user, {"code": code, "year": str(YEAR)})
    assert not at.exception
    return at


def k(code: str, name: str) -> str:
    return f"pr_{code}_{YEAR}_{name}"


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_new_report_is_prefilled_and_saved_as_draft(app_db):
    code = pick(app_db, state=None, with_previous=True)
    with db(app_db) as s:
        previous = s.exec(select(ProgressReportRevision).join(ProgressReport).join(Resolution).where(
            Resolution.code == code, ProgressReport.year == YEAR - 1)
            .order_by(ProgressReportRevision.revision.desc())).first()
    at = open_editor(app_db, "focal", code)
    assert any(f"Pre-filled from the published {YEAR - 1} report" in i.value for i in at.info)
    assert at.text_area(key=k(code, "summary")).value == previous.content["summary"]
    assert at.radio(key=k(code, "status")).value == previous.status
    at.text_area(key=k(code, "summary")).set_value("This year the work moved on.")
    button(at, "Save draft").click().run()
    assert not at.exception
    saved = report(app_db, code)
    assert (saved.state, saved.summary, saved.status) == ("draft", "This year the work moved on.", previous.status)
    with db(app_db) as s:
        author = s.get(User, saved.author_id).username
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "progress_report",
                                                AuditEvent.entity_id == str(saved.id))).one()
    assert author == "focal" and event.action == "create"
    assert any("Draft saved" in m.value for m in at.success)


def test_sources_fill_components_and_submit_validates_next_to_the_field(app_db):
    code = pick(app_db, state="draft", sources=2)
    at = open_editor(app_db, "focal", code)
    boxes = [c for c in at.checkbox if c.key and c.key.startswith(k(code, "src_"))]
    assert len(boxes) >= 2
    for box in boxes:
        box.uncheck()
    at.run()
    assert at.multiselect(key=k(code, "components")).value == []
    boxes = [c for c in at.checkbox if c.key and c.key.startswith(k(code, "src_"))]
    boxes[0].check().run()
    first_id = int(boxes[0].key.rsplit("_", 1)[1])
    with db(app_db) as s:
        component = s.get(ActivityReport, first_id).component_id
    assert at.multiselect(key=k(code, "components")).value == [component]

    at.text_area(key=k(code, "summary")).set_value("")
    button(at, "Submit for review").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert escape_md("Summarise the progress made this year.") in errors
    assert report(app_db, code).state == "draft"  # nothing written

    at.text_area(key=k(code, "summary")).set_value("Two components reported field work.")
    button(at, "Submit for review").click().run()
    saved = report(app_db, code)
    assert saved.state == "in_review" and saved.summary == "Two components reported field work."
    with db(app_db) as s:
        assert pr._input_of(s, saved).source_ids == [first_id]
        assert pr._input_of(s, saved).component_ids == [component]
    assert any("Submitted for review" in m.value for m in at.success)


def test_concurrent_edit_keeps_the_users_text(app_db):
    code = pick(app_db, state="draft")
    at = open_editor(app_db, "focal", code)
    stored = report(app_db, code)
    with db(app_db) as s:  # someone else saves first
        secretariat = actor_for(session=s, username="secretariat")
        view = pr.open_report(session=s, actor=secretariat, code=code, year=YEAR)
        view.data.summary = "The Secretariat's wording."
        pr.save_draft(session=s, actor=secretariat, code=code, year=YEAR, data=view.data, version=stored.version)
        s.commit()
    at.text_area(key=k(code, "summary")).set_value("My own careful wording.")
    button(at, "Save draft").click().run()
    assert not at.exception
    assert any("Someone else saved this Progress Report" in e.value for e in at.error)
    assert at.text_area(key=k(code, "summary")).value == "My own careful wording."
    assert report(app_db, code).summary == "The Secretariat's wording."
    button(at, "Reload the latest version (replaces the text in the form)").click().run()
    assert at.text_area(key=k(code, "summary")).value == "The Secretariat's wording."


def test_secretariat_publishes_and_cited_reports_are_locked(app_db):
    code = pick(app_db, state="in_review", mine=False, sources=1)
    before = report(app_db, code)
    at = open_editor(app_db, "secretariat", code)
    assert not [t for t in at.text_area if t.key == k(code, "summary")]  # read-only in review
    button(at, "Publish").click().run()
    assert not at.exception
    after = report(app_db, code)
    assert (after.state, after.revision, after.published_status) == ("published", 1, before.status)
    with db(app_db) as s:
        cited = pr._input_of(s, after).source_ids
        assert cited and all(s.get(ActivityReport, i).locked for i in cited)
    assert any("Published" in m.value for m in at.success)


def test_return_with_comment_is_shown_to_the_focal_point(app_db):
    code = pick(app_db, state="draft")
    with db(app_db) as s:  # the demo focal point submits one of their drafts
        focal = actor_for(session=s, username="focal")
        view = pr.open_report(session=s, actor=focal, code=code, year=YEAR)
        pr.submit_for_review(session=s, actor=focal, code=code, year=YEAR, data=view.data, version=view.version)
        s.commit()
    at = open_editor(app_db, "secretariat", code)
    at.text_area(key=k(code, "comment")).set_value("Please name the partners involved.")
    button(at, "Return with comment").click().run()
    assert not at.exception
    assert report(app_db, code).state == "draft"
    with db(app_db) as s:
        note = s.exec(select(ReviewComment).where(ReviewComment.target_kind == "progress_report",
                                                  ReviewComment.target_id == report(app_db, code).id)
                      .order_by(ReviewComment.id.desc())).first()
    assert note.body == "Please name the partners involved."
    mine = open_editor(app_db, "focal", code)
    assert any("Please name the partners involved" in w.value for w in mine.warning)
    assert mine.text_area(key=k(code, "summary"))  # editable again


def test_published_report_is_corrected_by_a_new_version(app_db):
    code = pick(app_db, state="published")
    before = report(app_db, code)
    at = open_editor(app_db, "focal", code)
    assert not [t for t in at.text_area if t.key == k(code, "summary")]
    button(at, "Start a correction").click().run()
    assert not at.exception
    after = report(app_db, code)
    assert (after.state, after.published_status, after.revision) == ("draft", before.published_status, 1)
    assert any(f"correcting revision {before.revision}" in i.value for i in at.info)
    assert at.text_area(key=k(code, "summary")).value == (before.summary or "")
    history = [e for e in at.expander if e.label == "History"]
    assert history and "Started a correction" in list(history[0].dataframe[-1].value["what"])


def test_focal_point_cannot_write_for_a_resolution_not_assigned(app_db):
    code = pick(app_db, state=None, mine=False)
    at = open_editor(app_db, "focal", code)
    assert not [t for t in at.text_area if t.key == k(code, "summary")]
    assert any("Only the focal points of this Resolution" in i.value for i in at.info)
    other = pick(app_db, state="in_review", mine=False)
    at = open_editor(app_db, "focal", other)
    assert not [b for b in at.button if b.label in ("Publish", "Return with comment", "Save draft")]
    with db(app_db) as s:
        assert s.exec(select(func.count()).select_from(ProgressReport).join(Resolution)
                      .where(Resolution.code == code, ProgressReport.year == YEAR)).one() == 0


@pytest.mark.parametrize("user, allowed", [("reporter", False), ("leader", False), ("admin", True),
                                           ("focal", True), ("secretariat", True)])
def test_who_can_reach_the_editor(user, allowed, app_db):
    assert reachable(PAGE, user) is allowed


def test_unknown_code_is_explained(app_db):
    at = open_page(PAGE, "focal", {"code": "WCC-2020-Res-999", "year": str(YEAR)})
    assert not at.exception
    assert "There is no Resolution with the code" in at.error[0].value


def test_every_declared_field_has_its_widget_with_the_declared_label_and_limit(app_db):
    """The editor follows services/report_fields.py: each field is drawn in the spec's order with its label,
    a text with its limit (the sources are ticked one by one beside it)."""
    code = pick(app_db, state=None)
    at = open_editor(app_db, "focal", code)
    form = [el for el in siblings_of(at._tree, k(code, "status")) if getattr(el, "key", None)]
    drawn = {el.key: el for el in form}
    expected = [k(code, spec.key or spec.name) for spec in pr.FIELDS if spec.name != "source_ids"]
    assert [el.key for el in form if el.key in expected] == expected
    for spec in pr.FIELDS:
        if spec.name != "source_ids":
            widget = drawn[k(code, spec.key or spec.name)]
            assert widget.label == spec.label, spec.name
            if spec.limit:
                assert widget.proto.max_chars == spec.limit, spec.name


# -- returning an Activity Report from a source card (issue 11, item 3) -------------------------------------
def _return_button(at, report_id: int):
    return next(b for b in at.button if b.proto.form_id == f"return_activity_{report_id}_form")


def _activity(app_db, report_id: int) -> ActivityReport:
    with db(app_db) as s:
        return s.get(ActivityReport, report_id)


def test_the_focal_point_returns_a_source_to_its_author_with_a_comment(app_db):
    code = pick(app_db, state="draft", sources=1)
    at = open_editor(app_db, "focal", code)
    boxes = [c for c in at.checkbox if c.key and c.key.startswith(k(code, "src_"))]
    report_id = int(boxes[0].key.rsplit("_", 1)[1])
    assert "Return to its author" in [e.label for e in at.expander]
    comment = at.text_area(key=f"return_activity_{report_id}_comment")
    assert comment.label == "Comment for the author" and comment.max_chars == 2_000

    comment.set_value("  ")  # nothing said: refused next to the box, nothing returned
    _return_button(at, report_id).click().run()
    assert not at.exception
    assert escape_md("Say what the author should change.") in [e.value for e in at.error]
    assert _activity(app_db, report_id).state == "submitted"

    at.text_area(key=f"return_activity_{report_id}_comment").set_value("Please give the number of rangers trained.")
    _return_button(at, report_id).click().run()
    assert not at.exception
    assert _activity(app_db, report_id).state == "returned"
    assert "Returned to its author with your comment: they find it on My reports." in [m.value for m in at.success]
    with db(app_db) as s:
        note = s.exec(select(ReviewComment).where(ReviewComment.target_kind == "activity_report",
                                                  ReviewComment.target_id == report_id)).one()
        author = s.get(User, _activity(app_db, report_id).author_id).username
    assert note.body == "Please give the number of rangers trained."
    # the author finds it on My reports (what that page lists: services.activity_reports.my_reports)
    with db(app_db) as s:
        listed = ar.my_reports(session=s, actor=actor_for(session=s, username=author)).set_index("id")
    assert listed.loc[report_id, "state"] == "returned"
    assert listed.loc[report_id, "return_comment"] == "Please give the number of rangers trained."


def test_only_those_who_may_return_a_source_see_the_return_box(app_db):
    code = pick(app_db, state="draft", mine=False, sources=1)
    assert not [e for e in open_editor(app_db, "focal", code).expander if e.label == "Return to its author"]
    secretariat = open_editor(app_db, "secretariat", code)  # the Secretariat may return any
    assert "Return to its author" in [e.label for e in secretariat.expander]
