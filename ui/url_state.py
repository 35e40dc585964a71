"""URL parameters, parsed in one place: filters that live in the URL (so a filtered view can be shared) and
the few parameters that say what a page shows (?code=, ?year=, ?id=, ?from=).

Every value in a URL is hostile until parsed: a link can be typed, edited or forged. The `parse_*`
functions (no Streamlit) turn the raw values of one parameter into a `Reading`: the value to use, and,
when the URL's value was refused, a fixed sentence saying so (never the raw value). The Streamlit side:

- `init_*` fill the session state of a filter widget on the first run of a page (the widget uses the
  same key as its parameter); afterwards every widget change is written back by `write_back`.
- `read_*` read a parameter that is not a widget, on every run; a refused value is replaced in the URL
  by the fallback, so its message is shown once.
- Refusals are collected and shown by `show_notices()` as one warning (`write_back` shows any left).

Session state is shared by all pages, and several pages use the same parameter names ("congress" is
one Congress on the overview but a list on the register). So each key remembers which page set it and
from which URL value: a value left by another page, or a URL changed since (a link to this page with
other parameters), is dropped and read again from the URL.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from locales import N_, _
from ui.format import escape_md, fmt_date

T = TypeVar("T")
_OWNERS = "_url_state_owners"
_NOTICES = "_url_state_notices"

REGISTER_VIEW = "register_view"  # the register's filters as in its URL, for the links back to it
ID_MAX = 2**31 - 1  # ids are INTEGER columns: PostgreSQL refuses a larger value with an error, not "no row"
TEXT_MAX = 200  # free text (a search) longer than this is cut
_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits only: not "²", "١٢", "1e308", "1_000", " 5" or "+5"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The default names of parameters in the messages, for extraction (translated when a message is made).
_DEFAULT_LABELS = (N_("report number"), N_("year"), N_("choice"), N_("choices"), N_("text"), N_("date"),
                   N_("years"))


@dataclass(frozen=True)
class Reading(Generic[T]):
    """One parameter, parsed: the value to use and, when the URL's value was refused (or cleaned), why."""

    value: T
    problem: str | None = None  # a fixed sentence; never holds the raw value


def _raw(values: str | Sequence[str] | None) -> list[str]:
    """The non-empty values of a parameter (an empty one counts as absent)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [str(v) for v in values if str(v) != ""]


def _single(values) -> tuple[str | None, str | None]:
    """The one value of a parameter meant to appear once: (value, None), (None, None) when absent, or
    (None, reason) when the link gives different values."""
    raw = list(dict.fromkeys(_raw(values)))
    if len(raw) > 1:
        return None, _("appears more than once")
    return (raw[0] if raw else None), None


def _sentence(label: str, reason: str, fallback: object = None) -> str:
    """Translated whole (issue 14); the label is a page's English word for the parameter, translated too."""
    if fallback is None:
        return _("The {label} in the link {reason}, so it was ignored.").format(label=_(label), reason=reason)
    return _("The {label} in the link {reason}; showing {fallback} instead.").format(
        label=_(label), reason=reason, fallback=fallback)


def _int(values, lo: int, hi: int) -> tuple[int | None, str | None]:
    """(number, None), (None, None) when absent, or (None, reason)."""
    raw, reason = _single(values)
    if raw is None:
        return None, reason
    text = raw
    if not _INTEGER.fullmatch(text):
        return None, _("is not a whole number")
    number = int(text) if len(text) <= 30 else None  # longer is out of any range here: not even parsed
    if number is None or not lo <= number <= hi:
        return None, (_("must be {lo}").format(lo=lo) if lo == hi
                      else _("must be from {lo} to {hi}").format(lo=lo, hi=hi))
    return number, None


