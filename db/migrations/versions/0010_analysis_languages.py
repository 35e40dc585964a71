"""yearly analysis languages (issue 14): the narrative of a yearly analysis in French and Spanish, one row per
analysis and language (English stays in yearly_analysis itself)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

String = sqlmodel.sql.sqltypes.AutoString
Stamp = sa.DateTime(timezone=True)
LANGUAGES = "'en', 'fr', 'es'"  # db/vocab.LANGUAGES when this migration was written


# A new table only: yearly_analysis is not copied.
def upgrade() -> None:
    op.create_table(
        "yearly_analysis_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("language", String(length=5), nullable=False),
        sa.Column("narrative", sa.JSON(), nullable=False),
        sa.Column("state", String(length=12), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("published_at", Stamp, nullable=True),
        sa.CheckConstraint(f"language IN ({LANGUAGES})", name="ck_yearly_analysis_text_language"),
        sa.CheckConstraint("state IN ('draft', 'published')", name="ck_yearly_analysis_text_state"),
        sa.ForeignKeyConstraint(["analysis_id"], ["yearly_analysis.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("analysis_id", "language", name="uq_yearly_analysis_text"),
    )


def downgrade() -> None:
    op.drop_table("yearly_analysis_text")
