"""The review queue (Secretariat), driven with AppTest on a copy of the demo data."""

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import ProgressReport, Resolution, ReviewComment
from tests.pages.apptest import open_page, reachable

PAGE = "pages/review_queue.py"


def in_review(app_db) -> dict[int, str]:
    with Session(make_engine(app_db)) as s:
        return dict(s.exec(select(ProgressReport.id, Resolution.code).join(Resolution)
                           .where(ProgressReport.state == "in_review")).all())


def opened(at) -> set[str]:
    return {dict(p.split("=") for p in link.proto.query_string.split("&"))["code"]
            for link in at.get("page_link") if link.proto.page == "progress_report"}


def state_of(app_db, report_id: int) -> ProgressReport:
    with Session(make_engine(app_db)) as s:
        return s.get(ProgressReport, report_id)


def return_button(at, report_id: int):
    return next(b for b in at.button if b.label == "Return with comment" and b.proto.form_id == f"return_{report_id}")


def test_secretariat_sees_every_report_in_review_with_a_link(app_db):
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    waiting = in_review(app_db)
    assert waiting and opened(at) == set(waiting.values())
    assert at.caption[1].value.startswith(f"{len(waiting)} reports waiting")


def test_search_narrows_the_queue(app_db):
    at = open_page(PAGE, "secretariat")
    code = sorted(in_review(app_db).values())[0]
    at.text_input(key="queue_q").set_value(code).run()
    assert not at.exception
    assert opened(at) == {code}


def test_publish_from_the_queue(app_db):
    at = open_page(PAGE, "secretariat")
    report_id, code = sorted(in_review(app_db).items())[0]
    at.button(key=f"publish_{report_id}").click().run()
    assert not at.exception
    row = state_of(app_db, report_id)
    assert (row.state, row.revision, row.published_status) == ("published", 1, row.status)
    assert code not in opened(at)
    assert any(f"Published {code}" in m.value for m in at.success)


def test_return_from_the_queue_needs_a_comment(app_db):
    at = open_page(PAGE, "admin")
    report_id, code = sorted(in_review(app_db).items())[-1]
    return_button(at, report_id).click().run()
    assert not at.exception
    assert any("Not returned" in e.value for e in at.error)
    assert state_of(app_db, report_id).state == "in_review"
    at.text_area(key=f"comment_{report_id}").set_value("Add the results, please.")
    return_button(at, report_id).click().run()
    assert state_of(app_db, report_id).state == "draft"
    with Session(make_engine(app_db)) as s:
        note = s.exec(select(ReviewComment).where(ReviewComment.target_kind == "progress_report",
                                                  ReviewComment.target_id == report_id)
                      .order_by(ReviewComment.id.desc())).first()
    assert note.body == "Add the results, please." and note.action == "returned"
    assert code not in opened(at)


def test_only_secretariat_and_admin_reach_the_queue(app_db):
    assert reachable(PAGE, "admin")
    for user in ("focal", "reporter", "leader"):
        assert not reachable(PAGE, user)
