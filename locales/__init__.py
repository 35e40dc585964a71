"""Translations (issue 14): English, French and Spanish through gettext catalogues managed with Babel.

    from locales import _, N_, ngettext
    st.button(_("Save"))
    st.caption(_("{count} Resolutions in force").format(count=n))   # named placeholders, never glued text
    st.caption(ngettext("{n} report", "{n} reports", n).format(n=n))
    LABELS = {"draft": N_("Draft")}      # marked for extraction at import time, translated when shown: _(LABELS[x])

The catalogues are the text files locales/<lang>/LC_MESSAGES/messages.po, read with Babel once per process (no
compiled .mo is committed). A fuzzy or empty entry falls back to English. The language is per run (a ContextVar):
app.py sets it at the start of every run; services and analytics run in the same context, so their messages
come back in the user's language too. Mails: `with locales.use(recipient_language): ...`.

This package imports nothing from the project (db, services and analytics all stand on it).
"""

import gettext
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from pathlib import Path

from babel import Locale, dates, numbers
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

LANGUAGES = ("en", "fr", "es")
DEFAULT = "en"
# Each language named in itself: the switch shows them so, whatever the current language.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
DIRECTORY = Path(__file__).resolve().parent

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)
_lock = threading.Lock()
# language -> (msgid -> msgstr, (singular, plural) -> [msgstr per plural form], plural index function)
_catalogues: dict[str, tuple[dict[str, str], dict[tuple[str, str], list[str]], object]] = {}


def valid(language: object) -> str | None:
    """The language code if we have it ("fr", "fr-FR", "fr_CA", "FR" -> "fr"), else None."""
    if not isinstance(language, str) or not language:
        return None
    code = language.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def current() -> str:
    return _current.get()


def set_language(language: str) -> None:
    _current.set(valid(language) or DEFAULT)


@contextmanager
def use(language: str | None) -> Iterator[None]:
    token = _current.set(valid(language) or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def po_path(language: str) -> Path:
    return DIRECTORY / language / "LC_MESSAGES" / "messages.po"


def _load(language: str):
    singular: dict[str, str] = {}
    plurals: dict[tuple[str, str], list[str]] = {}
    plural_expr = get_plural(language).plural_expr
    path = po_path(language)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=language)
        plural_expr = catalog.plural_expr  # the rule the file's forms were written for
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, (tuple, list)):
                forms = list(message.string) if isinstance(message.string, (tuple, list)) else [message.string]
                if forms and all(forms):
                    plurals[(message.id[0], message.id[1])] = forms
            elif message.string:
                singular[message.id] = message.string
    return singular, plurals, gettext.c2py(plural_expr)


def _catalogue(language: str):
    found = _catalogues.get(language)
    if found is None:
        with _lock:
            found = _catalogues.get(language) or _load(language)
            _catalogues[language] = found
    return found


def reload() -> None:
    """Forget the catalogues read so far (after python -m locales.build, in tests)."""
    with _lock:
        _catalogues.clear()


def _(message: str) -> str:
    language = _current.get()
    if language == DEFAULT or not message:
        return message
    return _catalogue(language)[0].get(message, message)


def N_(message: str) -> str:
    """Marks a module-level text for extraction; it is translated where it is shown: _(TEXT)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    language = _current.get()
    if language != DEFAULT:
        _, plurals, index = _catalogue(language)
        forms = plurals.get((singular, plural))
        if forms:
            return forms[min(index(n), len(forms) - 1)]
    return singular if n == 1 else plural


def translate(message: str | None) -> str:
    """_() for a value that may be None or empty (a vocabulary label looked up at display time)."""
    return _(message) if message else (message or "")


# Numbers, dates and percentages in the current language's way (Babel, CLDR): 1 234,5 and 1 décembre 2026 in
# French, 1.234,5 and 1 de diciembre de 2026 in Spanish, 1,234.5 and December 1, 2026 in English.

def locale() -> Locale:
    return Locale.parse(_current.get())


def _with_digits(pattern: str, digits: int | None) -> str:
    """The locale's own pattern (its spacing, its % sign) with exactly `digits` digits after the separator."""
    if digits is None:
        return pattern
    integer = pattern.split(".")[0]
    head, _sep, tail = integer.partition("0")
    rest = tail.lstrip("#0.")  # what follows the number: " %", "%", ""
    return head + "0" + ("." + "0" * digits if digits else "") + rest


def format_number(n: int | float | None) -> str:
    """A count: 1,234 / 1 234 / 1.234."""
    if n is None:
        return "—"
    return numbers.format_decimal(int(round(n)), locale=_current.get())


def format_decimal(x: float | None, digits: int | None = None) -> str:
    """A decimal number; `digits` fixes the digits after the separator (else up to three, as needed)."""
    if x is None:
        return "—"
    pattern = _with_digits(locale().decimal_formats[None].pattern, digits) if digits is not None else None
    return numbers.format_decimal(x, format=pattern, locale=_current.get())


def format_percent(share: float | None, digits: int = 0) -> str:
    """A share (0.45) as a percentage: 45% / 45 % / 45 %."""
    if share is None:
        return "—"
    pattern = _with_digits(locale().percent_formats[None].pattern, digits)
    return numbers.format_percent(share, format=pattern, locale=_current.get())


def format_date(d: date | datetime | None, format: str = "long") -> str:
    """A date: long December 1, 2026 / 1 décembre 2026 / 1 de diciembre de 2026; medium, short as in Babel."""
    if d is None:
        return "—"
    if isinstance(d, datetime):
        d = d.date()
    return dates.format_date(d, format=format, locale=_current.get())


def format_short_date(d: date | datetime | None) -> str:
    """A date in tables, captions and diagrams: 01 Dec 2026 (the app's English form), 1 déc. 2026, 1 dic 2026."""
    if d is None:
        return "—"
    if isinstance(d, datetime):
        d = d.date()
    if _current.get() == DEFAULT:
        return dates.format_date(d, format="dd MMM y", locale=DEFAULT)
    return dates.format_date(d, format="medium", locale=_current.get())


def format_datetime(t: datetime | None, format: str = "medium") -> str:
    if t is None:
        return "—"
    return dates.format_datetime(t, format=format, locale=_current.get())
