"""Import and export of the Resolution register as CSV.

Columns, in this order: code,kind,number,title,congress,themes,status,archived_on
Import checks every row first; one bad row and nothing is written, and every problem is listed with its
line. Limits: the file at most 32 MB (about 250,000 rows), a value at most 10,000 characters, a title at most
500, a number from 1 to 9999 in ASCII digits, no control characters anywhere.

A good file is then written in one short transaction of bulk statements: new rows in multi-row INSERTs,
changed rows in one executemany UPDATE, theme links and audit events (one per created or updated
Resolution, and one for the import) in bulk too; 100,000 rows hold the SQLite write lock for about a second
or two (bench/register_import.py). Should the database be busy (SQLite's lock beyond its busy timeout, a
dropped PostgreSQL connection, another import writing the same codes at the same moment), the write is tried
again from the checked rows, which stay in memory: nothing is lost, nothing is half-written. Importing the
same file again changes nothing.

Export writes the same format, each text cell through `tabular.safe_cell` (a title such as
`=HYPERLINK(...)` gets a leading apostrophe, so a spreadsheet shows it as text); the import takes that
apostrophe off again (`tabular.unquote_cell`), so export -> import -> export gives the same bytes.
"""

import io
import re
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam, delete, func, insert, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import AuditEvent, Congress, Resolution, ResolutionTheme, Theme, utcnow
from services.csv_file import data_rows, shown
from services.errors import FieldError, ValidationFailed
from services.permissions import Actor, require
from services.tabular import CsvRows, safe_cell, unquote_cell

COLUMNS = ("code", "kind", "number", "title", "congress", "themes", "status", "archived_on")
MAX_FILE_BYTES = 32 * 1024 * 1024
CODE_MAX = Resolution.__table__.c.code.type.length  # 32
TITLE_MAX = Resolution.__table__.c.title.type.length  # 500
NUMBER_MAX = 9999
WRITE_ATTEMPTS = 3
_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII only: str.isdigit() takes "²" and "١٢" too
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # date.fromisoformat() also takes 20190315, 2019-W11-5
_CHUNK = 500  # ids per IN (...) list
_RES = Resolution.__table__
_LINKS = ResolutionTheme.__table__
_EVENTS = AuditEvent.__table__
_FIELDS = ("kind", "number", "title", "congress_id", "status", "archived_on")
_AT = {name: i for i, name in enumerate(("id", "code", *_FIELDS))}  # positions in a row of `existing`


def resolution_code(congress_code: str, kind: str, number: int) -> str:
    return f"{congress_code}-{vocab.RESOLUTION_KIND_CODES[kind]}-{number:03d}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class _Row:
    line: int
    code: str
    kind: str
    number: int
    title: str
    congress: str
    themes: list[str]
    status: str
    archived_on: date | None


def parse_register(data: bytes, *, congresses: set[str], themes: set[str]) -> list[_Row]:
    """Every row checked (no database needed); raises ValidationFailed listing every bad row with its line."""
    errors: list[FieldError] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    numbers: dict[tuple[str, int], str] = {}
    for line, cells in data_rows(data, COLUMNS, errors=errors, max_bytes=MAX_FILE_BYTES):
        raw = dict(zip(COLUMNS, [unquote_cell(c) if c[:1] == "'" else c for c in [c.strip() for c in cells]]))
        row_errors, number, archived_on, row_themes = _check_row(raw, congresses, themes)
        code = raw["code"]
        if code in first_line:
            row_errors.append(FieldError(
                "code", f"duplicate code {shown(code, quoted=False)} (first on line {first_line[code]})"))
        else:
            first_line[code] = line
        if not row_errors:
            other = numbers.setdefault((raw["congress"], number), code)
            if other != code:
                row_errors.append(FieldError("number", f"number {number} is already used by {other}"))
        for e in row_errors:
            e.line = line
        errors.extend(row_errors)
        if not row_errors:
            rows.append(_Row(
                line=line, code=code, kind=raw["kind"], number=number, title=raw["title"],
                congress=raw["congress"], themes=row_themes, status=raw["status"],
                archived_on=archived_on,
            ))
    if errors:
        raise ValidationFailed(errors)
    return rows


