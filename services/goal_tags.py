"""The crosswalk to global goals (issue 18): the reference list of goals and targets (KMGBF, SDGs, Nature
2030), the targets a Resolution is tagged with, and tagging them one Resolution at a time or in bulk.

The list is reference data (db/reference/global_goals.csv, loaded by db/reference_data.py), stored as codes
with their English names and, where known, French and Spanish ones; the reader's language picks the name.
Tagging is the Secretariat's (register.edit one at a time, register.import by file); each Resolution whose
tags change gets one audit event with its targets before and after, in the transaction of the write.

Bulk import: CSV `code,target`, one tag a line (a Resolution code and a target code). It adds tags (those
already there are left as they are: importing the same file again changes nothing). Every row is checked
first; one bad row and nothing is written, every problem listed with its line.
"""

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import locales
from db import vocab
from db.engine import transaction
from db.models import GoalTarget, Resolution, ResolutionTarget, utcnow
from locales import _
from services import audit, text_rules
from services.csv_file import data_rows, shown
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require

CSV_COLUMNS = ("code", "target")
TARGET_COLUMNS = ["code", "framework", "level", "parent_code", "number", "name", "label"]


def target_name(name: str, name_fr: str | None, name_es: str | None, language: str | None = None) -> str:
    """The name in the reader's language where the reference data has it, else the English one."""
    language = language or locales.current()
    return {"fr": name_fr, "es": name_es}.get(language) or name


def target_label(code: str, number: str | None, name: str, framework: str) -> str:
    """How a target reads in a list: 'KMGBF 3 · Conserve 30% ...', 'SDG 14.a · ...', 'Oceans'."""
    if framework == "NATURE2030" or not number:
        return name
    prefix = "KMGBF" if framework == "KMGBF" else "SDG"
    return f"{prefix} {number} · {name}"


def goal_targets(*, session: Session, framework: str | None = None) -> pd.DataFrame:
    """The reference list in its order (TARGET_COLUMNS), names and labels in the reader's language; one
    framework only when named."""
    query = select(GoalTarget).order_by(GoalTarget.position)
    if framework is not None:
        query = query.where(GoalTarget.framework == framework)
    rows = []
    for t in session.exec(query).all():
        name = target_name(t.name, t.name_fr, t.name_es)
        rows.append((t.code, t.framework, t.level, t.parent_code, t.number, name,
                     target_label(t.code, t.number, name, t.framework)))
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def target_labels(*, session: Session) -> dict[str, str]:
    """{code: label} of every target, in reference order (a multiselect's options and their labels)."""
    frame = goal_targets(session=session)
    return dict(zip(frame["code"], frame["label"]))


def targets_of(*, session: Session, code: str) -> list[str]:
    """The target codes a Resolution is tagged with, in reference order."""
    resolution = _resolution(session, code)
    return list(session.exec(
        select(ResolutionTarget.target_code).join(GoalTarget, GoalTarget.code == ResolutionTarget.target_code)
        .where(ResolutionTarget.resolution_id == resolution.id).order_by(GoalTarget.position)))


def framework_label(framework: str) -> str:
    return _(vocab.GOAL_FRAMEWORK_LABELS[framework])


def _resolution(session: Session, code: str) -> Resolution:
    key = text_rules.lookup_key(code, max_len=32)
    resolution = session.exec(select(Resolution).where(Resolution.code == key)).first() if key else None
    if resolution is None:
        raise NotFound(_("No Resolution with code {code}.").format(code=code))
    return resolution


def _known_codes(session: Session) -> dict[str, int]:
    """{target code: position}."""
    return dict(session.exec(select(GoalTarget.code, GoalTarget.position)).all())


def _record(session: Session, actor: Actor, resolution: Resolution, before: list[str], after: list[str]) -> None:
    resolution.updated_at = utcnow()
    audit.record(session, actor=actor, action="update", entity="resolution", entity_id=resolution.code,
                 before={"targets": before}, after={"targets": after})


