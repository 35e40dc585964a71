"""analytics/yearly_analysis.py and the PDF/Excel exports on a hand-built data set.

WCC-2020, analysis of 2024 (previous year 2023):
  Res-001  2023 Initiated -> 2024 Underway     (moved forward)  2024: Funding; "No money" / "Seek grants"
  Res-002  2023 Underway  -> 2024 Underway     (same)           2024: Funding, Political will;
                                                                      "Ministers busy" / "Seek grants"
  Res-003  2023 On-going  -> 2024 Initiated    (moved back)     2024: no challenge, no text
  Res-004  no report      -> 2024 Completed    (newly reported) published twice: revision 2 says
                                                                 "Permits slow" / "Talk to ministries";
                                                                 the working copy holds an unpublished edit
  Res-005  2023 Completed -> 2024 draft only   (not reported this year)
  Res-006  never reported                      (not reported either year)
  Res-007  archived 2022-05-01                 (not in force in 2024: left out)
WCC-2016 Res-001: 2024 Completed (another Congress: left out).
"""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session

from analytics import yearly_analysis as ya
from analytics.export_pdf import analysis_pdf
from db import vocab
from db.models import ProgressReportRevision
from services.tabular import excel_bytes
from tests import factories as f


@pytest.fixture
def data(engine):
    with Session(engine) as s:
        focal = f.user(s, "foc", ("focal_point",))
        r = {n: f.resolution(s, n, themes=("Land",)) for n in range(1, 7)}
        old = f.resolution(s, 7, status="archived", archived_on=date(2022, 5, 1))
        other = f.resolution(s, 1, "WCC-2016")

        def pr(res, year, status, state="published", revisions=()):
            row = f.progress_report(s, res, focal, year=year, state=state, status=status)
            for number, content in enumerate(revisions, start=1):
                s.add(ProgressReportRevision(progress_report_id=row.id, revision=number, status=status,
                                             content=content, published_by=focal.id))
            if revisions:
                row.revision = len(revisions)
                row.challenge_categories = revisions[-1]["challenge_categories"]  # mirrors the publication
                s.add(row)
            s.flush()
            return row

        pr(r[1], 2023, "Initiated")
        pr(r[1], 2024, "Underway", revisions=[{"challenge_categories": ["Funding"], "challenges": "No money",
                                               "solutions": "Seek grants"}])
        pr(r[2], 2023, "Underway")
        pr(r[2], 2024, "Underway", revisions=[{"challenge_categories": ["Funding", "Political will"],
                                               "challenges": "Ministers busy", "solutions": "Seek grants"}])
        pr(r[3], 2023, "On-going")
        pr(r[3], 2024, "Initiated", revisions=[{"challenge_categories": [], "challenges": None,
                                                "solutions": None}])
        edited = pr(r[4], 2024, "Completed", revisions=[
            {"challenge_categories": ["Funding"], "challenges": "Old text", "solutions": "Old idea"},
            {"challenge_categories": [], "challenges": "Permits slow", "solutions": "Talk to ministries"},
        ])
        edited.challenges = "Unpublished edit"
        s.add(edited)
        pr(r[5], 2023, "Completed")
        pr(r[5], 2024, "Completed", state="draft")
        pr(old, 2024, "Completed")
        pr(other, 2024, "Completed")
        s.commit()
    return engine


def test_status_transitions_count_every_pair_of_the_scale(data):
    with Session(data) as s:
        frame = ya.status_transitions(session=s, congress="WCC-2020", year=2024)
    assert len(frame) == len(vocab.STATUS_SCALE) ** 2
    nonzero = {(a, b): n for a, b, n in frame.itertuples(index=False) if n}
    assert nonzero == {
        ("Initiated", "Underway"): 1, ("Underway", "Underway"): 1, ("On-going", "Initiated"): 1,
        (vocab.NO_PROGRESS_REPORT, "Completed"): 1, ("Completed", vocab.IN_PREPARATION): 1,
        (vocab.NO_PROGRESS_REPORT, vocab.NO_PROGRESS_REPORT): 1,
    }


def test_change_summary_and_matrix(data):
    with Session(data) as s:
        transitions = ya.status_transitions(session=s, congress="WCC-2020", year=2024)
    change = ya.change_summary(transitions)
    assert list(change["change"]) == list(ya.CHANGES)
    assert list(change["count"]) == [1, 1, 1, 1, 1, 1]
    matrix = ya.transition_matrix(transitions, 2024).set_index("Status in 2023 \\ in 2024")
    assert matrix.loc["Initiated", "Underway"] == 1 and matrix.loc["Underway", "Initiated"] == 0
    assert list(matrix.columns) == list(vocab.STATUS_SCALE) and matrix.to_numpy().sum() == 6


