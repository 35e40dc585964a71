"""Same question, same number: the Overview, Coverage, the Resolution page, the guide's cycle, the yearly
analysis with its PDF and Excel files, and the benchmark's bare-SQL twins answer each counting question
(db/counting.py) alike, on both databases.

WCC-2025 (held 2025), reporting year 2026:
  Res-001  published (Underway); an Activity Report and its correction, both submitted in 2026: 1 counts
  Res-002  draft only                                -> In preparation
  Res-003  in review; a report received in 2025      -> In preparation, no report counted in 2026
  Res-004  no Progress Report; one report in 2026    -> No Progress Report
  Res-005  archived on 1 March 2026, published 2026  -> not in force in 2026 (in force in 2025)
  Res-006  published (Initiated), correction drafted -> Published
  a draft Activity Report on Res-002 never counts.
So in 2026: 5 in force; 2 published, 2 in preparation, 1 without a Progress Report; 2 Activity Reports
counted, from 2 components.
"""

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text
from sqlmodel import Session, select

from analytics import coverage, cycle, progress, timeline
from analytics import yearly_analysis as ya
from analytics.export_pdf import analysis_pdf
from analytics.filters import ProgressFilter
from bench.run import coverage_queries, progress_queries
from db import vocab
from db.models import Resolution, User
from services import progress_reports, register
from services.tabular import excel_bytes
from tests import factories as f

Y = 2026
CONGRESS = "WCC-2025"
FLT = ProgressFilter(congress=CONGRESS, year=Y)
CODES = [f"{CONGRESS}-Res-00{n}" for n in range(1, 7)]
IN_FORCE = [c for c in CODES if not c.endswith("005")]
STATE_OF = {CODES[0]: "published", CODES[1]: "in_preparation", CODES[2]: "in_preparation", CODES[3]: "none",
            CODES[5]: "published"}
COUNTS = {"published": 2, "in_preparation": 2, "none": 1}
ACTIVITY = {CODES[0]: 1, CODES[1]: 0, CODES[2]: 0, CODES[3]: 1, CODES[5]: 0}


def at(month, day, year=Y):
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        focal = f.user(s, "foc", ("focal_point",))
        member = f.component(s, "Member A")
        commission = f.component(s, "Commission C", kind="Commission", region=None, country=None)
        rep = f.user(s, "rep", ("reporter",), (member, commission))
        r = {n: f.resolution(s, n, CONGRESS) for n in (1, 2, 3, 4, 6)}
        r[5] = f.resolution(s, 5, CONGRESS, status="archived", archived_on=date(Y, 3, 1))
        for res in r.values():
            f.assign(s, res, focal)
        f.progress_report(s, r[1], focal, Y, "published", status="Underway")
        f.progress_report(s, r[2], focal, Y, "draft")
        f.progress_report(s, r[3], focal, Y, "in_review")
        f.progress_report(s, r[5], focal, Y, "published", status="Completed")
        f.progress_report(s, r[5], focal, Y - 1, "published", status="Underway")
        f.progress_report(s, r[6], focal, Y, "draft", status="Underway", published_status="Initiated")
        original = f.activity_report(s, member, rep, (r[1],), submitted_at=at(2, 1))
        f.activity_report(s, member, rep, (r[1],), submitted_at=at(5, 1), supersedes=original)
        f.activity_report(s, commission, rep, (r[4],), submitted_at=at(3, 1))
        f.activity_report(s, member, rep, (r[3],), submitted_at=at(12, 31, Y - 1))
        f.activity_report(s, member, rep, (r[2],), state="draft")
        s.commit()
    with Session(engine) as s:
        yield s


def _id(session, model, column, value) -> int:
    return session.exec(select(model.id).where(column == value)).one()


def same(answers: dict, expected):
    """Every source gave the expected answer (the dict names each source, so a failure says which)."""
    assert answers == dict.fromkeys(answers, expected)


def _headline_sheet(sections) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(excel_bytes(sections.tables)))["Headline"]
    return {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}


