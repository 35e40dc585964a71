"""Coverage analytics on a small hand-built year (2026, Resolutions of WCC-2025), on both databases."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from analytics import coverage
from db.models import ReportingDeadline
from tests import factories as f

Y = 2026
CONGRESS = "WCC-2025"


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def world(engine):
    """WCC-2025 Res-001..004, Res-007, Rec-121 owe a 2026 report; Res-005 was archived in March 2026.

    Res-001 published, Alice and Bob; 3 reports (Member A x2, Commission C)
    Res-002 in review, Alice; 1 report (Member A, shared with Res-001); a draft that does not count
    Res-003 draft, Bob; reports submitted just before and just after 2026 do not count
    Res-004 no report, no focal point; a corrected report counts once; a returned one does not
    Res-007 published earlier, correction being drafted: still published; Bob
    Rec-121 no 2026 report (published 2025 only); Alice
    WCC-2020-Res-001: another Congress, left out.
    """
    with Session(engine) as s:
        alice = f.user(s, "alice", ("focal_point",))
        bob = f.user(s, "bob", ("focal_point",))
        member_a = f.component(s, "Member A")
        member_b = f.component(s, "Member B", region="Africa", country="Kenya")
        commission = f.component(s, "Commission C", kind="Commission", region=None, country=None)
        rep = f.user(s, "rep", ("reporter",), (member_a, member_b, commission))
        r1, r2, r3, r4, r7 = (f.resolution(s, n, CONGRESS) for n in (1, 2, 3, 4, 7))
        r5 = f.resolution(s, 5, CONGRESS, status="archived", archived_on=date(2026, 3, 1))
        rec = f.resolution(s, 121, CONGRESS, kind="Recommendation")
        other = f.resolution(s, 1, "WCC-2020")
        for res, people in ((r1, (alice, bob)), (r2, (alice,)), (r3, (bob,)), (r7, (bob,)), (rec, (alice,)),
                            (r5, (bob,)), (other, (alice,))):
            for person in people:
                f.assign(s, res, person)

        f.activity_report(s, member_a, rep, (r1, r2), submitted_at=at(Y, 2, 1))
        f.activity_report(s, member_a, rep, (r1,), submitted_at=at(Y, 12, 31, 23))
        f.activity_report(s, commission, rep, (r1,), submitted_at=at(Y, 1, 1, 0))
        f.activity_report(s, member_a, rep, (r2,), state="draft")
        f.activity_report(s, member_b, rep, (r3,), submitted_at=at(Y - 1, 12, 31, 23))
        f.activity_report(s, member_b, rep, (r3,), submitted_at=at(Y + 1, 1, 1, 0))
        old = f.activity_report(s, member_b, rep, (r4,), submitted_at=at(Y, 3, 1))
        f.activity_report(s, member_b, rep, (r4,), submitted_at=at(Y, 4, 1), supersedes=old)
        f.activity_report(s, member_b, rep, (r4,), state="returned")
        f.activity_report(s, member_a, rep, (other,), submitted_at=at(Y, 5, 1))

        f.progress_report(s, r1, alice, Y, "published", status="Underway")
        f.progress_report(s, r2, alice, Y, "in_review")
        f.progress_report(s, r3, bob, Y, "draft", status="Not started")
        f.progress_report(s, r7, bob, Y, "draft", status="Underway", published_status="Initiated")
        f.progress_report(s, rec, alice, Y - 1, "published", status="Completed")
        f.progress_report(s, other, alice, Y, "published")
        s.add(ReportingDeadline(year=Y, due_on=date(Y, 12, 15)))
        s.commit()
        return {"alice": alice.id, "bob": bob.id}


def test_each_resolution_with_state_focal_points_and_reports(engine, world):
    with Session(engine) as s:
        table = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS)
    assert list(table["code"]) == ["WCC-2025-Res-001", "WCC-2025-Res-002", "WCC-2025-Res-003",
                                   "WCC-2025-Res-004", "WCC-2025-Res-007", "WCC-2025-Rec-121"]
    # reporting states (db/counting.py): in review and draft are both in preparation
    assert list(table["state"]) == ["published", "in_preparation", "in_preparation", "none", "published", "none"]
    assert list(table["activity_reports"]) == [3, 1, 0, 1, 0, 0]
    assert list(table["components"]) == ["Commission C; Member A", "Member A", "", "Member B", "", ""]
    assert list(table["focal_points"]) == ["Alice; Bob", "Alice", "Bob", "", "Bob", "Alice"]
    assert table["focal_emails"].iloc[0] == "alice@example.org; bob@example.org"
    # the published status wins over the correction being drafted
    assert table.set_index("code")["implementation_status"]["WCC-2025-Res-007"] == "Initiated"
    assert table.set_index("code")["implementation_status"]["WCC-2025-Res-001"] == "Underway"


def test_state_counts_and_archived_resolutions(engine, world):
    with Session(engine) as s:
        assert coverage.state_counts(session=s, year=Y, congress_code=CONGRESS) == {
            "published": 2, "nothing_to_report": 0, "in_preparation": 2, "none": 2}
        assert coverage.archived_left_out(session=s, year=Y, congress_code=CONGRESS) == 1
        # archived in March 2026: it still owed its 2025 report, and Rec-121 was published for 2025
        before = coverage.resolution_coverage(session=s, year=Y - 1, congress_code=CONGRESS)
        assert coverage.archived_left_out(session=s, year=Y - 1, congress_code=CONGRESS) == 0
        assert coverage.state_counts(session=s, year=Y - 1, congress_code=CONGRESS) == {
            "published": 1, "nothing_to_report": 0, "in_preparation": 0, "none": 6}
    assert "WCC-2025-Res-005" in set(before["code"])
    assert dict(zip(before["code"], before["activity_reports"]))["WCC-2025-Res-003"] == 1


def test_only_my_resolutions(engine, world):
    with Session(engine) as s:
        mine = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS,
                                            focal_user_id=world["alice"])
        counts = coverage.state_counts(session=s, year=Y, congress_code=CONGRESS, focal_user_id=world["alice"])
    assert list(mine["code"]) == ["WCC-2025-Res-001", "WCC-2025-Res-002", "WCC-2025-Rec-121"]
    assert counts == {"published": 1, "nothing_to_report": 0, "in_preparation": 1, "none": 1}


def test_missing_reports_and_resolutions_without_focal_point(engine, world):
    with Session(engine) as s:
        table = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS)
    missing = coverage.missing_reports(table)
    assert list(missing.columns) == ["code", "title", "state", "focal_points", "focal_emails", "last_reminded_at"]
    assert missing["last_reminded_at"].isna().all()  # nobody reminded yet (tests/services/test_reminders.py)
    assert missing.drop(columns="last_reminded_at").to_dict("records") == [
        {"code": "WCC-2025-Res-002", "title": "Test resolution 2", "state": "In preparation",
         "focal_points": "Alice", "focal_emails": "alice@example.org"},
        {"code": "WCC-2025-Res-003", "title": "Test resolution 3", "state": "In preparation",
         "focal_points": "Bob", "focal_emails": "bob@example.org"},
        {"code": "WCC-2025-Res-004", "title": "Test resolution 4", "state": "No Progress Report",
         "focal_points": "", "focal_emails": ""},
        {"code": "WCC-2025-Rec-121", "title": "Test resolution 121", "state": "No Progress Report",
         "focal_points": "Alice", "focal_emails": "alice@example.org"},
    ]
    assert list(coverage.without_focal_point(table)["code"]) == ["WCC-2025-Res-004"]


def test_which_components_reported_on_what(engine, world):
    with Session(engine) as s:
        by_component = coverage.components_reporting(session=s, year=Y, congress_code=CONGRESS)
        matrix = coverage.component_matrix(session=s, year=Y, congress_code=CONGRESS)
        alices = coverage.component_matrix(session=s, year=Y, congress_code=CONGRESS,
                                           focal_user_id=world["alice"])
    assert by_component.to_dict("records") == [
        {"component": "Member A", "kind": "Member", "region": "West Europe",
         "resolutions": "WCC-2025-Res-001; WCC-2025-Res-002", "resolution_count": 2, "reports": 2},
        {"component": "Commission C", "kind": "Commission", "region": "",
         "resolutions": "WCC-2025-Res-001", "resolution_count": 1, "reports": 1},
        {"component": "Member B", "kind": "Member", "region": "Africa",
         "resolutions": "WCC-2025-Res-004", "resolution_count": 1, "reports": 1},
    ]
    assert [tuple(r) for r in matrix[["component", "code", "reports"]].itertuples(index=False)] == [
        ("Commission C", "WCC-2025-Res-001", 1), ("Member A", "WCC-2025-Res-001", 2),
        ("Member A", "WCC-2025-Res-002", 1), ("Member B", "WCC-2025-Res-004", 1)]
    assert set(alices["code"]) == {"WCC-2025-Res-001", "WCC-2025-Res-002"}
    table = coverage.matrix_table(matrix)
    assert list(table.columns) == ["component", "WCC-2025-Res-001", "WCC-2025-Res-002", "WCC-2025-Res-004"]
    assert list(table["component"]) == ["Commission C", "Member A", "Member B"]
    assert table.set_index("component").loc["Member A"].tolist()[:2] == [2, 1]
    assert table.set_index("component").isna().sum().sum() == 5  # 9 cells, 4 with reports


def test_deadline_days_left_and_overdue(engine, world):
    with Session(engine) as s:
        early = coverage.deadline(session=s, year=Y, today=date(Y, 12, 1))
        due = coverage.deadline(session=s, year=Y, today=date(Y, 12, 15))
        late = coverage.deadline(session=s, year=Y, today=date(Y, 12, 20))
        unset = coverage.deadline(session=s, year=2030, today=date(Y, 12, 1))
    assert (early.due_on, early.days_left, early.overdue, early.describe()) == (
        date(Y, 12, 15), 14, False, "14 days left")
    assert due.describe() == "Due today" and not due.overdue
    assert (late.days_left, late.overdue, late.describe()) == (-5, True, "Overdue by 5 days")
    assert (unset.due_on, unset.overdue, unset.describe()) == (None, False, "No deadline set for 2030")


def test_years_and_congress_choices(engine, world):
    with Session(engine) as s:
        assert coverage.reporting_years(session=s, today=date(2027, 1, 5)) == [2027, 2026, 2025]
        choices = coverage.congress_choices(session=s)
    assert list(choices["code"]) == ["WCC-2025", "WCC-2020"]  # only Congresses with Resolutions
    assert choices["label"].iloc[0] == "Abu Dhabi 2025 (WCC-2025)"
    assert coverage.congress_reported_in(choices, 2026) == "WCC-2025"
    assert coverage.congress_reported_in(choices, 2025) == "WCC-2020"


def test_state_bar_shows_every_state():
    fig = coverage.state_bar({"published": 3, "in_preparation": 1, "none": 4})
    assert [t.name for t in fig.data] == ["Published", "Nothing to report", "In preparation", "No Progress Report"]
    assert [t.x[0] for t in fig.data] == [3, 0, 1, 4]
    assert fig.data[0].text[0] == "Published: 3 (38%)"


def test_reports_owed_by_each_focal_point(engine, world):
    with Session(engine) as s:
        table = coverage.resolution_coverage(session=s, year=Y, congress_code=CONGRESS)
    owed = coverage.owed_by_focal_point(coverage.missing_reports(table))
    assert owed.to_dict("records") == [
        {"focal_point": "Alice", "email": "alice@example.org", "owed": 2,
         "resolutions": "WCC-2025-Res-002; WCC-2025-Rec-121"},
        {"focal_point": "Bob", "email": "bob@example.org", "owed": 1, "resolutions": "WCC-2025-Res-003"},
        {"focal_point": "No focal point", "email": "", "owed": 1, "resolutions": "WCC-2025-Res-004"},
    ]
