"""services/export_tables.py on both databases: the workbooks and CSVs the pages offer, built from stored data,
carry the headers shown on screen, numbers as numbers, shares as formatted percentages, a title block, and
(the yearly analysis) the narrative the reader sees."""

import io
from datetime import UTC, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from analytics import body_of_policy as bp
from analytics import coverage
from analytics import yearly_analysis as ya
from db.models import ProgressReportRevision
from services import export_tables as et
from services import yearly_analysis as narrative_service
from services.tabular import INTEGER, PERCENT, csv_bytes, excel_bytes
from tests import factories as f

WHEN = datetime(2026, 3, 12, 10, 4, tzinfo=UTC)
SOLUTION = '=HYPERLINK("http://evil.example","click")'  # a solution a reviewer let through


@pytest.fixture
def data(engine):
    """WCC-2020 in 2024: four Resolutions in force, three with a published Progress Report (Underway,
    Underway, Completed; one names Funding with a formula-like solution), one without; a published narrative."""
    with Session(engine) as s:
        focal = f.user(s, "foc", ("focal_point",))
        boss = f.user(s, "sec", ("secretariat",))
        leader = f.user(s, "lea", ("leadership",))
        res = [f.resolution(s, n, themes=("Land",)) for n in range(1, 5)]
        for r, status in zip(res, ("Underway", "Underway", "Completed")):
            report = f.progress_report(s, r, focal, year=2024, state="published", status=status)
            content = {"challenge_categories": ["Funding"] if r is res[0] else [], "challenges": "No money",
                       "solutions": SOLUTION}
            s.add(ProgressReportRevision(progress_report_id=report.id, revision=1, status=status, content=content,
                                         published_by=focal.id))
            report.challenge_categories = content["challenge_categories"]
            s.add(report)
        s.flush()
        narrative_service.publish(session=s, actor=f.actor(s, boss), congress="WCC-2020", year=2024,
                                  narrative={"key_messages": "Three of four reported.\nFunding is short.",
                                             "recommendations": "Fund the follow-up."}, version=None)
        s.commit()
        people = {"leader": f.actor(s, leader)}
    return engine, people


def _book(data: bytes):
    return load_workbook(io.BytesIO(data))


def _header_and_rows(sheet, first: int = 5):
    header, *rows = sheet.iter_rows(min_row=first, values_only=True)
    return list(header), rows


def test_the_analysis_workbook_holds_the_narrative_the_reader_sees_then_every_table(data):
    engine, people = data
    with Session(engine) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
        view = narrative_service.read_analysis(session=s, actor=people["leader"], congress="WCC-2020", year=2024)
    narrative = [(f"{n}. {field.label}", view.published.get(field.key, ""))
                 for n, field in enumerate(narrative_service.NARRATIVE_FIELDS, start=1)]
    book = _book(et.analysis_workbook(sections, narrative=narrative, note="Published on 12 Mar 2026.",
                                      generated_at=WHEN))
    assert book.sheetnames == ["Narrative", *sections.tables]
    words = [c.value for c in book["Narrative"]["A"] if c.value is not None]
    assert words[:4] == ["Yearly analysis — Marseille 2020, reporting year 2024",
                         "Generated on 12 Mar 2026 at 10:04 UTC",
                         "Filters: Congress: 7th World Conservation Congress, Marseille 2020 (WCC-2020); "
                         "Reporting year: 2024", "Published on 12 Mar 2026."]
    assert words[4:7] == ["1. Key messages", "Three of four reported.", "Funding is short."]
    assert "Fund the follow-up." in words and words.count("Not written.") == len(narrative) - 2

    status = book["Status"]
    assert status["A1"].value == "Yearly analysis — Marseille 2020, reporting year 2024: Status"
    header, rows = _header_and_rows(status)
    assert header == ["Status", "Resolutions", "Share of the Resolutions"]
    counts = {row[0]: row[1] for row in rows}
    assert counts["Underway"] == 2 and counts["Completed"] == 1 and isinstance(counts["Underway"], int)
    shares = {row[0]: row[2] for row in rows}
    assert shares["Underway"] == pytest.approx(0.5) and status["C6"].number_format == "0%"

    headline = dict((row[0], row[1:]) for row in _header_and_rows(book["Headline"])[1])
    assert headline["Resolutions in force"] == (4, None)  # a number, not the text '4'
    assert headline["With a published Progress Report"] == (3, pytest.approx(0.75))

    # no raw column name (component_kind, challenge_categories...) reaches a header
    for name in sections.tables:
        header, _ = _header_and_rows(book[name])
        assert all(isinstance(h, str) and "_" not in h for h in header), (name, header)
        assert book[name].column_dimensions["A"].width >= len(header[0]) + 2
    assert _header_and_rows(book["By component kind"])[0] == ["Kind of component", "Activity Reports"]
    texts = _header_and_rows(book["Challenges and solutions"])[1]
    assert {row[5] for row in texts} == {"'" + SOLUTION}  # still inert
    assert all(cell.data_type != "f" for sheet in book.worksheets for row in sheet.iter_rows() for cell in row)


