"""The status timeline and the published Progress Reports on the Resolution page (every role)."""

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import ProgressReport, ProgressReportRevision, Resolution
from tests.pages.apptest import open_page

PAGE = "pages/resolution.py"


def published_by_year(app_db, code: str) -> dict[int, tuple[str, str]]:
    """year -> (published status, summary of the latest revision)."""
    with Session(make_engine(app_db)) as s:
        rows = s.exec(select(ProgressReport.year, ProgressReportRevision)
                      .join(ProgressReportRevision).join(Resolution).where(Resolution.code == code)
                      .order_by(ProgressReportRevision.revision)).all()
    return {year: (rev.status, rev.content["summary"]) for year, rev in rows}


def code_with_gap(app_db) -> str:
    """A demo Resolution with published reports and a year without one in between."""
    with Session(make_engine(app_db)) as s:
        for code in s.exec(select(Resolution.code).where(Resolution.code.like("WCC-2020-Res-%"))
                           .order_by(Resolution.code)):
            years = sorted(published_by_year(app_db, code))
            if len(years) >= 2 and len(years) < years[-1] - years[0] + 1:
                return code
    raise AssertionError("no such Resolution in the demo data")


@pytest.mark.parametrize("user", ["leader", "reporter", "focal", "secretariat", "admin"])
def test_timeline_and_full_reports(app_db, user):
    code = code_with_gap(app_db)
    published = published_by_year(app_db, code)
    at = open_page(PAGE, user, {"code": code})
    assert not at.exception
    badges = [m.value for m in at.markdown if "-badge[" in m.value and ": " in m.value]
    first, last = min(published), max(published)
    for year in range(first, last + 1):
        status = published[year][0] if year in published else "No Progress Report"  # past demo years: none at all
        assert any(f"{year}: {status}]" in b for b in badges), (year, status, badges)
    assert at.get("plotly_chart")
    labels = [e.label for e in at.expander]
    for year, (status, _summary) in published.items():
        assert f"{year} · {status}" in labels
    newest = next(e for e in at.expander if e.label == f"{last} · {published[last][0]}")
    assert published[last][1] in [t.value for t in newest.text]


def test_resolution_without_reports_says_so(app_db):
    at = open_page(PAGE, "leader", {"code": "WCC-2000-Res-001"})
    assert not at.exception
    assert "No Progress Report yet, so no status to show." in [c.value for c in at.caption]
    assert not at.get("plotly_chart")
