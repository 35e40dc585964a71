"""The one write path of pages (ui/write.py): the helper alone in a tiny script, for every kind of service error
and for success, then each kind on a real page; and a guard that pages neither open transactions nor catch
write errors themselves."""

import ast
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, transaction
from db.models import (
    AuditEvent,
    FocalPointAssignment,
    ProgressReport,
    ProgressReportComponent,
    ProgressReportRevision,
    ProgressReportSource,
    ReportingDeadline,
    Resolution,
    User,
)
from services import assignments
from services import progress_reports as pr
from services.users import actor_for
from tests.pages.apptest import open_page
from ui import errors as error_screen
from ui.format import escape_md

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "the title *[x](javascript:alert(1))* <b>is</b> taken"  # a message that quotes what the user typed
CORRECT_ONE = "Please correct this problem (shown next to the field). Nothing you typed was lost."


# -- the helper alone -------------------------------------------------------------------------------------

def form_script(hostile: str):
    """A form with two fields whose service writes an audit event, then refuses as st.session_state["outcome"]
    says (or succeeds): from the form's button (a write in the script body), or from a callback."""
    import streamlit as st

    from services import audit
    from services.errors import ConflictError, FieldError, NotFound, PermissionDenied, ServiceError, ValidationFailed
    from ui.flash import flash, show_flash
    from ui.write import FAILED, Feedback

    def save(*, session, title, outcome):
        audit.record(session, actor=None, action="helper_test", entity="test", entity_id="1", after={"title": title})
        session.flush()  # written before the refusal: the transaction must take it back
        refusals = {
            "invalid": ValidationFailed([FieldError("title", hostile), FieldError("owner", "nobody may own this")]),
            "conflict": ConflictError("Someone else saved this record since you opened it."),
            "refused": PermissionDenied("You may not change this record."),
            "not_found": NotFound("There is no record 1."),
            "service": ServiceError("The record is locked."),
        }
        if outcome == "crash":
            raise RuntimeError("a bug, not the user's to read")
        if outcome in refusals:
            raise refusals[outcome]
        return title.upper()

    def save_in_callback():
        if form.run(save, title=st.session_state["title"], outcome=st.session_state["outcome"]) is not FAILED:
            flash("Saved in a callback.")

    show_flash()
    form = Feedback("helper_test", fields=("title", "note"))
    form.summary(reload=("Load the stored text", lambda: st.session_state.update(title="stored")))
    with st.form("record"):
        st.text_input("Title", key="title")
        form.field("title")
        st.text_input("Note", key="note")
        form.field("note")
        clicked = st.form_submit_button("Save")
    if clicked:
        result = form.run(save, title=st.session_state["title"], outcome=st.session_state["outcome"])
        if result is not FAILED:
            flash(f"Saved {result}.")
        st.rerun()
    st.button("Save in a callback", on_click=save_in_callback)
    other = Feedback("other_form")
    other.summary()
    st.button("Other form", on_click=lambda: other.run(save, title="other", outcome="refused"))


@pytest.fixture
def form(app_db):
    at = AppTest.from_function(form_script, default_timeout=30, args=(HOSTILE,))
    at.session_state["outcome"] = "ok"
    at.run()
    assert not at.exception
    return at


def submit(at: AppTest, outcome: str, title: str = "My title", note: str = "My note",
           button: str = "Save") -> AppTest:
    at.session_state["outcome"] = outcome
    at.text_input(key="title").input(title)
    at.text_input(key="note").input(note)
    next(b for b in at.button if b.label == button).click().run()
    return at


def events(app_db) -> int:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "helper_test")).one()


def after_widget(at: AppTest, key: str) -> list:
    """The elements that follow the widget `key` in the form, up to the next widget."""
    children = list(at.get("form")[0].children.values())
    start = next(i for i, el in enumerate(children) if getattr(el, "key", None) == key) + 1
    following = []
    for el in children[start:]:
        if getattr(el, "key", None):
            break
        following.append(el)
    return following


def test_field_messages_show_under_their_field_escaped_the_rest_in_the_summary_and_nothing_is_written(form, app_db):
    at = submit(form, "invalid", title="*[x](javascript:alert(1))*")
    assert not at.exception
    under_title = after_widget(at, "title")
    assert [(e.type, e.value) for e in under_title] == [("error", escape_md(HOSTILE))]
    assert "*[" not in under_title[0].value and "<b>" not in under_title[0].value  # taken literally
    assert after_widget(at, "note") == []
    # one summary above the form: how many fields to correct, and the message on no field of the form
    assert at.error[0].value == CORRECT_ONE + "  \nNot saved: nobody may own this"
    assert at.error[0].icon == ":material/error:"
    assert len(at.error) == 2
    # input kept, nothing written (the audit event written before the refusal was rolled back)
    assert at.text_input(key="title").value == "*[x](javascript:alert(1))*"
    assert at.text_input(key="note").value == "My note"
    assert events(app_db) == 0 and not at.success

    at.run()  # any later run shows the outcome again, until the next write
    assert [e.value for e in at.error] == [CORRECT_ONE + "  \nNot saved: nobody may own this", escape_md(HOSTILE)]


