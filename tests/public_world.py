"""A small world for the public-data tests (services/public.py, services/open_data.py, the API): published
text the public must see (PUBLIC_MARKS) beside unpublished text and people it must never see (SECRET_MARKS).

WCC-2020, reporting year 2025:
  Res-001 (Oceans)  published twice (revision 2: Underway), a correction drafted since (Completed, secret);
                    2026: a draft (secret). One public Activity Report; one not public; a draft and a returned
                    one marked public (neither counts); a public original replaced by a correction that is not.
  Res-002 (Land)    2025 in review (secret)                 -> public: No Progress Report; signed in: In preparation
  Res-003           2025 returned to draft with a comment    -> the same fold
  Rec-004           2025 published (Completed), no correction
  Res-005           archived on 1 June 2024: not in force in 2025; its 2023 report published
WCC-2016-Res-010    2025 published (Initiated)
"""

from datetime import UTC, date, datetime

from sqlmodel import Session

from db.models import (
    ActivityReportActionType,
    ProgressReport,
    ProgressReportRevision,
    ReviewComment,
)
from services import audit
from tests import factories as f

YEAR = 2025
PUBLIC_MARKS = ("PUBLISHED-R2-SUMMARY", "PUBLISHED-REC-RESULTS", "PUBLIC-ACTIVITY-TITLE", "PUBLIC-ACTIVITY-DESCRIPTION",
                "PUBLISHED-2023-SUMMARY", "PUBLISHED-2016-SOLUTIONS")
SECRET_MARKS = (
    "SECRET-R1-SUMMARY",  # superseded by revision 2: only the latest published version is shown
    "SECRET-CORRECTION", "SECRET-DRAFT-2026", "SECRET-IN-REVIEW", "SECRET-RETURNED", "SECRET-COMMENT",
    "SECRET-ACTIVITY-NOT-PUBLIC", "SECRET-ACTIVITY-DRAFT", "SECRET-ACTIVITY-RETURNED", "SECRET-OLD-VERSION",
    "SECRET-NEW-VERSION", "SECRET-PARTNERS", "SECRET-SUPPORT",
    # people: display names, user names and e-mail addresses
    "Zelda", "zelda_focal", "Quentin", "quentin_reporter", "Ophelia", "ophelia_secretariat", "@example.org",
)


def at(year, month=12, day=10):
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


def _publish(s, report: ProgressReport, revision: int, status: str, texts: dict, by, *, components=(),
             sources=(), year_of_publication=None) -> None:
    s.add(ProgressReportRevision(
        progress_report_id=report.id, revision=revision, status=status, published_by=by.id,
        published_at=at(year_of_publication or report.year + 1, 1, 10 + revision),
        content={"summary": texts.get("summary", ""), "results": texts.get("results", ""),
                 "challenges": texts.get("challenges", ""), "solutions": texts.get("solutions", ""),
                 "challenge_categories": texts.get("challenge_categories", []),
                 "source_ids": list(sources), "component_ids": [c.id for c in components]}))
    report.revision, report.published_status = revision, status
    report.published_at = at(year_of_publication or report.year + 1, 1, 10 + revision)
    s.add(report)
    s.flush()


def _report(s, res, author, year, state, status, **texts) -> ProgressReport:
    row = ProgressReport(resolution_id=res.id, year=year, author_id=author.id, status=status, state=state, **texts)
    s.add(row)
    s.flush()
    return row


def _activity(s, comp, author, res, title, *, state="submitted", public=False, supersedes=None, **fields):
    row = f.activity_report(s, comp, author, (res,), state=state, title=title, supersedes=supersedes,
                            submitted_at=at(YEAR, 5, 1) if state == "submitted" else None)
    row.shown_publicly = public
    for name, value in fields.items():
        setattr(row, name, value)
    s.add(row)
    s.flush()
    return row


