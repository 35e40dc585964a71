"""GET /api/v1/resolutions/{code} includes the Resolution's operative paragraphs (issue 18): number, addressee,
text, the count of public Activity Reports addressing each and its published status by year; nothing
unpublished counts (a draft, a report its component did not show, a status of a Progress Report in review)."""

from sqlmodel import Session

from db.models import ActivityReportParagraph, OperativeParagraph, ProgressReportParagraph
from tests import factories as f
from tests.api.conftest import client_for


def test_the_resolution_detail_lists_its_paragraphs_with_public_counts(engine):
    with Session(engine) as s:
        comp = f.component(s, "Ocean Commission", kind="Commission")
        author = f.user(s, "rosa", ("reporter",), (comp,))
        res = f.resolution(s, 122)
        one = OperativeParagraph(resolution_id=res.id, number="1", position=1, addressee="Members",
                                 text="Calls on Members to support a moratorium.")
        four_b = OperativeParagraph(resolution_id=res.id, number="4b", position=2, text="Asks the Commissions.")
        s.add_all([one, four_b])
        s.flush()
        shown = f.activity_report(s, comp, author, (res,), title="Shown")
        shown.shown_publicly = True
        hidden = f.activity_report(s, comp, author, (res,), title="Not shown")
        draft = f.activity_report(s, comp, author, (res,), state="draft", title="Draft")
        draft.shown_publicly = True
        for report, paragraph in ((shown, one), (hidden, one), (draft, four_b)):
            s.add(ActivityReportParagraph(activity_report_id=report.id, paragraph_id=paragraph.id))
        in_review = f.progress_report(s, res, author, year=2025, state="in_review")
        s.add(ProgressReportParagraph(progress_report_id=in_review.id, paragraph_id=one.id, status="Completed"))
        s.commit()
    with client_for(engine) as client:
        answer = client.get("/api/v1/resolutions/WCC-2020-Res-122")
    assert answer.status_code == 200, answer.text
    assert answer.json()["paragraphs"] == [
        {"number": "1", "addressee": "Members", "text": "Calls on Members to support a moratorium.",
         "activity_reports": 1, "status_timeline": []},
        {"number": "4b", "addressee": "", "text": "Asks the Commissions.", "activity_reports": 0,
         "status_timeline": []},
    ]
    assert "Not shown" not in answer.text and "Draft" not in answer.text