@lru_cache(maxsize=4096)  # a register repeats the same few theme cells; the lists are never changed
def _theme_list(cell: str) -> list[str]:
    return sorted({t.strip() for t in cell.split(";") if t.strip()})


@lru_cache(maxsize=4096)
def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _check_row(raw: dict[str, str], congresses: set[str], themes: set[str]
               ) -> tuple[list[FieldError], int | None, date | None, list[str]]:
    """The row's problems, its number, its archiving date (None where they are wrong) and its themes."""
    errors = []
    if raw["congress"] not in congresses:
        errors.append(FieldError("congress", f"unknown Congress {shown(raw['congress'])}"))
    if raw["kind"] not in vocab.RESOLUTION_KINDS:
        errors.append(FieldError("kind", f"kind must be Resolution or Recommendation, not {shown(raw['kind'])}"))
    number = int(raw["number"]) if _NUMBER.fullmatch(raw["number"]) else None
    if number is None or not 1 <= number <= NUMBER_MAX:
        errors.append(FieldError("number", f"number must be a positive whole number from 1 to {NUMBER_MAX} "
                                           f"in the digits 0-9, not {shown(raw['number'])}"))
        number = None
    if len(raw["code"]) > CODE_MAX:
        errors.append(FieldError("code", f"the code is longer than {CODE_MAX} characters ({len(raw['code']):,})"))
    elif not errors:
        expected = resolution_code(raw["congress"], raw["kind"], number)
        if raw["code"] != expected:
            errors.append(FieldError(
                "code", f"code {shown(raw['code'])} does not match its Congress, kind and number (expected {expected})"
            ))
    if not raw["title"]:
        errors.append(FieldError("title", "the title is empty"))
    elif len(raw["title"]) > TITLE_MAX:
        errors.append(FieldError("title", f"the title is longer than {TITLE_MAX} characters ({len(raw['title']):,})"))
    row_themes = _theme_list(raw["themes"])
    unknown = [t for t in row_themes if t not in themes]
    if unknown:
        listed = ", ".join(shown(t, 40, quoted=False) for t in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        errors.append(FieldError("themes", f"unknown theme(s): {listed}"))
    if raw["status"] not in vocab.RESOLUTION_STATUSES:
        errors.append(FieldError("status", f"status must be active or archived, not {shown(raw['status'])}"))
    archived_on = None
    if raw["archived_on"]:
        try:
            archived_on = _date(raw["archived_on"])
        except ValueError:
            errors.append(FieldError("archived_on", f"bad date {shown(raw['archived_on'])} (use YYYY-MM-DD)"))
    if raw["status"] == "archived" and not raw["archived_on"]:
        errors.append(FieldError("archived_on", "an archived Resolution needs the date it was archived"))
    if raw["status"] == "active" and archived_on:
        errors.append(FieldError("archived_on", "an active Resolution has no archiving date"))
    return errors, number, archived_on, row_themes


def import_register(*, engine: Engine, actor: Actor, data: bytes) -> ImportResult:
    """Check the whole file (nothing written), then write it in one short bulk transaction, tried again
    when the database is busy. Raises ValidationFailed (every problem, with its line) or PermissionDenied."""
    require(actor, "register.import")
    with Session(engine) as session:  # reference data, read before the file is parsed
        congresses = dict(session.exec(select(Congress.code, Congress.id)).all())
        themes = dict(session.exec(select(Theme.name, Theme.id)).all())
    rows = parse_register(data, congresses=set(congresses), themes=set(themes))
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        last = attempt == WRITE_ATTEMPTS
        try:
            if not last:  # read and prepare without the write lock; write if nobody changed the register since
                with Session(engine) as session:
                    plan = _plan(session, engine.dialect, actor, rows, congresses, themes)
            with transaction(engine) as session:
                if last:  # read and write under the lock: nobody can change the register in between
                    plan = _plan(session, engine.dialect, actor, rows, congresses, themes)
                elif _fingerprint(session) != plan.fingerprint:
                    continue  # changed meanwhile: nothing written yet; read it again
                return plan.write(session)
        except (OperationalError, IntegrityError):
            # Busy beyond the busy timeout, disconnected, or another import wrote one of these codes at the
            # same moment: all rolled back, and the checked rows are still here for the next attempt.
            if last:
                raise
            time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


def _fingerprint(session: Session) -> tuple:
    """Changes when a Resolution or a theme link is added, removed or saved (cheap: one scan, no sorting)."""
    resolutions = session.execute(core_select(func.count(), func.max(_RES.c.id), func.max(_RES.c.updated_at))).one()
    links = session.execute(core_select(func.count()).select_from(_LINKS)).scalar()
    return (*resolutions, links)


@dataclass
class _Plan:
    """The writes of an import, prepared from the register as read (`fingerprint`)."""

    fingerprint: tuple
    result: ImportResult
    batches: list["_Batch"]
    relinked: list[int]  # ids of changed rows whose theme links are replaced
    links: list[dict]  # theme links of the changed rows
    new_rows: list["_Row"]  # rows to insert, whose links need their new ids
    themes: dict[str, int]
    dialect: object

    def write(self, session: Session) -> ImportResult:
        """The statements back to back (on SQLite the write lock is held from the first to the commit)."""
        last_id = session.execute(core_select(func.max(_RES.c.id))).scalar() or 0
        for batch in self.batches:
            batch.run(session)
        for start in range(0, len(self.relinked), _CHUNK):
            session.execute(delete(_LINKS).where(_LINKS.c.resolution_id.in_(self.relinked[start:start + _CHUNK])))
        links = self.links
        if self.new_rows:  # the new ids, for their theme links
            new_ids = {code: rid for rid, code in session.execute(
                core_select(_RES.c.id, _RES.c.code).where(_RES.c.id > last_id))}
            links = links + [{"resolution_id": new_ids[row.code], "theme_id": self.themes[name]}
                             for row in self.new_rows for name in row.themes]
        if links:
            _prepare(self.dialect, insert(_LINKS), links, keys=["resolution_id", "theme_id"]).run(session)
        return self.result


def _plan(session: Session, dialect, actor: Actor, rows: list[_Row], congresses: dict[str, int],
          themes: dict[str, int]) -> _Plan:
    """Compare the file with the register and prepare every write; raises ValidationFailed when a new code
    would take a number the register already gives another Resolution."""
    fingerprint = _fingerprint(session)
    existing = {r[1]: r for r in session.execute(core_select(*(_RES.c[name] for name in _AT))).tuples()}
    theme_names = _themes_by_resolution(session)
    _check_numbers_against_database(rows, existing, congresses)

    now = utcnow()
    result = ImportResult()
    new_rows: list[tuple[_Row, dict]] = []
    changed: list[tuple[int, _Row, dict, dict, dict]] = []  # id, row, values, before, after (changed fields)
    for row in rows:
        values = (row.kind, row.number, row.title, congresses[row.congress], row.status, row.archived_on)
        current = existing.get(row.code)
        if current is None:
            new_rows.append((row, dict(zip(_FIELDS, values))))
            continue
        themes_before = theme_names.get(current[0], [])
        if current[2:] == values and themes_before == row.themes:
            result.unchanged += 1
            continue
        old, new = _changes(dict(zip(_FIELDS, current[2:]), themes=themes_before),
                            dict(zip(_FIELDS, values), themes=row.themes))
        changed.append((current[0], row, dict(zip(_FIELDS, values)), old, new))
    result.created, result.updated = len(new_rows), len(changed)

    inserts = [{"code": row.code, **values, "updated_at": now} for row, values in new_rows]
    updates = [{"row_id": rid, **{f"new_{f}": v for f, v in values.items()}, "new_updated_at": now}
               for rid, _, values, _, _ in changed]
    relinked = [(rid, row) for rid, row, _, _, new in changed if "themes" in new]
    events = [_event(actor, now, "create", row.code, None, {**values, "themes": row.themes})
              for row, values in new_rows]
    events += [_event(actor, now, "update", row.code, old, new) for _, row, _, old, new in changed]
    events.append(_event(actor, now, "import", None, None, {
        "created": result.created, "updated": result.updated, "unchanged": result.unchanged}, entity="register"))
    return _Plan(
        fingerprint=fingerprint, result=result,
        batches=[
            _prepare(dialect, insert(_RES), inserts, keys=[*inserts[0]] if inserts else None),
            _prepare(dialect, update(_RES).where(_RES.c.id == bindparam("row_id")).values(
                {f: bindparam(f"new_{f}") for f in (*_FIELDS, "updated_at")}), updates),
            _prepare(dialect, insert(_EVENTS), events, keys=[*events[0]]),
        ],
        relinked=[rid for rid, _ in relinked],
        links=[{"resolution_id": rid, "theme_id": themes[name]} for rid, row in relinked for name in row.themes],
        new_rows=[row for row, _ in new_rows], themes=themes, dialect=dialect,
    )


@dataclass
class _Batch:
    """One statement and its parameter sets, converted (dates, JSON) when the batch is prepared, before the
    write transaction, so that running it is little more than the database's own work: the driver's
    executemany on SQLite, COPY for an INSERT on PostgreSQL; anything else SQLAlchemy runs as it is."""

    statement: object
    rows: list[dict]
    sql: str | None = None  # SQLite: the statement; PostgreSQL: the COPY command
    params: list[tuple] | None = None

    def run(self, session: Session) -> None:
        if not self.rows:
            return
        connection = session.connection()
        if self.sql is None:
            connection.execute(self.statement, self.rows)
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql(self.sql, self.params)
        else:
            with connection.connection.dbapi_connection.cursor() as cursor, cursor.copy(self.sql) as copy:
                for row in self.params:
                    copy.write_row(row)


def _prepare(dialect, statement, rows: list[dict], keys: list[str] | None = None) -> _Batch:
    copy = dialect.name == "postgresql" and dialect.driver == "psycopg" and keys and statement.is_insert
    if not rows or not (dialect.name == "sqlite" or copy):
        return _Batch(statement, rows)
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    names = compiled.positiontup if dialect.name == "sqlite" else keys
    convert = [(name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names]
    params = [tuple(process(row[name]) if process else row[name] for name, process in convert) for row in rows]
    if copy:
        return _Batch(statement, rows, f"COPY {statement.table.name} ({', '.join(keys)}) FROM STDIN", params)
    return _Batch(statement, rows, str(compiled), params)


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _plain(values: dict | None) -> dict | None:
    """As audit.record stores them: dates as ISO text, lists as lists."""
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _event(actor: Actor, at, action: str, entity_id: str | None, before: dict | None, after: dict,
           entity: str = "resolution") -> dict:
    """An audit event as audit.record writes it, as a row of the bulk INSERT."""
    return {"at": at, "user_id": actor.id, "action": action, "entity": entity, "entity_id": entity_id,
            "before": _plain(before), "after": _plain(after)}


def _check_numbers_against_database(rows: list[_Row], existing: dict, congresses: dict[str, int]) -> None:
    """A new code may not take a number another Resolution of its Congress already has."""
    taken = {(r[_AT["congress_id"]], r[_AT["number"]]): code for code, r in existing.items()}
    errors = []
    for row in rows:
        other = taken.get((congresses[row.congress], row.number))
        if other and other != row.code:
            errors.append(FieldError("number", f"number {row.number} is already used by {other}", row.line))
    if errors:
        raise ValidationFailed(errors)


def _themes_by_resolution(session: Session) -> dict[int, list[str]]:
    pairs = session.exec(select(ResolutionTheme.resolution_id, Theme.name).join(Theme))
    out: dict[int, list[str]] = {}
    for resolution_id, name in pairs:
        out.setdefault(resolution_id, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def export_register(*, session: Session, actor: Actor, congress: str | None = None) -> bytes:
    """The register (or one Congress of it) in the import format; text cells spreadsheet-safe."""
    require(actor, "register.export")
    query = select(Resolution, Congress.code).join(Congress).order_by(Congress.year, Resolution.number)
    if congress:
        query = query.where(Congress.code == congress)
    themes = _themes_by_resolution(session)
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # csv.writer's rows, a carriage return quoted too
    writer.writerow(COLUMNS)
    for resolution, congress_code in session.exec(query):
        writer.writerow([safe_cell(cell) for cell in (
            resolution.code, resolution.kind, resolution.number, resolution.title, congress_code,
            ";".join(themes.get(resolution.id, [])), resolution.status,
            resolution.archived_on.isoformat() if resolution.archived_on else "",
        )])
    return out.getvalue().encode("utf-8")
