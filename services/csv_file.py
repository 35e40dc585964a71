"""Reading an uploaded CSV file for an all-or-nothing import: UTF-8 (a BOM is fine), exact header."""

import csv
import io
from collections.abc import Iterator

from services.errors import FieldError, ValidationFailed


def data_rows(data: bytes, columns: tuple[str, ...]) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row after the header. A file that is not UTF-8, is empty
    or has other columns raises ValidationFailed (line 1) before any row is read."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([FieldError("file", f"the file is not UTF-8 text (byte {exc.start})", 1)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ValidationFailed([FieldError("file", "the file is empty", 1)])
    if tuple(h.strip() for h in header) != columns:
        raise ValidationFailed([FieldError(
            "file", f"the columns must be exactly {','.join(columns)} (found {','.join(header)})", 1
        )])
    for line, cells in enumerate(reader, start=2):
        if any(c.strip() for c in cells):
            yield line, cells
