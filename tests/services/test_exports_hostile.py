"""Every CSV and Excel export, fed with hostile stored text (issue 12, points 1 and 3).

Each payload of FORMULAS + CONTROL + ORDINARY is stored in the database (direct rows: what a form or an
import might have let through) and every export is built from it, as its page builds it:
  - CSV: a formula-looking text cell starts with an apostrophe; ordinary text comes out exactly as stored;
    no text cell starts with a formula character; the rows are intact (one line per stored row);
  - Excel: the workbook opens, holds no formula cell, and every text equals the stored text without the
    control characters a workbook cannot hold, neutralised;
  - pages with a download render without exception and offer files built on the click, not on the run.
Services on both databases (PostgreSQL cannot store NUL: that payload is left out there, and refused at
input); pages on a copy of the demo database (SQLite).
"""

import csv
import io
from datetime import UTC, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import Session, select

from analytics import body_of_policy as bp
from analytics import coverage
from analytics import yearly_analysis as ya
from db.engine import make_engine
from db.models import (
    AuditEvent,
    Component,
    Congress,
    ProgressReportRevision,
    ResolutionTheme,
    ReviewComment,
    Theme,
    User,
    UserComponent,
)
from services import accounts, activity_reports, audit_trail, components
from services.tabular import FORMULA_START, csv_bytes, excel_bytes, safe_cell
from tests import factories as f
from tests.pages.apptest import deferred_downloads, open_page
from tests.payloads import CONTROL, FORMULAS, ORDINARY

# A carriage return inside a cell: left bare, a spreadsheet would start a new row there, whose next cell
# (here a formula) would run.
HIDDEN_ROW = ("Looks fine\r=HYPERLINK(\"http://evil.example\",\"click\")",)
PAYLOADS = FORMULAS + CONTROL + ORDINARY + HIDDEN_ROW
YEAR = 2026


def storable(engine) -> tuple[str, ...]:
    """The payloads the database can hold: PostgreSQL text refuses NUL."""
    if engine.dialect.name == "postgresql":
        return tuple(p for p in PAYLOADS if "\x00" not in p)
    return PAYLOADS


# -- what an export must hold -------------------------------------------------------------------------
def csv_cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_inert_csv(data: bytes, whole: list[str], rows: int | None = None) -> list[list[str]]:
    """No text cell of the CSV would run as a formula (a negative number is a number), and each stored text
    of `whole` (one whole cell) comes out as `safe_cell` gives it: with one apostrophe in front of a formula,
    exactly as stored otherwise. `rows`: the number of data rows (a stray carriage return splits none)."""
    table = csv_cells(data)
    cells = {c for row in table for c in row}
    for cell in cells:
        assert not cell.startswith(FORMULA_START) or is_number(cell), repr(cell)
    for text in whole:
        expected = safe_cell(text)
        assert expected in cells, repr(text)
        if text.startswith(FORMULA_START):
            assert expected == "'" + text and (text not in cells or is_number(text))  # -1: a number column
        elif text in ORDINARY or text in CONTROL:
            assert expected == text  # ordinary and control text: exactly as stored
    if rows is not None:
        assert len(table) == 1 + rows
    return table


def excel_text(text: str) -> str:
    """A stored text as the workbook gives it back: no control character, neutralised, "\n" line ends."""
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", text)).replace("\r\n", "\n").replace("\r", "\n")


def assert_inert_excel(data: bytes, whole: list[str]) -> int:
    """The workbook opens, no cell is a formula, no text cell starts with a formula character, and each
    stored text of `whole` is a cell: without the characters a workbook cannot hold, neutralised.
    Returns the number of cells looked at."""
    book = load_workbook(io.BytesIO(data))
    values, seen = set(), 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                seen += 1
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (sheet.title, cell.coordinate, cell.value)
                    values.add(cell.value)
    for text in whole:
        assert excel_text(text) in values, repr(text)
    return seen


# -- hostile rows ---------------------------------------------------------------------------------------
def plant(s: Session, payloads, *, congress: str, author: User, component: Component, number: int = 900,
          year: int = YEAR) -> None:
    """For each payload: a Resolution titled with it (theme, focal point named with it) with a published
    Progress Report of `year` whose challenge, challenge kind and solution are the payload; another one
    with no report (a missing report); a returned Activity Report titled with it and returned with it as
    the comment; an organisation, a Congress city, a theme and an audit event holding it."""
    for i, text in enumerate(payloads):
        focal = User(username=f"hostile{i}", display_name=text[:120], email=f"hostile{i}@example.org")
        s.add(focal)
        theme = Theme(name=text[:80], framework="Nature 2030", sort_order=1000 + i)
        s.add(theme)
        s.flush()
        published = f.resolution(s, number + 2 * i, congress, title=text[:500])
        missing = f.resolution(s, number + 2 * i + 1, congress, title=text[:500])
        s.add(ResolutionTheme(resolution_id=published.id, theme_id=theme.id))
        f.assign(s, missing, focal)
        report = f.progress_report(s, published, focal, year=year, state="published", status="Underway")
        report.revision, report.challenge_categories = 1, [text]
        s.add(report)
        s.add(ProgressReportRevision(progress_report_id=report.id, revision=1, status="Underway",
                                     content={"challenge_categories": [text], "challenges": text,
                                              "solutions": text}, published_by=focal.id))
        activity = f.activity_report(s, component, author, (published,), state="returned", title=text[:200])
        s.add(ReviewComment(target_kind=activity_reports.ENTITY, target_id=activity.id, author_id=focal.id,
                            action="returned", body=text))
        s.add(Component(name=text[:200], kind="Member", acronym=text[:20], country=text[:80]))
        s.add(Congress(code=f"HOST-{i}", kind="World Conservation Congress", session=100 + i, city=text[:80],
                       country=text[:80], year=2100 + i))
        s.add(AuditEvent(action=text[:40], entity=text[:40], entity_id=text[:40], before={"title": text},
                         after={"title": text}, at=datetime(2026, 3, 1, tzinfo=UTC)))
        s.flush()


