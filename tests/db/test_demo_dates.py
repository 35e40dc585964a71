"""The demo data set never dates anything in the future (issue 11, item 9): "oldest first", "submitted on"
and every "since" read wrong otherwise."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, func, select
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db.engine import make_engine
from db.models import as_utc

AHEAD_BY_NATURE = {"expires_at", "blocked_until", "next_attempt_at"}  # when something will lapse or retry


def test_no_demo_timestamp_is_in_the_future(demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    now = datetime.now(UTC)
    latest = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(getattr(column.type, "impl", column.type), DateTime) and \
                        column.name not in AHEAD_BY_NATURE:
                    latest[f"{table.name}.{column.name}"] = as_utc(conn.execute(select(func.max(column))).scalar())
    engine.dispose()
    assert "progress_report.published_at" in latest and "review_comment.created_at" in latest
    future = {name: at for name, at in latest.items() if at is not None and at > now}
    assert future == {}


def test_the_review_queue_has_an_oldest(demo_file):
    """The reports waiting for review were submitted on different days, so "oldest first" means something."""
    engine = make_engine(f"sqlite:///{demo_file}")
    with engine.connect() as conn:
        days = conn.exec_driver_sql("SELECT count(DISTINCT date(updated_at)), count(*) FROM progress_report "
                                    "WHERE state = 'in_review'").first()
    engine.dispose()
    assert days[1] > 1 and days[0] > 1
