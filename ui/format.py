"""Formatting helpers shared by pages."""

import re
from datetime import date, datetime

import locales

# Every ASCII character Markdown (CommonMark, GitHub's extensions, Streamlit's directives such as :red[..]
# and :material/..:, LaTeX between $) or HTML gives a meaning to. A hyphen inside a word (WCC-2020-Res-001)
# means nothing and stays as it is; at the start of a line, alone or repeated it could make a list item, a
# rule or a heading, so it is escaped there.
_MD_SPECIAL = re.compile(r"[\\`*_{}\[\]()#+.!|<>~$:=&]|(?<![^\W_])-|-(?![^\W_])")


def escape_md(text: object) -> str:
    """User text shown inside Markdown: every Markdown (and HTML) character taken literally, so the text
    reads exactly as written and can make no link, image, styled span, icon, formula, heading or tag."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), "" if text is None else str(text))


def fmt_date(value: date | datetime | None) -> str:
    """A date in tables and messages: 01 Dec 2026 in English (as always), 1 déc. 2026, 1 dic 2026 (Babel)."""
    return locales.format_short_date(value)


def plural(n: int, one: str, many: str | None = None) -> str:
    """English only (a plural made with "s"): translated text uses locales.ngettext("{n} x", "{n} xs", n)."""
    return f"{locales.format_number(n)} {one if n == 1 else (many or one + 's')}"
