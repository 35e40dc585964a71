"""The Alembic migrations build the schema from nothing on both databases, undo it, and match the models."""

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db.engine import make_engine
from db.migrate import downgrade, upgrade

MODEL_TABLES = set(SQLModel.metadata.tables)


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def _differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, SQLModel.metadata)


def _revision(engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_upgrade_from_empty_builds_every_table(empty_engine):
    assert _tables(empty_engine) == set()
    upgrade(empty_engine)
    assert _tables(empty_engine) == MODEL_TABLES
    assert _revision(empty_engine) is not None


def test_migrated_schema_matches_the_models(empty_engine):
    upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_downgrade_to_base_and_up_again(empty_engine):
    upgrade(empty_engine)
    head = _revision(empty_engine)
    downgrade(empty_engine, "base")
    assert _tables(empty_engine) == set()
    assert _revision(empty_engine) is None
    upgrade(empty_engine)
    assert _tables(empty_engine) == MODEL_TABLES
    assert _revision(empty_engine) == head
    assert _differences(empty_engine) == []


def test_upgrade_twice_changes_nothing(empty_engine):
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert _differences(empty_engine) == []


# -- 0005: a Progress Report draft may have no status (issue 11, item 10) ----------------------------------
PR_TABLES = ("progress_report", "progress_report_source", "progress_report_component", "progress_report_revision")


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in PR_TABLES}


def test_0005_keeps_every_report_and_what_points_at_it(demo_file, tmp_path):
    """On SQLite, with foreign keys on, a copy of progress_report (Alembic's batch mode) would cascade to
    its sources and components (ON DELETE CASCADE) or fail: 0005 changes it in place, down and up again."""
    copy = tmp_path / "demo.db"
    copy.write_bytes(demo_file.read_bytes())
    engine = make_engine(f"sqlite:///{copy}")
    before = _counts(engine)
    assert all(before.values()), before  # the demo data has rows in each
    downgrade(engine, "0004")
    assert _counts(engine) == before
    upgrade(engine)
    assert _counts(engine) == before
    assert _differences(engine) == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").first() is None
    engine.dispose()


def _insert_report(conn, *, state: str, status: str | None) -> None:
    ids = conn.execute(text("SELECT r.id, u.id FROM resolution r, app_user u")).first()
    conn.execute(text(
        "INSERT INTO progress_report (resolution_id, year, author_id, status, challenge_categories, state, version,"
        " revision, created_at, updated_at) VALUES (:r, 2026, :u, :status, '[]', :state, 1, 0, :now, :now)"),
        {"r": ids[0], "u": ids[1], "status": status, "state": state, "now": datetime.now(UTC)})


def test_0005_a_draft_needs_no_status_but_a_report_in_review_does(engine):
    from db.demo import load_demo_data

    load_demo_data(engine, password_rounds=4)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM progress_report_source"))
        conn.execute(text("DELETE FROM progress_report_component"))
        conn.execute(text("DELETE FROM progress_report_revision"))
        conn.execute(text("DELETE FROM progress_report"))
    with engine.begin() as conn:
        _insert_report(conn, state="draft", status=None)
    for state, status in (("in_review", None), ("published", None), ("draft", "Nearly done")):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("DELETE FROM progress_report"))
            _insert_report(conn, state=state, status=status)