def test_every_analysis_table_but_the_status_matrix_is_declared_column_by_column(data):
    engine, _ = data
    with Session(engine) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
    assert set(et.ANALYSIS_COLUMNS) == set(sections.tables) - {"Status change"}
    for name, table in et.analysis_tables(sections).items():
        if name != "Status change":  # every column of the frame has its header: nothing dropped unnoticed
            assert [c.key for c in table.columns] == list(sections.tables[name].columns), name
        for column in table.columns:
            values = sections.tables[name][column.key]
            if column.kind in (INTEGER, PERCENT):
                assert pd.api.types.is_numeric_dtype(values), (name, column.key)


def test_the_analysis_csv_carries_the_same_headers_and_percentages(data):
    engine, _ = data
    with Session(engine) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
    status = pd.read_csv(io.BytesIO(csv_bytes(et.analysis_tables(sections)["Status"])), encoding="utf-8-sig",
                         dtype=str)
    assert list(status.columns) == ["Status", "Resolutions", "Share of the Resolutions"]
    assert dict(zip(status["Status"], status["Share of the Resolutions"]))["Underway"] == "50%"


def test_body_of_policy_workbook_and_csvs(data):
    engine, _ = data
    flt = bp.BodyFilter(kinds=("Resolution",), themes=("Land",), year_from=2010)
    with Session(engine) as s:
        tables = et.body_tables(per_congress=bp.per_congress(session=s, flt=flt), by_theme=bp.by_theme(session=s,
                                                                                                       flt=flt))
    said = et.body_filters(flt, first_year=1948, last_year=2025)
    assert said == ["Kind: Resolution", "Themes: Land", "Congresses held between 2010 and 2025"]
    book = _book(excel_bytes(tables, title=et.BODY_TITLE, filters=said, generated_at=WHEN))
    sheet = book["Adopted per Congress"]
    assert sheet["A3"].value == "Filters: Kind: Resolution; Themes: Land; Congresses held between 2010 and 2025"
    header, rows = _header_and_rows(sheet)
    assert header == [c.label for c in et.PER_CONGRESS_COLUMNS]
    marseille = next(row for row in rows if row[0] == "WCC-2020")
    assert marseille[header.index("In the register")] == 4 and marseille[header.index("Year")] == 2020
    assert marseille[header.index("Agree")] == "—"  # a filtered count is not compared
    theme_header, theme_rows = _header_and_rows(book["By theme and kind"])
    assert theme_header == ["Theme", "Under", "Framework", "Kind", "Active", "Archived", "Total"]
    assert ("Land", None, "Nature 2030", "Resolution", 4, 0, 4) in theme_rows
    back = pd.read_csv(io.BytesIO(csv_bytes(tables[0])), encoding="utf-8-sig", dtype=str)
    assert list(back.columns) == header


def test_missing_reports_csv_has_the_headers_shown(data):
    engine, _ = data
    with Session(engine) as s:
        table = coverage.resolution_coverage(session=s, year=2024, congress_code="WCC-2020")
    back = pd.read_csv(io.BytesIO(csv_bytes(et.missing_reports_table(coverage.missing_reports(table)))),
                       encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == ["Code", "Title", "Progress Report", "Focal points", "Emails",
                                 "Last reminder"]
    assert list(back["Code"]) == ["WCC-2020-Res-004"]
