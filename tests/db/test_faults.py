"""Transactions under faults: a write and its audit event commit together or not at all (savepoints included),
and a SQLite writer waits for the lock instead of failing, on both databases where it applies."""

import sqlite3
import threading

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlmodel import Session, func, select

from db.engine import make_engine, transaction
from db.models import AuditEvent, YearlyAnalysis
from services import audit
from services import yearly_analysis as ya
from tests import factories as f

TEXT = {"key_messages": "Most Resolutions are underway."}


@pytest.fixture
def secretariat(engine):
    with Session(engine) as s:
        actor = f.actor(s, f.user(s, "secretariat", ("secretariat",)))
        s.commit()
    return actor


def _counts(engine) -> tuple[int, int]:
    with Session(engine) as s:
        return (s.exec(select(func.count()).select_from(YearlyAnalysis)).one(),
                s.exec(select(func.count()).select_from(AuditEvent)).one())


def test_first_yearly_analysis_save_rolls_back_with_its_audit_event(engine, secretariat, monkeypatch):
    """The first save flushes the row inside a savepoint (to catch a concurrent creation); releasing it must
    not commit on SQLite: when the audit event fails afterwards, neither the row nor any event remains."""
    before = _counts(engine)

    def broken_record(*args, **kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(audit, "record", broken_record)
    with pytest.raises(RuntimeError), transaction(engine) as s:
        ya.save_draft(session=s, actor=secretariat, congress="WCC-2020", year=2024, narrative=TEXT, version=None)
    assert _counts(engine) == before

    monkeypatch.undo()  # the same save with a working audit trail: the row and its event, together
    with transaction(engine) as s:
        ya.save_draft(session=s, actor=secretariat, congress="WCC-2020", year=2024, narrative=TEXT, version=None)
    assert _counts(engine) == (before[0] + 1, before[1] + 1)


def test_a_released_savepoint_is_undone_by_the_rollback_of_its_transaction(engine):
    """The general rule beneath the yearly analysis case, for any savepoint."""
    before = _counts(engine)[1]
    with pytest.raises(RuntimeError), transaction(engine) as s:
        with s.begin_nested():
            audit.record(s, actor=None, action="probe", entity="probe", entity_id="1", before={}, after={"x": 1})
        assert s.exec(select(func.count()).select_from(AuditEvent)).one() == before + 1
        raise RuntimeError("the write after the savepoint fails")
    assert _counts(engine)[1] == before


def _sqlite_file(engine) -> str | None:
    return engine.url.database if engine.dialect.name == "sqlite" else None


def test_sqlite_pragmas_still_apply_outside_any_transaction(engine):
    if engine.dialect.name != "sqlite":
        assert engine.pool._pre_ping  # PostgreSQL: a dropped connection is replaced, not handed out
        return
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    short = make_engine(f"sqlite:///{_sqlite_file(engine)}?timeout=0.25")
    with short.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 250
    short.dispose()


def _hold_write_lock(path: str):
    """Another process's writer: a plain sqlite3 connection inside BEGIN IMMEDIATE."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_locked_sqlite_write_fails_cleanly_after_the_busy_timeout_and_writes_nothing(engine):
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL has row locks, not a database lock; its faults are in tests/pages/test_fault_screens
    short = make_engine(f"sqlite:///{_sqlite_file(engine)}?timeout=0.2")
    before = _counts(engine)[1]
    other = _hold_write_lock(_sqlite_file(engine))
    try:
        with pytest.raises(sa_exc.OperationalError, match="database is locked"), transaction(short) as s:
            audit.record(s, actor=None, action="probe", entity="probe", entity_id="1", before={}, after={})
    finally:
        other.rollback()
        other.close()
    assert _counts(engine)[1] == before
    with transaction(short) as s:  # the lock released: the same write goes through
        audit.record(s, actor=None, action="probe", entity="probe", entity_id="1", before={}, after={})
    assert _counts(engine)[1] == before + 1
    short.dispose()


def test_a_sqlite_writer_waits_for_the_lock_instead_of_failing(engine):
    """The busy timeout is the retry: a write started while another holds the lock goes through once it is
    released. The write path begins IMMEDIATE, so even a transaction that reads first and writes later
    waits at its start instead of failing at its first write (a stale WAL snapshot is never retried)."""
    if engine.dialect.name != "sqlite":
        return
    before = _counts(engine)[1]
    other = _hold_write_lock(_sqlite_file(engine))
    started, done = threading.Event(), threading.Event()

    def write() -> None:
        started.set()
        with transaction(engine) as s:
            s.exec(select(func.count()).select_from(AuditEvent)).one()  # read first ...
            audit.record(s, actor=None, action="probe", entity="probe", entity_id="1", before={}, after={})
        done.set()

    worker = threading.Thread(target=write)
    worker.start()
    started.wait(5)
    assert not done.wait(0.3)  # waiting for the lock, not failed
    other.commit()  # the other writer finishes and releases the lock
    other.close()
    worker.join(10)
    assert done.is_set()
    assert _counts(engine)[1] == before + 1


def test_reads_do_not_take_the_write_lock(engine):
    if engine.dialect.name != "sqlite":
        return
    other = _hold_write_lock(_sqlite_file(engine))
    try:
        with Session(engine) as s:  # pages' reads: a deferred transaction, never waiting for a writer
            assert s.exec(text("SELECT count(*) FROM audit_event")).one()[0] >= 0
    finally:
        other.rollback()
        other.close()
