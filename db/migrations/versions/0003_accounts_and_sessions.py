"""accounts for real use: server-side sign-in sessions, throttling, single-use account tokens, the mail
outbox, access requests; users without a password yet, preferred language, last sign-in; one account per
email; components that can be deactivated. The hard lock (failed_logins, locked_until) goes: it let
anyone lock the owner out.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", String(length=200), nullable=False),
        sa.Column("subject", String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", Stamp, nullable=False),
        sa.Column("last_error", String(length=500), nullable=True),
        sa.Column("sent_at", Stamp, nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_mail_created_at", "outbox_mail", ["created_at"])
    op.create_index("ix_outbox_mail_pending", "outbox_mail", ["sent_at", "next_attempt_at"])

    op.create_table(
        "sign_in_throttle",
        sa.Column("key", String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", Stamp, nullable=False),
        sa.Column("blocked_until", Stamp, nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "access_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", String(length=200), nullable=False),
        sa.Column("name", String(length=120), nullable=False),
        sa.Column("component_id", sa.Integer(), nullable=True),
        sa.Column("role", String(length=20), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", String(length=10), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", Stamp, nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("role IN ('reporter', 'focal_point', 'secretariat', 'leadership', 'admin')",
                           name="ck_access_request_role"),
        sa.CheckConstraint("state IN ('pending', 'approved', 'declined')", name="ck_access_request_state"),
        sa.ForeignKeyConstraint(["component_id"], ["component.id"]),
        sa.ForeignKeyConstraint(["decided_by"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_request_email", "access_request", ["email"])

    op.create_table(
        "account_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", String(length=10), nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
        sa.Column("used_at", Stamp, nullable=True),
        sa.CheckConstraint("purpose IN ('activate', 'reset')", name="ck_account_token_purpose"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_account_token_user_id", "account_token", ["user_id"])

    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("method", String(length=10), nullable=False),
        sa.Column("client", String(length=64), nullable=True),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("last_seen_at", Stamp, nullable=False),
        sa.Column("expires_at", Stamp, nullable=False),
        sa.Column("ended_at", Stamp, nullable=True),
        sa.Column("ended_reason", String(length=20), nullable=True),
        sa.CheckConstraint("method IN ('password', 'sso')", name="ck_sign_in_session_method"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_sign_in_session_user_id", "sign_in_session", ["user_id"])

    op.execute("UPDATE app_user SET email = lower(email)")
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("language", String(length=5), nullable=False, server_default="en"))
        batch.add_column(sa.Column("last_sign_in_at", Stamp, nullable=True))
        batch.alter_column("password_hash", existing_type=String(length=100), nullable=True)
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.create_check_constraint("ck_app_user_language", "language IN ('en', 'fr', 'es')")
        batch.create_index("uq_app_user_email", ["email"], unique=True)
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column("language", existing_type=String(length=5), server_default=None)
    with op.batch_alter_table("component") as batch:
        batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table("component") as batch:
        batch.alter_column("active", existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("component") as batch:
        batch.drop_column("active")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_index("uq_app_user_email")
        batch.drop_constraint("ck_app_user_language", type_="check")
        batch.add_column(sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("locked_until", Stamp, nullable=True))
        batch.alter_column("password_hash", existing_type=String(length=100), nullable=False)
        batch.drop_column("last_sign_in_at")
        batch.drop_column("language")
    with op.batch_alter_table("app_user") as batch:
        batch.alter_column("failed_logins", existing_type=sa.Integer(), server_default=None)
    for table in ("sign_in_session", "account_token", "access_request", "sign_in_throttle", "outbox_mail"):
        op.drop_table(table)
