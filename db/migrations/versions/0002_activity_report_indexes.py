"""indexes for the analytics at scale (bench/): a year's submitted Activity Reports, and corrections

Measured with bench/run.py at 100,000 Activity Reports: without an index on supersedes_id, the coverage
page's "not superseded by a newer version" test scanned the whole table once per report; without
(state, submitted_at) SQLite read every submitted report to find one year's.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 23:45:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_activity_report_supersedes_id", "activity_report", ["supersedes_id"])
    op.create_index("ix_activity_report_state_submitted", "activity_report", ["state", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_activity_report_state_submitted", table_name="activity_report")
    op.drop_index("ix_activity_report_supersedes_id", table_name="activity_report")
