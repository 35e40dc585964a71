"""The page "What the reports say" (issue 18) on the demo data: the Secretariat and leadership see the groups,
their words and quotes linked to their reports; only the Secretariat curates (a rename is kept); focal points and
reporters cannot open it."""

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AuditEvent, ReportThemeGroup
from tests.pages.apptest import open_page, reachable

PAGE = "pages/report_themes.py"


@pytest.mark.parametrize("user", ["secretariat", "leader"])
def test_secretariat_and_leadership_see_the_groups_with_quotes_and_links(app_db, user):
    at = open_page(PAGE, user, {"year": "2025", "region": "Africa"}, timeout=120)
    assert not at.exception and not at.error
    assert at.title[0].value.endswith("What the reports say")
    quotes = [m.value for m in at.markdown if m.value.startswith("> ")]
    assert quotes, "the groups show their typical quotes"
    assert any("Grouped per language" in c.value for c in at.caption)
    assert at.session_state["year"] == "2025" and at.session_state["region"] == ["Africa"]
    curating = [b for b in at.button if b.key and b.key.startswith("rename_")]
    assert bool(curating) is (user == "secretariat")  # the curation is the Secretariat's


def test_the_secretariat_renames_a_group_and_the_name_is_kept(app_db):
    at = open_page(PAGE, "secretariat", {"year": "2025"}, timeout=120)
    key = next(b.key for b in at.button if b.key and b.key.startswith("rename_"))[len("rename_"):]
    at.text_input(key=f"name_{key}").set_value("Money <b>matters</b>")
    at.button(key=f"rename_{key}").click().run()
    assert not at.exception and not at.error
    assert any("Money \\<b\\>matters\\</b\\>" in m.value for m in at.markdown)  # escaped, as written
    with Session(make_engine(app_db)) as s:
        assert s.exec(select(ReportThemeGroup.name)).all() == ["Money <b>matters</b>"]
        assert "rename" in s.exec(select(AuditEvent.action).where(AuditEvent.entity == "report_theme_group")).all()
    again = open_page(PAGE, "secretariat", {"year": "2025"}, timeout=120)
    assert any("Money \\<b\\>matters\\</b\\>" in m.value for m in again.markdown)


@pytest.mark.parametrize("user", ["focal", "reporter"])
def test_focal_points_and_reporters_cannot_open_it(app_db, user):
    assert not reachable(PAGE, user)
