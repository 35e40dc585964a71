"""The few SQL functions whose spelling differs between SQLite and PostgreSQL."""

from sqlalchemy import func


def string_agg(dialect: str, column, separator: str):
    if dialect == "postgresql":
        return func.string_agg(column, separator)
    return func.group_concat(column, separator)
