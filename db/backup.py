"""Backup and restore: the whole database in one portable archive, restorable into SQLite or PostgreSQL.

    python -m db.backup dump -o FILE              # the database of DATABASE_URL -> FILE
    python -m db.backup restore FILE [--replace]  # FILE -> the (empty) database of DATABASE_URL
    python -m db.backup compare FILE FILE         # exit 0 when both hold the same rows, 1 and the differences if not

The archive is a zip: `manifest.json` (format, app version, schema revision, and per table its file, columns
with their kinds, primary key, row count and the sha256 of its file) and `tables/<table>.jsonl`, one JSON
object per row in primary-key order. Values are written by kind, so they read back exactly on either
database: datetimes as ISO 8601 in UTC with their offset, dates and times as ISO, booleans as true/false,
JSON columns as their JSON text exactly as stored (so SQL NULL and a JSON null stay apart), bytes in base64,
decimals as strings, NULL as null.

Nothing here knows a table or a column: tables, columns and types are read from the database itself (at the
archive's schema revision), so a new migration needs no change here.

Dump reads every table in one read-only transaction (REPEATABLE READ on PostgreSQL, one read transaction on
SQLite): one consistent snapshot while the app keeps running. Rows stream through (a million-row table is
never held in memory).

Restore checks the whole archive first (format, every file's checksum, a schema this code knows), then in
ONE transaction: refuses a database that holds any row (unless `replace`: the app's tables are dropped),
builds the schema at the archive's revision, loads every table (COPY on PostgreSQL, executemany on SQLite;
indexes, and PostgreSQL's foreign keys, are built after the rows, once), sets PostgreSQL's sequences past the
restored ids, and upgrades to the newest schema if the archive is older. Anything wrong rolls everything
back: the database is as it was.
"""

import argparse
import base64
import hashlib
import io
import itertools
import json
import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from alembic import command
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    cast,
    func,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the app's tables on SQLModel.metadata)
from db.engine import make_engine, transaction
from db.migrate import alembic_config
from db.models import AuditEvent, utcnow
from db.settings import load_settings
from db.status import app_version, head_revision, known_revision, schema_revision

FORMAT = "resolutions-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SCHEMA_TABLE = "alembic_version"  # the revision travels in the manifest, not as a table
BATCH = 5_000
SQLITE_CACHE_KIB = 256 * 1024  # SQLite's page cache while restoring (its default, 2 MB, spills to disk early)
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # one, not one per row
BACKUP_ACTION = "backup.made"  # the audit event of every archive made (the admin page shows the latest)


class BackupError(Exception):
    """The archive cannot be made or restored as asked; the message says why and what to do."""


# -- kinds of values -------------------------------------------------------------------------------------

def kind_of(column_type) -> str:
    """The archive's name for how a column's values are written, from its (reflected) SQL type."""
    for sql_type, kind in ((Boolean, "boolean"), (DateTime, "datetime"), (Date, "date"), (Time, "time"),
                           (JSON, "json"), (LargeBinary, "bytes"), (Integer, "integer"), (Float, "float"),
                           (Numeric, "decimal"), (String, "string")):
        if isinstance(column_type, sql_type):
            return kind
    raise BackupError(f"No archive format for the column type {column_type!r}.")


def _utc_text(value: datetime) -> str:
    # Every stamp is written in UTC; SQLite hands them back without their zone.
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


ENCODE: dict[str, Callable[[Any], Any]] = {
    "datetime": _utc_text,
    "date": date.isoformat,
    "time": time_of_day.isoformat,
    "bytes": lambda v: base64.b64encode(v).decode("ascii"),
    "decimal": str,
}
DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": lambda v: datetime.fromisoformat(v).astimezone(UTC),
    "date": date.fromisoformat,
    "time": time_of_day.fromisoformat,
    "bytes": base64.b64decode,
    "decimal": Decimal,
}


# -- reading a database ----------------------------------------------------------------------------------

def _tables(connection: Connection) -> list[Table]:
    """The database's own tables (as they are, not as the code would have them), parents before children."""
    meta = MetaData()
    meta.reflect(connection)
    return [t for t in meta.sorted_tables if t.name != SCHEMA_TABLE]


def _order(table: Table, dialect: str) -> list:
    """Primary-key order, the same on both databases: text compared byte by byte (SQLite's own way; on
    PostgreSQL the "C" collation, not the server's language rules)."""
    columns = list(table.primary_key.columns) or list(table.columns)
    if dialect != "postgresql":
        return columns
    return [c.collate("C") if kind_of(c.type) == "string" else c for c in columns]


