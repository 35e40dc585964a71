"""Formatting helpers shared by pages."""

import re
from datetime import date, datetime

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_md(text: object) -> str:
    """User text shown inside Markdown: every Markdown (and HTML) character taken literally."""
    return _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d %b %Y")


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
