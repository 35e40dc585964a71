"""Organisations (IUCN components): search, detail, create, edit, deactivate, and CSV import and export.

Organisations are never deleted: their Activity Reports keep pointing at them, so an organisation that
no longer takes part is deactivated instead. Every function is for the administrator
("components.manage").

CSV columns, in this order: kind,name,acronym,region,country. Import checks every row first; one bad
row and nothing is written. Rows are matched to existing organisations by name (case-insensitive), so
importing the same file again changes nothing, and export writes the same format (round trip).
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import func, insert, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

import locales
from db import vocab
from db.engine import transaction
from db.models import ActivityReport, AuditEvent, Component, User, UserComponent, utcnow
from locales import _
from services import audit, text_rules
from services.csv_file import data_rows
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require
from services.tabular import CsvRows, safe_cell, unquote_cell

COLUMNS = ("kind", "name", "acronym", "region", "country")
FIELDS = COLUMNS  # the editable fields, in the order of the file
NAME_MAX = 200
ACRONYM_MAX = 20
COUNTRY_MAX = 80
FILE_MAX_BYTES = 5 * 1024 * 1024
CELL_MAX = 1000
SEARCH_COLUMNS = ["id", "name", "acronym", "kind", "region", "country", "active", "members", "reports"]

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_LIKE_SPECIAL = re.compile(r"([\\%_])")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _key(name: str) -> str:
    """How names are compared: trimmed, case-insensitive (Unicode case folding)."""
    return name.strip().casefold()


def _has_control(text: str) -> bool:
    """One line of plain text: no control character, line break or tab (services.text_rules)."""
    return text_rules.has_control(text)


def _values(row: Component) -> dict:
    return {f: getattr(row, f) for f in FIELDS}


def clean_component(
    *,
    kind: str | None,
    name: str | None,
    acronym: str | None,
    region: str | None,
    country: str | None,
    name_owner: Callable[[str], int | None] | None = None,
    own_id: int | None = None,
) -> tuple[dict, list[FieldError]]:
    """The one validation of an organisation, used by create, update and the import.

    Returns the cleaned values (trimmed; empty optional fields as None) and every problem found.
    `name_owner(key)` gives the id of the organisation already holding a name (compared with `_key`),
    if any; the import leaves it out because it matches rows by name."""
    raw = {"kind": kind, "name": name, "acronym": acronym, "region": region, "country": country}
    values = {f: (v or "").strip() for f, v in raw.items()}
    errors: list[FieldError] = []
    for field, value in values.items():
        if _has_control(value):
            errors.append(FieldError(field, _("the {field} contains a line break, tab or other control character; it "
                                              "must be one line of text").format(field=field)))
    bad = {e.field for e in errors}
    if "kind" not in bad and values["kind"] not in vocab.COMPONENT_KINDS:
        kinds = ", ".join(vocab.COMPONENT_KINDS)
        errors.append(FieldError("kind", _("unknown kind {kind}: use one of {kinds}").format(
            kind=repr(text_rules.shown(values["kind"])), kinds=kinds)
                                 if values["kind"] else _("choose a kind ({kinds})").format(kinds=kinds)))
    if "region" not in bad and values["region"] and values["region"] not in vocab.IUCN_REGIONS:
        message = _("unknown region {region}: use one of {regions} (or leave it empty)")
        errors.append(FieldError("region", message.format(
            region=repr(text_rules.shown(values["region"])), regions="; ".join(vocab.IUCN_REGIONS))))
    if "name" not in bad:
        if not values["name"]:
            errors.append(FieldError("name", _("the name is empty")))
        elif len(values["name"]) > NAME_MAX:
            errors.append(FieldError("name", _("the name is longer than {max} characters ({length})").format(
                max=NAME_MAX, length=locales.format_number(len(values["name"])))))
        elif name_owner is not None:
            owner = name_owner(_key(values["name"]))
            if owner is not None and owner != own_id:
                errors.append(FieldError("name", _("another organisation already has this name")))
    if "acronym" not in bad and len(values["acronym"]) > ACRONYM_MAX:
        errors.append(FieldError("acronym", _("the acronym is longer than {max} characters").format(max=ACRONYM_MAX)))
    if "country" not in bad and len(values["country"]) > COUNTRY_MAX:
        errors.append(FieldError("country", _("the country is longer than {max} characters").format(max=COUNTRY_MAX)))
    order = {f: i for i, f in enumerate(FIELDS)}
    errors.sort(key=lambda e: order.get(e.field, len(order)))
    cleaned = {f: (values[f] or None) for f in FIELDS}
    cleaned["kind"], cleaned["name"] = values["kind"], values["name"]
    return cleaned, errors


def _name_owner(session: Session) -> Callable[[str], int | None]:
    """Which organisation holds a name, compared in Python so case folding is the same on every database
    (SQLite's lower() only knows ASCII). One small query of ids and names."""
    owners: dict[str, int] = {}
    for cid, name in session.exec(select(Component.id, Component.name)):
        owners.setdefault(_key(name), cid)
    return owners.get


def _get(session: Session, component_id: int) -> Component:
    row = session.get(Component, component_id)
    if row is None:
        raise NotFound(_("There is no organisation {id}.").format(id=component_id))
    return row


def _flush(session: Session) -> None:
    """The database's own unique constraint catches a name taken at the same moment by someone else."""
    try:
        session.flush()
    except IntegrityError:
        raise ValidationFailed([FieldError("name", _("another organisation already has this name"))]) from None


# -- reading ------------------------------------------------------------------------------------------


def search_components(
    *,
    session: Session,
    actor: Actor,
    text: str = "",
    kinds: tuple = (),
    regions: tuple = (),
    active: bool | None = None,
) -> pd.DataFrame:
    """Organisations matching every word of `text` (in name, acronym or country) and the filters, with
    their number of members (linked users) and of Activity Reports, counted in SQL. Sorted by name."""
    require(actor, "components.manage")
    members = (select(func.count(UserComponent.user_id))
               .where(UserComponent.component_id == Component.id).scalar_subquery())
    reports = (select(func.count(ActivityReport.id))
               .where(ActivityReport.component_id == Component.id).scalar_subquery())
    query = select(Component.id, Component.name, Component.acronym, Component.kind, Component.region,
                   Component.country, Component.active, members.label("members"), reports.label("reports"))
    for word in text_rules.search_text(text).split():
        pattern = "%" + _LIKE_SPECIAL.sub(r"\\\1", word) + "%"
        query = query.where(or_(Component.name.ilike(pattern, escape="\\"),
                                Component.acronym.ilike(pattern, escape="\\"),
                                Component.country.ilike(pattern, escape="\\")))
    if kinds:
        query = query.where(Component.kind.in_(tuple(kinds)))
    if regions:
        query = query.where(Component.region.in_(tuple(regions)))
    if active is not None:
        query = query.where(Component.active == active)
    query = query.order_by(func.lower(Component.name), Component.id)
    frame = pd.DataFrame(session.exec(query).all(), columns=SEARCH_COLUMNS)
    return frame.astype({"id": "int64", "members": "int64", "reports": "int64", "active": "bool"})


def component_counts(*, session: Session, actor: Actor) -> dict:
    """{"total": every organisation, "deactivated": those deactivated}."""
    require(actor, "components.manage")
    total, active = session.exec(
        select(func.count(Component.id), func.count(Component.id).filter(Component.active))
    ).one()
    return {"total": int(total), "deactivated": int(total) - int(active or 0)}


def component_detail(*, session: Session, actor: Actor, component_id: int, report_limit: int = 500) -> dict:
    """The organisation's fields, its members (linked users) and its Activity Reports (newest first, at most
    `report_limit`; `report_count` says how many there are)."""
    require(actor, "components.manage")
    row = _get(session, component_id)
    members = session.exec(
        select(User.username, User.display_name, User.email, User.active)
        .join(UserComponent, UserComponent.user_id == User.id)
        .where(UserComponent.component_id == component_id)
        .order_by(User.display_name, User.username)
    ).all()
    reports = session.exec(
        select(ActivityReport.id, ActivityReport.title, ActivityReport.state, ActivityReport.submitted_at)
        .where(ActivityReport.component_id == component_id)
        .order_by(ActivityReport.submitted_at.desc().nulls_last(), ActivityReport.id.desc())
        .limit(report_limit)
    ).all()
    report_count = session.exec(
        select(func.count(ActivityReport.id)).where(ActivityReport.component_id == component_id)
    ).one()
    return {
        "id": row.id, **_values(row), "active": row.active,
        "members": [{"username": u, "display_name": d, "email": e, "active": a} for u, d, e, a in members],
        "reports": [{"id": i, "title": t, "state": s, "submitted_at": at} for i, t, s, at in reports],
        "report_count": int(report_count),
    }


# -- writing ------------------------------------------------------------------------------------------


def create_component(
    *,
    session: Session,
    actor: Actor,
    kind: str,
    name: str,
    acronym: str | None = None,
    region: str | None = None,
    country: str | None = None,
) -> Component:
    require(actor, "components.manage")
    values, errors = clean_component(kind=kind, name=name, acronym=acronym, region=region, country=country,
                                     name_owner=_name_owner(session))
    if errors:
        raise ValidationFailed(errors)
    row = Component(**values, active=True)
    session.add(row)
    _flush(session)
    audit.record(session, actor=actor, action="create", entity="component", entity_id=row.id,
                 after={**values, "active": True})
    return row


def update_component(
    *,
    session: Session,
    actor: Actor,
    component_id: int,
    kind: str,
    name: str,
    acronym: str | None,
    region: str | None,
    country: str | None,
) -> Component:
    """Saves the fields; nothing is written (and no event recorded) when none changed."""
    require(actor, "components.manage")
    row = _get(session, component_id)
    values, errors = clean_component(kind=kind, name=name, acronym=acronym, region=region, country=country,
                                     name_owner=_name_owner(session), own_id=row.id)
    if errors:
        raise ValidationFailed(errors)
    before, after = audit.changes(_values(row), values)
    if not after:
        return row
    for field, value in after.items():
        setattr(row, field, value)
    session.add(row)
    _flush(session)
    audit.record(session, actor=actor, action="update", entity="component", entity_id=row.id,
                 before=before, after=after)
    return row


def set_component_active(*, session: Session, actor: Actor, component_id: int, active: bool) -> Component:
    """Deactivate (active=False) or reactivate an organisation. It is never deleted: its reports keep it."""
    require(actor, "components.manage")
    row = _get(session, component_id)
    if row.active == bool(active):
        return row
    row.active = bool(active)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate", entity="component",
                 entity_id=row.id, before={"active": not active}, after={"active": bool(active)})
    return row


