"""Operative paragraphs of Resolutions (issue 18): entered by the Secretariat on the Resolution page or imported
from CSV, named by Activity Reports (the link field in services/report_fields.py), given a status per paragraph
in Progress Reports (optional), and read back per paragraph: who reported what, and which paragraphs nobody
is working on.

CSV import: columns code,paragraph,addressee,text (a header line, UTF-8). All or nothing, like the register
(services/register_file.py): every bad row is listed with its line and column and nothing is written. For each
Resolution named, the file gives its whole list of paragraphs, in order: paragraphs with the same number are
updated, new ones added, and those the file leaves out are deleted (refused when a report names them).
"""

import re
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import vocab
from db.counting import counted_activity, counted_activity_in, in_force
from db.engine import transaction
from db.models import (
    ActivityReport,
    ActivityReportParagraph,
    Component,
    Congress,
    OperativeParagraph,
    ProgressReport,
    ProgressReportParagraph,
    ProgressReportRevision,
    Resolution,
    utcnow,
)
from locales import N_, _
from services import audit, text_rules
from services.csv_file import data_rows, shown
from services.errors import ConflictError, FieldError, NotFound, ValidationFailed
from services.locking import claim
from services.permissions import Actor, require

ENTITY = "operative_paragraph"
COLUMNS = ("code", "paragraph", "addressee", "text")
NUMBER_MAX = OperativeParagraph.__table__.c.number.type.length  # 12
ADDRESSEE_MAX = OperativeParagraph.__table__.c.addressee.type.length  # 120
TEXT_MAX = 5000
CODE_MAX = Resolution.__table__.c.code.type.length
MAX_FILE_BYTES = 5 * 1024 * 1024
_NUMBER = re.compile(r"[0-9A-Za-z().-]+")  # "1", "4b", "12(a)", "3.1"
CONFLICT = N_("Someone else saved this paragraph after you opened it, so your changes were not saved. "
              "Reload the page and apply your changes again.")
# Where the public-status rule lives for paragraphs: a Progress Report's paragraph statuses as published
# (the latest revision's content), never the working copy.
REVISION_KEY = "paragraph_statuses"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    resolutions: int = 0


# -- reading ----------------------------------------------------------------------------------------------
def _resolution(session: Session, code: str) -> Resolution:
    key = text_rules.lookup_key(code, max_len=CODE_MAX)
    found = session.exec(select(Resolution).where(Resolution.code == key)).first() if key else None
    if found is None:
        raise NotFound(_("No Resolution with code {code}.").format(code=code))
    return found


def _ordered(resolution_id):
    return (select(OperativeParagraph).where(OperativeParagraph.resolution_id == resolution_id)
            .order_by(OperativeParagraph.position, OperativeParagraph.id))


def _plain(p: OperativeParagraph) -> dict:
    return {"id": p.id, "number": p.number, "position": p.position, "addressee": p.addressee or "",
            "text": p.text, "version": p.version}


def list_paragraphs(*, session: Session, code: str) -> list[dict]:
    """A Resolution's paragraphs in order (public information): id, number, position, addressee, text, version."""
    resolution = _resolution(session, code)
    return [_plain(p) for p in session.exec(_ordered(resolution.id))]


def paragraph_options(*, session: Session, resolution_ids: tuple[int, ...]) -> pd.DataFrame:
    """The paragraphs an Activity Report on these Resolutions may name: id, code, number, addressee, text."""
    rows = session.exec(
        select(OperativeParagraph.id, Resolution.code, OperativeParagraph.number, OperativeParagraph.addressee,
               OperativeParagraph.text)
        .join(Resolution, Resolution.id == OperativeParagraph.resolution_id)
        .where(OperativeParagraph.resolution_id.in_(tuple(resolution_ids) or (-1,)))
        .order_by(Resolution.code, OperativeParagraph.position, OperativeParagraph.id)).all()
    return pd.DataFrame(rows, columns=["id", "code", "number", "addressee", "text"])