@pytest.mark.parametrize(("outcome", "message", "icon"), [
    ("refused", "You may not change this record.", ":material/block:"),
    ("not_found", "There is no record 1.", ":material/search_off:"),
    ("service", "The record is locked.", ":material/block:"),
])
def test_a_refusal_is_one_message_above_the_form_and_the_input_is_kept(form, app_db, outcome, message, icon):
    at = submit(form, outcome)
    assert not at.exception
    assert [(e.value, e.icon) for e in at.error] == [(escape_md(message), icon)]
    assert "Load the stored text" not in [b.label for b in at.button]  # offered after a conflict only
    assert (at.text_input(key="title").value, at.text_input(key="note").value) == ("My title", "My note")
    assert events(app_db) == 0


def test_a_conflict_offers_to_load_the_stored_version(form, app_db):
    at = submit(form, "conflict")
    assert [(e.value, e.icon) for e in at.error] == [
        (escape_md("Someone else saved this record since you opened it."), ":material/sync_problem:")]
    assert at.text_input(key="title").value == "My title"
    assert events(app_db) == 0
    next(b for b in at.button if b.label == "Load the stored text").click().run()
    assert at.text_input(key="title").value == "stored" and not at.error


def test_success_commits_the_write_with_its_audit_event_and_forgets_the_refusal(form, app_db):
    at = submit(form, "invalid")
    assert at.error
    at = submit(at, "ok", title="Fixed")
    assert not at.exception and not at.error
    assert [s.value for s in at.success] == ["Saved FIXED."]
    with Session(make_engine(app_db)) as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "helper_test")).all()
    assert event.after == {"title": "Fixed"}


def test_a_write_in_a_callback_shows_its_outcome_on_the_page_drawn_next(form, app_db):
    at = submit(form, "invalid", button="Save in a callback")
    assert not at.exception
    assert at.error[0].value.startswith(CORRECT_ONE)
    assert [e.value for e in after_widget(at, "title")] == [escape_md(HOSTILE)]
    at = submit(at, "ok", button="Save in a callback")
    assert not at.error and [s.value for s in at.success] == ["Saved in a callback."]
    assert events(app_db) == 1


def test_only_the_latest_write_has_feedback(form):
    at = submit(form, "invalid")
    next(b for b in at.button if b.label == "Other form").click().run()
    assert [e.value for e in at.error] == [escape_md("You may not change this record.")]  # the other form's only
    assert after_widget(at, "title") == []


def test_an_unexpected_error_is_not_turned_into_feedback(form, app_db):
    error_screen.install()  # as app.py does
    at = submit(form, "crash")
    assert "a bug, not the user's to read" in at.exception[0].value  # not swallowed (tests see it as exception)
    [screen] = at.error  # the error screen alone, no form feedback
    assert screen.icon == ":material/cloud_off:" and error_screen.OTHER_MESSAGE in screen.value
    assert at.text_input(key="title").value == "My title" and events(app_db) == 0


# -- each kind on a real page -----------------------------------------------------------------------------

def db(app_db) -> Session:
    return Session(make_engine(app_db), expire_on_commit=False)


def test_assignments_deadline_message_under_its_field_with_the_input_kept(app_db):
    at = open_page("pages/assignments.py", "secretariat")
    at.number_input(key="deadline_year").set_value(2027)
    at.date_input(key="deadline_due").set_value(date(2030, 1, 1))
    next(b for b in at.button if b.label == "Save deadline").click().run()
    assert not at.exception
    form = next(f for f in at.get("form") if f.proto.form.form_id == "deadline_form")
    children = list(form.children.values())
    due = next(i for i, el in enumerate(children) if getattr(el, "key", None) == "deadline_due")
    assert children[due + 1].type == "error"
    assert children[due + 1].value == "the deadline for 2027 must fall in 2027 or 2028"
    assert CORRECT_ONE in [e.value for e in at.error]
    assert at.number_input(key="deadline_year").value == 2027
    assert at.date_input(key="deadline_due").value == date(2030, 1, 1)
    with db(app_db) as s:
        assert s.get(ReportingDeadline, 2027) is None


def in_review(app_db, *, first_time: bool) -> tuple[ProgressReport, str]:
    """A Progress Report in review and its Resolution's code; `first_time`: one never published before."""
    with db(app_db) as s:
        for report, code in s.exec(select(ProgressReport, Resolution.code).join(Resolution)
                                   .where(ProgressReport.state == "in_review").order_by(ProgressReport.id)):
            if not first_time or not s.exec(select(ProgressReportRevision)
                                            .where(ProgressReportRevision.progress_report_id == report.id)).first():
                return report, code
    raise AssertionError("the demo data has no such Progress Report")


