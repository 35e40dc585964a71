"""Import and export of the Resolution register as CSV.

Columns, in this order: code,kind,number,title,congress,themes,status,archived_on and, optionally, a last
column text_url (the link to the official text: an http:// or https:// address, at most 500 characters, or
empty for none). A file without text_url leaves the links the register holds as they are; with it, each
row's link is set (an empty cell removes it). Export always writes the text_url column.
Import checks every row first; one bad row and nothing is written, and every problem is listed with its
line. Limits: the file at most 32 MB (about 250,000 rows), a value at most 10,000 characters, a title at most
500, a number from 1 to 9999 in ASCII digits, no control characters anywhere.

The checking, the comparison with the register and the conversion of every value run before the write
transaction, with no lock held; the writes are then bulk statements back to back (services/bulk_write.py:
new rows by executemany or COPY, with their ids chosen beforehand so that their theme links are ready too;
changed rows in one UPDATE per set of changed fields; the audit events, one per created or updated
Resolution and one for the import) in one short transaction. bench/register_import.py measures how long a
100,000-row import holds SQLite's write lock (README, Performance). Should the database be busy
(SQLite's lock beyond its busy timeout, a dropped PostgreSQL connection, another import writing the same
codes at the same moment), the write is tried again from the checked rows, which stay in memory: nothing
is lost, nothing is half-written. Importing the same file again changes nothing.

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

from sqlalchemy import String, cast, delete, func, insert, text
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

import locales
from db import vocab
from db.engine import transaction
from db.models import AuditEvent, Congress, Resolution, ResolutionTheme, Theme, utcnow
from db.sql import string_agg
from locales import _
from services.bulk_write import Batch, gc_paused, large_cache, prepare, prepare_update
from services.csv_file import data_rows, shown
from services.errors import FieldError, ValidationFailed
from services.permissions import Actor, require
from services.tabular import CsvRows, safe_cell, unquote_cell

COLUMNS = ("code", "kind", "number", "title", "congress", "themes", "status", "archived_on")
TEXT_URL = "text_url"  # the optional last column
EXPORT_COLUMNS = (*COLUMNS, TEXT_URL)
MAX_FILE_BYTES = 32 * 1024 * 1024
CODE_MAX = Resolution.__table__.c.code.type.length  # 32
TITLE_MAX = Resolution.__table__.c.title.type.length  # 500
TEXT_URL_MAX = Resolution.__table__.c.text_url.type.length  # 500
NUMBER_MAX = 9999
WRITE_ATTEMPTS = 3
_NUMBER = re.compile(r"[0-9]{1,9}")  # ASCII only: str.isdigit() takes "²" and "١٢" too
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # date.fromisoformat() also takes 20190315, 2019-W11-5
# http(s)://, a host (a name or a [literal], after an optional user@, before an optional :port), then a path,
# query or fragment; no space anywhere (a regular expression: urlsplit took a second per 100,000 links)
_WEB_ADDRESS = re.compile(
    r"(?i:https?)://(?:[^\s/?#@\[\]]*@)?(?:[^\s/?#@:\[\]]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]*)?(?:[/?#]\S*)?")
_EDGE_SPACE = re.compile(r"^\s|\s$|\s\0|\0\s")  # what str.strip() would take off a cell of "\0".join(cells)
_CHUNK = 500  # ids per IN (...) list
_RES = Resolution.__table__
_LINKS = ResolutionTheme.__table__
_EVENTS = AuditEvent.__table__
_FIELDS = ("kind", "number", "title", "congress_id", "status", "archived_on", "text_url")
_AT = {name: i for i, name in enumerate(("id", "code", *_FIELDS))}  # positions in a row of `existing`
_KEPT = _AT["text_url"] - 2  # position of text_url in a row's values: kept as it is when the file has no column


def resolution_code(congress_code: str, kind: str, number: int) -> str:
    return f"{congress_code}-{vocab.RESOLUTION_KIND_CODES[kind]}-{number:03d}"


def web_address_problem(value: str) -> str | None:
    """Why `value` may not be a Resolution's text link (not an http(s) address with a host, too long,
    spaces in it), or None. The one rule for these links: the import checks it, the detail view shows only
    links that pass it (a link written some other way, say javascript:..., is never shown)."""
    if len(value) > TEXT_URL_MAX:
        return _("the text link is longer than {max} characters ({length})").format(
            max=TEXT_URL_MAX, length=locales.format_number(len(value)))
    if not _WEB_ADDRESS.fullmatch(value):
        return _("the text link must be a web address starting with https:// or http://, not {value}").format(
            value=shown(value))
    return None


def web_address(value: str | None) -> str | None:
    """The link itself when it may be shown as one, else None."""
    return value if value and web_address_problem(value) is None else None


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
    text_url: str | None = None
    has_text_url: bool = False  # the file has the text_url column (without it the link is left alone)


def parse_register(data: bytes, *, congresses: set[str], themes: set[str]) -> list[_Row]:
    """Every row checked (no database needed); raises ValidationFailed listing every bad row with its line."""
    errors: list[FieldError] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    numbers: dict[tuple[str, int], str] = {}
    for line, cells in data_rows(data, COLUMNS, errors=errors, max_bytes=MAX_FILE_BYTES, optional=(TEXT_URL,)):
        joined = "\0".join(cells)  # one look at the row (data_rows let no NUL through), not one per cell:
        if _EDGE_SPACE.search(joined):  # spaces around a value, now and then
            cells = [c.strip() for c in cells]
        if "'" in joined:  # an exported formula's apostrophe, rarely
            cells = [unquote_cell(c) if c[:1] == "'" else c for c in cells]
        row_errors, row = _check_row(line, cells, congresses, themes)
        code = cells[0]
        if code in first_line:
            row_errors.append(FieldError(
                "code", _("duplicate code {code} (first on line {line})").format(
                    code=shown(code, quoted=False), line=first_line[code])))
        else:
            first_line[code] = line
        if not row_errors:
            other = numbers.setdefault((row.congress, row.number), code)
            if other != code:
                row_errors.append(FieldError("number", _("number {number} is already used by {other}").format(
                    number=row.number, other=other)))
        if row_errors:
            for e in row_errors:
                e.line = line
            errors.extend(row_errors)
        else:
            rows.append(row)
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


def _check_row(line: int, cells: list[str], congresses: set[str], themes: set[str]
               ) -> tuple[list[FieldError], _Row | None]:
    """The row's problems, and the row itself when it has none."""
    code, kind, number_text, title, congress, theme_cell, status, archived_text = cells[:8]
    errors = []
    if congress not in congresses:
        errors.append(FieldError("congress", _("unknown Congress {congress}").format(congress=shown(congress))))
    if kind not in vocab.RESOLUTION_KINDS:
        errors.append(FieldError("kind", _("kind must be Resolution or Recommendation, not {kind}").format(
            kind=shown(kind))))
    number = int(number_text) if _NUMBER.fullmatch(number_text) else None
    if number is None or not 1 <= number <= NUMBER_MAX:
        errors.append(FieldError("number", _("number must be a positive whole number from 1 to {max} in the digits "
                                             "0-9, not {number}").format(max=NUMBER_MAX, number=shown(number_text))))
        number = None
    if len(code) > CODE_MAX:
        errors.append(FieldError("code", _("the code is longer than {max} characters ({length})").format(
            max=CODE_MAX, length=locales.format_number(len(code)))))
    elif not errors:
        expected = resolution_code(congress, kind, number)
        if code != expected:
            errors.append(FieldError(
                "code", _("code {code} does not match its Congress, kind and number (expected {expected})").format(
                    code=shown(code), expected=expected)))
    if not title:
        errors.append(FieldError("title", _("the title is empty")))
    elif len(title) > TITLE_MAX:
        errors.append(FieldError("title", _("the title is longer than {max} characters ({length})").format(
            max=TITLE_MAX, length=locales.format_number(len(title)))))
    row_themes = _theme_list(theme_cell)
    if not themes.issuperset(row_themes):
        unknown = [t for t in row_themes if t not in themes]
        listed = ", ".join(shown(t, 40, quoted=False) for t in unknown[:10]) + (" …" if len(unknown) > 10 else "")
        errors.append(FieldError("themes", _("unknown theme(s): {themes}").format(themes=listed)))
    if status not in vocab.RESOLUTION_STATUSES:
        errors.append(FieldError("status", _("status must be active or archived, not {status}").format(
            status=shown(status))))
    archived_on = None
    if archived_text:
        try:
            archived_on = _date(archived_text)
        except ValueError:
            errors.append(FieldError("archived_on", _("bad date {date} (use YYYY-MM-DD)").format(
                date=shown(archived_text))))
    if status == "archived" and not archived_text:
        errors.append(FieldError("archived_on", _("an archived Resolution needs the date it was archived")))
    if status == "active" and archived_on:
        errors.append(FieldError("archived_on", _("an active Resolution has no archiving date")))
    has_text_url = len(cells) > 8
    text_url = (cells[8] or None) if has_text_url else None
    if text_url and (problem := web_address_problem(text_url)):
        errors.append(FieldError(TEXT_URL, problem))
    if errors:
        return errors, None
    return errors, _Row(line, code, kind, number, title, congress, row_themes, status, archived_on, text_url,
                        has_text_url)


