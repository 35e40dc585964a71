"""Audit trail: who changed what, when, before and after.

Each event recorded is also one JSON log line ("write": action, entity, its id, the user, the event id),
written when its transaction commits, so a write that was rolled back is never logged as done.
"""

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select

from db.models import AuditEvent
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


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