def test_progress_report_publish_of_a_report_someone_else_returned_is_a_conflict(app_db):
    report, code = in_review(app_db, first_time=False)
    at = open_page("pages/progress_report.py", "secretariat", {"code": code, "year": str(report.year)})
    assert not at.exception
    with transaction(make_engine(app_db)) as s:  # another secretary returns it while this page is open
        pr.return_to_draft(session=s, actor=actor_for(session=s, username="admin"), report_id=report.id,
                           version=report.version, comment="Add the results.")
    at.button(key=f"pr_{code}_{report.year}_publish").click().run()  # the button's callback has the old version
    assert not at.exception
    [shown] = at.error
    assert shown.icon == ":material/sync_problem:" and "Progress Report" in shown.value
    assert "Reload the latest version (replaces the text in the form)" in [b.label for b in at.button]
    assert not at.success  # no "Published"
    with db(app_db) as s:
        assert s.get(ProgressReport, report.id).state == "draft"


def remove(app_db, report_id: int) -> None:
    """Delete a Progress Report that was never published (its sources and components go with it)."""
    with transaction(make_engine(app_db)) as s:
        for table in (ProgressReportSource, ProgressReportComponent):
            s.execute(delete(table).where(table.progress_report_id == report_id))
        s.execute(delete(ProgressReport).where(ProgressReport.id == report_id))


def test_review_queue_publish_of_a_report_that_no_longer_exists_is_not_found(app_db):
    """The Publish button used to catch only conflicts and refusals: a NotFound reached the error screen.
    Removed outside the app (no audit event), the report is still in the queue the page reads (cached on the
    data version): the same as one removed between reading the queue and the click."""
    report, code = in_review(app_db, first_time=True)
    at = open_page("pages/review_queue.py", "secretariat")
    remove(app_db, report.id)  # gone while the page is open
    at.button(key=f"publish_{report.id}").click().run()
    at.button(key="queue_confirm").click().run()  # Publish asks first (issue 11.5)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Not published: " + escape_md(f"Progress Report {report.id} does not exist.")]
    assert not at.success


def test_progress_report_publish_of_a_report_that_no_longer_exists_is_not_found(app_db):
    report, code = in_review(app_db, first_time=True)
    at = open_page("pages/progress_report.py", "secretariat", {"code": code, "year": str(report.year)})
    assert not at.exception
    remove(app_db, report.id)
    at.button(key=f"pr_{code}_{report.year}_publish").click().run()  # the button's callback names the report
    assert not at.exception
    assert [(e.value, e.icon) for e in at.error] == [
        (escape_md(f"Progress Report {report.id} does not exist."), ":material/search_off:")]
    assert not at.success


def editable_by_focal(app_db, year: int) -> str:
    """A Resolution of the demo focal point whose Progress Report of `year` is a draft or not begun."""
    with db(app_db) as s:
        focal = s.exec(select(User).where(User.username == "focal")).one()
        for code in s.exec(select(Resolution.code).join(FocalPointAssignment)
                           .where(FocalPointAssignment.user_id == focal.id).order_by(Resolution.code)):
            state = s.exec(select(ProgressReport.state).join(Resolution)
                           .where(Resolution.code == code, ProgressReport.year == year)).first()
            if state in (None, "draft"):
                return code
    raise AssertionError("the demo data has no such Resolution")


def test_progress_report_save_by_a_focal_point_no_longer_assigned_is_refused(app_db):
    year = date.today().year
    code = editable_by_focal(app_db, year)
    at = open_page("pages/progress_report.py", "focal", {"code": code, "year": str(year)})
    assert not at.exception
    key = f"pr_{code}_{year}_summary"
    with transaction(make_engine(app_db)) as s:  # unassigned while the editor is open
        assignments.unassign(session=s, actor=actor_for(session=s, username="admin"), code=code,
                             username="focal")
    before = at.text_area(key=key).value
    at.text_area(key=key).set_value("My careful summary.")
    next(b for b in at.button if b.label == "Save draft").click().run()
    assert not at.exception
    [shown] = at.error
    assert shown.icon == ":material/block:" and escape_md(code) in shown.value
    assert key not in [t.key for t in at.text_area]  # no longer theirs to write: the editor is not offered
    with db(app_db) as s:
        stored = s.exec(select(ProgressReport).join(Resolution)
                        .where(Resolution.code == code, ProgressReport.year == year)).first()
    assert stored is None or stored.summary == before


# -- the guard --------------------------------------------------------------------------------------------

def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_no_page_opens_a_transaction_or_catches_a_write_error_itself():
    pages = sorted((ROOT / "pages").glob("*.py"))
    assert len(pages) > 10
    for path in pages:
        names = imports(path)
        assert not any(n == "db.engine" or n.startswith("db.engine.") for n in names), f"{path.name} imports db.engine"
        # write errors are ui/write.py's to show; pages may still catch NotFound/PermissionDenied of a read
        assert not names & {"services.errors.ValidationFailed", "services.errors.ConflictError",
                            "services.errors.ServiceError"}, f"{path.name} handles a write error itself"
    for path in sorted((ROOT / "ui").glob("*.py")):
        if path.name not in ("write.py", "data.py"):
            assert "db.engine.transaction" not in imports(path), f"ui/{path.name} opens a transaction itself"
