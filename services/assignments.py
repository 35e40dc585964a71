"""Secretariat focal points of Resolutions, and the reporting calendar.

A focal point is a user with the focal_point or secretariat role. Assignments are made one Resolution
at a time on a page, or in bulk from a CSV file `code,username`: every row is checked first; one bad row
and nothing is written; importing the same file again changes nothing. The file is checked before the
write transaction (no lock held meanwhile); the write is then a few bulk statements (new assignments and
their audit events), tried again when the database stays busy beyond its timeout.
"""

import time
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import case, func, insert
from sqlalchemy import select as core_select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from db.engine import transaction
from db.models import (
    AuditEvent,
    Congress,
    FocalPointAssignment,
    ReportingDeadline,
    Resolution,
    User,
    UserRole,
    utcnow,
)
from db.sql import string_agg
from locales import _
from services import audit, text_rules
from services.bulk_write import gc_paused, prepare
from services.csv_file import data_rows, shown
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require, roles_for

FOCAL_ROLES = tuple(sorted(roles_for("progress.write")))  # who may write Progress Reports may be a focal point
CSV_COLUMNS = ("code", "username")
ENTITY = "focal_point_assignment"
WRITE_ATTEMPTS = 3
_ASSIGNED = FocalPointAssignment.__table__
_RESOLUTIONS = Resolution.__table__


@dataclass
class AssignResult:
    created: int = 0
    unchanged: int = 0


# -- reads ----------------------------------------------------------------------------------------------
# The lists below are the Secretariat's working lists (names, emails): read by who manages assignments.
def focal_point_candidates(*, session: Session, actor: Actor) -> pd.DataFrame:
    """Active users who may be focal points: username, display name, email."""
    require(actor, "assignments.manage")
    rows = session.exec(
        select(User.id, User.username, User.display_name, User.email)
        .where(User.active, User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(FOCAL_ROLES))))
        .order_by(User.display_name)
    ).all()
    return pd.DataFrame(rows, columns=["id", "username", "name", "email"])


def resolution_options(*, session: Session, actor: Actor) -> pd.DataFrame:
    """Active Resolutions (code, title, congress), newest Congress first: what can be assigned."""
    require(actor, "assignments.manage")
    rows = session.exec(
        select(Resolution.code, Resolution.title, Congress.code)
        .join(Congress)
        .where(Resolution.status == "active")
        .order_by(Congress.year.desc(), Resolution.number)
    ).all()
    return pd.DataFrame(rows, columns=["code", "title", "congress"])


def focal_points_of(*, session: Session, actor: Actor, code: str) -> pd.DataFrame:
    require(actor, "assignments.manage")
    rows = session.exec(
        select(User.username, User.display_name, User.email, FocalPointAssignment.since)
        .join(FocalPointAssignment, FocalPointAssignment.user_id == User.id)
        .join(Resolution, Resolution.id == FocalPointAssignment.resolution_id)
        .where(Resolution.code == code)
        .order_by(User.display_name)
    ).all()
    return pd.DataFrame(rows, columns=["username", "name", "email", "since"])


def assignment_overview(*, session: Session, actor: Actor, congress: str) -> pd.DataFrame:
    """Every active Resolution of a Congress with its focal points ("" when none: flagged)."""
    require(actor, "assignments.manage")
    dialect = session.get_bind().dialect.name
    names = (
        select(FocalPointAssignment.resolution_id,
               string_agg(dialect, User.display_name, "; ").label("names"),
               func.count(User.id).label("n"))
        .join(User, User.id == FocalPointAssignment.user_id)
        .group_by(FocalPointAssignment.resolution_id)
        .subquery()
    )
    rows = session.exec(
        select(Resolution.code, Resolution.title, names.c.names, func.coalesce(names.c.n, 0))
        .join(Congress)
        .join(names, names.c.resolution_id == Resolution.id, isouter=True)
        .where(Congress.code == congress, Resolution.status == "active")
        .order_by(Resolution.number)
    ).all()
    frame = pd.DataFrame(rows, columns=["code", "title", "focal_points", "count"])
    frame["focal_points"] = frame["focal_points"].fillna("")
    return frame


