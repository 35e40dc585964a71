"""notifications (issue 15): the events a user is told of (the bell, and mail as each user chose) and the
digests sent, one per user, digest and period, so the daily job sends none twice

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)
# The vocabularies as they were when this migration was written (db/vocab.py may grow later).
KINDS = "'activity_returned', 'activity_cited', 'progress_returned', 'progress_published', 'progress_in_review'"
DELIVERIES = "'off', 'immediate', 'digest'"


# New tables only: nothing here copies a table others point at.
def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=30), nullable=False),
        sa.Column("title", String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", String(length=500), nullable=False),
        sa.Column("delivery", String(length=10), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("read_at", Stamp, nullable=True),
        sa.Column("mailed_at", Stamp, nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name="ck_notification_kind"),
        sa.CheckConstraint(f"delivery IN ({DELIVERIES})", name="ck_notification_delivery"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_notification_user_unread", "notification", ["user_id", "read_at"])
    op.create_index("ix_notification_digest_due", "notification", ["delivery", "mailed_at"])

    op.create_table(
        "digest_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("digest", String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("outbox_mail_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint("digest IN ('daily', 'weekly')", name="ck_digest_sent_digest"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["outbox_mail_id"], ["outbox_mail.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "digest", "period_start", name="uq_digest_sent"),
    )


def downgrade() -> None:
    op.drop_table("digest_sent")
    op.drop_index("ix_notification_digest_due", table_name="notification")
    op.drop_index("ix_notification_user_unread", table_name="notification")
    op.drop_table("notification")
