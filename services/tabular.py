"""Tables as downloadable files: CSV (UTF-8 with BOM so Excel opens accents right) and Excel workbooks."""

import io

import pandas as pd


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8-sig")


def excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per table; sheet names are cut to Excel's 31 characters."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return out.getvalue()