def unassigned_counts(*, session: Session, actor: Actor) -> pd.DataFrame:
    """Per Congress: active Resolutions and how many of them have no focal point, newest first."""
    require(actor, "assignments.manage")
    assigned = select(FocalPointAssignment.resolution_id)
    rows = session.exec(
        select(Congress.code, Congress.year, func.count(Resolution.id),
               func.sum(case((Resolution.id.not_in(assigned), 1), else_=0)))
        .join(Resolution, Resolution.congress_id == Congress.id)
        .where(Resolution.status == "active")
        .group_by(Congress.id)
        .order_by(Congress.year.desc())
    ).all()
    frame = pd.DataFrame(rows, columns=["congress", "year", "active", "without_focal_point"])
    frame["without_focal_point"] = frame["without_focal_point"].fillna(0).astype(int)
    return frame


def unassigned_resolutions(*, session: Session, actor: Actor, congress: str | None = None) -> pd.DataFrame:
    """Active Resolutions without any focal point (flagged on the page)."""
    require(actor, "assignments.manage")
    query = (
        select(Resolution.code, Resolution.title, Congress.code)
        .join(Congress)
        .where(Resolution.status == "active",
               Resolution.id.not_in(select(FocalPointAssignment.resolution_id)))
        .order_by(Congress.year.desc(), Resolution.number)
    )
    if congress:
        query = query.where(Congress.code == congress)
    return pd.DataFrame(session.exec(query).all(), columns=["code", "title", "congress"])


# -- assigning ------------------------------------------------------------------------------------------
def _people(session: Session) -> dict[str, tuple[int, bool, set[str]]]:
    """username -> (id, active, roles)."""
    roles: dict[int, set[str]] = {}
    for user_id, role in session.exec(select(UserRole.user_id, UserRole.role)):
        roles.setdefault(user_id, set()).add(role)
    return {u.username: (u.id, u.active, roles.get(u.id, set())) for u in session.exec(select(User))}


def _user_problem(username: str, people: dict) -> str | None:
    found = people.get(username)
    if found is None:
        return _("unknown user {name}").format(name=shown(username))
    _user_id, active, roles = found
    if not active:
        return _("user {name} is not active").format(name=shown(username))
    if not roles & set(FOCAL_ROLES):
        return _("user {name} is neither a Secretariat focal point nor Secretariat staff").format(name=shown(username))
    return None


def _add(session: Session, actor: Actor, resolution: Resolution, username: str, user_id: int,
         since: date) -> bool:
    """Assign one user; False when already assigned (nothing written)."""
    existing = session.exec(select(FocalPointAssignment).where(
        FocalPointAssignment.resolution_id == resolution.id, FocalPointAssignment.user_id == user_id)).first()
    if existing is not None:
        return False
    session.add(FocalPointAssignment(resolution_id=resolution.id, user_id=user_id, since=since))
    audit.record(session, actor=actor, action="assign", entity=ENTITY, entity_id=f"{resolution.code}:{username}",
                 after={"resolution": resolution.code, "user": username, "since": since})
    return True


def resolution_by_code(session: Session, code: str) -> Resolution:
    key = text_rules.lookup_key(code, max_len=32)  # a NUL would be a raw database error, not "no Resolution"
    resolution = session.exec(select(Resolution).where(Resolution.code == key)).first() if key else None
    if resolution is None:
        raise NotFound(_("No Resolution with code {code}.").format(code=code))
    return resolution


def assign(*, session: Session, actor: Actor, code: str, usernames: list[str],
           since: date | None = None) -> AssignResult:
    """Make these users focal points of the Resolution (those already assigned are left as they are)."""
    require(actor, "assignments.manage")
    resolution = resolution_by_code(session, code)
    if not usernames:
        raise ValidationFailed([FieldError("users", _("choose at least one person"))])
    people = _people(session)
    errors = [FieldError("users", p) for p in (_user_problem(u, people) for u in usernames) if p]
    if errors:
        raise ValidationFailed(errors)
    result = AssignResult()
    for username in dict.fromkeys(usernames):
        if _add(session, actor, resolution, username, people[username][0], since or utcnow().date()):
            result.created += 1
        else:
            result.unchanged += 1
    session.flush()
    return result


