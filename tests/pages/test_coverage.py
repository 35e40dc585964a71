"""The coverage page on the demo data: Secretariat, focal point and admin see it; reporter and leader cannot.
Expected figures come from plain queries on the demo database, independent of analytics/coverage.py."""

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    Resolution,
    User,
)
from tests.pages.apptest import deferred_downloads, open_page, reachable

PAGE = "pages/coverage.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected(app_db, year: int, congress: str, username: str | None = None) -> dict:
    """Per reporting state (published, in preparation: any unpublished report, none), the codes of the
    Congress' active Resolutions, straight from the tables."""
    with Session(make_engine(app_db)) as s:
        query = (select(Resolution.code, ProgressReport.state, ProgressReport.published_status)
                 .join(Congress)
                 .join(ProgressReport, (ProgressReport.resolution_id == Resolution.id)
                       & (ProgressReport.year == year), isouter=True)
                 .where(Congress.code == congress, Resolution.status == "active"))
        if username:
            mine = (select(FocalPointAssignment.resolution_id).join(User)
                    .where(User.username == username))
            query = query.where(Resolution.id.in_(mine))
        rows = s.exec(query).all()
    states = {"published": set(), "in_preparation": set(), "none": set()}
    for code, state, published in rows:
        states["published" if published else "in_preparation" if state else "none"].add(code)
    return states


@pytest.fixture
def downloads(monkeypatch):
    """The files download buttons offer, by file name: built only when read, as a click would."""
    builders = deferred_downloads(monkeypatch)

    class Built:
        def __getitem__(self, name: str) -> bytes:
            return builders[name]()

    return Built()


def test_secretariat_sees_every_state_and_downloads_the_missing_reports(app_db, downloads):
    at = open_page(PAGE, "secretariat", {"year": "2026", "congress": "WCC-2025"})
    assert not at.exception
    want = expected(app_db, 2026, "WCC-2025")
    shown = metrics(at)
    assert shown["Resolutions"] == f"{sum(len(v) for v in want.values()):,}"
    assert shown["Published"] == str(len(want["published"]))
    assert shown["In preparation"] == str(len(want["in_preparation"]))
    assert shown["No Progress Report"] == str(len(want["none"]))
    assert shown["Deadline 2026"] == "15 Dec"  # the demo calendar: 15 December each year
    assert at.selectbox(key="year").value == 2026 and at.selectbox(key="congress").value == "WCC-2025"
    assert not at.checkbox  # "Only my Resolutions" is for focal points

    rows = list(csv.DictReader(io.StringIO(downloads["missing-progress-reports-WCC-2025-2026.csv"]
                                           .decode("utf-8-sig"))))
    assert list(rows[0]) == ["Code", "Title", "Progress Report", "Focal points", "Emails", "Last reminder"]  # shown
    rows = [dict(zip(["code", "title", "state", "focal_points", "focal_emails"], r.values())) for r in rows]
    missing = want["in_preparation"] | want["none"]
    assert {r["code"] for r in rows} == missing and len(rows) == len(missing)
    with Session(make_engine(app_db)) as s:
        for row in rows:
            emails = s.exec(select(User.email).join(FocalPointAssignment).join(Resolution)
                            .where(Resolution.code == row["code"])).all()
            assert sorted(row["focal_emails"].split("; ") if row["focal_emails"] else []) == sorted(emails)
            state = {"In preparation": "in_preparation", "No Progress Report": "none"}[row["state"]]
            assert row["code"] in want[state]


def test_year_and_congress_come_from_the_url(app_db):
    at = open_page(PAGE, "secretariat", {"year": "2022", "congress": "WCC-2020"})
    assert not at.exception
    want = expected(app_db, 2022, "WCC-2020")
    assert metrics(at)["Published"] == str(len(want["published"]))
    assert metrics(at)["Resolutions"] == f"{sum(len(v) for v in want.values()):,}"
    assert at.metric[-1].delta.startswith("Overdue by")


def test_changing_the_year_follows_the_congress_and_the_url(app_db):
    at = open_page(PAGE, "secretariat")
    at.selectbox(key="year").set_value(2022).run()
    assert not at.exception
    assert at.selectbox(key="congress").value == "WCC-2020"
    assert at.query_params["year"] == "2022"
    want = expected(app_db, 2022, "WCC-2020")
    assert metrics(at)["Published"] == str(len(want["published"]))


