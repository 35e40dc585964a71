"""The Alembic migrations build the schema from nothing on both databases, undo it, and match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
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
