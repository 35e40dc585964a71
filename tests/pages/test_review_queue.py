"""The review queue (Secretariat), driven with AppTest on a copy of the demo data."""

from datetime import UTC, datetime

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import ProgressReport, Resolution, ReviewComment, as_utc
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


def markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_publish_from_the_queue_asks_first_saying_what_is_published(app_db):
    at = open_page(PAGE, "secretariat")
    report_id, code = sorted(in_review(app_db).items())[0]
    at.button(key=f"publish_{report_id}").click().run()
    assert not at.exception
    row = state_of(app_db, report_id)
    assert row.state == "in_review"  # nothing yet: the reviewer confirms first
    assert f"**{code}** · {row.year}: **{row.status}**" in markdown(at)
    assert "Publish 1 Progress Report?" in markdown(at)

    at.button(key="queue_cancel").click().run()
    assert state_of(app_db, report_id).state == "in_review"
    assert "Publish 1 Progress Report?" not in markdown(at)

    at.button(key=f"publish_{report_id}").click().run()
    at.button(key="queue_confirm").click().run()
    assert not at.exception
    row = state_of(app_db, report_id)
    assert (row.state, row.revision, row.published_status) == ("published", 1, row.status)
    assert code not in opened(at)
    assert any(f"Published {code}" in m.value for m in at.success)


def test_publish_several_selected_with_one_confirmation(app_db):
    at = open_page(PAGE, "secretariat")
    waiting = sorted(in_review(app_db).items())
    assert len(waiting) >= 3
    (first, code1), (second, code2), (kept, _) = waiting[:3]
    assert at.button(key="queue_publish_selected").disabled
    at.checkbox(key=f"pick_{first}").check()
    at.checkbox(key=f"pick_{second}").check().run()
    assert at.button(key="queue_publish_selected").label == "Publish selected (2)"
    at.button(key="queue_publish_selected").click().run()
    assert "Publish 2 Progress Reports?" in markdown(at)
    assert f"**{code1}**" in markdown(at) and f"**{code2}**" in markdown(at)
    with Session(make_engine(app_db)) as s:  # someone else returns one meanwhile: the other is published
        s.get(ProgressReport, second).state = "draft"
        s.commit()
    at.button(key="queue_confirm").click().run()
    assert not at.exception
    assert state_of(app_db, first).state == "published"
    assert state_of(app_db, second).state == "draft" and state_of(app_db, kept).state == "in_review"
    assert any(f"Published {code1}" in m.value for m in at.success)
    assert any(f"Not published: {code2}" in e.value and "cannot be published" in e.value for e in at.error)
    assert {code1, code2}.isdisjoint(opened(at))


def test_select_all_shown_then_publish(app_db):
    at = open_page(PAGE, "admin")
    code = sorted(in_review(app_db).values())[0]
    at.text_input(key="queue_q").set_value(code).run()
    at.checkbox(key="queue_all").check().run()
    assert at.button(key="queue_publish_selected").label == "Publish selected (1)"
    at.button(key="queue_publish_selected").click().run()
    at.button(key="queue_confirm").click().run()
    assert not at.exception
    assert code not in set(in_review(app_db).values())


def test_the_queue_lists_the_oldest_first_and_nothing_in_the_future(app_db):
    """Issue 11, item 9: on the demo data, "oldest first" is true and no report was submitted after today."""
    at = open_page(PAGE, "secretariat")
    with Session(make_engine(app_db)) as s:
        rows = s.exec(select(Resolution.code, ProgressReport.updated_at).join(Resolution)
                      .where(ProgressReport.state == "in_review")).all()
    when = {code: as_utc(at_) for code, at_ in rows}
    listed = [link.proto.query_string.split("code=")[1].split("&")[0] for link in at.get("page_link")
              if link.proto.page == "progress_report"]
    assert [when[c] for c in listed] == sorted(when.values())
    assert len(set(when.values())) > 1 and max(when.values()) <= datetime.now(UTC)


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