@pytest.fixture
def hostile(engine):
    payloads = storable(engine)
    with Session(engine) as s:
        member = f.component(s, "Hostile Member")
        rep = f.user(s, "rep", ("reporter",), components=(member,))
        admin = f.user(s, "adm", ("admin",))
        plant(s, payloads, congress="WCC-2020", author=rep, component=member)
        s.commit()
        people = {"rep": f.actor(s, rep), "admin": f.actor(s, admin)}
    return engine, payloads, people


# -- services, both databases -------------------------------------------------------------------------------
def test_my_reports_exports(hostile):
    engine, payloads, people = hostile
    with Session(engine) as s:
        rows = activity_reports.my_reports(session=s, actor=people["rep"])
    assert len(rows) == len(payloads)
    whole = [p[:200] for p in payloads] + list(payloads)  # titles and return comments
    assert_inert_csv(csv_bytes(rows), whole, rows=len(payloads))
    assert_inert_excel(excel_bytes({"My reports": rows}), whole)


def test_missing_reports_export(hostile):
    engine, payloads, _ = hostile
    with Session(engine) as s:
        table = coverage.resolution_coverage(session=s, year=YEAR, congress_code="WCC-2020")
    missing = coverage.missing_reports(table)
    assert len(missing) == len(payloads)
    assert_inert_csv(csv_bytes(missing), list(payloads) + [p[:120] for p in payloads], rows=len(payloads))


def test_yearly_analysis_workbook_and_csvs(hostile):
    """Challenges and solutions (and every other table of the analysis) as CSV, and the whole workbook."""
    engine, payloads, _ = hostile
    with Session(engine) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=YEAR)
    texts = sections.tables["Challenges and solutions"]
    assert len(texts) == len(payloads)
    whole = list(payloads) + [p.strip() for p in payloads]  # titles and kinds as stored; texts stripped
    for name, frame in sections.tables.items():
        assert_inert_csv(csv_bytes(frame), whole if name == "Challenges and solutions" else [], rows=len(frame))
    # the kinds named (SQLite's json_each cuts a text at a NUL, which input refuses anyway)
    assert_inert_csv(csv_bytes(sections.tables["Challenges"]), [p for p in payloads if "\x00" not in p])
    assert assert_inert_excel(excel_bytes(sections.tables), whole) > 0


def test_body_of_policy_exports(hostile):
    engine, payloads, _ = hostile
    with Session(engine) as s:
        downloads = bp.tables(per_congress=bp.per_congress(session=s), by_theme=bp.by_theme(session=s))
    whole = [p[:80] for p in payloads]  # Congress city and country, theme names
    for frame in downloads.values():
        assert_inert_csv(csv_bytes(frame), [], rows=len(frame))
    assert_inert_csv(csv_bytes(downloads["Adopted per Congress"]), whole)
    assert_inert_csv(csv_bytes(downloads["By theme and kind"]), whole)
    assert_inert_excel(excel_bytes(downloads), whole)


def test_users_organisations_and_audit_trail_exports(hostile):
    """The services that write their CSV rows themselves put every cell through safe_cell."""
    engine, payloads, people = hostile
    with Session(engine) as s:
        users = accounts.export_users(session=s, actor=people["admin"])
        organisations = components.export_components(session=s, actor=people["admin"])
        events = audit_trail.export_events_csv(session=s, actor=people["admin"])
    assert_inert_csv(users, [p[:120] for p in payloads])
    assert_inert_csv(organisations, [p[:200] for p in payloads])
    assert_inert_csv(events, [p[:40] for p in payloads])