def unassign(*, session: Session, actor: Actor, code: str, username: str) -> None:
    require(actor, "assignments.manage")
    resolution = resolution_by_code(session, code)
    key = text_rules.lookup_key(username, max_len=60)
    row = session.exec(
        select(FocalPointAssignment).join(User, User.id == FocalPointAssignment.user_id)
        .where(FocalPointAssignment.resolution_id == resolution.id, User.username == key)
    ).first() if key else None
    if row is None:
        raise NotFound(_("{name} is not a focal point of {code}.").format(name=username, code=code))
    session.delete(row)
    audit.record(session, actor=actor, action="unassign", entity=ENTITY, entity_id=f"{code}:{username}",
                 before={"resolution": code, "user": username, "since": row.since})
    session.flush()


# -- bulk import ----------------------------------------------------------------------------------------
def parse_assignments(data: bytes, *, codes: set[str], people: dict) -> list[tuple[int, str, str]]:
    """(line, code, username) for every row; raises ValidationFailed listing every bad row."""
    errors: list[FieldError] = []
    rows: list[tuple[int, str, str]] = []
    first_line: dict[tuple[str, str], int] = {}
    # data_rows refuses (with line and column) oversized files and cells, control characters, short rows
    for line, cells in data_rows(data, CSV_COLUMNS, errors=errors):
        code, username = (c.strip() for c in cells)
        before = len(errors)
        if code not in codes:
            errors.append(FieldError("code", _("unknown Resolution code {code}").format(code=shown(code)), line))
        problem = _user_problem(username, people)
        if problem:
            errors.append(FieldError("username", problem, line))
        if (code, username) in first_line:
            errors.append(FieldError("row", _("duplicate of line {line}").format(
                line=first_line[(code, username)]), line))
        else:
            first_line[(code, username)] = line
        if len(errors) == before:
            rows.append((line, code, username))
    if errors:
        raise ValidationFailed(errors)
    if not rows:
        raise ValidationFailed([FieldError("file", _("the file has no rows"), 2)])
    return rows


def import_assignments(*, engine: Engine, actor: Actor, data: bytes, since: date | None = None) -> AssignResult:
    """Validate the whole file and prepare its writes with no lock held, then write them in one short bulk
    transaction (tried again when the database stays busy). Raises ValidationFailed (every problem, with its
    line)."""
    require(actor, "assignments.manage")
    with gc_paused():
        with Session(engine) as session:
            codes = set(session.exec(select(Resolution.code)))
            people = _people(session)
        rows = parse_assignments(data, codes=codes, people=people)
        day = since or utcnow().date()
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            last = attempt == WRITE_ATTEMPTS
            try:
                if not last:
                    with Session(engine) as session:
                        plan = _plan(session, actor, rows, day)
                with transaction(engine) as session:
                    if last:  # read and write under the lock
                        plan = _plan(session, actor, rows, day)
                    else:
                        _check_people(session, rows)  # as they are now (a small table: read it again)
                        if _fingerprint(session) != plan.fingerprint:
                            continue  # assignments or Resolutions changed meanwhile: nothing written; again
                    for batch in plan.batches:
                        batch.run(session)
                    return plan.result
            except OperationalError:  # locked beyond the busy timeout, or disconnected: all rolled back
                if last:
                    raise
                time.sleep(0.2 * attempt)
    raise AssertionError("unreachable")


@dataclass
class _Plan:
    fingerprint: tuple
    result: AssignResult
    batches: list


def _fingerprint(session: Session) -> tuple:
    """Changes when an assignment or a Resolution is added or removed."""
    return (*session.execute(core_select(func.count(), func.max(_ASSIGNED.c.id))).one(),
            *session.execute(core_select(func.count(), func.max(_RESOLUTIONS.c.id))).one())


