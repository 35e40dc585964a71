"""Tables as downloadable files: CSV (UTF-8 with BOM so Excel opens accents right) and Excel workbooks.

This is THE export writer: every CSV or Excel file the app offers is built by `csv_bytes` or `excel_bytes`
(or, where a service writes CSV rows itself, each cell goes through `safe_cell`). Both neutralise every
text cell a spreadsheet would run as a formula; the Excel writer also drops the characters a workbook
cannot hold (control characters), so no stored text can make an export fail.

A table is declared once as a `Table` of `Column`s: each column's header as the page shows it and its
kind (text, integer, number, percent, date, date-time). The page shows the table with those headers
(ui/tables.py) and the files carry the same ones, numbers as numbers, shares as formatted percentages.
A workbook made for a person (`excel_bytes(..., title=...)`) says on each sheet what it holds, when it
was made and under which filters; its columns are as wide as their content (capped).

Headers are declared in English and written in the reader's language (issue 14: `_()` where written, like
ui/tables.py on screen); the cells are written as they are (data, codes), neutralised."""

import io
import numbers
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

import locales
from locales import N_, _

# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")  # already neutralised (or a value that looks like it)

EXCEL_CELL_LIMIT = 32_767  # the most characters an Excel cell holds; a longer text is cut (the CSV has it whole)
_SHEET_REFUSED = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name

# The kinds of column: how a value is written and shown.
TEXT, INTEGER, NUMBER, PERCENT, DATE, DATETIME = "text", "integer", "number", "percent", "date", "datetime"
KINDS = (TEXT, INTEGER, NUMBER, PERCENT, DATE, DATETIME)

WIDTH_MIN, WIDTH_MAX = 6, 60  # column widths in characters: from the content, within these
_WIDTH_SAMPLE = 500  # rows looked at to size a column (a long export is sized on its first rows)
_NUMBER_FORMATS = {DATE: "d mmm yyyy", DATETIME: "d mmm yyyy hh:mm"}
_HEADER_FILL = PatternFill("solid", fgColor="DDE6EC")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="7A8B99"))
NARRATIVE_SHEET = N_("Narrative")


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


# -- declaring a table ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """One column as shown and exported: the frame's column `key`, its header `label` (on screen and in
    files), its `kind`, a `help` shown on hover on screen, the `decimals` of a percent (0: 14%, 1: 14.3%)
    and its on-screen `width` ("small", "medium", "large" or None)."""

    key: Hashable
    label: str
    kind: str = TEXT
    help: str = ""
    decimals: int = 0
    width: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def _inferred_kind(dtype) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return TEXT  # a truth value is written as it is
    if pd.api.types.is_integer_dtype(dtype):
        return INTEGER
    if pd.api.types.is_float_dtype(dtype):
        return NUMBER
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return DATETIME
    return TEXT


@dataclass(frozen=True, eq=False)
class Table:
    """A table to show and export: its `name` (sheet name), its `frame` and its `columns`, in order (columns
    of the frame not declared are not exported). Without columns, every column of the frame is exported
    under its own name, its kind told by its dtype."""

    name: str
    frame: pd.DataFrame
    columns: tuple[Column, ...] = ()

    def __post_init__(self) -> None:
        if not self.columns:
            frame = self.frame
            if not frame.columns.is_unique:  # a repeated name: the columns go by position
                object.__setattr__(self, "frame", frame.set_axis(range(frame.shape[1]), axis=1))
            keys = self.frame.columns
            object.__setattr__(self, "columns", tuple(
                Column(key, str(name), _inferred_kind(frame.iloc[:, i].dtype))
                for i, (key, name) in enumerate(zip(keys, frame.columns))))
        missing = [c.key for c in self.columns if c.key not in self.frame.columns]
        if missing:
            raise KeyError(f"table {self.name!r} has no column {missing}")

    def values(self, column: Column) -> list:
        return self.frame[column.key].tolist()

    def only(self, *keys: Hashable) -> "Table":
        """The same table with only these columns, in this order (a page showing fewer than it exports)."""
        by_key = {c.key: c for c in self.columns}
        return Table(self.name, self.frame, tuple(by_key[k] for k in keys))


def _as_tables(tables: Mapping[str, pd.DataFrame] | Iterable[Table]) -> list[Table]:
    if isinstance(tables, Mapping):
        return [t if isinstance(t, Table) else Table(name, t) for name, t in tables.items()]
    return list(tables)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or other container: not a missing value
        return False


def _number(value: Any, kind: str) -> int | float | None:
    """The number a cell of a numeric column holds, or None when it holds something else."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if kind == INTEGER and number.is_integer() else number


