"""Optimistic locking: a save names the version it read; only one save of a version can win."""

from sqlalchemy import update
from sqlmodel import Session

from services.errors import ConflictError


def claim_version(session: Session, row, version: int | None, message: str) -> None:
    """Bump row.version if it is still `version`, else raise ConflictError(message). The conditional
    UPDATE makes this atomic, so of two concurrent saves of one version exactly one wins."""
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
