"""invalidate only what a write changed (issue 13): each audit event's scope and Congress, and indexes for the
filtered analytics queries

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString

# db/scopes.SCOPE_OF_ENTITY as it was when this revision was written (a migration does not follow later edits).
_SCOPE_OF_ENTITY = {
    "resolution": "register", "register": "register", "component": "register",
    "activity_report": "activity",
    "progress_report": "progress", "nothing_to_report": "progress",
    "focal_point_assignment": "assignments", "reporting_deadline": "assignments",
    "yearly_analysis": "analysis",
    "user": "accounts", "users": "accounts", "access_request": "accounts", "mail_preference": "accounts",
    "sign_in": "sign_in",
    "reminder_rule": "reminders", "sent_reminder": "reminders",
}


# Plain ALTER TABLE (as 0009): audit_event is not copied. Existing events get their entity's scope and no
# Congress (NULL: any Congress), which only makes older events count for more reads, never fewer.
def upgrade() -> None:
    op.add_column("audit_event", sa.Column("scope", String(length=20), nullable=True))
    op.add_column("audit_event", sa.Column("congress_id", sa.Integer(), nullable=True))
    events = sa.table("audit_event", sa.column("entity", sa.String), sa.column("scope", sa.String))
    for entity, scope in _SCOPE_OF_ENTITY.items():
        op.execute(events.update().where(events.c.entity == entity).values(scope=scope))
    op.create_index("ix_audit_event_scope", "audit_event", ["scope", "congress_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_event_scope", table_name="audit_event")
    op.drop_column("audit_event", "congress_id")
    op.drop_column("audit_event", "scope")
