"""The benchmark's data generator at a tiny scale: the counts asked for, the register spread like the
real one, rows that refer to rows that exist, and the same data for the same seed.
(The benchmark itself is not part of the test run.)"""

from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlmodel import Session

from bench.generate import ADMIN_USER, LEADER_USER, SECRETARIAT_USER, TOTAL_RESOLUTIONS, fill, generate
from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    Congress,
    ProgressReport,
    ProgressReportRevision,
    Resolution,
    YearlyAnalysis,
)
from services.users import actor_for

ACTIVITY, PROGRESS, MEMBERS = 400, 300, 12


def _scalar(session: Session, sql: str) -> int:
    return session.execute(text(sql)).scalar()


def _year(value) -> int:
    return value.year if hasattr(value, "year") else int(str(value)[:4])


def test_fills_the_counts_asked_for_with_the_register_spread_like_the_real_one(engine):
    counts = fill(engine, activity_reports=ACTIVITY, progress_reports=PROGRESS, members=MEMBERS, log=lambda _: None)
    assert counts["resolution"] == TOTAL_RESOLUTIONS
    assert counts["activity_report"] == ACTIVITY
    assert counts["progress_report"] == PROGRESS
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Resolution)) == 1614
        assert s.scalar(select(func.count()).select_from(ActivityReport)) == ACTIVITY
        assert s.scalar(select(func.count()).select_from(ProgressReport)) == PROGRESS
        per_congress = dict(s.execute(
            select(Congress.code, func.count(Resolution.id)).join(Resolution, Resolution.congress_id == Congress.id)
            .group_by(Congress.code)).all())
        assert len(per_congress) == s.scalar(select(func.count()).select_from(Congress)) == 27
        known = dict(s.execute(select(Congress.code, Congress.adopted_count)
                               .where(Congress.adopted_count.is_not(None))).all())
        assert known and all(per_congress[code] == n for code, n in known.items())  # e.g. WCC-2012: 183
        # every report names at least one Resolution and one action type
        assert s.scalar(select(func.count(func.distinct(ActivityReportResolution.activity_report_id)))) == ACTIVITY
        assert s.scalar(select(func.count(func.distinct(ActivityReportActionType.activity_report_id)))) == ACTIVITY
        # Progress Reports: every year of 2017-2026, published ones with their revisions and status
        years = s.execute(select(ProgressReport.year).distinct()).scalars().all()
        assert set(years) <= set(range(2017, 2027)) and len(years) > 1
        assert _scalar(s, "SELECT COUNT(*) FROM progress_report WHERE (state = 'published') != "
                          "(published_status IS NOT NULL)") == 0
        assert _scalar(s, "SELECT COUNT(*) FROM progress_report p WHERE p.revision != (SELECT COUNT(*) FROM "
                          "progress_report_revision v WHERE v.progress_report_id = p.id)") == 0
        assert s.scalar(select(func.count()).select_from(ProgressReportRevision)) >= _scalar(
            s, "SELECT COUNT(*) FROM progress_report WHERE state = 'published'") > 0
        assert s.scalar(select(func.count()).select_from(YearlyAnalysis)) == 10
        # the accounts the benchmark signs in with
        assert "secretariat" in actor_for(session=s, username=SECRETARIAT_USER).roles
        assert "leadership" in actor_for(session=s, username=LEADER_USER).roles
        assert "admin" in actor_for(session=s, username=ADMIN_USER).roles


def test_rows_refer_to_rows_that_exist_and_the_app_can_keep_writing(engine):
    fill(engine, activity_reports=ACTIVITY, progress_reports=PROGRESS, members=MEMBERS, log=lambda _: None)
    orphans = {
        "link to resolution": "SELECT COUNT(*) FROM activity_report_resolution l LEFT JOIN resolution r "
                              "ON r.id = l.resolution_id WHERE r.id IS NULL",
        "link to report": "SELECT COUNT(*) FROM activity_report_resolution l LEFT JOIN activity_report a "
                          "ON a.id = l.activity_report_id WHERE a.id IS NULL",
        "report to component": "SELECT COUNT(*) FROM activity_report a LEFT JOIN component c "
                               "ON c.id = a.component_id WHERE c.id IS NULL",
        "author not of the component": "SELECT COUNT(*) FROM activity_report a WHERE NOT EXISTS (SELECT 1 FROM "
                                       "user_component uc WHERE uc.user_id = a.author_id AND "
                                       "uc.component_id = a.component_id)",
        "source not submitted": "SELECT COUNT(*) FROM progress_report_source ps JOIN activity_report a "
                                "ON a.id = ps.activity_report_id WHERE a.state != 'submitted'",
        "source on another Resolution": "SELECT COUNT(*) FROM progress_report_source ps JOIN progress_report p "
                                        "ON p.id = ps.progress_report_id WHERE NOT EXISTS (SELECT 1 FROM "
                                        "activity_report_resolution l WHERE l.activity_report_id = "
                                        "ps.activity_report_id AND l.resolution_id = p.resolution_id)",
        "locked but not cited by a published report": "SELECT COUNT(*) FROM activity_report a WHERE a.locked "
                                                      "AND NOT EXISTS (SELECT 1 FROM progress_report_source ps "
                                                      "JOIN progress_report p ON p.id = ps.progress_report_id "
                                                      "WHERE ps.activity_report_id = a.id AND "
                                                      "p.state = 'published')",
        "Resolution without focal point": "SELECT COUNT(*) FROM progress_report p WHERE NOT EXISTS (SELECT 1 "
                                          "FROM focal_point_assignment f WHERE f.resolution_id = p.resolution_id "
                                          "AND f.user_id = p.author_id)",
    }
    with Session(engine) as s:
        assert {name: _scalar(s, sql) for name, sql in orphans.items()} == dict.fromkeys(orphans, 0)
        first_report = s.execute(text(
            "SELECT c.year, MIN(a.period_start) FROM activity_report_resolution l JOIN activity_report a ON a.id = "
            "l.activity_report_id JOIN resolution r ON r.id = l.resolution_id JOIN congress c ON c.id = "
            "r.congress_id GROUP BY c.year")).all()
        assert first_report and all(_year(first) > year for year, first in first_report)  # after the Congress
    # ids continue after the generated rows (PostgreSQL sequences moved past them)
    with Session(engine) as s:
        template = s.get(ActivityReport, 1)
        extra = ActivityReport(component_id=template.component_id, author_id=template.author_id, title="After",
                               state="draft", created_at=datetime.now(UTC), updated_at=datetime.now(UTC))
        s.add(extra)
        s.commit()
        assert extra.id == ACTIVITY + 1


def test_same_seed_same_data(tmp_path):
    digests = []
    for name in ("a", "b"):
        url = f"sqlite:///{tmp_path / name}.db"
        generate(url, activity_reports=200, progress_reports=100, members=5, log=lambda _: None)
        engine = make_engine(url)
        with engine.connect() as conn:
            digests.append([
                conn.execute(text("SELECT id, component_id, title, submitted_at FROM activity_report "
                                  "ORDER BY id")).all(),
                conn.execute(text("SELECT resolution_id, year, status, state FROM progress_report "
                                  "ORDER BY id")).all(),
            ])
        engine.dispose()
    assert digests[0] == digests[1]
    assert len(digests[0][0]) == 200 and len(digests[0][1]) == 100
