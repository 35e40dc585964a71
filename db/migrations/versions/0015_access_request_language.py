"""access requests record their language (issue 14): the approval and refusal mails speak the requester's

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString


# A plain ADD COLUMN on both databases (as 0009): no batch copy of a table others reference. Requests made
# before this were answered in English.
def upgrade() -> None:
    op.add_column("access_request", sa.Column("language", String(length=5), nullable=False, server_default="en"))


def downgrade() -> None:
    op.drop_column("access_request", "language")
