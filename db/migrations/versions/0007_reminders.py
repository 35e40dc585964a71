"""reminders (issue 15): the HTML part and List-Unsubscribe address of outbox mail, mail preferences per
user and kind, reminder rules, the reminders sent (and the Resolutions each named), "nothing to report
this year"

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)
MAIL_KINDS = ("reminders", "activity_returned", "activity_cited", "progress_returned", "progress_published",
              "progress_in_review", "weekly_digest")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# New tables, and one plain ADD COLUMN (no batch copy of outbox_mail, which sent_reminder points at).
def upgrade() -> None:
    op.add_column("outbox_mail", sa.Column("html_body", sa.Text(), nullable=True))
    op.add_column("outbox_mail", sa.Column("unsubscribe_url", String(length=500), nullable=True))

    op.create_table(
        "mail_preference",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", String(length=30), nullable=False),
        sa.Column("delivery", String(length=10), nullable=False),
        sa.CheckConstraint(_in("kind", MAIL_KINDS), name="ck_mail_preference_kind"),
        sa.CheckConstraint(_in("delivery", ("off", "immediate", "digest")), name="ck_mail_preference_delivery"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )
    op.create_table(
        "reminder_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("audience", String(length=20), nullable=False),
        sa.Column("wording", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.CheckConstraint(_in("audience", ("focal_points", "components")), name="ck_reminder_rule_audience"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("days", "audience", name="uq_reminder_rule_days_audience"),
    )
    op.create_table(
        "sent_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("subject", String(length=40), nullable=False),
        sa.Column("outbox_mail_id", sa.Integer(), nullable=True),
        sa.Column("sent_by", sa.Integer(), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["reminder_rule.id"]),
        sa.ForeignKeyConstraint(["recipient_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["outbox_mail_id"], ["outbox_mail.id"]),
        sa.ForeignKeyConstraint(["sent_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "year", "recipient_id", "subject", name="uq_sent_reminder"),
    )
    op.create_index("ix_sent_reminder_rule_id", "sent_reminder", ["rule_id"])
    op.create_index("ix_sent_reminder_recipient_id", "sent_reminder", ["recipient_id"])
    op.create_index("ix_sent_reminder_year_created", "sent_reminder", ["year", "created_at"])
    op.create_table(
        "sent_reminder_resolution",
        sa.Column("sent_reminder_id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["sent_reminder_id"], ["sent_reminder.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"]),
        sa.PrimaryKeyConstraint("sent_reminder_id", "resolution_id"),
    )
    op.create_index("ix_sent_reminder_resolution_resolution_id", "sent_reminder_resolution", ["resolution_id"])
    op.create_table(
        "nothing_to_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["component_id"], ["component.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "resolution_id", "component_id", name="uq_nothing_to_report"),
    )
    op.create_index("ix_nothing_to_report_year", "nothing_to_report", ["year"])
    op.create_index("ix_nothing_to_report_resolution_id", "nothing_to_report", ["resolution_id"])


def downgrade() -> None:
    op.drop_table("nothing_to_report")
    op.drop_table("sent_reminder_resolution")
    op.drop_table("sent_reminder")
    op.drop_table("reminder_rule")
    op.drop_table("mail_preference")
    op.drop_column("outbox_mail", "unsubscribe_url")
    op.drop_column("outbox_mail", "html_body")