def _moment(value: Any, kind: str) -> date | datetime | None:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(UTC).tz_localize(None)  # Excel has no time zones: UTC
    return stamp.date() if kind == DATE else stamp.to_pydatetime()


def _typed(value: Any, kind: str) -> Any:
    """A value as its column's kind: a number for numeric kinds, a date or date-time for dates; None when
    missing. A value of the wrong kind (text in a number column) comes back as it is, so it is written as
    text, neutralised: a declaration can never make an export fail or let a formula through."""
    if _missing(value):
        return None
    if kind in (INTEGER, NUMBER, PERCENT):
        number = _number(value, kind)
        return value if number is None else number
    if kind in (DATE, DATETIME):
        moment = _moment(value, kind)
        return value if moment is None else moment
    return value


# -- CSV ----------------------------------------------------------------------------------------------------
def _csv_value(value: Any, column: Column) -> Any:
    value = _typed(value, column.kind)
    if value is None:
        return None
    if column.kind == PERCENT and isinstance(value, int | float):
        return f"{value:.{column.decimals}%}"  # "14%": as shown, and read back as a percentage by Excel
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def csv_bytes(table: Table | pd.DataFrame) -> bytes:
    """The table as CSV under its headers, every formula-like text cell neutralised (`safe_cell`), other text
    exactly as stored; percentages as shown ("14%"), dates as ISO dates. Lines end in CRLF (RFC 4180), so a
    cell holding a lone carriage return is quoted rather than splitting its row. No title row: a CSV is
    read by programs too."""
    table = table if isinstance(table, Table) else Table("", table)
    out = pd.DataFrame({i: pd.Series([_csv_value(v, c) for v in table.values(c)], dtype=object)
                        for i, c in enumerate(table.columns)}, index=range(len(table.frame)))
    out.columns = [safe_cell(_(c.label)) for c in table.columns]
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig", errors="replace")


