"""Tables as downloadable files: CSV (UTF-8 with BOM so Excel opens accents right) and Excel workbooks.

This is THE export writer: every CSV or Excel file the app offers is built by `csv_bytes` or `excel_bytes`
(or, where a service writes CSV rows itself, each cell goes through `safe_cell`). Both neutralise every
text cell a spreadsheet would run as a formula; the Excel writer also drops the characters a workbook
cannot hold (control characters), so no stored text can make an export fail."""

import io
import re
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")  # already neutralised (or a value that looks like it)

EXCEL_CELL_LIMIT = 32_767  # the most characters an Excel cell holds; a longer text is cut (the CSV has it whole)
_SHEET_REFUSED = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name


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


class CsvRows:
    """`csv.writer(out, lineterminator="\n")` for services that write their CSV rows themselves, except that
    a cell holding a carriage return is quoted too (the csv module leaves it bare, and a spreadsheet then
    starts a new row there, whose next cell could run as a formula). Every other row is written byte for
    byte as csv.writer writes it. Cells are written as given: put them through `safe_cell` first."""

    def __init__(self, out: io.StringIO) -> None:
        self.out = out

    def writerow(self, cells) -> None:
        texts = ["" if c is None else str(c) for c in cells]
        fields = ['"' + t.replace('"', '""') + '"' if any(ch in t for ch in ',"\r\n') else t for t in texts]
        if fields == [""]:
            fields = ['""']  # as csv.writer: a row of one empty cell is not an empty line
        self.out.write(",".join(fields) + "\n")


def excel_cell(value: Any) -> Any:
    """A value as an Excel cell may hold it: text without the control characters openpyxl refuses (removed
    before neutralising, so a hidden character cannot uncover a formula), cut to Excel's cell limit, then
    `safe_cell`, its line ends as the workbook keeps them ("\n"); a date-time with a time zone as UTC (Excel
    has no time zones). Anything else as it is."""
    if isinstance(value, str):
        text = safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)[:EXCEL_CELL_LIMIT])
        return text.replace("\r\n", "\n").replace("\r", "\n")
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _cells(frame: pd.DataFrame, cell) -> pd.DataFrame:
    """A copy of `frame` with `cell` applied to every value of its text-like columns and to its headers."""
    columns = []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_convert(UTC).dt.tz_localize(None) if cell is excel_cell else column
        elif not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype)
                  or pd.api.types.is_timedelta64_dtype(column.dtype)):
            column = column.astype(object).map(cell)
        columns.append(column)
    out = pd.concat(columns, axis=1) if columns else frame.copy()
    out.columns = [cell(name) for name in frame.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV, every formula-like text cell neutralised (`safe_cell`), other text exactly as stored.
    Lines end in CRLF (RFC 4180), so a cell holding a lone carriage return is quoted rather than splitting
    its row."""
    return (_cells(frame, safe_cell).to_csv(index=False, lineterminator="\r\n")
            .encode("utf-8-sig", errors="replace"))


def _sheet_name(name: str) -> str:
    return _SHEET_REFUSED.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name))[:31] or "Sheet"


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; sheet names are cut to Excel's 31 characters. Every text cell is an `excel_cell`,
    so the workbook holds no formula and never fails on stored text."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _cells(frame, excel_cell).to_excel(writer, sheet_name=_sheet_name(name), index=False)
    return out.getvalue()