def test_filter_by_state_from_the_url(app_db):
    at = open_page(PAGE, "secretariat", {"year": "2026", "congress": "WCC-2025", "state": ["none", "in_preparation"]})
    assert not at.exception
    want = expected(app_db, 2026, "WCC-2025")
    table = at.dataframe[0].value
    assert set(table["code"]) == want["none"] | want["in_preparation"]
    assert set(table["state"]) == {"No Progress Report", "In preparation"}


def test_focal_point_sees_everything_or_only_their_resolutions(app_db):
    at = open_page(PAGE, "focal", {"year": "2026", "congress": "WCC-2025"})
    assert not at.exception
    everything = expected(app_db, 2026, "WCC-2025")
    assert metrics(at)["Resolutions"] == f"{sum(len(v) for v in everything.values()):,}"
    at.checkbox(key="mine_box").check().run()
    assert not at.exception
    mine = expected(app_db, 2026, "WCC-2025", "focal")
    assert 0 < sum(len(v) for v in mine.values()) < sum(len(v) for v in everything.values())
    assert metrics(at)["Resolutions"] == str(sum(len(v) for v in mine.values()))
    assert metrics(at)["No Progress Report"] == str(len(mine["none"]))
    assert set(at.dataframe[0].value["code"]) == set().union(*mine.values())
    assert at.query_params["mine"] == "1"

    again = open_page(PAGE, "focal", {"year": "2026", "congress": "WCC-2025", "mine": "1"})
    assert again.checkbox(key="mine_box").value is True
    assert metrics(again)["Resolutions"] == str(sum(len(v) for v in mine.values()))


def test_components_that_reported(app_db):
    at = open_page(PAGE, "secretariat", {"year": "2026", "congress": "WCC-2025"})
    by_component = at.dataframe[3].value
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    with Session(make_engine(app_db)) as s:
        names = set(s.exec(
            select(Component.name).join(ActivityReport).join(ActivityReportResolution).join(Resolution)
            .join(Congress).where(Congress.code == "WCC-2025", ActivityReport.state == "submitted",
                                  ActivityReport.submitted_at >= start, ActivityReport.submitted_at < end)
        ).all())
        top = by_component.iloc[0]
        top_reports = s.exec(
            select(func.count(func.distinct(ActivityReport.id))).join(Component).join(ActivityReportResolution)
            .join(Resolution).join(Congress)
            .where(Component.name == top["component"], Congress.code == "WCC-2025",
                   ActivityReport.state == "submitted", ActivityReport.submitted_at >= start,
                   ActivityReport.submitted_at < end)
        ).one()
    assert set(by_component["component"]) == names
    tables = len(at.dataframe)  # the matrix is drawn only when asked for (issue 13: bytes per view)
    at.toggle(key="coverage_matrix").set_value(True).run()
    assert len(at.dataframe) == tables + 1
    matrix = at.dataframe[4].value  # component x Resolution: every cell sums to the reports per component
    assert set(matrix["component"]) == names
    assert (matrix.set_index("component") != "").sum(axis=1).to_dict() == dict(
        zip(by_component["component"], by_component["resolution_count"]))
    assert top["reports"] == top_reports == by_component["reports"].max()


def test_admin_sees_coverage(app_db):
    at = open_page(PAGE, "admin", {"year": "2026", "congress": "WCC-2025"})
    assert not at.exception
    want = expected(app_db, 2026, "WCC-2025")
    assert metrics(at)["Published"] == str(len(want["published"]))


@pytest.mark.parametrize("user", ["reporter", "leader"])
def test_reporter_and_leader_cannot_reach_coverage(app_db, user):
    assert not reachable(PAGE, user)


def test_secretariat_focal_and_admin_can_reach_coverage(app_db):
    assert all(reachable(PAGE, user) for user in ("secretariat", "focal", "admin"))


def test_the_state_table_shows_no_none_and_keeps_every_column_in_sight(app_db):
    """Issue 11, item 11: titles were cut at about 25 characters, empty cells read "None", columns ran off."""
    import json

    at = open_page("pages/coverage.py", "secretariat")
    table = next(df for df in at.dataframe if "title" in df.value.columns)
    assert table.proto.placeholder == "—"
    config = {k: c for k, c in json.loads(table.proto.columns).items() if not c.get("hidden")}
    assert config["title"]["width"] >= 300
    assert sum(c["width"] for c in config.values()) + 35 <= 980  # with the selection boxes, at 1440 px
