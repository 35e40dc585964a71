"""In real Chromium: leadership downloads the yearly analysis as PDF and Excel (the files are made on the
click, in the server, which AppTest cannot do) and opens them."""

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db import vocab
from tests.e2e.conftest import sign_in, wait_idle
from tests.pages.apptest import PASSWORDS

pytestmark = pytest.mark.e2e


ONE_FORM = "document.querySelectorAll('input[aria-label=\"Username\"]').length === 1"


def test_leadership_downloads_the_analysis_as_pdf_and_excel(page, live_app, tmp_path):
    page.goto(live_app)  # the first run of a fresh server prepares the database: let it settle
    wait_idle(page)
    page.wait_for_function(ONE_FORM, timeout=90_000)
    sign_in(page, live_app, "leader", PASSWORDS["leader"])
    page.goto(f"{live_app}/analysis?congress=WCC-2020&year=2024")
    wait_idle(page)
    page.get_by_text("1. Key messages").wait_for()

    with page.expect_download(timeout=120_000) as pdf_download:
        page.get_by_role("button", name="PDF").click()
    assert pdf_download.value.suggested_filename == "yearly_analysis_WCC-2020_2024.pdf"
    pdf_path = tmp_path / "analysis.pdf"
    pdf_download.value.save_as(pdf_path)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "Yearly analysis 2024" in first and "Marseille 2020" in first
    assert "not published yet" in first  # nothing published for 2024 in the demo
    assert sum(len(p.images) for p in reader.pages) >= 9

    with page.expect_download(timeout=120_000) as xlsx_download:
        page.get_by_role("button", name="Excel").click()
    xlsx_path = tmp_path / "analysis.xlsx"
    xlsx_download.value.save_as(xlsx_path)
    book = load_workbook(xlsx_path)
    assert book.sheetnames[:4] == ["Narrative", "Headline", "Status", "Status change"]
    status = book["Status"]
    assert status["A1"].value.startswith("Yearly analysis — Marseille 2020, reporting year 2024")
    assert [c.value for c in status[5]] == ["Status", "Resolutions", "Share of the Resolutions"]
    assert status.max_row == 5 + len(vocab.STATUS_SCALE)  # title block, headers, one row per status
    assert isinstance(status["B6"].value, int) and status["C6"].number_format == "0%"