# -- Excel --------------------------------------------------------------------------------------------------
def _sheet_name(name: str, taken: list[str]) -> str:
    """The name cut to Excel's 31 characters, without the characters Excel refuses; numbered when taken."""
    base = _SHEET_REFUSED.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name))[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in (t.lower() for t in taken):  # Excel compares sheet names without case
        n += 1
        name = f"{base[:31 - len(str(n)) - 3]} ({n})"
    return name


def _shown_length(value: Any, column: Column) -> int:
    """About how many characters a cell shows, to size its column."""
    if value is None:
        return 0
    if column.kind == PERCENT and isinstance(value, int | float):
        return 4 + column.decimals + (1 if column.decimals else 0)
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    return max((len(line) for line in str(value).split("\n")), default=0)


def _title_block(sheet, *, title: str, filters: Sequence[str], generated_at: datetime) -> int:
    """What the sheet holds, when it was made (UTC) and under which filters, in its first rows. Returns the
    row the table starts at."""
    moment = generated_at.astimezone(UTC) if generated_at.tzinfo else generated_at
    sheet.cell(1, 1, excel_cell(title)).font = Font(bold=True, size=13)
    sheet.cell(2, 1, _("Generated on {date} at {time} UTC").format(date=locales.format_short_date(moment),
                                                                    time=f"{moment:%H:%M}"))
    sheet.cell(3, 1, excel_cell(_("Filters: {filters}").format(filters="; ".join(filters) if filters else _("none"))))
    return 5


def _write_table(sheet, table: Table, first_row: int) -> None:
    labels = [_(c.label) for c in table.columns]
    widths = [len(label) + 2 for label in labels]  # + the filter arrow beside a header
    for j, column in enumerate(table.columns, start=1):
        header = sheet.cell(first_row, j, excel_cell(labels[j - 1]))
        header.font, header.fill, header.border = Font(bold=True), _HEADER_FILL, _HEADER_BORDER
        header.alignment = Alignment(vertical="top")
        number_format = (f"0.{'0' * column.decimals}%" if column.decimals else "0%") if column.kind == PERCENT \
            else _NUMBER_FORMATS.get(column.kind)
        for i, value in enumerate(table.values(column), start=first_row + 1):
            value = _typed(value, column.kind)
            if not isinstance(value, str | numbers.Number | date | None):
                value = str(value)  # a list or other object: its text (a workbook holds no objects)
            cell = sheet.cell(i, j, excel_cell(value))
            if number_format and not isinstance(cell.value, str):
                cell.number_format = number_format
            if isinstance(cell.value, str) and "\n" in cell.value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if i - first_row <= _WIDTH_SAMPLE:
                widths[j - 1] = max(widths[j - 1], _shown_length(cell.value, column))
    for j, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = min(max(width + 2, WIDTH_MIN), WIDTH_MAX)
        if width > WIDTH_MAX:  # a long text wraps in its capped column rather than running off
            for (cell,) in sheet.iter_rows(min_row=first_row + 1, min_col=j, max_col=j):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if table.columns:
        last = f"{get_column_letter(len(table.columns))}{first_row + len(table.frame)}"
        sheet.auto_filter.ref = f"A{first_row}:{last}"
        sheet.freeze_panes = f"A{first_row + 1}"  # the headers stay in sight


def _write_narrative(sheet, narrative: Sequence[tuple[str, str]], note: str, first_row: int) -> None:
    """The narrative under the title block: the note, then each section's heading and its text, one row per
    line (a cell holds at most about 400 points of height: a long text in one cell would be cut)."""
    sheet.column_dimensions["A"].width = 110
    row = first_row
    if note:
        sheet.cell(row, 1, excel_cell(note)).font = Font(italic=True)
        row += 2
    for heading, text in narrative:
        sheet.cell(row, 1, excel_cell(heading)).font = Font(bold=True, size=12)
        row += 1
        lines = text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n") if text.strip() else []
        for line in lines or [_("Not written.")]:
            cell = sheet.cell(row, 1, excel_cell(line) if lines else line)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if not lines:
                cell.font = Font(italic=True, color="6B7A86")
            row += 1
        row += 1


def excel_bytes(tables: Mapping[str, pd.DataFrame] | Iterable[Table], *, title: str | None = None,
                filters: Sequence[str] = (), generated_at: datetime | None = None,
                narrative: Sequence[tuple[str, str]] = (), note: str = "") -> bytes:
    """One sheet per table (a `Table`, or a frame under its sheet name), sheet names cut to Excel's 31
    characters; headers bold, frozen and filterable, columns as wide as their content (capped), numbers as
    numbers, percentages formatted, dates as dates. Every text cell is an `excel_cell`, so the workbook
    holds no formula and never fails on stored text.

    With a `title`, each sheet starts with it (and the table's name when there are several), the time it was
    generated (`generated_at`, now by default; UTC) and the `filters` ("Kind: Resolution" ...); the table
    follows. `narrative` ((heading, text) pairs) and its `note` go first, on a sheet of their own."""
    tables = _as_tables(tables)
    generated_at = generated_at or datetime.now(UTC)
    book = Workbook()
    book.remove(book.active)
    if narrative or note:
        sheet = book.create_sheet(_sheet_name(_(NARRATIVE_SHEET), []))
        start = _title_block(sheet, title=title or _(NARRATIVE_SHEET), filters=filters, generated_at=generated_at)
        _write_narrative(sheet, narrative, note, start)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.name, book.sheetnames))
        start = 1
        if title:
            heading = f"{title}: {table.name}" if len(tables) > 1 else title
            start = _title_block(sheet, title=heading, filters=filters, generated_at=generated_at)
        _write_table(sheet, table, start)
    if not book.sheetnames:
        book.create_sheet("Sheet")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
