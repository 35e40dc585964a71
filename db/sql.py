"""The few SQL functions whose spelling differs between SQLite and PostgreSQL."""

from sqlalchemy import func


def string_agg(dialect: str, column, separator: str):
    if dialect == "postgresql":
        return func.string_agg(column, separator)
    return func.group_concat(column, separator)


def json_array_values(dialect: str, column):
    """The elements of a JSON array column as rows of text (column "value"), to join and GROUP BY."""
    if dialect == "postgresql":
        return func.json_array_elements_text(column).table_valued("value")
    return func.json_each(column).table_valued("value")