def _sheet(sections, name: str) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(excel_bytes(sections.tables)))[name]
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _pdf_first_page(sections) -> str:
    pdf = analysis_pdf(sections, narrative=[], note="Draft.")
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf)).pages[0].extract_text())


def _bare(session, queries, name: str) -> list[list[tuple]]:
    query = next(q for q in queries if q.name == name)
    return [session.connection().execute(text(sql)).all() for sql in query.bare]


def test_resolutions_in_force(world):
    s = world
    sections = ya.sections(session=s, congress=CONGRESS, year=Y)
    pdf = _pdf_first_page(sections)
    counts = coverage.state_counts(session=s, year=Y, congress_code=CONGRESS)
    bare_status = _bare(s, progress_queries(s, FLT, "landing"), "headline")[0]
    same({
        "overview": progress.headline(session=s, flt=FLT)["resolutions_in_force"],
        "overview coverage chart": int(progress.coverage_by_year(session=s, flt=FLT)
                                       .query("year == @Y")["count"].sum()),
        "coverage table": len(coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS)),
        "coverage counts": sum(counts.values()),
        "analysis": sections.headline["resolutions_in_force"],
        "excel": int(_headline_sheet(sections)["Resolutions in force"]),
        "pdf": int(re.search(r"(\d+) Resolutions and Recommendations in force", pdf).group(1)),
        "bench bare SQL": sum(n for _, n in bare_status),
    }, len(IN_FORCE))
    # archived on 1 March 2026: out of 2026 everywhere, but in force in 2025
    assert coverage.archived_left_out(session=s, year=Y, congress_code=CONGRESS) == 1
    assert CODES[4] not in set(coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS)["code"])
    assert CODES[4] in set(coverage.resolution_coverage(session=s, year=Y - 1, congress_code=CONGRESS)["code"])
    assert progress.headline(session=s, flt=ProgressFilter(congress=CONGRESS, year=Y - 1))["resolutions_in_force"] == 6


def test_reporting_states(world):
    s = world
    sections = ya.sections(session=s, congress=CONGRESS, year=Y)
    head = progress.headline(session=s, flt=FLT)
    labels = vocab.REPORTING_STATE_LABELS
    chart = progress.coverage_by_year(session=s, flt=FLT).query("year == @Y").set_index("category")["count"]
    status = progress.status_counts(session=s, flt=FLT).set_index("status")["count"]
    coverage_sheet = {category: n for year, category, n in _sheet(sections, "Reporting coverage") if year == Y}
    status_sheet = {st: n for st, n, _share in _sheet(sections, "Status")}
    pdf = _pdf_first_page(sections)
    bare_status = dict(_bare(s, progress_queries(s, FLT, "landing"), "headline")[0])
    bare_coverage = dict(_bare(s, coverage_queries(s, Y, CONGRESS, None, "landing"), "coverage.state_counts")[0])
    bare_chart = {state: n for year, state, n in _bare(s, progress_queries(s, FLT, "landing"), "coverage_by_year")[0]
                  if year == Y}
    cycle_lines = cycle.stage_lines(cycle.stage_counts(session=s, year=Y))["progress"]
    for state, expected in COUNTS.items():
        label = labels[state]
        answers = {
            "coverage": coverage.state_counts(session=s, year=Y, congress_code=CONGRESS)[state],
            "overview coverage chart": int(chart[label]),
            "analysis coverage": {c: n for y, c, n in sections.coverage.itertuples(index=False) if y == Y}[label],
            "excel coverage sheet": coverage_sheet[label],
            "bench coverage twin": bare_coverage.get(state, 0),
            "bench overview twin": bare_chart.get(state, 0),
        }
        if state == "published":
            answers |= {"overview": head["published"], "analysis": sections.headline["published"],
                        "overview statuses": int(status[list(vocab.IMPLEMENTATION_STATUSES)].sum()),
                        "excel": int(_headline_sheet(sections)["With a published Progress Report"])}
        else:
            key = {"in_preparation": "in_preparation", "none": "no_progress_report"}[state]
            answers |= {"overview": head[key], "analysis": sections.headline[key],
                        "overview status": int(status[label]), "excel status sheet": status_sheet[label],
                        "bench status twin": bare_status.get(label, 0),
                        "pdf": int(re.search(rf"(\d+) {label}", pdf).group(1))}
        same(answers, expected)
    # the guide's cycle (every Congress: only this one has reports) says the same
    assert f"{COUNTS['in_preparation']} in preparation (1 in review)" in cycle_lines[0]
    assert cycle_lines[1] == f"{COUNTS['published']} published for {Y}"


