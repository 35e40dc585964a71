"""Engines and sessions for SQLite (default, embedded) and PostgreSQL (production).

SQLite transactions are SQLAlchemy's, not the sqlite3 driver's: the driver's legacy mode sends no BEGIN
before a SELECT or a SAVEPOINT, so a savepoint opened first became the transaction and its RELEASE
committed (a write could then outlive the rollback of its audit event). Here the driver sends no BEGIN at
all (`isolation_level = None`) and SQLAlchemy's "begin" event sends it, as SQLAlchemy's SQLite
documentation advises; savepoints nest inside the real transaction on both databases.

Writes (`transaction`) begin with BEGIN IMMEDIATE on SQLite: the write lock is taken at the start and,
while another connection holds it, SQLite's busy handler keeps retrying for the busy timeout (30 s, or the
URL's `?timeout=` in seconds). A deferred transaction that read first would instead fail at once with
"database is locked" when another writer committed in between (WAL's stale snapshot, which no busy
timeout retries). Reads (`Session(engine)`) stay deferred, so they never wait for a writer.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_SECONDS = 30.0
_BEGIN = "rt_sqlite_begin"  # execution option: the BEGIN statement of a SQLite transaction


def normalise_url(url: str) -> str:
    """postgresql:// means psycopg 3 here, the only PostgreSQL driver we install."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, **kwargs) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        busy = float(parsed.query.get("timeout", SQLITE_BUSY_SECONDS))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy}, **kwargs)
        event.listen(engine, "connect", _sqlite_connect(busy))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _sqlite_connect(busy_seconds: float):
    def connect(dbapi_connection, _record) -> None:
        # No BEGIN from the driver (see the module docstring); this also runs the PRAGMAs below outside
        # any transaction, where journal_mode must run.
        dbapi_connection.isolation_level = None
        # WAL and a busy timeout let several Streamlit sessions read while one writes.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_seconds * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return connect


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql(connection.get_execution_options().get(_BEGIN, "BEGIN"))


def _writer(engine: Engine) -> Engine:
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{_BEGIN: "BEGIN IMMEDIATE"})


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error (the write and its audit
    event together, on both databases)."""
    with Session(_writer(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
