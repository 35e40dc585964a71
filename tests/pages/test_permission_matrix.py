"""Every role x every page, generated from the one permission table (services/permissions.py): as the demo
user of each role, a page the table lets them see is in their navigation and opens without an error; any
other page is not registered, so it cannot be opened, not even by its address. One AppTest per role
(which pages are registered is asked right after app.py ran: later runs of a switched page go straight to
the page in AppTest).

The writes and restricted reads behind the pages are refused by the services as the table says:
tests/services/test_permissions.py. Here, by URL: a focal point opening another focal point's Progress
Report while it is in preparation is refused, and reads it once it is published."""

import pytest
from sqlmodel import Session, select

from db.demo import DEMO_ACCOUNTS
from db.engine import make_engine
from db.models import FocalPointAssignment, ProgressReport, Resolution, User
from db.vocab import ROLES
from services.permissions import can
from tests.pages.apptest import open_page, signed_in_app
from ui.navigation import PAGES

USER_OF_ROLE = {roles[0]: username for username, _, _, roles, _ in DEMO_ACCOUNTS}
SIGN_IN_TITLE = ":material/fact_check: Resolutions Tracker"


def test_there_is_a_demo_user_of_each_role():
    assert sorted(USER_OF_ROLE) == sorted(ROLES)
    assert all(len(roles) == 1 for _, _, _, roles, _ in DEMO_ACCOUNTS)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_exactly_the_pages_the_table_allows(app_db, role):
    at = signed_in_app(USER_OF_ROLE[role], timeout=60)
    at.run()  # app.py: the sign-in gate and this user's navigation
    assert not at.exception
    actor = at.session_state["actor"]
    assert actor.roles == {role}
    registered = []
    for spec in PAGES:  # asked before any page runs: what app.py registered for this user
        try:
            at.switch_page(spec.path)
        except ValueError:  # not in this user's navigation: it cannot be opened, not even by its address
            continue
        registered.append(spec.path)
    assert registered == [p.path for p in PAGES if can(actor, p.action)]
    for path in registered:
        at.switch_page(path).run()
        assert not at.exception, (role, path, at.exception)
        assert not [e.value for e in at.error if "may not" in e.value], (role, path)
        assert at.main.children, (role, path)  # the page showed something...
        assert [t.value for t in at.title] != [SIGN_IN_TITLE], (role, path)  # ... and not the sign-in form


def report_of_another_focal_point(app_db, state: str) -> tuple[str, int, str]:
    """A Progress Report of the demo data in `state`, on a Resolution not assigned to the demo focal point."""
    with Session(make_engine(app_db)) as s:
        farid = s.exec(select(User.id).where(User.username == USER_OF_ROLE["focal_point"])).one()
        his = select(FocalPointAssignment.resolution_id).where(FocalPointAssignment.user_id == farid)
        code, year, summary = s.exec(
            select(Resolution.code, ProgressReport.year, ProgressReport.summary)
            .join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
            .where(ProgressReport.state == state, ProgressReport.summary.is_not(None), Resolution.id.not_in(his))
            .order_by(ProgressReport.year.desc(), Resolution.code)
        ).first()
    return code, year, summary


def test_another_focal_points_report_in_preparation_is_refused_by_url_and_readable_once_published(app_db):
    code, year, summary = report_of_another_focal_point(app_db, "in_review")
    query = {"code": code, "year": str(year)}
    focal = open_page("pages/progress_report.py", USER_OF_ROLE["focal_point"], query)
    assert not focal.exception
    assert any("in preparation" in e.value for e in focal.error)
    assert summary not in [t.value for t in focal.text]
    secretariat = open_page("pages/progress_report.py", USER_OF_ROLE["secretariat"], query)
    assert not secretariat.exception and not secretariat.error
    assert summary in [t.value for t in secretariat.text]

    code, year, summary = report_of_another_focal_point(app_db, "published")
    focal = open_page("pages/progress_report.py", USER_OF_ROLE["focal_point"], {"code": code, "year": str(year)})
    assert not focal.exception and not focal.error
    assert summary in [t.value for t in focal.text]
    assert not [b for b in focal.button if b.label == "Start a correction"]