def import_register(*, engine: Engine, actor: Actor, data: bytes) -> ImportResult:
    """Check the whole file (nothing written), then write it in one short bulk transaction, tried again
    when the database is busy. Raises ValidationFailed (every problem, with its line) or PermissionDenied."""
    require(actor, "register.import")
    with gc_paused():
        return _import(engine, actor, data)


def _import(engine: Engine, actor: Actor, data: bytes) -> ImportResult:
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
    """The writes of an import, prepared from the register as read (`fingerprint`), every value converted:
    under the lock only the statements run."""

    fingerprint: tuple
    result: ImportResult
    batches: list[Batch]  # new rows, changed rows (a batch per set of changed fields), audit events
    relinked: list[int]  # ids of changed rows whose theme links are replaced
    links: Batch  # theme links of the new and the changed rows

    def write(self, session: Session) -> ImportResult:
        """The statements back to back (on SQLite the write lock is held from the first to the commit)."""
        with large_cache(session):
            for batch in self.batches:
                batch.run(session)
            for start in range(0, len(self.relinked), _CHUNK):
                session.execute(delete(_LINKS).where(_LINKS.c.resolution_id.in_(self.relinked[start:start + _CHUNK])))
            self.links.run(session)
        return self.result


def _plan(session: Session, dialect, actor: Actor, rows: list[_Row], congresses: dict[str, int],
          themes: dict[str, int]) -> _Plan:
    """Compare the file with the register and prepare every write; raises ValidationFailed when a new code
    would take a number the register already gives another Resolution."""
    fingerprint = _fingerprint(session)
    existing = _register(session, {v: k for k, v in themes.items()})
    now = utcnow()
    result = ImportResult()
    new_rows: list[tuple[_Row, tuple]] = []
    changed: list[tuple[int, _Row, tuple, dict, dict]] = []  # id, row, values, before, after (changed fields)
    clashes: list[_Row] = []  # new codes, or new numbers, to check against the numbers the register gives
    for row in rows:
        values = (row.kind, row.number, row.title, congresses[row.congress], row.status, row.archived_on,
                  row.text_url)
        current = existing.get(row.code)
        if current is None:
            new_rows.append((row, values))
            clashes.append(row)
            continue
        if not row.has_text_url:
            values = (*values[:_KEPT], current[_AT["text_url"]])
        if current[2:-1] == values and current[-1] == row.themes:
            result.unchanged += 1
            continue
        if (current[_AT["congress_id"]], current[_AT["number"]]) != (values[3], values[1]):
            clashes.append(row)
        old, new = _changes(dict(zip(_FIELDS, current[2:-1]), themes=current[-1]),
                            dict(zip(_FIELDS, values), themes=row.themes))
        changed.append((current[0], row, values, old, new))
    _check_numbers_against_database(clashes, existing, congresses)
    result.created, result.updated = len(new_rows), len(changed)

    new_ids = _new_ids(session, dialect, fingerprint, len(new_rows))
    inserts = {"id": new_ids, "code": [row.code for row, _ in new_rows],
               **{f: [values[i] for _, values in new_rows] for i, f in enumerate(_FIELDS)},
               "updated_at": [now] * len(new_rows)}
    by_fields: dict[tuple[str, ...], list[tuple]] = {}  # rows by the fields they change: an UPDATE sets only
    for rid, _row, values, _old, new in changed:  # those (an index or key left alone costs the database nothing)
        fields = tuple(f for f in _FIELDS if f in new)
        by_fields.setdefault(fields, []).append((rid, *(values[_FIELDS.index(f)] for f in fields)))
    updates = [prepare_update(dialect, _RES, "id", {
        "id": [row[0] for row in listed], **{f: [row[i] for row in listed] for i, f in enumerate(fields, start=1)},
        "updated_at": [now] * len(listed)}) for fields, listed in by_fields.items()]
    relinked = [(rid, row) for rid, row, _, _, new in changed if "themes" in new]
    links = [(rid, themes[name]) for rid, (row, _) in zip(new_ids, new_rows) for name in row.themes]
    links += [(rid, themes[name]) for rid, row in relinked for name in row.themes]
    # the audit events as audit.record writes them: one per created, one per updated Resolution, the import
    befores = [None] * len(new_rows) + [_plain(old) for *_, old, _ in changed] + [None]
    afters = [_created(row, values) for row, values in new_rows] + [_plain(new) for *_, new in changed] + [
        {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}]
    count = len(afters)
    audit = {"at": [now] * count, "user_id": [actor.id] * count,
             "action": ["create"] * len(new_rows) + ["update"] * len(changed) + ["import"],
             "entity": ["resolution"] * (count - 1) + ["register"],
             "entity_id": [row.code for row, _ in new_rows] + [row.code for _, row, *_ in changed] + [None],
             "before": befores, "after": afters}
    return _Plan(
        fingerprint=fingerprint, result=result,
        batches=[
            prepare(dialect, insert(_RES), inserts),
            *updates,
            prepare(dialect, insert(_EVENTS), audit),
        ],
        relinked=[rid for rid, _ in relinked],
        links=prepare(dialect, insert(_LINKS), {"resolution_id": [rid for rid, _ in links],
                                                "theme_id": [tid for _, tid in links]}),
    )


