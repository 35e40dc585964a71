import io
from datetime import UTC

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


# -- declared tables: the headers shown, numbers as numbers, a title block ------------------------------------
def _declared():
    from datetime import date

    from services.tabular import DATE, INTEGER, NUMBER, PERCENT, Column, Table

    frame = pd.DataFrame({"status": ["Underway", "=1+1", "Completed"], "count": [137, 12, 0],
                          "share": [0.8354, 0.0732, 0.0], "mean": [1.5, None, 2.25],
                          "day": [date(2025, 3, 12), None, date(2024, 1, 2)], "raw_unused": ["x", "y", "z"]})
    columns = (Column("status", "Implementation status"), Column("count", "Resolutions", INTEGER),
               Column("share", "Share of the Resolutions", PERCENT), Column("mean", "Mean", NUMBER),
               Column("day", "Last change", DATE))
    return Table("Status", frame, columns)


def test_a_declared_table_has_its_headers_numbers_percentages_and_dates():
    from datetime import datetime

    book = load_workbook(io.BytesIO(excel_bytes([_declared()], title="Yearly analysis — Marseille 2020",
                                                filters=["Kind: Resolution", "Themes: Land"],
                                                generated_at=datetime(2026, 3, 12, 10, 4, tzinfo=UTC))))
    sheet = book["Status"]
    assert sheet["A1"].value == "Yearly analysis — Marseille 2020" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Generated on 12 Mar 2026 at 10:04 UTC"
    assert sheet["A3"].value == "Filters: Kind: Resolution; Themes: Land"
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[0] == ("Implementation status", "Resolutions", "Share of the Resolutions", "Mean", "Last change")
    assert all(c.font.bold for c in sheet[5])
    assert rows[1] == ("Underway", 137, 0.8354, 1.5, datetime(2025, 3, 12))
    assert rows[2] == ("'=1+1", 12, 0.0732, None, None)  # a formula stays inert text; missing values empty
    assert [type(v) for v in rows[1][1:4]] == [int, float, float]
    assert {sheet.cell(r, 3).number_format for r in (6, 7, 8)} == {"0%"}
    assert sheet.cell(6, 5).number_format == "d mmm yyyy" and sheet.cell(6, 5).is_date
    assert sheet.freeze_panes == "A6" and sheet.auto_filter.ref == "A5:E8"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    assert widths["A"] == len("Implementation status") + 4  # header + filter arrow + margin
    assert all(6 <= w <= 60 for w in widths.values()) and sheet.max_column == 5  # the undeclared column left out


def test_percent_decimals_width_cap_and_wrapping():
    from services.tabular import PERCENT, WIDTH_MAX, Column, Table

    long = "word " * 40
    table = Table("t", pd.DataFrame({"share": [0.14286], "text": [long]}),
                  (Column("share", "Share", PERCENT, decimals=1), Column("text", "Text")))
    sheet = load_workbook(io.BytesIO(excel_bytes([table])))["t"]
    assert sheet["A2"].number_format == "0.0%" and sheet["A2"].value == 0.14286
    assert sheet.column_dimensions["B"].width == WIDTH_MAX and sheet["B2"].alignment.wrap_text
    assert sheet["A1"].value == "Share"  # without a title the table starts at the top


def test_csv_of_a_declared_table_has_the_same_headers_and_shown_values():
    data = csv_bytes(_declared())
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["Implementation status", "Resolutions", "Share of the Resolutions", "Mean",
                                  "Last change"]
    assert back.to_dict("records")[:2] == [
        {"Implementation status": "Underway", "Resolutions": "137", "Share of the Resolutions": "84%",
         "Mean": "1.5", "Last change": "2025-03-12"},
        {"Implementation status": "'=1+1", "Resolutions": "12", "Share of the Resolutions": "7%", "Mean": "",
         "Last change": ""}]


def test_text_in_a_number_column_stays_inert_text():
    """A declaration never lets a formula through: a value that is no number is written as neutralised text."""
    from services.tabular import INTEGER, PERCENT, Column, Table

    table = Table("t", pd.DataFrame({"n": ["=1+1", "42"], "p": ["@SUM(A1)", 0.5]}),
                  (Column("n", "N", INTEGER), Column("p", "P", PERCENT)))
    sheet = load_workbook(io.BytesIO(excel_bytes([table])))["t"]
    assert [(c.value, c.data_type) for c in sheet["A"]][1:] == [("'=1+1", "s"), (42, "n")]
    assert [(c.value, c.data_type) for c in sheet["B"]][1:] == [("'@SUM(A1)", "s"), (0.5, "n")]
    back = list(pd.read_csv(io.BytesIO(csv_bytes(table)), encoding="utf-8-sig", dtype=str).itertuples(index=False))
    assert [tuple(r) for r in back] == [("'=1+1", "'@SUM(A1)"), ("42", "50%")]


def test_the_narrative_sheet_comes_first_with_its_headings_and_lines():
    from tests.payloads import FORMULAS

    narrative = [("1. Key messages", "Most moved forward.\n\nFunding is short."), ("2. Status", ""),
                 ("3. Obstacles", FORMULAS[0])]
    book = load_workbook(io.BytesIO(excel_bytes([_declared()], title="Yearly analysis", narrative=narrative,
                                                note="Published by the IUCN Secretariat on 1 Dec 2024.")))
    assert book.sheetnames == ["Narrative", "Status"]
    values = [c.value for c in book["Narrative"]["A"]]
    assert values[0] == "Yearly analysis" and values[4] == "Published by the IUCN Secretariat on 1 Dec 2024."
    body = [v for v in values[5:] if v is not None]
    assert body == ["1. Key messages", "Most moved forward.", "Funding is short.", "2. Status", "Not written.",
                    "3. Obstacles", "'" + FORMULAS[0]]
    assert book["Status"]["A1"].value == "Yearly analysis"  # one table: its sheet carries the title alone


def test_title_and_filters_are_neutralised_and_every_sheet_named():
    two = [_declared(), _declared().only("count", "status")]
    book = load_workbook(io.BytesIO(excel_bytes(two, title="=cmd", filters=["Theme: \x0b@x"])))
    assert book.sheetnames == ["Status", "Status (2)"]  # a repeated sheet name is numbered
    sheet = book["Status (2)"]
    assert sheet["A1"].value == "'=cmd: Status" and sheet["A3"].value == "Filters: Theme: @x"
    assert [c.value for c in sheet[5]] == ["Resolutions", "Implementation status"]


def test_an_unknown_kind_or_column_is_refused():
    import pytest

    from services.tabular import Column, Table

    with pytest.raises(ValueError):
        Column("a", "A", "money")
    with pytest.raises(KeyError):
        Table("t", pd.DataFrame({"a": [1]}), (Column("b", "B"),))
