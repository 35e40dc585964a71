"""The few SQL functions whose spelling differs between SQLite and PostgreSQL."""

from sqlalchemy import func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement


def string_agg(dialect: str, column, separator: str):
    if dialect == "postgresql":
        return func.string_agg(column, separator)
    return func.group_concat(column, separator)


def json_array_values(dialect: str, column, key: str | None = None):
    """The elements of a JSON array column (or of the array under `key` of a JSON object column) as rows of
    text (column "value"), to join and GROUP BY."""
    if dialect == "postgresql":
        array = column if key is None else column.op("->")(literal(key))
        return func.json_array_elements_text(array).table_valued("value")
    if key is None:
        return func.json_each(column).table_valued("value")
    return func.json_each(column, literal(f"$.{key}")).table_valued("value")


class _IndexedOffSqlite(ColumnElement):
    """A column that SQLite's planner may not search an index by (`col || ''`, same value), left as it is for
    PostgreSQL, whose statistics choose well (see db/counting.counted_activity)."""

    inherit_cache = True

    def __init__(self, column):
        self.column = column
        self.type = column.type


@compiles(_IndexedOffSqlite)
def _as_is(element, compiler, **kw):
    return compiler.process(element.column, **kw)


@compiles(_IndexedOffSqlite, "sqlite")
def _off_the_index(element, compiler, **kw):
    return f"({compiler.process(element.column, **kw)} || '')"


def indexed_off_sqlite(column):
    return _IndexedOffSqlite(column)
