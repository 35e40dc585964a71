"""Keeping a many-to-many link table in step with the values a form holds."""

from sqlmodel import Session, select


def sync_links(session: Session, link_table, owner: str, owner_id: int, column: str, wanted: list) -> None:
    """Make the rows of `link_table` whose `owner` column is `owner_id` hold exactly `wanted` in `column`."""
    current = {getattr(row, column): row for row in session.exec(
        select(link_table).where(getattr(link_table, owner) == owner_id))}
    for value, row in current.items():
        if value not in wanted:
            session.delete(row)
    for value in wanted:
        if value not in current:
            session.add(link_table(**{owner: owner_id, column: value}))
