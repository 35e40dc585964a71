"""Focal points and deadlines (Secretariat, admin), driven with AppTest on a copy of the demo data.
(The CSV upload itself needs a browser: tests/e2e/test_progress_e2e.py.)"""

from datetime import date

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import FocalPointAssignment, ReportingDeadline, Resolution, User
from services import assignments
from services.permissions import Actor
from tests.pages.apptest import open_page, reachable

PAGE = "pages/assignments.py"
SECRETARIAT = Actor(id=0, username="test", display_name="Test", roles=frozenset({"secretariat"}))


def focal_points(app_db, code: str) -> set[str]:
    with Session(make_engine(app_db)) as s:
        return set(s.exec(select(User.username).join(FocalPointAssignment, FocalPointAssignment.user_id == User.id)
                          .join(Resolution).where(Resolution.code == code)))


def unassigned(app_db, congress: str | None = None) -> list[str]:
    with Session(make_engine(app_db)) as s:
        return list(assignments.unassigned_resolutions(session=s, actor=SECRETARIAT, congress=congress)["code"])


def overview(at):
    """The table of one Congress' Resolutions in the 'Without focal point' tab."""
    return next(d.value for d in at.dataframe if "flag" in d.value.columns)


def test_assign_and_remove_on_the_page(app_db):
    code = unassigned(app_db, "WCC-2025")[0]
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    at.selectbox(key="assign_code").set_value(code).run()
    assert any("No focal point yet" in w.value for w in at.warning)
    at.multiselect(key="assign_users").set_value(["focal", "chen.li"])
    next(b for b in at.button if b.label == "Assign").click().run()
    assert not at.exception
    assert focal_points(app_db, code) == {"focal", "chen.li"}
    assert any("2 focal points assigned" in m.value for m in at.success)
    assert "Farid Focal (focal@demo.iucn.invalid)" in [t.value for t in at.text]

    at.button(key=f"remove_{code}_chen.li").click().run()
    assert not at.exception
    assert focal_points(app_db, code) == {"focal"}


def test_assign_with_nobody_chosen_shows_the_error_under_the_field(app_db):
    code = unassigned(app_db)[0]
    at = open_page(PAGE, "admin", {"code": code})
    assert at.selectbox(key="assign_code").value == code  # opened from a link
    next(b for b in at.button if b.label == "Assign").click().run()
    assert not at.exception
    assert "choose at least one person" in [e.value for e in at.error]
    assert focal_points(app_db, code) == set()


def test_resolutions_without_focal_point_are_flagged(app_db):
    at = open_page(PAGE, "secretariat")
    total = len(unassigned(app_db))
    assert any(f"{total} active Resolutions without a focal point" in w.value for w in at.warning)
    assert at.tabs[2].label.endswith(f"({total})")
    at.selectbox(key="missing_congress").set_value("WCC-2020").run()
    listed = overview(at)
    assert list(listed["code"]) == unassigned(app_db, "WCC-2020")
    at.toggle(key="missing_only").set_value(False).run()
    with Session(make_engine(app_db)) as s:
        active = len(s.exec(select(Resolution.id).where(Resolution.code.like("WCC-2020-%"),
                                                        Resolution.status == "active")).all())
    assert len(overview(at)) == active


def test_reporting_calendar_editor(app_db):
    at = open_page(PAGE, "secretariat")
    at.number_input(key="deadline_year").set_value(2027)
    at.date_input(key="deadline_due").set_value(date(2028, 2, 15))
    next(b for b in at.button if b.label == "Save deadline").click().run()
    assert not at.exception
    assert not at.error
    with Session(make_engine(app_db)) as s:
        assert s.get(ReportingDeadline, 2027).due_on == date(2028, 2, 15)

    at.number_input(key="deadline_year").set_value(2027)
    at.date_input(key="deadline_due").set_value(date(2030, 1, 1))
    next(b for b in at.button if b.label == "Save deadline").click().run()
    assert "the deadline for 2027 must fall in 2027 or 2028" in [e.value for e in at.error]
    with Session(make_engine(app_db)) as s:
        assert s.get(ReportingDeadline, 2027).due_on == date(2028, 2, 15)


def test_only_secretariat_and_admin_reach_it(app_db):
    assert reachable(PAGE, "admin")
    for user in ("focal", "reporter", "leader"):
        assert not reachable(PAGE, user)