def clean_text(text: str) -> str:
    """Text without control or format characters, except the direction marks of right-to-left text."""
    return "".join(c for c in text if c in "\u200e\u200f" or unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


# -- parsers (pure) --------------------------------------------------------------------------------------
def parse_id(values, *, label: str = "report number") -> Reading[int | None]:
    """A database id: 1 .. 2**31 - 1 (what an INTEGER column holds on PostgreSQL), else None."""
    number, reason = _int(values, 1, ID_MAX)
    if reason and reason.startswith("must be"):
        reason = _("is not a valid one")
    return Reading(number, _sentence(label, reason) if reason else None)


def parse_year(values, lo: int, hi: int, default: int, *, label: str = "year",
               years: Sequence[int] | None = None) -> Reading[int]:
    """A whole number (a year) within lo..hi, and among `years` when given; else `default`, which the
    message names."""
    number, reason = _int(values, lo, hi)
    if number is not None and years is not None and number not in set(years):
        number, reason = None, _("is not one with anything to show")
    if number is None:
        return Reading(default, _sentence(label, reason, default) if reason else None)
    return Reading(number)


def parse_choice(values, allowed: Sequence[str], default: T, *, label: str = "choice") -> Reading[str | T]:
    """One value of a vocabulary (exact match), else `default`."""
    raw, reason = _single(values)
    if raw is not None and raw not in set(allowed):
        raw, reason = None, _("is not one of the choices")
    if raw is None:
        return Reading(default, _sentence(label, reason) if reason else None)
    return Reading(raw)


def parse_choices(values, allowed: Sequence[str], *, label: str = "choices") -> Reading[list[str]]:
    """Values of a vocabulary, each once, in the link's order; unknown ones are left out."""
    known = set(allowed)
    raw = list(dict.fromkeys(_raw(values)))
    kept = [v for v in raw if v in known]
    if len(kept) < len(raw):
        return Reading(kept, _("Some {label} in the link are not among the choices and were left out.").format(
            label=_(label)))
    return Reading(kept)


def parse_text(values, *, max_len: int = TEXT_MAX, default: str = "", label: str = "text") -> Reading[str]:
    """Free text (a search, a code, a token): control characters removed; longer than max_len -> default."""
    raw, reason = _single(values)
    if raw is None:
        return Reading(default, _sentence(label, reason) if reason else None)
    text = clean_text(raw)
    if len(text) > max_len:
        return Reading(default, _sentence(label, _("is longer than {n} characters").format(n=max_len)))
    if text != raw:
        return Reading(text, _("The {label} in the link held control characters; they were removed.").format(
            label=_(label)))
    return Reading(text)


def parse_date(values, lo: date, hi: date, *, label: str = "date") -> Reading[date | None]:
    """An ISO date (YYYY-MM-DD) within lo..hi, else None."""
    raw, reason = _single(values)
    day = None
    if raw is not None:
        try:
            day = date.fromisoformat(raw) if _ISO_DATE.fullmatch(raw) else None
        except ValueError:
            day = None
        if day is None:
            reason = _("is not a date (year-month-day)")
        elif not lo <= day <= hi:
            day, reason = None, _("must be from {lo} to {hi}").format(lo=fmt_date(lo), hi=fmt_date(hi))
    return Reading(day, _sentence(label, reason) if reason else None)


# -- notices ---------------------------------------------------------------------------------------------
def _current_page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def _note(reading: Reading) -> Any:
    if reading.problem:
        notices = st.session_state.setdefault(_NOTICES, [])
        entry = (_current_page(), reading.problem)
        if entry not in notices:
            notices.append(entry)
    return reading.value


def notices() -> list[str]:
    """The refusals not shown yet on this page (those of other pages are dropped)."""
    page = _current_page()
    return [text for owner, text in st.session_state.get(_NOTICES, []) if owner == page]


def show_notices() -> None:
    """One warning listing what the link held that this page could not use; then they are forgotten."""
    pending = notices()
    st.session_state.pop(_NOTICES, None)
    if not pending:
        return
    body = pending[0] if len(pending) == 1 else "\n".join(f"- {text}" for text in pending)
    st.warning(body, icon=":material/link_off:")


# -- filter widgets (read on a page's first run) -----------------------------------------------------------
def _needs_reading(key: str) -> bool:
    """True when the key holds no value of this page yet: absent, left by another page, or the URL changed
    since this page read or wrote it (a link to the page it is on, st.switch_page with parameters)."""
    owners = st.session_state.setdefault(_OWNERS, {})
    seen = (_current_page(), tuple(st.query_params.get_all(key)))
    if owners.get(key) != seen:
        owners[key] = seen
        st.session_state.pop(key, None)
    return key not in st.session_state


def _label(key: str, label: str | None) -> str:
    return label or key.replace("_", " ")


def read_again() -> None:
    """Have every page read its filters from the URL again at its next run: for a page whose widgets were
    not drawn for a run (the sign-in form shown in its place), whose browser widgets start empty again."""
    st.session_state.pop(_OWNERS, None)


def init_list(key: str, allowed: list[str] | None = None, *, label: str | None = None) -> None:
    if _needs_reading(key):
        values = st.query_params.get_all(key)
        if allowed is None:
            reading = Reading([clean_text(v)[:TEXT_MAX] for v in dict.fromkeys(_raw(values))])
        else:
            reading = parse_choices(values, allowed, label=_("{label} values").format(label=_(_label(key, label))))
        st.session_state[key] = _note(reading)


def init_text(key: str, default: str = "", allowed: list[str] | None = None, *, label: str | None = None,
              max_len: int = TEXT_MAX) -> None:
    """A text filter: one of `allowed` when given, else free text (control characters removed, capped)."""
    if _needs_reading(key):
        values = st.query_params.get_all(key)
        if allowed is not None:
            reading = parse_choice(values, allowed, default, label=_label(key, label))
        else:
            reading = parse_text(values, max_len=max_len, default=default, label=_label(key, label))
        st.session_state[key] = _note(reading)


def init_int(key: str, default: int, lo: int, hi: int, *, label: str | None = None) -> None:
    if _needs_reading(key):
        st.session_state[key] = _note(parse_year(st.query_params.get_all(key), lo, hi, default,
                                                 label=_label(key, label)))


def init_year(key: str, default: int, years: Sequence[int], *, label: str | None = None) -> None:
    """A year among `years` (those a selectbox offers); `default` otherwise."""
    if _needs_reading(key):
        years = [int(y) for y in years] or [default]
        if default not in years:
            default = max(years)
        st.session_state[key] = _note(parse_year(st.query_params.get_all(key), min(years), max(years), default,
                                                 label=_label(key, label or "year"), years=years))


def init_year_range(lo_key: str, hi_key: str, lo: int, hi: int, *, label: str = "years") -> None:
    """Two ends of a year range (a slider), each within lo..hi; reversed ends are both reset."""
    if _needs_reading(lo_key) | _needs_reading(hi_key):
        start = _note(parse_year(st.query_params.get_all(lo_key), lo, hi, lo,
                                 label=_("first of the {label}").format(label=_(label))))
        end = _note(parse_year(st.query_params.get_all(hi_key), lo, hi, hi,
                               label=_("last of the {label}").format(label=_(label))))
        if start > end:
            _note(Reading(None, _("The {label} in the link end before they start; showing {lo} to {hi}.").format(
                label=_(label), lo=lo, hi=hi)))
            start, end = lo, hi
        st.session_state[lo_key], st.session_state[hi_key] = start, end


def init_date(key: str, lo: date, hi: date, *, label: str | None = None) -> None:
    if _needs_reading(key):
        st.session_state[key] = _note(parse_date(st.query_params.get_all(key), lo, hi, label=_label(key, label)))


def write_back(keys: dict[str, object]) -> None:
    """Mirror the current values into the URL; empty values and defaults are left out. Shows the notices
    of refused values the page has not shown yet."""
    for key, default in keys.items():
        value = st.session_state.get(key)
        if isinstance(value, tuple):
            value = list(value)
        if value in (None, "", []) or value == default:
            st.query_params.pop(key, None)
        elif isinstance(value, list):
            st.query_params[key] = [str(v) for v in value]
        else:
            st.query_params[key] = str(value)
        owners = st.session_state.setdefault(_OWNERS, {})
        if key in owners:  # the URL now holds what the widget shows: not a new link to read next run
            owners[key] = (_current_page(), tuple(st.query_params.get_all(key)))
    show_notices()


# -- parameters that are not widgets (read on every run) ----------------------------------------------------
def _settle(key: str, reading: Reading, fallback: object) -> Any:
    """Note a refusal and put the fallback in the URL in place of the refused value (so it is noted once)."""
    if reading.problem:
        if fallback in (None, ""):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = str(fallback)
    return _note(reading)


def read_id(key: str, *, label: str = "report number") -> int | None:
    reading = parse_id(st.query_params.get_all(key), label=label)
    return _settle(key, reading, reading.value)


def read_year(key: str, lo: int, hi: int, default: int, *, label: str = "year") -> int:
    reading = parse_year(st.query_params.get_all(key), lo, hi, default, label=label)
    return _settle(key, reading, reading.value)


def read_choice(key: str, allowed: Sequence[str], default: T = None, *, label: str = "choice") -> str | T:
    reading = parse_choice(st.query_params.get_all(key), allowed, default, label=label)
    return _settle(key, reading, reading.value)


def read_text(key: str, *, max_len: int = TEXT_MAX, default: str = "", label: str = "text") -> str:
    reading = parse_text(st.query_params.get_all(key), max_len=max_len, default=default, label=label)
    return _settle(key, reading, reading.value)


def quoted(value: object) -> str:
    """A value from the URL quoted inside a Markdown message: every Markdown character taken literally."""
    return "“" + escape_md(clean_text(str(value))[:TEXT_MAX]) + "”"