def foreign_paragraphs(session: Session, paragraph_ids, resolution_ids) -> set[int]:
    """Of these paragraphs, those that are not paragraphs of these Resolutions (or no longer exist)."""
    if not paragraph_ids:
        return set()
    own = set(session.exec(select(OperativeParagraph.id).where(
        OperativeParagraph.id.in_(tuple(paragraph_ids)),
        OperativeParagraph.resolution_id.in_(tuple(resolution_ids) or (-1,)))))
    return set(paragraph_ids) - own


def paragraph_view(*, session: Session, code: str, public: bool = False) -> list[dict]:
    """Per paragraph of one Resolution: who reported what (the counted Activity Reports naming it: id,
    component, title, year received; public=True: only those shown publicly) and the published Progress
    Reports' statuses of the paragraph by year ({year: status})."""
    resolution = _resolution(session, code)
    paragraphs = [_plain(p) | {"activities": [], "statuses": {}} for p in session.exec(_ordered(resolution.id))]
    by_id = {p["id"]: p for p in paragraphs}
    if not by_id:
        return paragraphs
    reports = session.exec(
        select(ActivityReportParagraph.paragraph_id, ActivityReport.id, Component.name, ActivityReport.title,
               ActivityReport.submitted_at)
        .join(ActivityReport, ActivityReport.id == ActivityReportParagraph.activity_report_id)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(ActivityReportParagraph.paragraph_id.in_(tuple(by_id)), counted_activity(public=public))
        .order_by(ActivityReport.submitted_at.desc(), ActivityReport.id.desc())).all()
    for paragraph_id, report_id, component, title, submitted_at in reports:
        by_id[paragraph_id]["activities"].append({
            "id": report_id, "component": component, "title": title,
            "year": submitted_at.year if submitted_at else None})
    for year, statuses in published_statuses(session, resolution.id).items():
        for paragraph_id, status in statuses.items():
            if paragraph_id in by_id:
                by_id[paragraph_id]["statuses"][year] = status
    return paragraphs


def published_statuses(session: Session, resolution_id: int) -> dict[int, dict[int, str]]:
    """year -> {paragraph id: status} from each year's latest published Progress Report version."""
    rows = session.exec(
        select(ProgressReport.year, ProgressReportRevision.content)
        .join(ProgressReportRevision, ProgressReportRevision.progress_report_id == ProgressReport.id)
        .where(ProgressReport.resolution_id == resolution_id)
        .order_by(ProgressReport.year, ProgressReportRevision.revision)).all()
    out: dict[int, dict[int, str]] = {}
    for year, content in rows:  # later revisions of a year overwrite earlier ones
        out[year] = {int(k): v for k, v in ((content or {}).get(REVISION_KEY) or {}).items()}
    return {year: statuses for year, statuses in out.items() if statuses}


def public_counts(*, session: Session, resolution_id: int) -> dict[int, int]:
    """paragraph id -> how many Activity Reports shown publicly name it (the open-data API)."""
    rows = session.exec(
        select(ActivityReportParagraph.paragraph_id, func.count())
        .join(ActivityReport, ActivityReport.id == ActivityReportParagraph.activity_report_id)
        .join(OperativeParagraph, OperativeParagraph.id == ActivityReportParagraph.paragraph_id)
        .where(OperativeParagraph.resolution_id == resolution_id, counted_activity(public=True))
        .group_by(ActivityReportParagraph.paragraph_id)).all()
    return {int(p): int(n) for p, n in rows}


UNADDRESSED_COLUMNS = ["code", "title", "number", "addressee", "text"]


