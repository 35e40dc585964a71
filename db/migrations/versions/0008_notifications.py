"""notifications (issue 15): placeholder, filled in by the work on issue 15

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 20:00:00
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