def test_each_resolutions_state_is_the_same_on_every_page(world):
    s = world
    table = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS).set_index("code")
    focal = _id(s, User, User.username, "foc")
    mine = progress_reports.my_resolutions(session=s, user_id=focal, year=Y + 1).set_index("code")  # last year: Y
    for code in IN_FORCE:
        rows = register.resolution_detail(session=s, code=code)["progress_reports"]
        this_year = rows[rows["year"] == Y]
        on_page = this_year["reporting_state"].iloc[0] if len(this_year) else "none"
        line = timeline.status_timeline(session=s, code=code)
        in_line = line[line["year"] == Y]["status"].iloc[0] if len(line) else vocab.NO_PROGRESS_REPORT
        status = progress.resolutions_behind(session=s, flt=FLT).set_index("code")["status"][code]
        label = vocab.REPORTING_STATE_LABELS[STATE_OF[code]]
        assert table.loc[code, "state"] == on_page == STATE_OF[code], code
        # the status shown for the year: the published one, or the reporting state's label
        assert in_line == status == mine.loc[code, "last_year_status"], code
        assert status == label or (STATE_OF[code] == "published" and status in vocab.IMPLEMENTATION_STATUSES)
    assert list(progress.resolutions_behind(session=s, flt=FLT, category=vocab.IN_PREPARATION)["code"]) == [
        CODES[1], CODES[2]]


def test_activity_reports_counted(world):
    s = world
    sections = ya.sections(session=s, congress=CONGRESS, year=Y)
    head = progress.headline(session=s, flt=FLT)
    table = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS).set_index("code")
    components = coverage.components_reporting(session=s, year=Y, congress_code=CONGRESS)
    pdf = _pdf_first_page(sections)
    (bare_count, bare_components), = _bare(s, progress_queries(s, FLT, "landing"), "headline")[1]
    same({
        "overview": head["activity_reports"],
        "coverage (per component)": int(components["reports"].sum()),
        "coverage (per Resolution)": int(table["activity_reports"].sum()),
        "guide": cycle.stage_counts(session=s, year=Y).activity_submitted,
        "analysis": sections.headline["activity_reports"],
        "excel": int(_headline_sheet(sections)["Activity Reports received"]),
        "pdf": int(re.search(rf"(\d+) Activity Reports received in {Y}", pdf).group(1)),
        "bench bare SQL": bare_count,
    }, 2)
    same({"overview": head["components_involved"], "coverage": len(components), "bench bare SQL": bare_components},
         2)
    twin = _bare(s, coverage_queries(s, Y, CONGRESS, None, "landing"), "coverage.resolution_coverage")[0]
    bare_per_resolution = {code: n for code, _state, n, _components in twin}
    for code, expected in ACTIVITY.items():
        on_page = register.resolution_detail(session=s, code=code)["activity_reports"]
        resolution_id = _id(s, Resolution, Resolution.code, code)
        candidates = progress_reports.source_candidates(session=s, resolution_id=resolution_id, year=Y)
        same({"coverage": int(table.loc[code, "activity_reports"]),
              "progress report sources": len(candidates),
              "resolution page": int(on_page["submitted_at"].map(lambda d: d.year == Y).sum()),
              "bench bare SQL": bare_per_resolution[code]}, expected)