def unaddressed(*, session: Session, actor: Actor, congress: str, year: int | None = None) -> pd.DataFrame:
    """The paragraphs nobody is working on: of the Congress' Resolutions (in force in `year` when given, else
    active), the paragraphs no counted Activity Report names (received in `year` when given). In register
    order. A coverage read (who has not reported is the Secretariat's and the focal points' business)."""
    require(actor, "coverage.view")
    addressed = (select(ActivityReportParagraph.paragraph_id)
                 .join(ActivityReport, ActivityReport.id == ActivityReportParagraph.activity_report_id)
                 .where(counted_activity_in(year) if year else counted_activity()))
    query = (
        select(Resolution.code, Resolution.title, OperativeParagraph.number, OperativeParagraph.addressee,
               OperativeParagraph.text)
        .join(OperativeParagraph, OperativeParagraph.resolution_id == Resolution.id)
        .join(Congress, Congress.id == Resolution.congress_id)
        .where(Congress.code == congress, OperativeParagraph.id.not_in(addressed))
        .order_by(Resolution.kind.desc(), Resolution.number, OperativeParagraph.position, OperativeParagraph.id))
    query = query.where(in_force(year, congress_code=congress)) if year else query.where(
        Resolution.status == "active")
    frame = pd.DataFrame(session.exec(query).all(), columns=UNADDRESSED_COLUMNS)
    frame["addressee"] = frame["addressee"].fillna("")
    return frame


# -- checking one paragraph -------------------------------------------------------------------------------
def _problems(number: str, addressee: str, text: str) -> tuple[list[FieldError], tuple[str, str | None, str]]:
    errors: list[FieldError] = []
    number = text_rules.check_text(number, field="number", label=_("The paragraph number"), max_len=NUMBER_MAX,
                                   required=True, errors=errors, missing=_("Give the paragraph's number."))
    if number and len(number) <= NUMBER_MAX and not _NUMBER.fullmatch(number):
        errors.append(FieldError("number", _("A paragraph number is made of letters, digits and . ( ) -, such "
                                             "as 1, 4b or 12(a); not {number}.").format(number=shown(number))))
    addressee = text_rules.check_text(addressee, field="addressee", label=_("The addressee"),
                                      max_len=ADDRESSEE_MAX, errors=errors)
    text = text_rules.check_text(text, field="text", label=_("The text"), max_len=TEXT_MAX, multiline=True,
                                 required=True, errors=errors, missing=_("Give the paragraph's text."))
    return errors, (number, addressee or None, text)


def _taken(session: Session, resolution_id: int, number: str, but: int | None = None) -> bool:
    query = select(OperativeParagraph.id).where(OperativeParagraph.resolution_id == resolution_id,
                                                OperativeParagraph.number == number)
    if but is not None:
        query = query.where(OperativeParagraph.id != but)
    return session.exec(query).first() is not None


def _in_use(session: Session, paragraph_ids: list[int]) -> set[int]:
    """Paragraphs an Activity Report names or a Progress Report gives a status to: they are kept."""
    ids = tuple(paragraph_ids) or (-1,)
    named = session.exec(select(ActivityReportParagraph.paragraph_id)
                         .where(ActivityReportParagraph.paragraph_id.in_(ids))).all()
    rated = session.exec(select(ProgressReportParagraph.paragraph_id)
                         .where(ProgressReportParagraph.paragraph_id.in_(ids))).all()
    return set(named) | set(rated)


# -- writing one paragraph (the Secretariat, on the Resolution page) ----------------------------------------
def add_paragraph(*, session: Session, actor: Actor, code: str, number: str, addressee: str = "",
                  text: str = "") -> OperativeParagraph:
    """A new paragraph at the end of the Resolution's list."""
    require(actor, "paragraphs.edit")
    resolution = _resolution(session, code)
    errors, (number, addressee, text) = _problems(number, addressee, text)
    if not errors and _taken(session, resolution.id, number):
        errors.append(FieldError("number", _("{code} already has a paragraph {number}.").format(
            code=resolution.code, number=number)))
    if errors:
        raise ValidationFailed(errors)
    last = session.exec(select(func.max(OperativeParagraph.position))
                        .where(OperativeParagraph.resolution_id == resolution.id)).one()
    row = OperativeParagraph(resolution_id=resolution.id, number=number, position=(last or 0) + 1,
                             addressee=addressee, text=text)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="create", entity=ENTITY, entity_id=row.id,
                 after={"resolution": resolution.code, "number": number, "addressee": addressee, "text": text})
    return row


def _load(session: Session, paragraph_id: int) -> OperativeParagraph:
    row = session.get(OperativeParagraph, paragraph_id)
    if row is None:
        raise NotFound(_("This paragraph no longer exists: someone deleted it. Reload the page."))
    return row