def set_targets(*, session: Session, actor: Actor, code: str, targets: list[str]) -> bool:
    """Tag the Resolution with exactly these targets (codes of the reference list). True when the tags
    changed; nothing is written (and no event recorded) when they are already these."""
    require(actor, "register.edit")
    resolution = _resolution(session, code)
    known = _known_codes(session)
    unknown = [t for t in targets if t not in known]
    if unknown:
        raise ValidationFailed([FieldError("targets", _("unknown target code {code}").format(code=shown(t)))
                                for t in unknown])
    wanted = sorted(set(targets), key=known.get)
    rows = session.exec(select(ResolutionTarget).where(ResolutionTarget.resolution_id == resolution.id)).all()
    before = sorted((r.target_code for r in rows), key=known.get)
    if before == wanted:
        return False
    for row in rows:
        if row.target_code not in wanted:
            session.delete(row)
    for target in wanted:
        if target not in before:
            session.add(ResolutionTarget(resolution_id=resolution.id, target_code=target))
    _record(session, actor, resolution, before, wanted)
    session.flush()
    return True


# -- bulk import ----------------------------------------------------------------------------------------
@dataclass
class TagImportResult:
    created: int = 0  # tags added
    unchanged: int = 0  # rows whose tag was already there
    resolutions: int = 0  # Resolutions whose tags changed


def parse_tags(data: bytes, *, codes: set[str], targets: set[str]) -> list[tuple[int, str, str]]:
    """(line, Resolution code, target code) for every row; raises ValidationFailed listing every bad row."""
    errors: list[FieldError] = []
    rows: list[tuple[int, str, str]] = []
    first_line: dict[tuple[str, str], int] = {}
    # data_rows refuses (with line and column) oversized files and cells, control characters, short rows
    for line, cells in data_rows(data, CSV_COLUMNS, errors=errors):
        code, target = (c.strip() for c in cells)
        before = len(errors)
        if not code:
            errors.append(FieldError("code", _("the Resolution code is missing"), line))
        elif code not in codes:
            errors.append(FieldError("code", _("unknown Resolution code {code}").format(code=shown(code)), line))
        if not target:
            errors.append(FieldError("target", _("the target code is missing"), line))
        elif target not in targets:
            errors.append(FieldError("target", _("unknown target code {code}").format(code=shown(target)), line))
        if (code, target) in first_line:
            errors.append(FieldError("row", _("duplicate of line {line}").format(line=first_line[(code, target)]),
                                     line))
        elif len(errors) == before:
            first_line[(code, target)] = line
        if len(errors) == before:
            rows.append((line, code, target))
    if errors:
        raise ValidationFailed(errors)
    if not rows:
        raise ValidationFailed([FieldError("file", _("the file has no rows"), 2)])
    return rows


def import_tags(*, engine: Engine, actor: Actor, data: bytes) -> TagImportResult:
    """Check the whole file, then add its tags in one transaction with one audit event per Resolution whose
    tags change. Raises ValidationFailed (every problem, with its line): then nothing is written."""
    require(actor, "register.import")
    with transaction(engine) as session:
        known = _known_codes(session)
        resolutions = {r.code: r for r in session.exec(select(Resolution)).all()}
        rows = parse_tags(data, codes=set(resolutions), targets=set(known))
        wanted: dict[str, set[str]] = {}
        for _line, code, target in rows:
            wanted.setdefault(code, set()).add(target)
        ids = [resolutions[code].id for code in wanted]
        existing: dict[int, set[str]] = {}
        for resolution_id, target in session.exec(
                select(ResolutionTarget.resolution_id, ResolutionTarget.target_code)
                .where(ResolutionTarget.resolution_id.in_(ids))).all():
            existing.setdefault(resolution_id, set()).add(target)
        result = TagImportResult()
        for code, targets in wanted.items():
            resolution = resolutions[code]
            before = existing.get(resolution.id, set())
            new = targets - before
            result.unchanged += len(targets) - len(new)
            if not new:
                continue
            result.created += len(new)
            result.resolutions += 1
            session.add_all(ResolutionTarget(resolution_id=resolution.id, target_code=t)
                            for t in sorted(new, key=known.get))
            _record(session, actor, resolution, sorted(before, key=known.get),
                    sorted(before | new, key=known.get))
        audit.record(session, actor=actor, action="import", entity="register",
                     after={"targets_added": result.created, "resolutions": result.resolutions})
        session.flush()
    return result