def _new_ids(session: Session, dialect, fingerprint: tuple, count: int) -> list[int]:
    """Ids for the new rows, known before the write so that their theme links are prepared beforehand too.
    SQLite: those after the largest id read (the write checks that the register is still as read);
    PostgreSQL: taken from the table's sequence now (never handed out twice, a gap if unused)."""
    if not count:
        return []
    if dialect.name == "sqlite":
        start = (fingerprint[1] or 0) + 1
        return list(range(start, start + count))
    return session.execute(text(  # one row holding them all: 100,000 rows would cost a second to fetch
        f"SELECT array_agg(nextval(pg_get_serial_sequence('{_RES.name}', 'id'))) FROM generate_series(1, :n)"),
        {"n": count}).scalar_one()


def _created(row: _Row, values: tuple) -> dict:
    """A new Resolution's audit values, as audit.record stores them (dates as ISO text); the text link only
    when it has one."""
    after = {"kind": row.kind, "number": row.number, "title": row.title, "congress_id": values[3],
             "status": row.status, "archived_on": row.archived_on.isoformat() if row.archived_on else None,
             "themes": row.themes}
    if row.text_url:
        after["text_url"] = row.text_url
    return after


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _plain(values: dict | None) -> dict | None:
    """As audit.record stores them: dates as ISO text, lists as lists."""
    if values is None:
        return None
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _check_numbers_against_database(rows: list[_Row], existing: dict, congresses: dict[str, int]) -> None:
    """A new code may not take a number another Resolution of its Congress already has."""
    if not rows:
        return
    taken = {(r[_AT["congress_id"]], r[_AT["number"]]): code for code, r in existing.items()}
    errors = []
    for row in rows:
        other = taken.get((congresses[row.congress], row.number))
        if other and other != row.code:
            errors.append(FieldError("number", _("number {number} is already used by {other}").format(
                number=row.number, other=other), row.line))
    if errors:
        raise ValidationFailed(errors)


