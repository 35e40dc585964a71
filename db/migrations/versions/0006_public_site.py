"""the public site (issue 16): activity_report.shown_publicly, the component's choice that an Activity
Report may be shown to visitors who are not signed in (default off, so nothing already filed becomes public)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite 3.35+ drops a column in place): a batch-mode copy of
# activity_report would cascade to the rows that point at it.
def upgrade() -> None:
    op.add_column("activity_report",
                  sa.Column("shown_publicly", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("activity_report", "shown_publicly")
