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


def test_no_payload_becomes_a_formula_or_breaks_the_writers():
    """Every formula payload is text in the workbook (no cell of type "f"), starting with an apostrophe;
    control characters go from the workbook (openpyxl would refuse them) but stay in the CSV."""
    from tests.payloads import CONTROL, FORMULAS, ORDINARY

    texts = list(FORMULAS + CONTROL + ORDINARY)
    frame = pd.DataFrame({"text": texts})
    book = load_workbook(io.BytesIO(excel_bytes({"t": frame})))
    cells = [c for c in book["t"]["A"]][1:]
    assert [c.data_type for c in cells] == ["s"] * len(texts)
    assert all(c.value.startswith("'") for c in cells[:len(FORMULAS)])
    assert [c.value for c in cells[len(FORMULAS):len(FORMULAS) + len(CONTROL)]] == [
        "beforeafter", "verticaltab", "escape[31mred", "bell", "formfeed"]
    back = pd.read_csv(io.BytesIO(csv_bytes(frame)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back["text"]) == ["'" + t for t in FORMULAS] + list(CONTROL + ORDINARY)


def test_csv_rows_are_csv_writer_rows_with_carriage_returns_quoted():
    import csv

    from services.tabular import CsvRows

    rows = [["a", None, 1, -2.5, True], ['say "hi"', "x,y", "two\nlines", ""], [""]]
    ours, theirs = io.StringIO(newline=""), io.StringIO(newline="")
    for row in rows:
        CsvRows(ours).writerow(row)
        csv.writer(theirs, lineterminator="\n").writerow(row)
    assert ours.getvalue() == theirs.getvalue()
    out = io.StringIO(newline="")
    CsvRows(out).writerow(["fine\r=1+1", "next"])
    assert out.getvalue() == '"fine\r=1+1",next\n'
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [["fine\r=1+1", "next"]]
