"""Audit trail: who changed what, when, before and after.

Each event recorded is also one JSON log line ("write": action, entity, its id, the user, the event id),
written when its transaction commits, so a write that was rolled back is never logged as done.
"""

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, union_all
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from db.models import (
    ActivityReport,
    ActivityReportResolution,
    AuditEvent,
    Congress,
    NothingToReport,
    ProgressReport,
    Resolution,
)
from db.scopes import scope_of
from services.permissions import Actor

log = logging.getLogger("resolutions_tracker.audit")
_PENDING = "rt_audit_pending"  # session.info: the events recorded in its transaction, logged on commit


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(
        user_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        scope=scope_of(entity),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    session.add(event)
    session.info.setdefault(_PENDING, []).append(event)
    return event


@sa_event.listens_for(OrmSession, "before_commit")
def _note_writes(session: OrmSession) -> None:
    # Before the commit, while the events can still be read (a commit expires them): ids need a flush.
    events = session.info.pop(_PENDING, None)
    if not events:
        return
    session.flush()
    _note_congresses(session, [e for e in events if inspect(e).persistent])
    session.info["rt_audit_lines"] = [
        {"event": "write", "action": e.action, "entity": e.entity, "entity_id": e.entity_id,
         "user_id": e.user_id, "audit_id": e.id}
        for e in events if inspect(e).persistent]  # an event in a savepoint rolled back is gone


@sa_event.listens_for(OrmSession, "after_commit")
def _log_writes(session: OrmSession) -> None:
    for line in session.info.pop("rt_audit_lines", ()):
        log.info("write %s %s %s", line["action"], line["entity"], line["entity_id"] or "", extra=line)


@sa_event.listens_for(OrmSession, "after_rollback")
def _forget_writes(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop("rt_audit_lines", None)


def data_version(session: Session) -> int:
    """The data version: every write records an audit event, so the newest event id changes whenever data
    does, in any session or process (0 for a database nobody wrote to). Pages' cached reads
    (ui/data.data_version) and the open-data API's ETags and bulk downloads are keyed on it."""
    return session.exec(select(func.max(AuditEvent.id))).one() or 0


# -- which Congress a write touched (scoped data versions, issue 13) -------------------------------------------
def _activity_congresses(session: Session, entity_id: str) -> set:
    """The Congresses of an Activity Report's Resolutions and of the versions it supersedes (a correction stops
    its original from counting, and it may name other Resolutions)."""
    ids, report_id = [], int(entity_id)
    while report_id is not None and report_id not in ids and len(ids) < 50:
        ids.append(report_id)
        report_id = session.exec(select(ActivityReport.supersedes_id).where(ActivityReport.id == report_id)).first()
    return set(session.exec(select(Resolution.congress_id).distinct()
                            .join(ActivityReportResolution, ActivityReportResolution.resolution_id == Resolution.id)
                            .where(ActivityReportResolution.activity_report_id.in_(ids))).all())


def _congresses_of(session: Session, entity: str, entity_id: str) -> set:
    """The Congresses an event on `entity` touched; an empty or unknown answer means any Congress."""
    if entity == "activity_report":
        return _activity_congresses(session, entity_id)
    if entity == "progress_report":
        query = (select(Resolution.congress_id).join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
                 .where(ProgressReport.id == int(entity_id)))
    elif entity == "nothing_to_report":
        query = (select(Resolution.congress_id).join(NothingToReport, NothingToReport.resolution_id == Resolution.id)
                 .where(NothingToReport.id == int(entity_id)))
    elif entity in ("resolution", "focal_point_assignment"):  # "code" and "code:username"
        query = select(Resolution.congress_id).where(Resolution.code == entity_id.split(":")[0])
    elif entity == "yearly_analysis":  # "congress/year[/language]"
        query = select(Congress.id).where(Congress.code == entity_id.split("/")[0])
    else:
        return set()
    return set(session.exec(query).all())


def _note_congresses(session: Session, events: list[AuditEvent]) -> None:
    """Set congress_id on the events that touched exactly one Congress (written by the commit's flush); the
    others keep NULL, which every Congress' version counts."""
    for event in events:
        if event.congress_id is not None or event.entity_id is None:
            continue
        try:
            with session.no_autoflush:
                congresses = _congresses_of(session, event.entity, event.entity_id)
        except ValueError:  # an entity id of another form: any Congress
            continue
        if len(congresses) == 1:
            event.congress_id = congresses.pop()


def scoped_version(session: Session, scopes: Iterable[str], congress: str | None = None) -> int:
    """The data version of a read that depends only on `scopes` (db/scopes.py) and, given `congress` (a code),
    only on that Congress: the newest audit event of those scopes that touched that Congress or no one Congress,
    or of no known scope (unknown writes count for every read). One index seek per part (ix_audit_event_scope).
    Every write that changes the read's data records such an event, so the version changes with it."""
    parts = [select(func.max(AuditEvent.id).label("v")).where(AuditEvent.scope.is_(None))]
    for scope in sorted(set(scopes)):
        in_scope = select(func.max(AuditEvent.id).label("v")).where(AuditEvent.scope == scope)
        if congress is None:
            parts.append(in_scope)
        else:
            congress_id = select(Congress.id).where(Congress.code == congress).scalar_subquery()
            parts.append(in_scope.where(AuditEvent.congress_id.is_(None)))
            parts.append(in_scope.where(AuditEvent.congress_id == congress_id))
    versions = union_all(*parts).subquery()
    return session.exec(select(func.max(versions.c.v))).one() or 0


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
