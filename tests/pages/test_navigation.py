"""Each role sees exactly its pages: a page left out of st.navigation cannot be opened."""

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.models import User, UserRole
from tests.pages.apptest import APP, PASSWORDS, reachable, signed_in_app
from ui.navigation import PAGES


def roles_in_database(app_db, username: str) -> set[str]:
    with Session(make_engine(app_db)) as s:
        return set(s.exec(select(UserRole.role).join(User).where(User.username == username)).all())


def registered_pages(user: str | None) -> set[str]:
    """The page files the app registers for `user` (None: nobody signed in), tried one by one."""
    at = signed_in_app(user)
    at.run()
    assert not at.exception
    found = set()
    for spec in PAGES:
        try:
            at.switch_page(spec.path)
        except ValueError:
            continue
        found.add(spec.path)
    return found


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_each_demo_user_reaches_exactly_the_pages_of_their_roles(app_db, user):
    roles = roles_in_database(app_db, user)
    assert roles, "every demo account has a role"
    meant = {p.path for p in PAGES if "admin" in roles or p.roles & roles}
    assert registered_pages(user) == meant


@pytest.mark.parametrize("user, page, allowed", [
    ("reporter", "pages/register_admin.py", False),
    ("reporter", "pages/review_queue.py", False),
    ("reporter", "pages/report_activity.py", True),
    ("leader", "pages/report_activity.py", False),
    ("leader", "pages/analysis.py", True),
    ("leader", "pages/report_themes.py", True),
    ("focal", "pages/report_themes.py", False),
    ("reporter", "pages/report_themes.py", False),
    ("focal", "pages/my_resolutions.py", True),
    ("focal", "pages/assignments.py", False),
    ("secretariat", "pages/register_admin.py", True),
    ("secretariat", "pages/my_resolutions.py", False),
    ("admin", "pages/register_admin.py", True),
])
def test_reachable_agrees_for_key_pages(app_db, user, page, allowed):
    assert reachable(page, user) is allowed


def test_everyone_reaches_the_register_and_detail_view(app_db):
    for user in PASSWORDS:
        assert {"pages/register.py", "pages/resolution.py"} <= registered_pages(user)


def test_admin_reaches_every_page(app_db):
    assert registered_pages("admin") == {p.path for p in PAGES}


@pytest.mark.parametrize("public_site", ["1", "0"])
def test_nobody_signed_in_sees_any_page_but_the_public_ones(app_db, monkeypatch, public_site):
    """Signed out, every page path is known (a shared link survives sign-in), but opening one shows
    only the sign-in form: no page runs, except the public pages while the public site is on
    (tests/pages/test_public_pages.py shows what they show)."""
    monkeypatch.setenv("RT_PUBLIC_SITE", public_site)
    for spec in PAGES:
        if spec.public and public_site == "1":
            continue
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        at.switch_page(spec.path).run()
        assert not at.exception, spec.path
        assert [t.value for t in at.title] == [":material/fact_check: Resolutions Tracker"], spec.path
        assert [t.label for t in at.text_input][:2] == ["Username", "Password"], spec.path
        assert "actor" not in at.session_state, spec.path


def test_each_role_lands_on_its_own_page(app_db):
    landing = {"reporter": "My reports", "focal": "My Resolutions", "secretariat": "Overview", "leader": "Overview"}
    for user, title in landing.items():
        at = signed_in_app(user)
        at.run()
        assert not at.exception
        assert title in at.title[0].value, user
