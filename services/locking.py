"""Optimistic locking with a `version` column: a save names the version it read, and wins only if that
is still the stored one."""

from sqlalchemy import update
from sqlmodel import Session

from services.errors import ConflictError


def claim(session: Session, row, version: int | None, message: str) -> None:
    """Bump `row.version` only if it is still `version`. The conditional UPDATE makes this atomic, so of
    two concurrent saves of one version exactly one wins; the other gets ConflictError(message)."""
    model = type(row)
    if version is None or version != row.version:
        raise ConflictError(message)
    done = session.execute(
        update(model)
        .where(model.id == row.id, model.version == version)
        .values(version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise ConflictError(message)
    row.version = version + 1
