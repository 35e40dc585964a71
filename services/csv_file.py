"""Reading an uploaded CSV file for an all-or-nothing import: UTF-8 (a BOM is fine), exact header.

The checks every import shares, so that no file can crash one:
- the file's size is checked before it is decoded (`max_bytes`, 5 MB unless the import says otherwise);
- the file must be UTF-8 text with exactly the import's columns (line 1), its optional last columns
  (`optional`) either all there or all left out;
- each row must have one value per column;
- no value may be longer than `cell_max` characters (10,000 unless the import says otherwise; the csv
  module's own field limit is raised above any accepted file, so a 1 MB cell is a problem, not a crash);
- no value may hold a control character (NUL, escape, vertical tab...; line breaks and tabs only in the
  columns the import names as multi-line).
A row that fails one of these is reported with its line and column and not handed to the import.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Collection, Iterator

import locales
from locales import _
from services import text_rules
from services.errors import FieldError, ValidationFailed

MAX_FILE_BYTES = 5 * 1024 * 1024
CELL_MAX = 10_000
# The csv module refuses fields over 131,072 characters with csv.Error. No accepted file is larger than
# this, so no cell of one is either: the per-cell limit above then gives a line-numbered problem instead.
READER_LIMIT = 256 * 1024 * 1024
if csv.field_size_limit() < READER_LIMIT:
    csv.field_size_limit(READER_LIMIT)

# Unicode Cc (C0, DEL, C1) and the line and paragraph separators; line breaks and tabs allowed or not.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def size_text(size: int) -> str:
    """A byte count as people read it, in the run's language: 5 MB, 6.2 MB, 800 KB (6,2 Mo in French)."""
    if size >= 1024 * 1024:
        mb = size / (1024 * 1024)
        return _("{size} MB").format(size=locales.format_decimal(mb, digits=0 if mb == int(mb) else 1))
    return _("{size} KB").format(size=locales.format_number(max(1, round(size / 1024))))


def shown(value: str, limit: int = 60, *, quoted: bool = True) -> str:
    """A value from the file as quoted in a message: in quotes (unless not `quoted`), control characters
    escaped, cut short after `limit` characters."""
    text = repr(value if len(value) <= limit else value[:limit] + "…")
    return text if quoted else text[1:-1]


def check_size(data: bytes, max_bytes: int = MAX_FILE_BYTES) -> None:
    """Refuse a file over the limit (line 1), before anything is decoded or parsed."""
    if len(data) > max_bytes:
        raise ValidationFailed([FieldError(
            "file", _("the file is {size}, larger than the {max} allowed; split it into smaller files").format(
                size=size_text(len(data)), max=size_text(max_bytes)), 1)])


def control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first control character in the value, described ("NUL (U+0000) at position 7"), or None."""
    found = _first_control(value, multiline)
    return None if found is None else _("{char} at position {position}").format(char=_describe(found[1]),
                                                                                 position=found[0] + 1)


def _first_control(value: str, multiline: bool) -> tuple[int, str] | None:
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    return None if found is None else (found.start(), found.group())


def _describe(char: str) -> str:
    """'tab (U+0009)' in the run's language; a character without a usual name by its Unicode name."""
    name = text_rules.character_name(char) or unicodedata.name(char, None) or _("control character")
    return f"{name} (U+{ord(char):04X})"


def cell_problem(column: str, cell: str, *, cell_max: int = CELL_MAX, multiline: bool = False) -> str | None:
    """Why this cell may not be imported (too long, a control character), or None. Spaces around the value
    do not count, since the imports strip them; the position is counted in the cell as it is in the file."""
    if len(cell) > cell_max:
        return _("the value is longer than {max} characters ({length})").format(
            max=locales.format_number(cell_max), length=locales.format_number(len(cell)))
    found = _first_control(cell.strip(), multiline)
    if found is None:
        return None
    position = found[0] + 1 + len(cell) - len(cell.lstrip())
    if multiline:
        message = _("the {column} contains a control character, {char}, at position {position}; remove it")
    else:
        message = _("the {column} contains a control character, {char}, at position {position}; remove it "
                    "(line breaks and tabs are not allowed in this column either)")
    return message.format(column=column, char=_describe(found[1]), position=position)


def data_rows(data: bytes, columns: tuple[str, ...], *, errors: list[FieldError] | None = None,
              max_bytes: int = MAX_FILE_BYTES, cell_max: int = CELL_MAX,
              multiline: Collection[str] = (), optional: tuple[str, ...] = ()) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row after the header that passes the shared checks above.
    A file whose header has the `optional` columns too gives rows of that many more cells.

    A file that is too large, is not UTF-8, is empty or has other columns raises ValidationFailed (line 1)
    right away, before any row is read. A row with the wrong number of values, a value too long or a control
    character is not returned: its problems (line, column, reason) are appended to `errors` as the rows are
    read, so they come in line order among the import's own; without `errors` they are raised together
    after the last row. The line is where the row starts in the file (a quoted value may span lines)."""
    check_size(data, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = _("the file is not UTF-8 text (byte {byte})").format(byte=exc.start)
        raise ValidationFailed([FieldError("file", message, 1)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValidationFailed([FieldError(
            "file", _("the first line cannot be read as CSV: {error}").format(error=exc), 1)]) from None
    if header is None:
        raise ValidationFailed([FieldError("file", _("the file is empty"), 1)])
    found = tuple(h.strip() for h in header)
    if found not in (columns, columns + optional):
        found_text = shown(",".join(header), 200, quoted=False)
        if optional:
            message = _("the columns must be exactly {columns}, with {optional} as optional last column(s) "
                        "(found {found})").format(columns=",".join(columns), optional=",".join(optional),
                                                  found=found_text)
        else:
            message = _("the columns must be exactly {columns} (found {found})").format(
                columns=",".join(columns), found=found_text)
        raise ValidationFailed([FieldError("file", message, 1)])
    return _rows(reader, found, errors, cell_max, frozenset(multiline))


def _rows(reader, columns: tuple[str, ...], errors: list[FieldError] | None, cell_max: int,
          multiline: frozenset[str]) -> Iterator[tuple[int, list[str]]]:
    problems = errors if errors is not None else []
    width = len(columns)
    read = reader.line_num  # lines read so far: the next row starts on the line after
    try:
        for cells in reader:
            line, read = read + 1, reader.line_num
            joined = "".join(cells)  # the usual row is tested whole: one call each, not one per cell
            if not joined.strip():
                continue
            if len(cells) != width:
                problems.append(FieldError("row", _("expected {expected} values, found {found}").format(
                    expected=width, found=len(cells)), line))
                continue
            if (len(joined) <= cell_max or max(map(len, cells)) <= cell_max) and _CONTROL.search(joined) is None:
                yield line, cells
                continue
            bad = [FieldError(column, problem, line) for column, cell in zip(columns, cells)
                   if (problem := cell_problem(column, cell, cell_max=cell_max, multiline=column in multiline))]
            if bad:
                problems.extend(bad)
                continue
            yield line, cells
    except csv.Error as exc:  # not expected with the limit raised; never a crash all the same
        line = read + 1
        problems.append(FieldError("file", _("the file cannot be read as CSV from line {line}: {error}").format(
            line=line, error=exc), line))
    if errors is None and problems:
        raise ValidationFailed(problems)
