"""Import and export of the Resolution register as CSV.

Columns, in this order: code,kind,number,title,congress,themes,status,archived_on
Import checks every row first; one bad row and nothing is written. A good file is written in one
transaction; importing it again changes nothing. Export writes the same format, so the two round-trip.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import Congress, Resolution, ResolutionTheme, Theme, utcnow
from services import audit
from services.csv_file import data_rows
from services.errors import FieldError, ValidationFailed
from services.permissions import Actor, require

COLUMNS = ("code", "kind", "number", "title", "congress", "themes", "status", "archived_on")
TITLE_MAX = 500


def resolution_code(congress_code: str, kind: str, number: int) -> str:
    return f"{congress_code}-{vocab.RESOLUTION_KIND_CODES[kind]}-{number:03d}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
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
    """Every row checked; raises ValidationFailed listing every bad row with its line number."""
    errors: list[FieldError] = []
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    numbers: dict[tuple[str, int], str] = {}
    for line, cells in data_rows(data, COLUMNS):
        if len(cells) != len(COLUMNS):
            errors.append(FieldError("row", f"expected {len(COLUMNS)} values, found {len(cells)}", line))
            continue
        raw = dict(zip(COLUMNS, (c.strip() for c in cells)))
        row_errors = _check_row(raw, congresses, themes)
        code = raw["code"]
        if code in first_line:
            row_errors.append(FieldError("code", f"duplicate code {code} (first on line {first_line[code]})"))
        else:
            first_line[code] = line
        if not row_errors:
            number = int(raw["number"])
            other = numbers.setdefault((raw["congress"], number), code)
            if other != code:
                row_errors.append(FieldError("number", f"number {number} is already used by {other}"))
        for e in row_errors:
            e.line = line
        errors.extend(row_errors)
        if not row_errors:
            rows.append(_Row(
                line=line,
                code=code,
                kind=raw["kind"],
                number=int(raw["number"]),
                title=raw["title"],
                congress=raw["congress"],
                themes=sorted({t.strip() for t in raw["themes"].split(";") if t.strip()}),
                status=raw["status"],
                archived_on=date.fromisoformat(raw["archived_on"]) if raw["archived_on"] else None,
            ))
    if errors:
        raise ValidationFailed(errors)
    return rows


def _check_row(raw: dict[str, str], congresses: set[str], themes: set[str]) -> list[FieldError]:
    errors = []
    if raw["congress"] not in congresses:
        errors.append(FieldError("congress", f"unknown Congress {raw['congress']!r}"))
    if raw["kind"] not in vocab.RESOLUTION_KINDS:
        errors.append(FieldError("kind", f"kind must be Resolution or Recommendation, not {raw['kind']!r}"))
    if not raw["number"].isdigit() or int(raw["number"]) < 1:
        errors.append(FieldError("number", f"number must be a positive whole number, not {raw['number']!r}"))
    if not errors:
        expected = resolution_code(raw["congress"], raw["kind"], int(raw["number"]))
        if raw["code"] != expected:
            errors.append(FieldError(
                "code", f"code {raw['code']!r} does not match its Congress, kind and number (expected {expected})"
            ))
    if not raw["title"]:
        errors.append(FieldError("title", "the title is empty"))
    elif len(raw["title"]) > TITLE_MAX:
        errors.append(FieldError("title", f"the title is longer than {TITLE_MAX} characters"))
    unknown = [t.strip() for t in raw["themes"].split(";") if t.strip() and t.strip() not in themes]
    if unknown:
        errors.append(FieldError("themes", f"unknown theme(s): {', '.join(unknown)}"))
    if raw["status"] not in vocab.RESOLUTION_STATUSES:
        errors.append(FieldError("status", f"status must be active or archived, not {raw['status']!r}"))
    archived_on = None
    if raw["archived_on"]:
        try:
            archived_on = date.fromisoformat(raw["archived_on"])
        except ValueError:
            errors.append(FieldError("archived_on", f"bad date {raw['archived_on']!r} (use YYYY-MM-DD)"))
    if raw["status"] == "archived" and not raw["archived_on"]:
        errors.append(FieldError("archived_on", "an archived Resolution needs the date it was archived"))
    if raw["status"] == "active" and archived_on:
        errors.append(FieldError("archived_on", "an active Resolution has no archiving date"))
    return errors


def import_register(*, engine: Engine, actor: Actor, data: bytes) -> ImportResult:
    """Validate the whole file, then write it in one transaction."""
    require(actor, "register.import")
    with transaction(engine) as session:
        congresses = {c.code: c for c in session.exec(select(Congress))}
        themes = {t.name: t for t in session.exec(select(Theme))}
        rows = parse_register(data, congresses=set(congresses), themes=set(themes))
        existing = {r.code: r for r in session.exec(select(Resolution))}
        theme_names = _themes_by_resolution(session)
        _check_numbers_against_database(rows, existing, congresses)
        result = ImportResult()
        for row in rows:
            congress = congresses[row.congress]
            values = {
                "kind": row.kind, "number": row.number, "title": row.title,
                "congress_id": congress.id, "status": row.status, "archived_on": row.archived_on,
            }
            current = existing.get(row.code)
            if current is None:
                current = Resolution(code=row.code, **values)
                session.add(current)
                session.flush()
                _set_themes(session, current.id, row.themes, themes)
                audit.record(session, actor=actor, action="create", entity="resolution",
                             entity_id=row.code, after={**values, "themes": row.themes})
                result.created += 1
                continue
            before = {k: getattr(current, k) for k in values} | {"themes": theme_names.get(current.id, [])}
            after = values | {"themes": row.themes}
            if before == after:
                result.unchanged += 1
                continue
            for field, value in values.items():
                setattr(current, field, value)
            current.updated_at = utcnow()
            if before["themes"] != row.themes:
                _set_themes(session, current.id, row.themes, themes)
            old, new = audit.changes(before, after)
            audit.record(session, actor=actor, action="update", entity="resolution",
                         entity_id=row.code, before=old, after=new)
            result.updated += 1
        audit.record(session, actor=actor, action="import", entity="register",
                     after={"created": result.created, "updated": result.updated,
                            "unchanged": result.unchanged})
        return result


def _check_numbers_against_database(rows, existing, congresses) -> None:
    """A new code may not take a number another Resolution of its Congress already has."""
    taken = {(r.congress_id, r.number): r.code for r in existing.values()}
    errors = []
    for row in rows:
        other = taken.get((congresses[row.congress].id, row.number))
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


def _set_themes(session: Session, resolution_id: int, names: list[str], themes: dict[str, Theme]) -> None:
    for link in session.exec(select(ResolutionTheme).where(ResolutionTheme.resolution_id == resolution_id)):
        session.delete(link)
    session.flush()
    for name in names:
        session.add(ResolutionTheme(resolution_id=resolution_id, theme_id=themes[name].id))


def export_register(*, session: Session, actor: Actor, congress: str | None = None) -> bytes:
    """The register (or one Congress of it) in the import format."""
    require(actor, "register.export")
    query = select(Resolution, Congress.code).join(Congress).order_by(Congress.year, Resolution.number)
    if congress:
        query = query.where(Congress.code == congress)
    themes = _themes_by_resolution(session)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for resolution, congress_code in session.exec(query):
        writer.writerow([
            resolution.code, resolution.kind, resolution.number, resolution.title, congress_code,
            ";".join(themes.get(resolution.id, [])), resolution.status,
            resolution.archived_on.isoformat() if resolution.archived_on else "",
        ])
    return out.getvalue().encode("utf-8")