def _holds_rows(connection: Connection, table: Table) -> bool:
    return connection.execute(select(text("1")).select_from(table).limit(1)).first() is not None


def _rows(connection: Connection, table: Table, kinds: list[str]) -> Iterator[dict]:
    """The table's rows in primary-key order, each as the archive writes it."""
    names = [c.name for c in table.columns]
    # JSON columns are read as their stored text: the exact document, and NULL apart from a JSON null.
    columns = [cast(c, Text).label(c.name) if k == "json" else c for c, k in zip(table.columns, kinds)]
    encoders = [(i, ENCODE[k]) for i, k in enumerate(kinds) if k in ENCODE]
    query = select(*columns).order_by(*_order(table, connection.dialect.name))
    result = connection.execution_options(yield_per=BATCH).execute(query)
    for row in result:
        values = list(row)
        for i, encode in encoders:
            if values[i] is not None:
                values[i] = encode(values[i])
        yield dict(zip(names, values))


def _snapshot(connection: Connection) -> Connection:
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return connection


def dump(engine: Engine, out: str | Path | IO[bytes]) -> dict:
    """Write every table of `engine`'s database to the archive `out` (a path or a binary file); returns the
    manifest."""
    with engine.connect() as plain:
        connection = _snapshot(plain)
        with connection.begin():
            revision = schema_revision(connection)
            if revision is None:
                raise BackupError("This database has no schema yet: there is nothing to back up.")
            entries = []
            # Level 1: the archive is text, and a large one should take seconds, not minutes.
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for table in _tables(connection):
                    entries.append(_write_table(archive, connection, table))
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": app_version(),
                    "schema_revision": revision, "database": connection.dialect.name,
                    "created_at": _utc_text(utcnow()), "tables": entries,
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
    return manifest


def _write_table(archive: zipfile.ZipFile, connection: Connection, table: Table) -> dict:
    kinds = [kind_of(c.type) for c in table.columns]
    name = f"tables/{table.name}.jsonl"
    digest, count = hashlib.sha256(), 0
    with archive.open(name, "w", force_zip64=True) as member:
        for chunk in _batches(_rows(connection, table, kinds), BATCH):
            data = "".join(_LINE.encode(row) + "\n" for row in chunk).encode("utf-8")
            digest.update(data)
            member.write(data)
            count += len(chunk)
    return {"name": table.name, "file": name, "rows": count, "sha256": digest.hexdigest(),
            "primary_key": [c.name for c in table.primary_key.columns],
            "columns": [{"name": c.name, "kind": k} for c, k in zip(table.columns, kinds)]}


