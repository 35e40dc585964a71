"""operative paragraphs (issue 18): a Resolution's paragraphs, the paragraphs an Activity Report addresses, a
status per paragraph in a Progress Report

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)
# The implementation status scale as it was when this migration was written (db/vocab.py may grow later).
STATUSES = "'Not started', 'Initiated', 'Underway', 'On-going', 'Completed'"


# New tables only: nothing here copies a table others point at.
def upgrade() -> None:
    op.create_table(
        "operative_paragraph",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("number", String(length=12), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("addressee", String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resolution_id", "number", name="uq_operative_paragraph_number"),
    )
    op.create_index("ix_operative_paragraph_resolution_id", "operative_paragraph", ["resolution_id"])

    op.create_table(
        "activity_report_paragraph",
        sa.Column("activity_report_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["activity_report_id"], ["activity_report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["paragraph_id"], ["operative_paragraph.id"]),
        sa.PrimaryKeyConstraint("activity_report_id", "paragraph_id"),
    )
    op.create_index("ix_activity_report_paragraph_paragraph_id", "activity_report_paragraph", ["paragraph_id"])

    op.create_table(
        "progress_report_paragraph",
        sa.Column("progress_report_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.Integer(), nullable=False),
        sa.Column("status", String(length=20), nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_progress_report_paragraph_status"),
        sa.ForeignKeyConstraint(["progress_report_id"], ["progress_report.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["paragraph_id"], ["operative_paragraph.id"]),
        sa.PrimaryKeyConstraint("progress_report_id", "paragraph_id"),
    )
    op.create_index("ix_progress_report_paragraph_paragraph_id", "progress_report_paragraph", ["paragraph_id"])


def downgrade() -> None:
    op.drop_index("ix_progress_report_paragraph_paragraph_id", table_name="progress_report_paragraph")
    op.drop_table("progress_report_paragraph")
    op.drop_index("ix_activity_report_paragraph_paragraph_id", table_name="activity_report_paragraph")
    op.drop_table("activity_report_paragraph")
    op.drop_index("ix_operative_paragraph_resolution_id", table_name="operative_paragraph")
    op.drop_table("operative_paragraph")
