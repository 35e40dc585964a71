"""The password rule, in one place: at least 12 characters, at most bcrypt's 72 bytes, and not one of the
30,000 most common passwords (db/reference/common_passwords.txt), nor the username or email."""

from functools import cache
from pathlib import Path

from db.security import BCRYPT_MAX_BYTES
from locales import N_, _
from services.errors import FieldError, ValidationFailed

MIN_LENGTH = 12
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "db" / "reference" / "common_passwords.txt"
# A literal, so the catalogue has it (shown as _(RULE)); the number must follow MIN_LENGTH.
RULE = N_("At least 12 characters; not a common password. A few unrelated words make a good one "
          "(for example: lantern river orchid 42).")
assert str(MIN_LENGTH) in RULE


@cache
def _common() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


def problems(password: str, *, username: str | None = None, email: str | None = None) -> list[str]:
    """Why `password` is refused (empty when it is good)."""
    if len(password) < MIN_LENGTH:
        return [_("use at least {min} characters (this one has {length})").format(min=MIN_LENGTH, length=len(password))]
    if len(password.encode("utf-8")) > BCRYPT_MAX_BYTES:
        return [_("use at most {max} bytes (this one has {length}; accented letters and symbols count two to "
                  "four)").format(max=BCRYPT_MAX_BYTES, length=len(password.encode("utf-8")))]
    lowered = password.lower()
    if lowered in _common() or len(set(lowered)) <= 2:
        return [_("this password is on the list of common passwords; choose another")]
    if (username and lowered == username.lower()) or (email and lowered == email.lower()):
        return [_("the password may not be your username or email")]
    return []


def check(password: str, *, confirm: str | None = None, username: str | None = None,
          email: str | None = None, field: str = "password") -> None:
    """Raise ValidationFailed (on `field`, and on `confirm` when the two differ) unless the rule is met."""
    errors = [FieldError(field, p) for p in problems(password, username=username, email=email)]
    if confirm is not None and confirm != password:
        errors.append(FieldError("confirm", _("the two passwords differ")))
    if errors:
        raise ValidationFailed(errors)
