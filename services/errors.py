"""Errors services raise; pages turn them into messages next to the fields concerned."""

from dataclasses import dataclass, field


class ServiceError(Exception):
    """Base of every error a user can be shown."""


class PermissionDenied(ServiceError):
    """The user may not do this."""


class NotFound(ServiceError):
    """The thing asked for does not exist (or is not visible to this user)."""


class ConflictError(ServiceError):
    """Someone else saved this record since the user read it."""


@dataclass
class FieldError:
    field: str
    message: str
    line: int | None = None  # for file imports: the line of the file


@dataclass
class ValidationFailed(ServiceError):
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(
            (f"line {e.line}: " if e.line else "") + f"{e.field}: {e.message}" for e in self.errors
        )

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]