def _register(session: Session, theme_names: dict[int, str]) -> dict[str, tuple]:
    """code -> (id, code, kind, number, title, congress_id, status, archived_on, text_url, sorted theme names)
    of every Resolution: one query, the theme ids of each gathered by the database."""
    ids = string_agg(session.get_bind().dialect.name, cast(_LINKS.c.theme_id, String), ",")
    links = core_select(_LINKS.c.resolution_id, ids.label("ids")).group_by(_LINKS.c.resolution_id).subquery()
    query = core_select(*(_RES.c[name] for name in _AT), links.c.ids).outerjoin(
        links, links.c.resolution_id == _RES.c.id)
    named: dict[str | None, list[str]] = {None: []}  # each list of ids as found, named once
    out = {}
    for *row, found in session.execute(query):
        listed = named.get(found)
        if listed is None:
            listed = named[found] = sorted(theme_names[int(i)] for i in found.split(","))
        out[row[1]] = (*row, listed)
    return out


def _themes_by_resolution(session: Session) -> dict[int, list[str]]:
    pairs = session.exec(select(ResolutionTheme.resolution_id, Theme.name).join(Theme))
    out: dict[int, list[str]] = {}
    for resolution_id, name in pairs:
        out.setdefault(resolution_id, []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def export_register(*, session: Session, actor: Actor, congress: str | None = None) -> bytes:
    """The register (or one Congress of it) in the import format, with the text_url column; text cells
    spreadsheet-safe."""
    require(actor, "register.export")
    query = select(Resolution, Congress.code).join(Congress).order_by(Congress.year, Resolution.number)
    if congress:
        query = query.where(Congress.code == congress)
    themes = _themes_by_resolution(session)
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # csv.writer's rows, a carriage return quoted too
    writer.writerow(EXPORT_COLUMNS)
    for resolution, congress_code in session.exec(query):
        writer.writerow([safe_cell(cell) for cell in (
            resolution.code, resolution.kind, resolution.number, resolution.title, congress_code,
            ";".join(themes.get(resolution.id, [])), resolution.status,
            resolution.archived_on.isoformat() if resolution.archived_on else "", resolution.text_url or "",
        )])
    return out.getvalue().encode("utf-8")
