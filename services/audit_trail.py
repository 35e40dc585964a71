"""Reading the audit trail: who changed what, when, before and after (Secretariat and admin).

Every function checks "audit.view". Filters run in SQL; the newest events come first.
"""

import io
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlmodel import Session, select

from db.models import AuditEvent, User, as_utc
from locales import _
from services.errors import NotFound
from services.permissions import Actor, require
from services.tabular import CsvRows, safe_cell

SYSTEM = "system"  # shown for events no user caused (reference data, jobs)
COLUMNS = ["id", "at", "user", "action", "entity", "entity_id", "before", "after"]


def compact_json(value: Any) -> str:
    """A before/after value as short JSON text ("" when there is none)."""
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _query(*, username: str | None, entity: str | None, action: str | None, since: date | None,
           until: date | None, limit: int | None):
    query = (
        select(AuditEvent.id, AuditEvent.at, User.username, AuditEvent.action, AuditEvent.entity,
               AuditEvent.entity_id, AuditEvent.before, AuditEvent.after)
        .join(User, User.id == AuditEvent.user_id, isouter=True)
    )
    if username:
        query = query.where(AuditEvent.user_id.is_(None) if username == SYSTEM else User.username == username)
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if action:
        query = query.where(AuditEvent.action == action)
    if since is not None:
        query = query.where(AuditEvent.at >= _day_start(since))
    if until is not None:  # the whole of that day
        query = query.where(AuditEvent.at < _day_start(until + timedelta(days=1)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return query


def search_events(*, session: Session, actor: Actor, username: str | None = None, entity: str | None = None,
                  action: str | None = None, since: date | None = None, until: date | None = None,
                  limit: int | None = 500) -> pd.DataFrame:
    """Matching events, newest first: id, at (UTC), user (username, or "system"), action, entity,
    entity_id, before and after (compact JSON text). `username="system"` means events without a user;
    `since` and `until` are whole days (UTC), both included."""
    require(actor, "audit.view")
    rows = session.exec(_query(username=username, entity=entity, action=action, since=since, until=until,
                               limit=limit)).all()
    frame = pd.DataFrame(
        [(r[0], as_utc(r[1]), r[2] or SYSTEM, r[3], r[4], r[5], compact_json(r[6]), compact_json(r[7]))
         for r in rows],
        columns=COLUMNS,
    )
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


def filter_options(*, session: Session, actor: Actor) -> dict[str, list[str]]:
    """The values the filters can take: {"entities": [...], "actions": [...], "usernames": [...]}, sorted;
    "system" is among the usernames when some event has no user."""
    require(actor, "audit.view")
    entities = session.exec(select(AuditEvent.entity).distinct()).all()
    actions = session.exec(select(AuditEvent.action).distinct()).all()
    usernames = session.exec(
        select(User.username).distinct().join(AuditEvent, AuditEvent.user_id == User.id)
    ).all()
    anonymous = session.exec(select(AuditEvent.id).where(AuditEvent.user_id.is_(None)).limit(1)).first()
    names = sorted(usernames) + ([SYSTEM] if anonymous is not None and SYSTEM not in usernames else [])
    return {"entities": sorted(entities), "actions": sorted(actions), "usernames": names}


def event_detail(*, session: Session, actor: Actor, event_id: int) -> dict[str, Any]:
    """One event: its columns, `before` and `after` as dicts ({} when absent), `changed` (the keys whose
    value differs, in the order of `after` then `before`), and `fields`: one row per key
    {"field", "before", "after", "changed"} with the values as JSON text, changed fields first."""
    require(actor, "audit.view")
    row = session.exec(
        select(AuditEvent, User.username).join(User, User.id == AuditEvent.user_id, isouter=True)
        .where(AuditEvent.id == event_id)
    ).first()
    if row is None:
        raise NotFound(_("There is no audit event {id}.").format(id=event_id))
    event, username = row
    before, after = dict(event.before or {}), dict(event.after or {})
    keys = list(after) + [k for k in before if k not in after]
    changed = [k for k in keys if k not in before or k not in after or before[k] != after[k]]
    fields = [
        {"field": k, "before": compact_json(before[k]) if k in before else "",
         "after": compact_json(after[k]) if k in after else "", "changed": k in changed}
        for k in changed + [k for k in keys if k not in changed]
    ]
    return {
        "id": event.id, "at": as_utc(event.at), "user": username or SYSTEM, "action": event.action,
        "entity": event.entity, "entity_id": event.entity_id, "before": before, "after": after,
        "changed": changed, "fields": fields,
    }


def export_events_csv(*, session: Session, actor: Actor, username: str | None = None, entity: str | None = None,
                      action: str | None = None, since: date | None = None, until: date | None = None,
                      limit: int | None = None) -> bytes:
    """The matching events (all of them unless `limit`) as CSV: UTF-8 with a BOM so Excel reads accents,
    `at` in ISO 8601 UTC, and every cell that could run as a formula neutralised."""
    require(actor, "audit.view")
    frame = search_events(session=session, actor=actor, username=username, entity=entity, action=action,
                          since=since, until=until, limit=limit)
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # csv.writer's rows, a carriage return quoted too
    writer.writerow(COLUMNS)
    for row in frame.itertuples(index=False):
        cells = [row.id, row.at.isoformat(), row.user, row.action, row.entity, row.entity_id or "",
                 row.before, row.after]
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue().encode("utf-8-sig")