def test_change_kind_follows_the_scale():
    assert ya.change_kind("Underway", "Completed") == ya.FORWARD
    assert ya.change_kind("Completed", "On-going") == ya.BACK
    assert ya.change_kind(vocab.NO_PROGRESS_REPORT, "Not started") == ya.NEWLY
    assert ya.change_kind("Completed", vocab.IN_PREPARATION) == ya.DROPPED


def test_challenges_and_solutions_come_from_the_published_revision(data):
    with Session(data) as s:
        texts = ya.published_texts(session=s, congress="WCC-2020", year=2024)
    assert list(texts["code"]) == [f"WCC-2020-Res-00{n}" for n in (1, 2, 3, 4)]
    by = texts.set_index("code")
    assert by.loc["WCC-2020-Res-004", "challenges"] == "Permits slow"  # latest revision, not the draft edit
    assert by.loc["WCC-2020-Res-004", "solutions"] == "Talk to ministries"
    assert by.loc["WCC-2020-Res-002", "challenge_categories"] == "Funding; Political will"
    assert by.loc["WCC-2020-Res-003", "challenges"] == ""
    solutions = ya.solutions_by_challenge(texts)
    assert solutions.to_dict("records") == [
        {"challenge": "Funding", "reports": 2, "solutions": "Seek grants (2 reports)"},
        {"challenge": "Political will", "reports": 1, "solutions": "Seek grants (1 report)"},
    ]


def test_sections_gather_every_table(data):
    with Session(data) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
    assert sections.congress_title == "7th World Conservation Congress, Marseille 2020"
    assert sections.headline["resolutions_in_force"] == 6 and sections.headline["published"] == 4
    status = dict(zip(sections.status["status"], sections.status["count"]))
    assert status == {vocab.NO_PROGRESS_REPORT: 1, vocab.IN_PREPARATION: 1, "Not started": 0, "Initiated": 1,
                      "Underway": 2, "On-going": 0, "Completed": 1}
    assert list(sections.tables) == ["Headline", "Status", "Status change", "Change since last year",
                                     "Status over the years", "Reporting coverage", "Status by theme",
                                     "By component kind", "By action type", "By region", "Challenges",
                                     "Solutions by challenge", "Challenges and solutions"]
    assert all(len(name) <= 31 for name in sections.tables)
    challenges = dict(zip(sections.challenges["challenge"], sections.challenges["count"]))
    assert challenges == {"Funding": 2, "Political will": 1}
    for key, names in ya.SECTION_TABLES.items():
        assert set(names) <= set(sections.tables), key


def test_excel_has_one_sheet_per_table_with_its_rows(data):
    with Session(data) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
    book = load_workbook(io.BytesIO(excel_bytes(sections.tables)))
    assert book.sheetnames == list(sections.tables)
    for name, frame in sections.tables.items():
        assert book[name].max_row == len(frame) + 1, name  # heading row + one per row
    assert [c.value for c in book["Change since last year"]["A"]][1:] == list(ya.CHANGES)


def test_pdf_has_title_page_sections_charts_and_annex(data):
    from services.yearly_analysis import NARRATIVE_FIELDS

    with Session(data) as s:
        sections = ya.sections(session=s, congress="WCC-2020", year=2024)
    narrative = [(f.key, f.label, f"Text of {f.label.lower()} – Hawai‘i, São Paulo.") for f in NARRATIVE_FIELDS]
    reader = PdfReader(io.BytesIO(analysis_pdf(sections, narrative=narrative, note="Published on 1 Dec 2024.")))
    assert len(reader.pages) >= 4
    first = reader.pages[0].extract_text()
    assert "Yearly analysis 2024" in first and "Marseille 2020" in first and "Published on 1 Dec 2024." in first
    text = "\n".join(page.extract_text() for page in reader.pages)
    for number, field in enumerate(NARRATIVE_FIELDS, start=1):
        assert f"{number}. {field.label}" in text
        assert f"Text of {field.label.lower()} – Hawai‘i, São Paulo." in text
    assert "Annex. Challenges and solutions by Resolution" in text and "Permits slow" in text
    assert "Seek grants (2 reports)" in text
    images = sum(len(page.images) for page in reader.pages)
    assert images == 1 + sum(len(titles) for titles in __import__("analytics.export_pdf", fromlist=["x"])
                                                          .CHART_TITLES.values())
    assert reader.metadata.title == "Yearly analysis 2024: 7th World Conservation Congress, Marseille 2020"
