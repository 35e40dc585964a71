"""The yearly cycle in a real browser: the demo focal point writes and submits a Progress Report, the demo
Secretariat user publishes it, and the Resolution's timeline shows it. Also the CSV upload of assignments."""

from datetime import date

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import FocalPointAssignment, ProgressReport, Resolution, User
from tests.e2e.conftest import sign_in, wait_idle

pytestmark = pytest.mark.e2e
YEAR = date.today().year


def go(page, label: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=label).click()
    wait_idle(page)


def database(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'e2e.db'}")  # the live app's private copy


def unwritten_resolution(engine) -> str:
    """A Resolution of the demo focal point with no Progress Report this year."""
    with Session(engine) as s:
        mine = s.exec(select(Resolution.code).join(FocalPointAssignment)
                      .join(User, User.id == FocalPointAssignment.user_id)
                      .where(User.username == "focal", Resolution.code.like("WCC-2025-%"))
                      .order_by(Resolution.code)).all()
        written = set(s.exec(select(Resolution.code).join(ProgressReport).where(ProgressReport.year == YEAR)))
    return next(code for code in mine if code not in written)


def report(engine, code: str) -> ProgressReport | None:
    with Session(engine) as s:
        return s.exec(select(ProgressReport).join(Resolution)
                      .where(Resolution.code == code, ProgressReport.year == YEAR)).first()


def test_focal_point_writes_secretariat_publishes_timeline_shows_it(live_app, page, tmp_path):
    engine = database(tmp_path)
    code = unwritten_resolution(engine)

    sign_in(page, live_app, "focal", "Demo-Focal-2026")
    go(page, "My Resolutions")
    page.locator(f"a[href*='code={code}&']").click()
    wait_idle(page)
    page.get_by_text(f"Progress Report {YEAR}").first.wait_for()
    page.get_by_text("Underway", exact=True).click()
    summary = page.get_by_label("Summary of progress")
    summary.fill("Two workshops and a policy brief moved the Resolution forward.")
    sources = page.locator("[data-testid='stCheckbox']")
    if sources.count():
        sources.first.click()
        wait_idle(page)
        assert summary.input_value().startswith("Two workshops")  # ticking a source keeps the typed text
    page.get_by_role("button", name="Submit for review").click()
    wait_idle(page)
    page.get_by_text("Submitted for review").first.wait_for()
    submitted = report(engine, code)
    assert submitted.state == "in_review" and submitted.status == "Underway"

    # the Secretariat user works in a browser of their own
    context = page.context.browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_app, "secretariat", "Demo-Secretariat-2026")
    go(page, "Review queue")
    page.locator(f"a[href*='code={code}&']").click()
    wait_idle(page)
    page.get_by_text("Two workshops and a policy brief").wait_for()
    page.get_by_role("button", name="Publish").click()
    wait_idle(page)
    page.get_by_text(f"Published: {code} is now shown as Underway for {YEAR}.").wait_for()
    published = report(engine, code)
    assert (published.state, published.published_status, published.revision) == ("published", "Underway", 1)

    page.get_by_role("link", name="See the Resolution").click()
    wait_idle(page)
    page.get_by_text("Implementation status over the years").wait_for()
    page.get_by_text(f"{YEAR}: Underway").wait_for()
    page.get_by_text(f"{YEAR} · Underway").click()
    page.get_by_text("Two workshops and a policy brief moved the Resolution forward.").wait_for()
    context.close()


def test_bulk_assignment_upload_reports_bad_rows_then_imports(live_app, page, tmp_path):
    engine = database(tmp_path)
    sign_in(page, live_app, "secretariat", "Demo-Secretariat-2026")
    go(page, "Focal points and deadlines")
    page.get_by_role("tab", name="Bulk import").click()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,username\nWCC-2025-Res-005,focal\nWCC-2025-Res-999,focal\nWCC-2025-Res-005,reporter\n",
                   encoding="utf-8")
    page.locator("input[type='file']").set_input_files(str(bad))
    page.get_by_text("bad.csv").wait_for()  # uploaded before the form is sent
    wait_idle(page)
    page.get_by_role("button", name="Check and import").click()
    wait_idle(page)
    page.get_by_text("Nothing was imported: 2 problems found.").wait_for()

    def holders():
        with Session(engine) as s:  # a fresh read each time: a session's transaction keeps its snapshot
            return set(s.exec(select(User.username).join(FocalPointAssignment, FocalPointAssignment.user_id == User.id)
                              .join(Resolution).where(Resolution.code == "WCC-2025-Res-005")))

    assert holders() == set()
    good = tmp_path / "good.csv"
    good.write_text("code,username\nWCC-2025-Res-005,focal\n", encoding="utf-8")
    page.locator("input[type='file']").set_input_files(str(good))
    page.get_by_text("good.csv").wait_for()
    wait_idle(page)
    page.get_by_role("button", name="Check and import").click()
    wait_idle(page)
    page.get_by_text("Imported: 1 new assignment").wait_for()
    assert holders() == {"focal"}
