"""report language (issue 14, item 5): each Activity and Progress Report records the language it was written in

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:15:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString


# Plain ALTER TABLE on both databases (as 0006): a batch-mode copy of activity_report would cascade to the rows
# that point at it. Reports written before this were all written in English.
def upgrade() -> None:
    for table in ("activity_report", "progress_report"):
        op.add_column(table, sa.Column("language", String(length=5), nullable=False, server_default="en"))


def downgrade() -> None:
    for table in ("activity_report", "progress_report"):
        op.drop_column(table, "language")
