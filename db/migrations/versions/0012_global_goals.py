"""the global-goals crosswalk (issue 18): KMGBF targets, SDGs and their targets, Nature 2030 programme areas,
and the tags of Resolutions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 23:00:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString


# New tables only; their rows are reference data, loaded by db/reference_data.py.
def upgrade() -> None:
    op.create_table(
        "goal_target",
        sa.Column("code", String(length=20), nullable=False),
        sa.Column("framework", String(length=12), nullable=False),
        sa.Column("level", String(length=8), nullable=False),
        sa.Column("parent_code", String(length=20), nullable=True),
        sa.Column("number", String(length=8), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_fr", sa.Text(), nullable=True),
        sa.Column("name_es", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("framework IN ('KMGBF', 'SDG', 'NATURE2030')", name="ck_goal_target_framework"),
        sa.CheckConstraint("level IN ('goal', 'target', 'area')", name="ck_goal_target_level"),
        sa.ForeignKeyConstraint(["parent_code"], ["goal_target.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "resolution_target",
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("target_code", String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["resolution_id"], ["resolution.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["target_code"], ["goal_target.code"]),
        sa.PrimaryKeyConstraint("resolution_id", "target_code"),
    )
    op.create_index("ix_resolution_target_target_code", "resolution_target", ["target_code"])


def downgrade() -> None:
    op.drop_index("ix_resolution_target_target_code", table_name="resolution_target")
    op.drop_table("resolution_target")
    op.drop_table("goal_target")
