"""Tables as downloadable files: CSV (UTF-8 with BOM so Excel opens accents right) and Excel workbooks."""

import io
import re
from typing import Any

import pandas as pd

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")  # already neutralised (or a value that looks like it)


def safe_cell(value: Any) -> Any:
    """The text of a cell as it may be exported: one apostrophe in front of a formula character, and in front
    of a value that already starts with apostrophes before one, so `unquote_cell` on import gives back
    exactly the original. Anything but text is returned as it is."""
    if isinstance(value, str) and (value.startswith(FORMULA_START) or _QUOTED.match(value)):
        return "'" + value
    return value


def unquote_cell(value: str) -> str:
    """The inverse of `safe_cell`, for imports: exactly one leading apostrophe before a formula character goes."""
    return value[1:] if _QUOTED.match(value) else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; sheet names are cut to Excel's 31 characters."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return out.getvalue()
