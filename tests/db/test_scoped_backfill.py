"""Migration 0014 (issue 13): existing audit events get their entity's scope (db/scopes.py), unknown entities
none (every scoped read counts them), and no Congress; on both databases."""

import pytest
from sqlalchemy import text

from db.engine import make_engine
from db.migrate import upgrade
from db.scopes import scope_of
from tests.conftest import BACKENDS, _scratch_postgres

ENTITIES = ("activity_report", "progress_report", "resolution", "sign_in", "user", "operative_paragraph")


@pytest.mark.parametrize("backend", BACKENDS)
def test_existing_events_get_the_scope_of_their_entity(backend, tmp_path):
    url, drop = (f"sqlite:///{tmp_path / 'old.db'}", lambda: None) if backend == "sqlite" else _scratch_postgres()
    engine = make_engine(url)
    try:
        upgrade(engine, "0013")
        with engine.begin() as c:
            for entity in ENTITIES:
                c.execute(text("INSERT INTO audit_event (at, action, entity) VALUES (CURRENT_TIMESTAMP, 'x', :e)"),
                          {"e": entity})
        upgrade(engine)
        with engine.connect() as c:
            rows = c.execute(text("SELECT entity, scope, congress_id FROM audit_event ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(e, scope_of(e), None) for e in ENTITIES]
        assert scope_of("operative_paragraph") is None and scope_of("activity_report") == "activity"
    finally:
        engine.dispose()
        drop()
