"""Errors services raise; pages turn them into messages next to the fields concerned."""

from dataclasses import dataclass, field

from locales import _


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
        """Every message in the run's language, for a reader (a page, a mail). A file's problem says its line and
        column (the file's own header, as written); a form's field names are code, left out."""
        return "; ".join(_("line {line}: {column}: {message}").format(line=e.line, column=e.field, message=e.message)
                         if e.line else e.message for e in self.errors)

    def for_field(self, name: str) -> list[str]:
        return [e.message for e in self.errors if e.field == name]
