"""the link to a Resolution's official text: resolution.text_url (issue 11, item 17)

The schema already had a nullable `resolution.url` (500 characters) that nothing wrote; it becomes
`text_url`, the name of the register CSV column that now fills it, so the link has one column, not two.
RENAME COLUMN keeps the data and runs as is on PostgreSQL and on SQLite (3.25 and later), with no table
copy.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 13:00:00
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE resolution RENAME COLUMN url TO text_url")


def downgrade() -> None:
    op.execute("ALTER TABLE resolution RENAME COLUMN text_url TO url")
