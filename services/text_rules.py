"""The one rule for text a user types, used by every service that stores it (issue 12, "characters that crash").

- Leading and trailing white space is trimmed; a multi-line text has its Windows or old Mac line ends
  ("\\r\\n", "\\r") made plain line breaks.
- Control characters are refused with a message on the field: every C0 and C1 control (U+0000 to U+001F,
  U+007F to U+009F, among them NUL, which PostgreSQL cannot store, and the vertical tab and form feed a
  spreadsheet writer refuses), the line and paragraph separators U+2028 / U+2029 and lone surrogates
  (which cannot be written as UTF-8). A multi-line text may hold line breaks and tabs; a one-line text
  holds neither. Nothing else is touched: accents, right-to-left text and the direction marks U+200E /
  U+200F come through exactly as typed.
- Every text has a length limit, checked here, so the database never answers "value too long".

Limits of the free texts kept in Text columns: each service names its own (Activity Report texts 1,000 to
4,000 characters, Progress Report texts 4,000 to 5,000, yearly analysis sections 20,000, review and decision
comments 2,000); LONG_TEXT and COMMENT are the defaults for a new one. One-line texts take the length of
their String column (db/models.py).

Search boxes and look-ups by code do not store anything: `search_text` and `lookup_key` make what was typed
safe to send to the database (a NUL in a search would otherwise be a raw database error too).
"""

import re

import locales
from locales import N_, _
from services.errors import FieldError

LONG_TEXT = 20_000  # a long free text (a Text column): about eight pages
COMMENT = 2_000  # a review, return or decision comment
SEARCH_MAX = 200  # the most characters of a search box sent to the database

_NAMES = {  # shown translated: character_name()
    "\x00": N_("NUL"), "\t": N_("tab"), "\n": N_("line break"), "\r": N_("carriage return"), "\x07": N_("bell"),
    "\x08": N_("backspace"), "\x0b": N_("vertical tab"), "\x0c": N_("form feed"), "\x1b": N_("escape"),
    "\x7f": N_("delete"), "\u2028": N_("line separator"), "\u2029": N_("paragraph separator"),
}
# Unicode categories Cc (C0 and C1 controls), Cs (surrogates), Zl and Zp (U+2028, U+2029), as character
# classes: a regular expression scans a 1 MB text in milliseconds.
_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_MULTILINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")  # \t and \n allowed


def _pattern(multiline: bool) -> re.Pattern:
    return _MULTILINE if multiline else _ONE_LINE


def control_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The distinct characters of `text` the rule refuses, in order of first appearance."""
    return list(dict.fromkeys(_pattern(multiline).findall(text)))


def has_control(text: str, *, multiline: bool = False) -> bool:
    """True when `text` holds a character the rule refuses."""
    return _pattern(multiline).search(text) is not None


def character_name(char: str) -> str | None:
    """The name a user knows a control character by ("tab", "NUL"), in the run's language; None if it has none."""
    name = _NAMES.get(char)
    return _(name) if name else None


def describe(chars: list[str]) -> str:
    """'NUL, vertical tab' / 'U+0085': the refused characters as a user can look for them (three at most)."""
    named = [character_name(c) or f"U+{ord(c):04X}" for c in chars[:3]]
    return ", ".join(named) + (", ..." if len(chars) > 3 else "")


def tidy(value: object, *, multiline: bool = False) -> str:
    """The text as it is stored: trimmed, "" for None; in a multi-line text "\r\n" and "\r" become "\n"."""
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


# Default messages; a service whose tests assert its own wording passes `too_long=`, `control=`, `missing=`.
# Placeholders: {label} (capitalised), {max_len}, {length} (numbers with thousands separators), {chars}.
TOO_LONG = N_("{label}: use at most {max_len} characters (this one has {length}).")
CONTROL_MULTILINE = N_("{label} contains a control character ({chars}); remove it. "
                       "Only line breaks and tabs are allowed.")
CONTROL_ONE_LINE = N_("{label} contains a control character ({chars}); "
                      "it must be one line of plain text (no line breaks or tabs).")
MISSING = N_("{label}: this is required.")


def check_text(value: object, *, field: str, label: str | None = None, max_len: int, multiline: bool = False,
               required: bool = False, errors: list[FieldError], too_long: str | None = None,
               control: str | None = None, missing: str | None = None) -> str:
    """Check one text against the rule and return it cleaned (trimmed; line ends made "\\n" when multi-line;
    "" for None). Every problem found is appended to `errors` as a FieldError on `field`: refused control
    characters, more than `max_len` characters, nothing at all when `required`. The caller raises
    ValidationFailed when `errors` is not empty, so a refused text is never stored."""
    text = tidy(value, multiline=multiline)
    name = label or field.replace("_", " ")
    name = name[:1].upper() + name[1:]

    def say(template: str, **extra) -> None:
        # _() of a caller's template already translated finds nothing and leaves it as it is
        errors.append(FieldError(field, _(template).format(label=name, max_len=locales.format_number(max_len),
                                                           length=locales.format_number(len(text)), **extra)))

    if not text:
        if required:
            say(missing or MISSING)
        return text
    bad = control_characters(text, multiline=multiline)
    if bad:
        say(control or (CONTROL_MULTILINE if multiline else CONTROL_ONE_LINE), chars=describe(bad))
    if len(text) > max_len:
        say(too_long or TOO_LONG)
    return text


def clean_one_line(value: object, *, field: str, label: str | None = None, max_len: int, required: bool = False,
                   errors: list[FieldError], **messages) -> str:
    """`check_text` for a one-line text (a title, a name, a link): no line breaks or tabs either."""
    return check_text(value, field=field, label=label, max_len=max_len, multiline=False, required=required,
                      errors=errors, **messages)


def search_text(value: object, *, max_len: int = SEARCH_MAX) -> str:
    """What a search box may send to the database: refused characters become spaces, at most `max_len`
    characters. A search never fails on what was typed; it only finds nothing."""
    text = "" if value is None else str(value)
    return _ONE_LINE.sub(" ", text[:max_len]).strip()


def lookup_key(value: object, *, max_len: int) -> str | None:
    """A code, username or email to look a row up by, trimmed; None when no stored row can have it (a refused
    character, or longer than its column), so the caller answers "not found" without asking the database."""
    text = ("" if value is None else str(value)).strip()
    if len(text) > max_len or has_control(text):
        return None
    return text


def shown(value: object, *, max_len: int = 40) -> str:
    """A value as a message may quote it back: cut to `max_len` characters ("…" marks the cut), so a 1 MB
    value makes a one-line message. Quote it with !r so a control character shows as an escape."""
    text = "" if value is None else str(value)
    return text if len(text) <= max_len else text[:max_len] + "…"
