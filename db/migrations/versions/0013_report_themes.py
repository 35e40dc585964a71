"""what the reports say (issue 18): the Secretariat's merges, names and pins of mined groups, kept across runs

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)


# A new table only: no table others reference is altered.
def upgrade() -> None:
    op.create_table(
        "report_theme_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", String(length=5), nullable=False),
        sa.Column("name", String(length=120), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.ForeignKeyConstraint(["merged_into_id"], ["report_theme_group.id"]),
        sa.ForeignKeyConstraint(["updated_by"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("report_theme_group")