def _batches(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# -- reading an archive ----------------------------------------------------------------------------------

@dataclass
class Archive:
    """An opened archive whose manifest and checksums have been checked."""

    zip: zipfile.ZipFile
    manifest: dict

    @property
    def revision(self) -> str:
        return self.manifest["schema_revision"]

    def lines(self, entry: dict) -> Iterator[dict]:
        with self.zip.open(entry["file"]) as member:
            for line in io.TextIOWrapper(member, encoding="utf-8"):
                yield json.loads(line)


def open_archive(source: str | Path | IO[bytes]) -> Archive:
    """Open and check an archive: its format, and the checksum and row count of every table file (a file
    changed after the dump, cut short or damaged is refused before anything is written)."""
    try:
        archive = zipfile.ZipFile(source)
        manifest = json.loads(archive.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise BackupError(f"This is not a backup archive of the Resolutions Tracker ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not a backup archive of the Resolutions Tracker (no manifest of that format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"This archive has format version {manifest.get('format_version')}; this version of "
                          f"the app reads version {FORMAT_VERSION}.")
    for entry in manifest["tables"]:
        digest, lines = hashlib.sha256(), 0
        try:
            with archive.open(entry["file"]) as member:
                while block := member.read(1 << 20):
                    digest.update(block)
                    lines += block.count(b"\n")
        except (KeyError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"The archive is damaged: {entry['file']} cannot be read ({error}).") from None
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(f"The archive is damaged: the checksum of {entry['file']} does not match its "
                              "manifest (the file was changed or cut short). Nothing was restored.")
        if lines != entry["rows"]:
            raise BackupError(f"The archive is damaged: {entry['file']} holds {lines} rows, its manifest "
                              f"says {entry['rows']}.")
    return Archive(archive, manifest)


# -- restoring -------------------------------------------------------------------------------------------

def _migrate(connection: Connection, revision: str) -> None:
    """Alembic on this connection, inside its transaction (Alembic starts none of its own then)."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def restore(engine: Engine, source: str | Path | IO[bytes], *, replace: bool = False,
            log: Callable[[str], None] = lambda _: None) -> dict:
    """Load the archive `source` into `engine`'s database; returns the manifest. See the module docstring."""
    archive = open_archive(source)
    with archive.zip:
        return _restore(engine, archive, replace=replace, log=log)


def _restore(engine: Engine, archive: Archive, *, replace: bool, log: Callable[[str], None]) -> dict:
    revision = archive.revision
    if not known_revision(revision):
        raise BackupError(f"This archive was made at schema revision {revision}, which this version of the app "
                          f"does not know (its newest is {head_revision()}): it comes from a newer version. "
                          "Restore it with that version of the app or a later one.")
    try:
        return _load_all(engine, archive, replace=replace, log=log)
    except DBAPIError as refused:  # rolled back already: the database is as it was
        raise BackupError(f"The database refused the archive's rows, nothing was restored: {refused.orig}") from None
    except (KeyError, ValueError, TypeError) as unreadable:  # rows that do not match their own manifest
        raise BackupError(f"The archive's rows do not read as its manifest says, nothing was restored: "
                          f"{type(unreadable).__name__}: {unreadable}") from None


def _load_all(engine: Engine, archive: Archive, *, replace: bool, log: Callable[[str], None]) -> dict:
    revision = archive.revision
    with transaction(engine) as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":  # the whole load is one transaction: keep its pages in memory
            connection.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        _clear(connection, archive, replace=replace)
        _migrate(connection, revision)
        tables = {t.name: t for t in _tables(connection)}
        _check_shape(archive, tables)
        postgresql = connection.dialect.name == "postgresql"
        # PostgreSQL checks a foreign key row by row during COPY; adding the keys back after the load checks
        # each in one pass, several times faster, in the same transaction (a bad row still fails it all).
        # (SQLite cannot add a key to a table: there each row is checked as it is written.)
        keys = [fk for t in tables.values() for fk in t.foreign_key_constraints] if postgresql else []
        for fk in keys:
            connection.execute(DropConstraint(fk))
        # Indexes too are built faster once over all rows than row by row (on both databases).
        indexes = [index for t in tables.values() for index in t.indexes]
        for index in indexes:
            connection.execute(DropIndex(index))
        for entry in archive.manifest["tables"]:
            started = time.perf_counter()
            _load(connection, tables[entry["name"]], entry, archive)
            log(f"  {entry['name']:<30} {entry['rows']:>10,} rows {time.perf_counter() - started:6.1f} s")
        started = time.perf_counter()
        for index in indexes:
            connection.execute(CreateIndex(index))
        log(f"  {len(indexes)} indexes built in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        for fk in keys:
            connection.execute(AddConstraint(fk))
        if postgresql:
            log(f"  {len(keys)} foreign keys checked in {time.perf_counter() - started:.1f} s")
            _set_sequences(connection, tables.values())
        if revision != head_revision():
            log(f"  upgrading the schema from {revision} to {head_revision()}")
            _migrate(connection, "head")
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")  # the planner's statistics, as a database in service has
    return archive.manifest


def _clear(connection: Connection, archive: Archive, *, replace: bool) -> None:
    """Refuse a database holding rows (unless replace); drop the app's tables so the schema is rebuilt at the
    archive's revision. Tables the app never had are left alone."""
    meta = MetaData()
    meta.reflect(connection)
    occupied = [t.name for t in meta.sorted_tables if t.name != SCHEMA_TABLE and _holds_rows(connection, t)]
    if occupied and not replace:
        shown = ", ".join(occupied[:5]) + (" ..." if len(occupied) > 5 else "")
        raise BackupError(f"The database is not empty ({len(occupied)} tables hold rows: {shown}). Restore into "
                          "an empty database, or add --replace to delete everything it holds first.")
    ours = set(SQLModel.metadata.tables) | {e["name"] for e in archive.manifest["tables"]}
    drop = [t for t in meta.sorted_tables if t.name in ours | {SCHEMA_TABLE}]
    meta.drop_all(connection, tables=drop)


def _check_shape(archive: Archive, tables: dict[str, Table]) -> None:
    for entry in archive.manifest["tables"]:
        table = tables.get(entry["name"])
        if table is None:
            raise BackupError(f"The archive has a table {entry['name']} that schema revision {archive.revision} "
                              "does not have.")
        want = [(c["name"], c["kind"]) for c in entry["columns"]]
        have = [(c.name, kind_of(c.type)) for c in table.columns]
        if sorted(want) != sorted(have):
            raise BackupError(f"The columns of {entry['name']} in the archive do not match schema revision "
                              f"{archive.revision}: archive {want}, database {have}.")


def _forward_references(table: Table) -> list[str]:
    """Nullable columns referring to this table's own single integer key (a report superseding another): a
    row naming a row that comes later is written without it first and completed after the table is loaded."""
    key = list(table.primary_key.columns)
    if len(key) != 1 or kind_of(key[0].type) != "integer":
        return []
    return [fk.parent.name for fk in table.foreign_keys
            if fk.column.table is table and fk.column is key[0] and fk.parent.nullable]


def _load(connection: Connection, table: Table, entry: dict, archive: Archive) -> None:
    names = [c["name"] for c in entry["columns"]]
    decoders = [(i, DECODE[c["kind"]]) for i, c in enumerate(entry["columns"]) if c["kind"] in DECODE]
    forward = [names.index(n) for n in _forward_references(table)]
    key = names.index(table.primary_key.columns[0].name) if forward else None
    later: list[tuple[int, str, int]] = []  # (row key, column, value) completed after the load

    def rows() -> Iterator[tuple]:
        for line in archive.lines(entry):
            values = [line[n] for n in names]
            for i, decode in decoders:
                if values[i] is not None:
                    values[i] = decode(values[i])
            for i in forward:
                if values[i] is not None and values[i] >= values[key]:
                    later.append((values[key], names[i], values[i]))
                    values[i] = None
            yield tuple(values)

    if connection.dialect.name == "postgresql":
        written = _copy(connection, table, names, rows())
    else:
        written = _insert(connection, table, names, rows())
    if written != entry["rows"]:
        raise BackupError(f"{entry['file']}: {written} rows read, the manifest says {entry['rows']}.")
    key_name = table.primary_key.columns[0].name if forward else None
    for row_key, column, value in later:
        connection.execute(table.update().where(table.c[key_name] == row_key).values({column: value}))


def _quoted(connection: Connection, names: Iterable[str]) -> str:
    return ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)


def _copy(connection: Connection, table: Table, names: list[str], rows: Iterable[tuple]) -> int:
    """PostgreSQL's COPY, on the transaction's own connection; psycopg adapts each Python value."""
    quote = connection.dialect.identifier_preparer.quote
    cursor = connection.connection.driver_connection.cursor()
    written = 0
    with cursor.copy(f"COPY {quote(table.name)} ({_quoted(connection, names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            written += 1
    cursor.close()
    return written


def _insert(connection: Connection, table: Table, names: list[str], rows: Iterable[tuple]) -> int:
    """SQLite: executemany, values converted by SQLAlchemy's own bind processors (so they read back like rows
    the app wrote); JSON text goes in as it is."""
    dialect = connection.dialect
    converters = [None if kind_of(table.c[n].type) == "json" else
                  table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names]
    converting = [(i, c) for i, c in enumerate(converters) if c is not None]
    quote = dialect.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({_quoted(connection, names)}) "
                 f"VALUES ({', '.join('?' for _ in names)})")
    written = 0
    for chunk in _batches(rows, BATCH):
        if converting:
            converted = []
            for row in chunk:
                values = list(row)
                for i, convert in converting:
                    if values[i] is not None:
                        values[i] = convert(values[i])
                converted.append(tuple(values))
            chunk = converted
        connection.exec_driver_sql(statement, chunk)
        written += len(chunk)
    return written


def _set_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """Every sequence behind a key column (serial or identity) continues after the largest restored id."""
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            sequence = connection.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                          {"t": quote(table.name), "c": column.name}).scalar()
            if sequence:
                largest = connection.execute(select(func.max(column))).scalar()
                connection.execute(text("SELECT setval(:s, :v, :called)"),
                                   {"s": sequence, "v": largest or 1, "called": largest is not None})


# -- comparing -------------------------------------------------------------------------------------------

def differences(first: str | Path | IO[bytes], second: str | Path | IO[bytes], *, limit: int = 20) -> list[str]:
    """What differs between two archives, table by table and row by row (empty: they hold the same data).
    JSON documents are compared as documents; when and where each archive was made does not count."""
    a, b = open_archive(first), open_archive(second)
    found: list[str] = []
    if a.revision != b.revision:
        found.append(f"schema revision {a.revision} != {b.revision}")
    tables_a = {e["name"]: e for e in a.manifest["tables"]}
    tables_b = {e["name"]: e for e in b.manifest["tables"]}
    for name in sorted(tables_a.keys() ^ tables_b.keys()):
        found.append(f"table {name} is in only one archive")
    for name in [n for n in tables_a if n in tables_b]:
        ea, eb = tables_a[name], tables_b[name]
        if sorted(ea["columns"], key=str) != sorted(eb["columns"], key=str):  # rows are compared by name
            found.append(f"{name}: columns differ: {ea['columns']} != {eb['columns']}")
            continue
        if ea["rows"] != eb["rows"]:
            found.append(f"{name}: {ea['rows']} rows != {eb['rows']} rows")
        if ea["sha256"] == eb["sha256"] and ea["columns"] == eb["columns"]:
            continue  # the same bytes: the same rows (values are written one way only)
        documents = [c["name"] for c in ea["columns"] if c["kind"] == "json"]
        for number, (ra, rb) in enumerate(zip(a.lines(ea), b.lines(eb)), start=1):
            if _comparable(ra, documents) != _comparable(rb, documents):
                found.append(f"{name}: row {number} differs: {ra} != {rb}")
                break
        if len(found) >= limit:
            break
    return found[:limit]


def _comparable(row: dict, documents: list[str]) -> dict:
    return row | {n: json.loads(row[n]) for n in documents if row[n] is not None}


# -- the audit event of a backup -------------------------------------------------------------------------

def summary(manifest: dict, *, size: int, via: str) -> dict:
    """What the audit event of an archive says (the admin page shows the latest)."""
    return {"schema_revision": manifest["schema_revision"], "app_version": manifest["app_version"],
            "tables": len(manifest["tables"]), "rows": sum(e["rows"] for e in manifest["tables"]),
            "bytes": size, "via": via}


# -- command line ----------------------------------------------------------------------------------------

def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m db.backup", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dumping = commands.add_parser("dump", help="write the database of DATABASE_URL to an archive")
    dumping.add_argument("-o", "--output", required=True, help="the archive to write (a .zip file)")
    restoring = commands.add_parser("restore", help="load an archive into the database of DATABASE_URL")
    restoring.add_argument("archive")
    restoring.add_argument("--replace", action="store_true",
                           help="delete everything the database holds first (otherwise it must be empty)")
    comparing = commands.add_parser("compare", help="whether two archives hold the same rows")
    comparing.add_argument("first")
    comparing.add_argument("second")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    try:
        if args.command == "compare":
            found = differences(args.first, args.second)
            for line in found:
                print(line)
            print("The archives hold different data." if found else "The archives hold the same data.")
            return 1 if found else 0
        engine = make_engine(load_settings().database_url)
        try:
            if args.command == "dump":
                return _dump_command(engine, Path(args.output), started)
            manifest = restore(engine, args.archive, replace=args.replace, log=print)
        finally:
            engine.dispose()
    except BackupError as refused:
        print(f"Refused: {refused}", file=sys.stderr)
        return 1
    rows = sum(e["rows"] for e in manifest["tables"])
    print(f"Restored {rows:,} rows in {len(manifest['tables'])} tables (archive of schema revision "
          f"{manifest['schema_revision']}, now {head_revision()}) in {time.perf_counter() - started:.1f} s.")
    return 0


def _dump_command(engine: Engine, output: Path, started: float) -> int:
    partial = output.with_name(output.name + ".partial")  # a file named FILE is always a whole archive
    try:
        manifest = dump(engine, partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(e["rows"] for e in manifest["tables"])
    print(f"Wrote {output}: {rows:,} rows in {len(manifest['tables'])} tables, schema revision "
          f"{manifest['schema_revision']}, {output.stat().st_size:,} bytes, {time.perf_counter() - started:.1f} s.")
    try:  # the admin page shows when the last archive was made; the archive itself is what matters
        with transaction(engine) as session:
            session.add(AuditEvent(action=BACKUP_ACTION, entity="database",
                                   after=summary(manifest, size=output.stat().st_size, via="command line")))
    except Exception as error:  # a read-only database user may dump but not write the event
        print(f"Note: the backup could not be recorded in the audit trail ({type(error).__name__}).",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