def _check_people(session: Session, rows: list[tuple[int, str, str]]) -> dict:
    """Each user of the file still active and a focal point or Secretariat (each name looked at once)."""
    people = _people(session)
    problems = {name: problem for name in {username for _, _, username in rows}
                if (problem := _user_problem(name, people))}
    if problems:  # someone was deactivated or lost the role since the file was checked
        raise ValidationFailed([FieldError("username", problems[username], line)
                                for line, _, username in rows if username in problems])
    return people


def _plan(session: Session, actor: Actor, rows: list[tuple[int, str, str]], day: date) -> _Plan:
    """The new assignments (those already there are left as they are) and their audit events, prepared."""
    fingerprint = _fingerprint(session)
    resolutions = dict(session.execute(core_select(_RESOLUTIONS.c.code, _RESOLUTIONS.c.id)).all())
    unknown = [FieldError("code", _("unknown Resolution code {code}").format(code=shown(code)), line)
               for line, code, _username in rows if code not in resolutions]
    if unknown:  # a Resolution removed since the file was checked
        raise ValidationFailed(unknown)
    people = _check_people(session, rows)
    existing = set(session.execute(core_select(_ASSIGNED.c.resolution_id, _ASSIGNED.c.user_id)).tuples())
    new = [(code, username, resolutions[code], people[username][0]) for _, code, username in rows
           if (resolutions[code], people[username][0]) not in existing]
    result = AssignResult(created=len(new), unchanged=len(rows) - len(new))
    since, count = day.isoformat(), len(new) + 1  # the audit events: one per assignment (as assign writes
    events = {"at": [utcnow()] * count, "user_id": [actor.id] * count,  # it) and one for the import
              "action": ["assign"] * len(new) + ["import"], "entity": [ENTITY] * count,
              "entity_id": [f"{code}:{username}" for code, username, _, _ in new] + [None],
              "before": [None] * count,
              "after": [{"resolution": code, "user": username, "since": since} for code, username, _, _ in new]
              + [{"created": result.created, "unchanged": result.unchanged}]}
    dialect = session.get_bind().dialect
    return _Plan(fingerprint, result, [
        prepare(dialect, insert(_ASSIGNED), {"resolution_id": [rid for *_, rid, _ in new],
                                             "user_id": [uid for *_, uid in new], "since": [day] * len(new)}),
        prepare(dialect, insert(AuditEvent.__table__), events),
    ])


# -- reporting calendar ---------------------------------------------------------------------------------
def deadlines(*, session: Session) -> pd.DataFrame:
    rows = session.exec(select(ReportingDeadline.year, ReportingDeadline.due_on)
                        .order_by(ReportingDeadline.year.desc())).all()
    return pd.DataFrame(rows, columns=["year", "due_on"])


def deadline_for(*, session: Session, year: int) -> date | None:
    row = session.get(ReportingDeadline, year)
    return row.due_on if row else None


def set_deadline(*, session: Session, actor: Actor, year: int, due_on: date | None) -> None:
    """When the Progress Reports on `year` are due: in that year or during the next one."""
    require(actor, "calendar.manage")
    errors = []
    if not 1990 <= year <= 2100:
        errors.append(FieldError("year", _("give a reporting year between 1990 and 2100")))
    if due_on is None:
        errors.append(FieldError("due_on", _("give the date the reports are due")))
    elif not errors and not date(year, 1, 1) <= due_on <= date(year + 1, 12, 31):
        errors.append(FieldError("due_on", _("the deadline for {year} must fall in {year} or {next}").format(
            year=year, next=year + 1)))
    if errors:
        raise ValidationFailed(errors)
    row = session.get(ReportingDeadline, year)
    before = {"due_on": row.due_on} if row else None
    if row is None:
        row = ReportingDeadline(year=year, due_on=due_on)
        session.add(row)
    elif row.due_on == due_on:
        return
    row.due_on = due_on
    audit.record(session, actor=actor, action="set", entity="reporting_deadline", entity_id=year,
                 before=before, after={"due_on": due_on})
    session.flush()