def build(engine) -> dict:
    with Session(engine, expire_on_commit=False) as s:
        focal = f.user(s, "zelda_focal", ("focal_point",))
        focal.display_name = "Zelda Focal"
        secretariat = f.user(s, "ophelia_secretariat", ("secretariat",))
        secretariat.display_name = "Ophelia Secretariat"
        member = f.component(s, "Reef Guardians")
        reporter = f.user(s, "quentin_reporter", ("reporter",), (member,))
        reporter.display_name = "Quentin Reporter"
        res1 = f.resolution(s, 1, themes=("Oceans",), title="Saving coral reefs")
        res2 = f.resolution(s, 2, themes=("Land",), title="Restoring drylands")
        res3 = f.resolution(s, 3, title="Urban nature")
        rec4 = f.resolution(s, 4, kind="Recommendation", title="Asking states to protect wetlands")
        res5 = f.resolution(s, 5, status="archived", archived_on=date(2024, 6, 1), title="An archived one")
        old = f.resolution(s, 10, congress_code="WCC-2016", title="An older Congress")
        f.assign(s, res1, focal)

        public_activity = _activity(s, member, reporter, res1, "PUBLIC-ACTIVITY-TITLE", public=True,
                                    description="PUBLIC-ACTIVITY-DESCRIPTION", results="public results",
                                    action_status="Completed", partners="SECRET-PARTNERS",
                                    support_needed="SECRET-SUPPORT", period_start=date(2025, 2, 1))
        s.add(ActivityReportActionType(activity_report_id=public_activity.id, action_type="Field activities"))
        hidden = _activity(s, member, reporter, res1, "SECRET-ACTIVITY-NOT-PUBLIC")
        _activity(s, member, reporter, res1, "SECRET-ACTIVITY-DRAFT", state="draft", public=True)
        _activity(s, member, reporter, res2, "SECRET-ACTIVITY-RETURNED", state="returned", public=True)
        original = _activity(s, member, reporter, res2, "SECRET-OLD-VERSION", public=True)
        _activity(s, member, reporter, res2, "SECRET-NEW-VERSION", supersedes=original)

        # Res-001: published twice, then a correction drafted in the working copy; a 2026 draft.
        r1 = _report(s, res1, focal, YEAR, "draft", "Completed", summary="SECRET-CORRECTION summary",
                     results="SECRET-CORRECTION results", challenge_categories=["Security and access"])
        _publish(s, r1, 1, "Initiated", {"summary": "SECRET-R1-SUMMARY"}, secretariat, components=(member,))
        _publish(s, r1, 2, "Underway", {"summary": "PUBLISHED-R2-SUMMARY", "challenges": "funding was short",
                                        "challenge_categories": ["Funding"]},
                 secretariat, components=(member,), sources=(hidden.id, public_activity.id))
        _report(s, res1, focal, 2026, "draft", "Completed", summary="SECRET-DRAFT-2026")
        # Res-002 in review; Res-003 returned with a comment.
        _report(s, res2, focal, YEAR, "in_review", "Completed", summary="SECRET-IN-REVIEW")
        r3 = _report(s, res3, focal, YEAR, "draft", "Underway", summary="SECRET-RETURNED")
        s.add(ReviewComment(target_kind="progress_report", target_id=r3.id, author_id=secretariat.id,
                            action="returned", body="SECRET-COMMENT"))
        # Rec-004 published; Res-005 (archived in 2024) published for 2023; WCC-2016-Res-010 published.
        r4 = _report(s, rec4, focal, YEAR, "published", "Completed", results="PUBLISHED-REC-RESULTS")
        _publish(s, r4, 1, "Completed", {"results": "PUBLISHED-REC-RESULTS"}, secretariat)
        r5 = _report(s, res5, focal, 2023, "published", "On-going", summary="PUBLISHED-2023-SUMMARY")
        _publish(s, r5, 1, "On-going", {"summary": "PUBLISHED-2023-SUMMARY"}, secretariat)
        r6 = _report(s, old, focal, YEAR, "published", "Initiated", solutions="PUBLISHED-2016-SOLUTIONS")
        _publish(s, r6, 1, "Initiated", {"solutions": "PUBLISHED-2016-SOLUTIONS"}, secretariat)
        audit.record(s, actor=None, action="create", entity="test_world", entity_id=1)
        s.commit()
        return {"codes": [r.code for r in (res1, res2, res3, rec4, res5, old)], "public_activity": public_activity.id,
                "member": member.name}
