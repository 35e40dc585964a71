"""a Progress Report draft may have no implementation status yet (issue 11, item 10)

progress_report.status becomes nullable: a focal point saves a draft before deciding the status; a new
CHECK (ck_progress_report_status_stated) keeps it required once the report leaves draft (in review,
published), as the service requires it to submit.

PostgreSQL alters the column in place. SQLite cannot, and Alembic's batch mode would copy the table and
drop the old one: with foreign keys on (the app's connections, and a restore, which migrates inside its one
transaction) that drop deletes every source and component of every report (ON DELETE CASCADE) or fails on
the revisions pointing at it. So on SQLite the table's CREATE statement is edited instead, by SQLite's own
procedure for dropping a NOT NULL and adding a CHECK that every row already meets (ALTER TABLE, "making
other kinds of table schema changes"): no row is copied or touched.

Downgrade: the old schema has no room for a draft without a status; such drafts get "Not started", the
first value of the scale, which the focal point can still change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "progress_report"
STATED = "ck_progress_report_status_stated"
STATED_RULE = "state = 'draft' OR status IS NOT NULL"
REQUIRED, OPTIONAL = "\tstatus VARCHAR(20) NOT NULL,", "\tstatus VARCHAR(20),"  # not published_status
CHECK_SQL = f", \n\tCONSTRAINT {STATED} CHECK ({STATED_RULE})"


def _replace_once(sql: str, old: str, new: str) -> str:
    if sql.count(old) != 1:
        raise RuntimeError(f"progress_report is not as migration 0004 left it (looking for {old!r}): not changed.")
    return sql.replace(old, new)


def _edit_sqlite_schema(change: Callable[[str], str]) -> None:
    """Rewrite the table's CREATE statement in sqlite_master, in the migration's transaction."""
    bind = op.get_bind()
    where = "WHERE type = 'table' AND name = :name"
    sql = bind.execute(sa.text(f"SELECT sql FROM sqlite_master {where}"), {"name": TABLE}).scalar_one()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.execute(sa.text(f"UPDATE sqlite_master SET sql = :sql {where}"), {"sql": change(sql), "name": TABLE})
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")  # every connection reads it again
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")


def _last_paren(sql: str) -> int:
    return sql.rstrip().rindex(")")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        def change(sql: str) -> str:
            sql = _replace_once(sql, REQUIRED, OPTIONAL)
            end = _last_paren(sql)
            return sql[:end].rstrip() + CHECK_SQL + "\n" + sql[end:]
        _edit_sqlite_schema(change)
        return
    op.alter_column(TABLE, "status", existing_type=sa.String(length=20), nullable=True)
    op.create_check_constraint(STATED, TABLE, STATED_RULE)


def downgrade() -> None:
    op.execute("UPDATE progress_report SET status = 'Not started' WHERE status IS NULL")
    if op.get_bind().dialect.name == "sqlite":
        _edit_sqlite_schema(lambda sql: _replace_once(_replace_once(sql, CHECK_SQL, ""), OPTIONAL, REQUIRED))
        return
    op.drop_constraint(STATED, TABLE, type_="check")
    op.alter_column(TABLE, "status", existing_type=sa.String(length=20), nullable=False)
