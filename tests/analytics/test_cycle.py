"""The reporting cycle for the guide: counts at each stage, each role's own work, deadlines, the diagram."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from analytics import cycle
from db import vocab
from db.models import ReportingDeadline, YearlyAnalysis
from services.permissions import Actor, duties
from tests import factories as f

Y = 2026


def duties_of(role: str) -> frozenset[str]:
    """What the cycle expects of a user with this one role (services.permissions.DUTIES)."""
    return duties(Actor(id=0, username=role, display_name=role, roles=frozenset({role})))


@pytest.fixture
def world(engine):
    """2026, WCC-2025: Res-001 published, Res-002 in review, Res-003 draft (Fay's), Res-004 none (Fay's),
    Res-005 none and unassigned; a 2025 report still in review; Activity Reports: 2 submitted in 2026 by
    Rita, 1 in 2025, 2 drafts and 1 returned; a draft yearly analysis for 2026."""
    with Session(engine) as s:
        fay = f.user(s, "fay", ("focal_point",))
        gus = f.user(s, "gus", ("focal_point",))
        member = f.component(s, "Member A")
        rita = f.user(s, "rita", ("reporter",), (member,))
        sec = f.user(s, "sec", ("secretariat",))
        r1, r2, r3, r4, r5 = (f.resolution(s, n, "WCC-2025") for n in range(1, 6))
        old = f.resolution(s, 1, "WCC-2020")
        f.assign(s, r1, gus)
        f.assign(s, r2, gus)
        f.assign(s, r3, fay)
        f.assign(s, r4, fay)
        f.progress_report(s, r1, gus, Y, "published")
        f.progress_report(s, r2, gus, Y, "in_review")
        f.progress_report(s, r3, fay, Y, "draft")
        f.progress_report(s, old, gus, Y - 1, "in_review")
        f.activity_report(s, member, rita, (r1, r3), submitted_at=datetime(Y, 3, 1, tzinfo=UTC))
        f.activity_report(s, member, rita, (old,), submitted_at=datetime(Y, 8, 1, tzinfo=UTC))
        f.activity_report(s, member, rita, (r2,), submitted_at=datetime(Y - 1, 8, 1, tzinfo=UTC))
        for state in ("draft", "draft", "returned"):
            f.activity_report(s, member, rita, (r4,), state=state)
        s.add(YearlyAnalysis(congress_id=f.congress(s, "WCC-2025").id, year=Y, author_id=sec.id))
        for year in (2024, 2025, 2026, 2027):
            s.add(ReportingDeadline(year=year, due_on=date(year, 12, 15)))
        s.commit()
        return {"fay": fay.id, "rita": rita.id, "sec": sec.id}


def by_label(items):
    return {i.label: i.count for i in items}


def test_stage_counts(engine, world):
    with Session(engine) as s:
        counts = cycle.stage_counts(session=s, year=Y)
        before = cycle.stage_counts(session=s, year=Y - 1)
    assert counts.activity_submitted == 2
    # drafts take the builder's default creation time, which is now: count them for the current year only
    assert counts.progress == {"published": 1, "nothing_to_report": 0, "in_preparation": 2} and counts.in_review == 1
    assert list(counts.analyses["congress"]) == ["WCC-2025"]
    assert cycle.analysis_state(counts.analyses) == "draft"
    assert before.activity_submitted == 1
    assert before.progress == {"published": 0, "nothing_to_report": 0, "in_preparation": 1} and before.in_review == 1
    assert cycle.analysis_state(before.analyses) == "not started"


def test_drafts_count_in_the_year_they_were_started(engine, world):
    with Session(engine) as s:
        this_year = date.today().year
        assert cycle.stage_counts(session=s, year=this_year).activity_in_progress == 3
        assert cycle.stage_counts(session=s, year=this_year - 1).activity_in_progress == 0


def test_reporter_work(engine, world):
    with Session(engine) as s:
        items = cycle.my_work(session=s, user_id=world["rita"], duties=duties_of("reporter"), year=Y)
    assert by_label(items) == {"Your Activity Reports in draft": 2, "Returned to you with a comment": 1,
                               f"Submitted by you in {Y}": 2}
    assert {i.stage for i in items} == {"activity"}


def test_focal_point_work(engine, world):
    with Session(engine) as s:
        items = cycle.my_work(session=s, user_id=world["fay"], duties=duties_of("focal_point"), year=Y)
    assert by_label(items) == {"WCC-2025 Resolutions assigned to you": 2,
                               f"Progress Reports you still owe for {Y}": 2,
                               "… of which with no Progress Report yet": 1, "… of which waiting in review": 0}
    owed = next(i for i in items if i.label.startswith("Progress Reports you still owe"))
    assert (owed.destination, owed.query) == ("coverage", {"year": "2026", "congress": "WCC-2025", "mine": "1"})
    assert {i.destination for i in items} <= set(cycle.DESTINATIONS) | {None}


def test_secretariat_and_leadership_work(engine, world):
    with Session(engine) as s:
        sec = cycle.my_work(session=s, user_id=world["sec"], duties=duties_of("secretariat"), year=Y)
        lead = cycle.my_work(session=s, user_id=world["sec"], duties=duties_of("leadership"), year=Y)
    assert by_label(sec) == {
        "Progress Reports waiting in review (all years)": 2,
        f"WCC-2025 Resolutions still without a published report for {Y}": 4,
        "WCC-2025 Resolutions without a focal point": 1,
        f"Yearly analyses published for {Y}": 0,
    }
    assert by_label(lead) == {f"Yearly analyses published for {Y}": 0}
    assert {i.stage for i in sec} == {"progress", "analysis"}


def test_a_published_analysis_stays_published_while_revised(engine, world):
    with Session(engine) as s:
        row = s.exec(select(YearlyAnalysis)).one()
        row.published_at, row.state = datetime(Y, 12, 20, tzinfo=UTC), "draft"  # revision under way
        s.add(YearlyAnalysis(congress_id=f.congress(s, "WCC-2020").id, year=Y, author_id=world["sec"]))
        s.commit()
        counts = cycle.stage_counts(session=s, year=Y)
        lead = cycle.my_work(session=s, user_id=world["sec"], duties=duties_of("leadership"), year=Y)
    assert cycle.analysis_state(counts.analyses) == "published in part"
    assert by_label(lead) == {f"Yearly analyses published for {Y}": 1}


def test_upcoming_deadlines(engine, world):
    with Session(engine) as s:
        frame = cycle.upcoming_deadlines(session=s, year=Y)
    assert list(frame["year"]) == [2025, 2026, 2027]
    assert frame["due_on"].iloc[1] == date(2026, 12, 15)


def test_diagram_shows_counts_and_where_the_user_works(engine, world):
    with Session(engine) as s:
        counts = cycle.stage_counts(session=s, year=Y)
    dot = cycle.cycle_dot(counts, {"progress"}, date(Y, 12, 15))
    assert dot.startswith("digraph cycle {") and dot.endswith("}")
    assert "activity -> progress" in dot and "progress -> analysis" in dot
    assert f"2 submitted in {Y}" in dot and "2 in preparation (1 in review)" in dot and f"1 published for {Y}" in dot
    assert "due 15 Dec 2026" in dot
    nodes = {line.split()[0]: line for line in dot.splitlines() if "[label=" in line and "->" not in line}
    assert "YOUR WORK IS HERE" in nodes["progress"]
    assert "YOUR WORK IS HERE" not in nodes["activity"] + nodes["analysis"]
    assert dot.count('"') % 2 == 0


def test_every_role_is_explained():
    assert set(cycle.ROLE_EXPECTATIONS) == set(vocab.ROLES)
    assert all(text.endswith(".") for text in cycle.ROLE_EXPECTATIONS.values())
