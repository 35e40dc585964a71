import io

import pandas as pd
from openpyxl import load_workbook

from services.tabular import csv_bytes, excel_bytes, safe_cell, unquote_cell


def test_csv_keeps_accents_and_rows():
    frame = pd.DataFrame({"name": ["Hawai‘i", "Marseille"], "count": [112, 137]})
    data = csv_bytes(frame)
    assert data.startswith("\ufeff".encode("utf-8"))
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back.to_dict("records") == [{"name": "Hawai‘i", "count": 112}, {"name": "Marseille", "count": 137}]


def test_excel_has_one_sheet_per_table_with_its_rows():
    data = excel_bytes({"Status": pd.DataFrame({"s": ["Initiated", "Underway"]}),
                        "A very long sheet name that Excel would refuse": pd.DataFrame({"n": [1]})})
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Status", "A very long sheet name that Exc"]
    assert [c.value for c in book["Status"]["A"]] == ["s", "Initiated", "Underway"]


def test_formula_cells_are_neutralised_and_come_back_exactly():
    assert safe_cell('=HYPERLINK("http://evil","x")') == '\'=HYPERLINK("http://evil","x")'
    for start in "=+-@\t\r":
        assert safe_cell(start + "1") == "'" + start + "1"
    assert safe_cell("plain") == "plain" and safe_cell(5) == 5 and safe_cell("it's") == "it's"
    for original in ("=1+1", "'=1+1", "''@x", "plain", "'quoted'", "-7", ""):
        assert unquote_cell(safe_cell(original)) == original
