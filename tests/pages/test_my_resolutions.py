"""'My Resolutions' (Secretariat focal point), driven with AppTest on a copy of the demo data."""

from datetime import date

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import FocalPointAssignment, ProgressReport, ReportingDeadline, Resolution, User
from tests.pages.apptest import open_page, reachable
from ui.format import escape_md

PAGE = "pages/my_resolutions.py"


def assigned(app_db, username: str) -> set[str]:
    with Session(make_engine(app_db)) as s:
        return set(s.exec(select(Resolution.code).join(FocalPointAssignment).join(
            User, User.id == FocalPointAssignment.user_id).where(User.username == username)))


def links(at) -> dict[str, str]:
    """code -> query string of each row's link to the editor."""
    out = {}
    for link in at.get("page_link"):
        if link.proto.page == "progress_report":
            params = dict(p.split("=") for p in link.proto.query_string.split("&"))
            out[params["code"]] = link.proto.query_string
    return out


def test_focal_point_sees_each_assigned_resolution_with_a_link_and_the_deadline(app_db):
    at = open_page(PAGE, "focal")
    assert not at.exception
    year = date.today().year
    mine = assigned(app_db, "focal")
    shown = links(at)
    assert set(shown) == mine and mine
    assert all(q.endswith(f"year={year}") for q in shown.values())
    assert at.metric[0].label == "Assigned Resolutions" and at.metric[0].value == str(len(mine))
    with Session(make_engine(app_db)) as s:
        due = s.get(ReportingDeadline, year).due_on
        states = s.exec(select(ProgressReport.state).join(Resolution).where(
            Resolution.code.in_(mine), ProgressReport.year == year)).all()
    assert at.metric[3].value == str(sum(1 for st in states if st == "published"))
    assert at.metric[2].value == str(sum(1 for st in states if st == "in_review"))
    banner = (at.warning or at.info or at.error or at.success)[0].value
    assert due.strftime("%d %b %Y") in banner
    days = (due - date.today()).days
    assert (f"{abs(days)} day" in banner) if days != 0 else "0 days" in banner


def test_year_selector_and_last_year_status(app_db):
    at = open_page(PAGE, "focal")
    at.selectbox(key="year").set_value(2025).run()
    assert not at.exception
    assert all(q.endswith("year=2025") for q in links(at).values())
    with Session(make_engine(app_db)) as s:
        status_2024 = s.exec(select(ProgressReport.published_status).join(Resolution).where(
            Resolution.code == "WCC-2020-Res-001", ProgressReport.year == 2024)).one()
    texts = [m.value for m in at.markdown]
    row = texts.index(next(t for t in texts if t.startswith(f"**{escape_md('WCC-2020-Res-001')}**")))
    assert texts[row + 1].endswith(f"[{status_2024}]")  # the badge of last year's status


def test_filter_published_only(app_db):
    at = open_page(PAGE, "focal")
    at.segmented_control(key="my_filter").set_value("Published").run()
    assert not at.exception
    year = date.today().year
    with Session(make_engine(app_db)) as s:
        published = set(s.exec(select(Resolution.code).join(ProgressReport).where(
            Resolution.code.in_(assigned(app_db, "focal")), ProgressReport.year == year,
            ProgressReport.state == "published")))
    assert set(links(at)) == published


def test_admin_without_assignments_and_roles_that_cannot_reach_it(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert any("No Resolution is assigned to you" in i.value for i in at.info)
    for user in ("reporter", "secretariat", "leader"):
        assert not reachable(PAGE, user)