def edit_paragraph(*, session: Session, actor: Actor, paragraph_id: int, version: int, number: str,
                   addressee: str = "", text: str = "") -> OperativeParagraph:
    require(actor, "paragraphs.edit")
    row = _load(session, paragraph_id)
    errors, (number, addressee, text) = _problems(number, addressee, text)
    if not errors and _taken(session, row.resolution_id, number, but=row.id):
        errors.append(FieldError("number", _("This Resolution already has a paragraph {number}.").format(
            number=number)))
    if version != row.version:
        raise ConflictError(_(CONFLICT))
    if errors:
        raise ValidationFailed(errors)
    before = {"number": row.number, "addressee": row.addressee, "text": row.text}
    claim(session, row, version, _(CONFLICT))
    row.number, row.addressee, row.text, row.updated_at = number, addressee, text, utcnow()
    session.add(row)
    old, new = audit.changes(before, {"number": number, "addressee": addressee, "text": text})
    audit.record(session, actor=actor, action="update", entity=ENTITY, entity_id=row.id, before=old, after=new)
    return row


def delete_paragraph(*, session: Session, actor: Actor, paragraph_id: int, version: int) -> None:
    """Delete a paragraph no report names (the reports' words would lose what they answer)."""
    require(actor, "paragraphs.edit")
    row = _load(session, paragraph_id)
    if version != row.version:
        raise ConflictError(_(CONFLICT))
    if _in_use(session, [row.id]):
        raise ConflictError(_("Paragraph {number} is named by Activity or Progress Reports, so it cannot be "
                              "deleted; edit its text instead.").format(number=row.number))
    claim(session, row, version, _(CONFLICT))
    before = {"number": row.number, "addressee": row.addressee, "text": row.text}
    session.delete(row)
    audit.record(session, actor=actor, action="delete", entity=ENTITY, entity_id=paragraph_id, before=before)


# -- the CSV import -----------------------------------------------------------------------------------------
@dataclass
class _Row:
    line: int
    code: str
    number: str
    addressee: str | None
    text: str


def parse_paragraphs(data: bytes, *, codes: set[str]) -> list[_Row]:
    """Every row checked (the Resolution codes known: `codes`); raises ValidationFailed listing every bad row."""
    errors: list[FieldError] = []
    rows: list[_Row] = []
    first: dict[tuple[str, str], int] = {}
    for line, cells in data_rows(data, COLUMNS, errors=errors, max_bytes=MAX_FILE_BYTES, multiline=("text",)):
        code, number, addressee, text = (c.strip() for c in cells)
        row_errors, (number, addressee, text) = _problems(number, addressee, text)
        for e in row_errors:
            e.field = {"number": "paragraph"}.get(e.field, e.field)
        if code not in codes:
            row_errors.insert(0, FieldError("code", _("unknown Resolution {code}").format(code=shown(code))))
        if number and (code, number) in first:
            row_errors.append(FieldError("paragraph", _("paragraph {number} of {code} is already on line "
                                                        "{line}").format(number=shown(number), code=code,
                                                                         line=first[(code, number)])))
        elif number:
            first[(code, number)] = line
        for e in row_errors:
            e.line = line
        errors.extend(row_errors)
        if not row_errors:
            rows.append(_Row(line, code, number, addressee, text))
    if errors:
        raise ValidationFailed(errors)
    return rows


def import_paragraphs(*, engine: Engine, actor: Actor, data: bytes) -> ImportResult:
    """Check the whole file, then write it in one transaction: for each Resolution named, its paragraphs as
    the file lists them. Raises ValidationFailed (every problem with its line) or PermissionDenied."""
    require(actor, "paragraphs.edit")
    with Session(engine) as session:
        codes = dict(session.exec(select(Resolution.code, Resolution.id)).all())
    rows = parse_paragraphs(data, codes=set(codes))
    with transaction(engine) as session:
        return _write_import(session, actor, rows, codes)


