"""The bulk write helpers of the imports: the garbage collector paused and put back, SQLite's cache set back."""

import gc
from datetime import date

import pytest
from sqlalchemy import insert, select
from sqlmodel import Session

from db.engine import transaction
from db.models import AuditEvent, FocalPointAssignment, Resolution
from services.bulk_write import gc_paused, large_cache, prepare, prepare_update
from tests import factories


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_paused_inside_and_on_again_after_the_last_pause_even_on_error(collector_on):
    with gc_paused():
        assert not gc.isenabled()
        with pytest.raises(ValueError), gc_paused():
            raise ValueError("an import that fails")
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_the_sqlite_cache_is_raised_inside_and_set_back_after(engine):
    with transaction(engine) as session:
        connection = session.connection()
        if engine.dialect.name != "sqlite":
            with large_cache(session):  # nothing to do on PostgreSQL
                assert connection.exec_driver_sql("SELECT 1").scalar() == 1
            return
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        with large_cache(session, mebibytes=8):
            assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -8192
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == before


def test_prepared_rows_are_stored_as_the_orm_stores_them(engine):
    """Dates, a repeated timestamp and JSON (None and dicts in one column) through the bulk path."""
    with Session(engine) as s:
        user = factories.user(s, "bulk", ("secretariat",))
        first, second = factories.resolution(s, 1), factories.resolution(s, 2)
        s.commit()
        ids, user_id = (first.id, second.id), user.id
    at = AuditEvent().at  # as the model's default makes it
    with transaction(engine) as s:
        dialect = s.get_bind().dialect
        prepare(dialect, insert(FocalPointAssignment.__table__), {
            "resolution_id": list(ids), "user_id": [user_id] * 2, "since": [date(2026, 1, 2)] * 2}).run(s)
        prepare(dialect, insert(AuditEvent.__table__), {
            "at": [at] * 2, "user_id": [user_id] * 2, "action": ["assign", "import"], "entity": ["test"] * 2,
            "entity_id": ["a", None], "before": [None, {"n": 1}], "after": [{"day": "2026-01-02", "list": [1]}, None],
        }).run(s)
    with Session(engine) as s:
        assert sorted(s.execute(select(FocalPointAssignment.resolution_id, FocalPointAssignment.since)).all()) == [
            (ids[0], date(2026, 1, 2)), (ids[1], date(2026, 1, 2))]
        events = s.exec(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
    assert [(e.action, e.entity_id, e.before, e.after) for e in events] == [
        ("assign", "a", None, {"day": "2026-01-02", "list": [1]}), ("import", None, {"n": 1}, None)]
    assert all(e.at == at for e in events)


def test_nothing_to_write_runs_nothing(engine):
    with transaction(engine) as s:
        prepare(s.get_bind().dialect, insert(AuditEvent.__table__), {"action": []}).run(s)
        prepare(s.get_bind().dialect, insert(AuditEvent.__table__), {}).run(s)
    with Session(engine) as s:
        assert s.exec(select(AuditEvent.id)).all() == []


def test_an_update_batch_sets_each_row_by_its_key_and_leaves_the_others(engine):
    with Session(engine) as s:
        rows = [factories.resolution(s, n) for n in (1, 2, 3)]
        s.commit()
        ids = [r.id for r in rows]
    with transaction(engine) as s:
        prepare_update(s.get_bind().dialect, Resolution.__table__, "id", {
            "id": [ids[2], ids[0]], "title": ["Third, renamed", "First, renamed"],
            "status": ["archived", "archived"], "archived_on": [date(2020, 1, 1), date(2021, 2, 3)],
            "number": [33, 11]}).run(s)
        prepare_update(s.get_bind().dialect, Resolution.__table__, "id", {"id": [], "title": []}).run(s)
    with Session(engine) as s:
        found = s.execute(select(Resolution.id, Resolution.title, Resolution.number, Resolution.archived_on)
                          .order_by(Resolution.id)).all()
    assert [tuple(r) for r in found] == [(ids[0], "First, renamed", 11, date(2021, 2, 3)),
                                         (ids[1], "Test resolution 2", 2, None),
                                         (ids[2], "Third, renamed", 33, date(2020, 1, 1))]