# -- CSV import and export ----------------------------------------------------------------------------


def parse_components(data: bytes) -> list[tuple[int, dict]]:
    """(line, cleaned values) of every row; raises ValidationFailed listing every bad row with its line."""
    if len(data) > FILE_MAX_BYTES:
        raise ValidationFailed([FieldError(
            "file", _("the file is larger than {max} MB ({size} MB); split it into smaller files").format(
                max=FILE_MAX_BYTES // (1024 * 1024), size=f"{len(data) / (1024 * 1024):.1f}"), 1)])
    errors: list[FieldError] = []
    rows: list[tuple[int, dict]] = []
    first_line: dict[str, int] = {}
    line = 1
    try:
        for line, cells in data_rows(data, COLUMNS, errors=errors, cell_max=CELL_MAX):  # + control characters
            if len(cells) != len(COLUMNS):
                errors.append(FieldError("row", _("expected {expected} values, found {found}").format(
                    expected=len(COLUMNS), found=len(cells)), line))
                continue
            long = [FieldError(column, _("the value is longer than {max} characters").format(
                max=locales.format_number(CELL_MAX)), line)
                    for column, cell in zip(COLUMNS, cells) if len(cell) > CELL_MAX]
            if long:
                errors.extend(long)
                continue
            raw = {column: unquote_cell(cell.strip()) for column, cell in zip(COLUMNS, cells)}
            values, row_errors = clean_component(**raw)
            if values["name"] and not any(e.field == "name" for e in row_errors):
                key = _key(values["name"])
                if key in first_line:
                    row_errors.append(FieldError(
                        "name", _("duplicate name {name} (first on line {line})").format(
                            name=repr(values["name"]), line=first_line[key])))
                else:
                    first_line[key] = line
            for e in row_errors:
                e.line = line
            errors.extend(row_errors)
            if not row_errors:
                rows.append((line, values))
    except csv.Error as exc:
        errors.append(FieldError("file", _("the file cannot be read as CSV after line {line}: {error}").format(
            line=line, error=exc), line + 1))
    if errors:
        raise ValidationFailed(errors)
    return rows


def import_components(*, engine: Engine, actor: Actor, data: bytes) -> ImportResult:
    """Validate the whole file, then write it in one transaction: new names are created, existing ones
    (matched case-insensitively) updated where a field differs. Deactivated organisations stay so.

    Fast on big files: the existing rows are read once, new rows go in one multi-row INSERT that returns
    their ids, and the audit events in another."""
    require(actor, "components.manage")
    rows = parse_components(data)
    with transaction(engine) as session:
        existing: dict[str, Component] = {}
        for row in session.exec(select(Component).order_by(Component.id)):
            existing.setdefault(_key(row.name), row)
        result = ImportResult()
        created: list[dict] = []
        updates: list[tuple[Component, dict, dict]] = []
        for _line, values in rows:
            current = existing.get(_key(values["name"]))
            if current is None:
                created.append({**values, "active": True})
                continue
            before, after = audit.changes(_values(current), values)
            if not after:
                result.unchanged += 1
                continue
            for field, value in after.items():
                setattr(current, field, value)
            updates.append((current, before, after))
        _flush(session)  # the updates
        events: list[dict] = []
        if created:
            try:
                table = Component.__table__  # Core, not the ORM: one multi-row INSERT for the whole file
                ids = session.connection().execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True), created
                ).scalars().all()
            except IntegrityError:
                raise ValidationFailed([FieldError("name", _("another organisation already has this name"))]) from None
            events += [_event(actor, "create", cid, None, values) for cid, values in zip(ids, created)]
        events += [_event(actor, "update", row.id, before, after) for row, before, after in updates]
        result.created, result.updated = len(created), len(updates)
        events.append(_event(actor, "import", None, None, {
            "created": result.created, "updated": result.updated, "unchanged": result.unchanged}))
        session.connection().execute(insert(AuditEvent.__table__), events)
        return result


def _event(actor: Actor, action: str, entity_id: int | None, before: dict | None, after: dict) -> dict:
    """An audit event as audit.record writes it, as a row for a bulk INSERT (the values here are plain
    strings, booleans and None, so nothing needs converting)."""
    return {"at": utcnow(), "user_id": actor.id, "action": action, "entity": "component",
            "entity_id": None if entity_id is None else str(entity_id), "before": before, "after": after}


def export_components(*, session: Session, actor: Actor) -> bytes:
    """Every organisation (deactivated ones too) in the import format, by kind then name; UTF-8."""
    require(actor, "components.manage")
    rows = session.exec(select(Component.kind, Component.name, Component.acronym, Component.region,
                               Component.country)).all()
    rows = sorted(rows, key=lambda r: (r[0], r[1].casefold(), r[1]))
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # csv.writer's rows, a carriage return quoted too
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(v or "") for v in row])
    return out.getvalue().encode("utf-8")
