"""Focal points and deadlines (Secretariat, admin), driven with AppTest on a copy of the demo data.
(The CSV upload itself needs a browser: tests/e2e/test_progress_e2e.py.)"""

from datetime import date

from sqlmodel import Session, select
from streamlit.testing.v1.element_tree import Multiselect

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


def add_box(at):
    """The 'Add focal points' box (its key changes with the Resolution and after each assignment)."""
    return next(m for m in at.multiselect if m.label == "Add focal points")


def as_the_browser_keeps_it(box, shown: list[str]):
    """Make `box` send what a browser sends after the run that cleared it: the labels it still shows
    (a browser keeps a box's own copy of what was picked; AppTest keeps only the server's)."""
    class Kept(Multiselect):
        @property
        def values(self):
            return shown

    box.__class__ = Kept
    box._value = []
    return box


def overview(at):
    """The table of one Congress' Resolutions in the 'Without focal point' tab."""
    return next(d.value for d in at.dataframe if "flag" in d.value.columns)


def test_assign_and_remove_on_the_page(app_db):
    code = unassigned(app_db, "WCC-2025")[0]
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    at.selectbox(key="assign_code").set_value(code).run()
    assert any("No focal point yet" in w.value for w in at.warning)
    add_box(at).set_value(["focal", "chen.li"])
    next(b for b in at.button if b.label == "Assign").click().run()
    assert not at.exception
    assert focal_points(app_db, code) == {"focal", "chen.li"}
    assert any("2 focal points assigned" in m.value for m in at.success)
    assert "Farid Focal (focal@demo.iucn.invalid)" in [t.value for t in at.text]

    at.button(key=f"remove_{code}_chen.li").click().run()
    assert not at.exception
    assert focal_points(app_db, code) == {"focal"}


def test_after_assigning_the_box_is_empty_and_the_page_keeps_working(app_db):
    """Issue 11, item 1: assign, then save a deadline or choose another Resolution: no TypeError, the
    deadline typed is saved, and the person just assigned is no longer in the 'Add' box."""
    code, other = unassigned(app_db, "WCC-2025")[:2]
    at = open_page(PAGE, "secretariat")
    at.selectbox(key="assign_code").set_value(code).run()
    picked = add_box(at).set_value(["focal"])
    labels = list(picked.values)
    next(b for b in at.button if b.label == "Assign").click().run()
    assert any("1 focal point assigned" in m.value for m in at.success)
    assert add_box(at).value == []
    assert "Farid Focal (focal@demo.iucn.invalid)" not in add_box(at).options

    as_the_browser_keeps_it(add_box(at), labels)
    at.number_input(key="deadline_year").set_value(2027)
    at.date_input(key="deadline_due").set_value(date(2028, 2, 15))
    next(b for b in at.button if b.label == "Save deadline").click().run()
    assert not at.exception
    assert any("due on 15 Feb 2028" in m.value for m in at.success)
    with Session(make_engine(app_db)) as s:
        assert s.get(ReportingDeadline, 2027).due_on == date(2028, 2, 15)
    assert add_box(at).value == []

    as_the_browser_keeps_it(add_box(at), labels)
    at.selectbox(key="assign_code").set_value(other).run()
    assert not at.exception
    assert add_box(at).value == []
    assert focal_points(app_db, code) == {"focal"} and focal_points(app_db, other) == set()


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