def _write_import(session: Session, actor: Actor, rows: list[_Row], codes: dict[str, int]) -> ImportResult:
    result = ImportResult()
    by_code: dict[str, list[_Row]] = {}
    for row in rows:
        by_code.setdefault(row.code, []).append(row)
    errors: list[FieldError] = []
    plans = []
    for code, listed in by_code.items():
        resolution_id = codes[code]
        existing = {p.number: p for p in session.exec(_ordered(resolution_id))}
        gone = [p for number, p in existing.items() if number not in {r.number for r in listed}]
        kept = _in_use(session, [p.id for p in gone])
        for p in gone:
            if p.id in kept:
                errors.append(FieldError("paragraph", _(
                    "paragraph {number} of {code} is not in the file but reports name it, so it cannot be "
                    "deleted: add it to the file").format(number=p.number, code=code), listed[0].line))
        plans.append((code, resolution_id, listed, existing, gone))
    if errors:
        raise ValidationFailed(errors)
    now = utcnow()
    for code, resolution_id, listed, existing, gone in plans:
        before = [_audited(p.number, p.addressee, p.text) for p in existing.values()]
        for p in gone:
            session.delete(p)
            result.deleted += 1
        session.flush()  # numbers of deleted paragraphs free before any new one takes them
        for position, row in enumerate(listed, start=1):
            current = existing.get(row.number)
            if current is None:
                session.add(OperativeParagraph(resolution_id=resolution_id, number=row.number, position=position,
                                               addressee=row.addressee, text=row.text, updated_at=now))
                result.created += 1
            elif (current.position, current.addressee, current.text) == (position, row.addressee, row.text):
                result.unchanged += 1
            else:
                current.position, current.addressee, current.text = position, row.addressee, row.text
                current.version, current.updated_at = current.version + 1, now
                session.add(current)
                result.updated += 1
        after = [_audited(r.number, r.addressee, r.text) for r in listed]
        if before != after:
            result.resolutions += 1
            audit.record(session, actor=actor, action="import", entity="resolution_paragraphs", entity_id=code,
                         before={"paragraphs": before}, after={"paragraphs": after})
    session.flush()
    audit.record(session, actor=actor, action="import", entity="paragraphs", after={
        "created": result.created, "updated": result.updated, "deleted": result.deleted,
        "unchanged": result.unchanged})
    return result


def _audited(number: str, addressee: str | None, text: str) -> dict:
    return {"number": number, "addressee": addressee, "text": text}


def import_summary(result: ImportResult) -> str:
    return _("{created} added, {updated} updated, {deleted} deleted, {unchanged} unchanged.").format(
        created=result.created, updated=result.updated, deleted=result.deleted, unchanged=result.unchanged)


# -- a Progress Report's statuses per paragraph -------------------------------------------------------------
def progress_statuses(session: Session, report_id: int | None) -> dict[int, str]:
    """paragraph id -> status, as the Progress Report's working copy holds them."""
    if report_id is None:
        return {}
    return dict(session.exec(select(ProgressReportParagraph.paragraph_id, ProgressReportParagraph.status)
                             .where(ProgressReportParagraph.progress_report_id == report_id)).all())


def progress_status_problems(session: Session, resolution_id: int, statuses: dict[int, str]) -> list[FieldError]:
    """A status per paragraph: a paragraph of the report's Resolution, a status of the scale."""
    errors = []
    if foreign_paragraphs(session, list(statuses), [resolution_id]):
        errors.append(FieldError("paragraph_statuses", _("One of the paragraphs no longer exists; reload the "
                                                         "report.")))
    if set(statuses.values()) - set(vocab.IMPLEMENTATION_STATUSES):
        errors.append(FieldError("paragraph_statuses", _("Choose paragraph statuses from the scale.")))
    return errors


def write_progress_statuses(session: Session, report_id: int, statuses: dict[int, str]) -> None:
    """Replace the report's statuses per paragraph (a paragraph left out has none)."""
    session.execute(delete(ProgressReportParagraph).where(ProgressReportParagraph.progress_report_id == report_id))
    for paragraph_id, status in sorted(statuses.items()):
        session.add(ProgressReportParagraph(progress_report_id=report_id, paragraph_id=paragraph_id, status=status))
    session.flush()