# -- the writer itself ------------------------------------------------------------------------------------------
def test_writer_keeps_types_and_never_fails():
    """Numbers stay numbers (a negative one is no formula), dates stay dates (time zones to UTC), missing
    values stay empty; text beyond what an Excel cell holds is cut there (the CSV keeps it whole)."""
    frame = pd.DataFrame({
        "text": list(PAYLOADS),
        "number": [-1] * len(PAYLOADS),
        "when": pd.Timestamp("2026-05-01 10:00", tz="Europe/Paris"),
        "maybe": pd.array([None] * len(PAYLOADS), dtype="Int64"),
    })
    assert csv_bytes(frame).startswith("\ufeff".encode())  # the BOM, so Excel reads accents
    table = assert_inert_csv(csv_bytes(frame), list(PAYLOADS), rows=len(PAYLOADS))
    assert {row[1] for row in table[1:]} == {"-1"} and {row[3] for row in table[1:]} == {""}
    book = load_workbook(io.BytesIO(excel_bytes({"Hostile": frame})))
    rows = list(book["Hostile"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [excel_text(p) for p in PAYLOADS]
    assert {r[1] for r in rows} == {-1} and {r[2] for r in rows} == {datetime(2026, 5, 1, 8, 0)}
    huge = "=" + "x" * 40_000
    [[cell]] = load_workbook(io.BytesIO(excel_bytes({"s": pd.DataFrame({"t": [huge]})})))["s"].iter_rows(
        min_row=2, values_only=True)
    assert len(cell) == 32_767 and cell.startswith("'=x")
    assert csv_cells(csv_bytes(pd.DataFrame({"t": [huge]})))[1] == ["'" + huge]


def test_a_hidden_character_cannot_uncover_a_formula():
    """Control characters go before neutralising: "\\x0b=1+1" becomes "'=1+1", never the formula =1+1."""
    book = load_workbook(io.BytesIO(excel_bytes({"s": pd.DataFrame({"\x0b=head": ["\x0b=1+1", "\x07@SUM(A1)"]})})))
    assert [(c.value, c.data_type) for c in book["s"]["A"]] == [("'=head", "s"), ("'=1+1", "s"),
                                                                 ("'@SUM(A1)", "s")]


# -- pages: render with hostile stored text, files built on the click ----------------------------------------
@pytest.fixture
def offered(monkeypatch):
    """The file builders the pages hand to their download buttons, by file name (the latest run's)."""
    builders = deferred_downloads(monkeypatch)
    return builders


@pytest.fixture
def hostile_demo(app_db):
    """The demo database with the hostile rows: the reporter's reports, WCC-2025 Resolutions without a 2026
    report, WCC-2020 Resolutions with a published 2024 report."""
    engine = make_engine(app_db)
    with Session(engine) as s:
        reporter = s.exec(select(User).where(User.username == "reporter")).one()
        component = s.get(Component, s.exec(select(UserComponent.component_id)
                                            .where(UserComponent.user_id == reporter.id)).first())
        plant(s, PAYLOADS, congress="WCC-2025", author=reporter, component=component)
        s.add(AuditEvent(action="test.hostile", entity="test", after={"rows": len(PAYLOADS)}))  # new data version
        s.commit()
    engine.dispose()
    return app_db


def assert_built_and_inert(builders: dict, whole: list[str]) -> int:
    """Every offered file, built as the click would: CSVs inert, workbooks without formulas. Returns the count."""
    spreadsheets = {name: build for name, build in builders.items() if name.endswith((".csv", ".xlsx"))}
    assert spreadsheets
    for name, build in spreadsheets.items():  # (the PDF is tested with the yearly analysis)
        if name.endswith(".csv"):
            assert_inert_csv(build(), [])
        else:
            assert_inert_excel(build(), [])
    return len(spreadsheets)


def test_my_reports_renders_and_exports_hostile_titles(hostile_demo, offered):
    at = open_page("pages/my_reports.py", "reporter")
    assert not at.exception
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))
    titles = set(at.dataframe[0].value["Title"])
    assert set(PAYLOADS) <= titles
    assert_inert_csv(offered["my-activity-reports.csv"](), list(PAYLOADS))
    assert_inert_excel(offered["my-activity-reports.xlsx"](), list(PAYLOADS))


@pytest.mark.parametrize("page, user, query", [
    ("pages/coverage.py", "secretariat", {"year": "2026", "congress": "WCC-2025"}),
    ("pages/analysis.py", "secretariat", {"year": "2026", "congress": "WCC-2025"}),
    ("pages/body_of_policy.py", "leader", {}),
    ("pages/register_admin.py", "secretariat", {}),
    ("pages/audit_trail.py", "admin", {}),
    ("pages/users_admin.py", "admin", {}),
    ("pages/components_admin.py", "admin", {}),
])
def test_every_page_with_a_download_renders_and_builds_on_the_click(hostile_demo, offered, page, user, query):
    at = open_page(page, user, query)
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert buttons and all(b.proto.deferred_file_id for b in buttons), page
    if page == "pages/register_admin.py":  # the register file's cells are its import's business: built, no crash
        assert all(isinstance(build(), bytes) for build in offered.values())
        return
    assert_built_and_inert(offered, [])
    if page == "pages/coverage.py":
        name = "missing-progress-reports-WCC-2025-2026.csv"
        assert_inert_csv(offered[name](), list(PAYLOADS) + [p[:120] for p in PAYLOADS])
    if page == "pages/analysis.py":
        assert_inert_csv(offered["yearly_analysis_WCC-2025_2026_challenges_and_solutions.csv"](),
                         list(PAYLOADS) + [p.strip() for p in PAYLOADS])
        assert_inert_excel(offered["yearly_analysis_WCC-2025_2026.xlsx"](), list(PAYLOADS))
