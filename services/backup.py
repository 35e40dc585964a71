"""Backups from the app (administrators only): a fresh archive of the whole database (db/backup.py), when the
last one was made, and what is running (the app's version, the schema revision).

Every archive made is recorded as an audit event (action "backup.made"), by the admin page here and by
`python -m db.backup dump` (with no user): the latest one says when the data were last backed up.
"""

import io
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import backup, status
from db.engine import transaction
from db.models import AuditEvent, User, as_utc
from services import audit
from services.permissions import Actor, require


def make_archive(*, engine: Engine, actor: Actor) -> bytes:
    """A fresh archive of the database, recorded in the audit trail (the event in its own transaction, after
    the archive is made: the archive does not hold its own event)."""
    require(actor, "backup.manage")
    buffer = io.BytesIO()
    manifest = backup.dump(engine, buffer)
    data = buffer.getvalue()
    with transaction(engine) as session:
        audit.record(session, actor=actor, action=backup.BACKUP_ACTION, entity="database",
                     after=backup.summary(manifest, size=len(data), via="admin page"))
    return data


def last_backup(*, session: Session, actor: Actor) -> dict | None:
    """The newest archive made: when, by whom ("command line" for the command), its size and rows."""
    require(actor, "backup.manage")
    row = session.exec(select(AuditEvent, User.username).join(User, User.id == AuditEvent.user_id, isouter=True)
                       .where(AuditEvent.action == backup.BACKUP_ACTION)
                       .order_by(AuditEvent.id.desc()).limit(1)).first()
    if row is None:
        return None
    event, username = row
    after = event.after or {}
    return {"at": as_utc(event.at), "by": username or "command line", "rows": after.get("rows"),
            "tables": after.get("tables"), "bytes": after.get("bytes"),
            "schema_revision": after.get("schema_revision")}


def about(*, session: Session) -> dict:
    """What is running: the app's version, the database's schema revision and the newest this code knows."""
    return {"app_version": status.app_version(), "schema_revision": status.schema_revision(session.connection()),
            "newest_revision": status.head_revision(), "database": session.get_bind().dialect.name}


def file_name(now: datetime) -> str:
    return f"resolutions-tracker-backup-{now:%Y-%m-%d-%H%M}.zip"
