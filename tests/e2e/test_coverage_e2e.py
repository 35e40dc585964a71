"""In real Chromium: the Secretariat opens the coverage view, reads who still owes what and downloads the
CSV of missing reports; its rows are the Resolutions without a published Progress Report."""

import csv
import io

import pytest
from sqlmodel import Session, select

from analytics import coverage
from db.engine import make_engine
from db.models import Congress, ProgressReport, Resolution
from tests.e2e.conftest import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def test_secretariat_downloads_the_missing_reports(page, live_app, demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        published = set(s.exec(
            select(Resolution.code).join(Congress).join(ProgressReport)
            .where(Congress.code == "WCC-2025", ProgressReport.year == 2026,
                   ProgressReport.published_status.is_not(None))
        ).all())
        everything = set(s.exec(select(Resolution.code).join(Congress).where(
            Congress.code == "WCC-2025", Resolution.status == "active")).all())
    engine.dispose()
    missing = everything - published

    sign_in(page, live_app, "secretariat", "Demo-Secretariat-2026")
    page.locator("[data-testid='stSidebarNav']").get_by_text("Coverage", exact=True).click()  # once
    wait_idle(page)
    page.get_by_role("heading", name="Reporting coverage").wait_for(timeout=90_000)
    page.get_by_role("tab", name=f"Missing reports ({len(missing)})").click()
    wait_idle(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download missing reports (CSV)").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert {r["Code"] for r in rows} == missing  # the headers shown on the page
    assert all(r["Progress Report"] in [coverage.COVERAGE_LABELS[state] for state in coverage.MISSING_STATES]
               for r in rows)
