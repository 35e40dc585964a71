"""Many rows in one statement, for the imports: prepared before the write transaction, run inside it.

`prepare` converts the parameter sets once, outside any lock, so that `Batch.run` is little more than the
database's own work: the driver's executemany on SQLite, COPY for an INSERT on PostgreSQL (psycopg);
anything else SQLAlchemy runs as it is. Values are converted column by column with SQLAlchemy's own bind
processors (dates, datetimes, JSON), so what is stored is what the ORM would store; a value that repeats
down a column (the import's one timestamp, a date) is converted once.

`gc_paused` keeps Python's cyclic garbage collector from running while an import holds its rows: each
collection would walk the hundreds of thousands of live row objects again, and allocating them triggers
many (a third to a half of a 100,000-row import's time). Reference counting still frees what is dropped.

`large_cache` gives SQLite room for a bulk write's pages: with the default 2 MB cache the table and index
pages being filled are spilled to the WAL again and again while the write holds the lock.
"""

import gc
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import JSON, bindparam, insert, update
from sqlmodel import Session


@dataclass
class Batch:
    """One statement and its parameter sets."""

    statement: object
    rows: list[dict]  # for SQLAlchemy, when it runs the statement itself
    sql: str | None = None  # SQLite: the statement; PostgreSQL: the COPY command
    params: list[tuple] | None = None
    before: tuple[str, ...] = ()  # PostgreSQL: statements around the COPY (an update's scratch table)
    after: tuple[str, ...] = ()

    def run(self, session: Session) -> None:
        if not (self.rows or self.params):
            return
        connection = session.connection()
        if self.sql is None:
            connection.execute(self.statement, self.rows)
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql(self.sql, self.params)
        else:
            for sql in self.before:
                connection.exec_driver_sql(sql)
            with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(self.sql) as copy:
                for row in self.params:
                    copy.write_row(row)
            for sql in self.after:
                connection.exec_driver_sql(sql)


def prepare(dialect, statement, columns: dict[str, list]) -> Batch:
    """The batch of `statement` (an insert, or an update with bindparams, of one table) for the parameter
    sets given column by column: {name: [value of row 1, value of row 2, ...]}, every list as long."""
    keys = list(columns)
    if not keys or not columns[keys[0]]:
        return Batch(statement, [])
    copy = dialect.name == "postgresql" and dialect.driver == "psycopg" and statement.is_insert
    if not (dialect.name == "sqlite" or copy):
        return Batch(statement, [dict(zip(keys, values)) for values in zip(*columns.values())])
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    names = compiled.positiontup if dialect.name == "sqlite" else keys
    converted = [_converted(_processor(dialect, compiled.binds[name].type, copy), columns[name]) for name in names]
    params = list(zip(*converted))
    if copy:
        return Batch(statement, [], f"COPY {statement.table.name} ({', '.join(keys)}) FROM STDIN", params)
    return Batch(statement, [], str(compiled), params)


def prepare_update(dialect, table, key: str, columns: dict[str, list]) -> Batch:
    """The batch that sets, in each row of `table` whose `key` column is columns[key][i], the other columns
    to their i-th values. SQLite: one UPDATE by executemany. PostgreSQL: the rows are COPied into a scratch
    table (dropped at commit) and written by one UPDATE ... FROM it, instead of one UPDATE per row."""
    names = [name for name in columns if name != key]
    if not (dialect.name == "postgresql" and dialect.driver == "psycopg"):
        statement = update(table).where(table.c[key] == bindparam(f"new_{key}")).values(
            {name: bindparam(f"new_{name}") for name in names})
        return prepare(dialect, statement, {f"new_{name}": values for name, values in columns.items()})
    batch = prepare(dialect, insert(table), columns)
    if batch.params is None:
        return batch  # nothing to update
    quote = dialect.identifier_preparer.quote
    scratch, listed = f"rt_update_{uuid.uuid4().hex[:12]}", ", ".join(quote(name) for name in columns)
    batch.before = (f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS SELECT {listed} FROM {quote(table.name)} "
                    "WITH NO DATA",)
    batch.sql = f"COPY {scratch} ({listed}) FROM STDIN"
    batch.after = (f"UPDATE {quote(table.name)} AS t SET {', '.join(f'{quote(n)} = s.{quote(n)}' for n in names)} "
                   f"FROM {scratch} AS s WHERE t.{quote(key)} = s.{quote(key)}",)
    return batch


def _processor(dialect, type_, copy: bool):
    if copy and isinstance(type_, JSON):  # the JSON text now, not a wrapper that psycopg dumps during the COPY
        return dialect._json_serializer or json.dumps  # None too becomes JSON null, as SQLAlchemy writes it
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _converted(process, values: list) -> list:
    if process is None:
        return values
    try:
        once = {value: process(value) for value in set(values)}
    except TypeError:  # unhashable (JSON dicts and lists): each its own
        return [process(value) for value in values]
    return [once[value] for value in values]


_paused = 0
_pause_lock = threading.Lock()
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (process-wide; nested and concurrent imports share one pause,
    lifted when the last ends, and only if the collector was on before)."""
    global _paused, _was_enabled
    with _pause_lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


@contextmanager
def large_cache(session: Session, mebibytes: int = 64) -> Iterator[None]:
    """SQLite's page cache of this connection raised for the statements inside, and set back after them."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {-1024 * mebibytes}")  # negative: in KiB
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")
