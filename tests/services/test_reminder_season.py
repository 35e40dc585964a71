"""A simulated reporting season over the demo data: the job (`python -m services.reminders run --today ...`) is
run day by day from 1 November 2026 to 10 January 2027, around the 2026 deadline (15 December). Every focal
point who owes a 2026 Progress Report gets exactly the reminders the default rules say (30 and 7 days before,
on the day, 7 days after), every member of a component that reported on a Resolution in 2025 but not in 2026
gets the two before the deadline, and nobody gets one twice. Who owes what is computed here with plain queries,
independently of services/reminders.py. The counts are printed (pytest -s)."""

import shutil
from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Congress,
    FocalPointAssignment,
    OutboxMail,
    ProgressReport,
    ReminderRule,
    Resolution,
    SentReminder,
    User,
    UserComponent,
    UserRole,
)
from services import reminders

YEAR, DEADLINE = 2026, date(2026, 12, 15)
FIRST, LAST = date(2026, 11, 1), date(2027, 1, 10)


def _in_force(s: Session, year: int) -> set[int]:
    archived_year = func.extract("year", Resolution.archived_on)
    return set(s.exec(select(Resolution.id).join(Congress, Congress.id == Resolution.congress_id).where(
        Congress.year <= year, or_(Resolution.archived_on.is_(None), archived_year > year))).all())


def expected_focal_points(s: Session) -> set[int]:
    """Focal points with an assigned Resolution in force in 2026 whose report is not in review or published."""
    answered = set(s.exec(select(ProgressReport.resolution_id).where(
        ProgressReport.year == YEAR,
        or_(ProgressReport.state != "draft", ProgressReport.published_status.is_not(None)))).all())
    owed = _in_force(s, YEAR) - answered
    users = s.exec(select(FocalPointAssignment.user_id).join(User, User.id == FocalPointAssignment.user_id)
                   .where(FocalPointAssignment.resolution_id.in_(owed), User.active)).all()
    return set(users)


def expected_component_members(s: Session) -> set[int]:
    """Members (who may report) of components that reported on a Resolution in force in
    2026 in 2025, and not on it in 2026 (submitted, the newest version; the demo has few corrections)."""
    def pairs(year):
        rows = s.exec(select(ActivityReport.component_id, ActivityReportResolution.resolution_id,
                             ActivityReport.submitted_at, ActivityReport.id)
                      .join(ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id)
                      .where(ActivityReport.state == "submitted")).all()
        replaced = set(s.exec(select(ActivityReport.supersedes_id).where(ActivityReport.state == "submitted",
                                                                          ActivityReport.supersedes_id.is_not(None))))
        return {(c, r) for c, r, at, rid in rows if at and at.year == year and rid not in replaced}

    in_force = _in_force(s, YEAR)
    owing = {c for c, r in pairs(YEAR - 1) - pairs(YEAR) if r in in_force}
    writers = set(s.exec(select(UserRole.user_id).where(UserRole.role.in_(("reporter", "focal_point",
                                                                            "secretariat")))).all())
    members = s.exec(select(UserComponent.user_id).join(User, User.id == UserComponent.user_id)
                     .where(UserComponent.component_id.in_(owing), User.active)).all()
    return {u for u in members if u in writers}


def test_a_season_on_the_demo_data(demo_file, tmp_path, monkeypatch, capsys):
    copy = tmp_path / "season.db"
    shutil.copy(demo_file, copy)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setenv("RT_DEMO", "1")
    monkeypatch.delenv("RT_SMTP_HOST", raising=False)  # mail waits in the outbox
    engine = make_engine(f"sqlite:///{copy}")
    with Session(engine) as s:
        focal_points = expected_focal_points(s)
        members = expected_component_members(s)
        rules = {r.id: (r.audience, r.days) for r in s.exec(select(ReminderRule)).all()}
    assert focal_points and members, "the demo data owes reports and input in 2026"

    # A dry run first: it prints who would get what and writes nothing.
    assert reminders.main(["run", "--dry-run", "--today", "2026-11-15"]) == 0
    printed = capsys.readouterr().out
    lines = printed.splitlines()
    assert sum(line.startswith("would send 2026 ") for line in lines) == len(focal_points) + len(members)
    assert f"2026-11-15: would send {len(focal_points) + len(members)} reminder(s)" in printed
    with Session(engine) as s:
        assert s.exec(select(func.count(SentReminder.id))).one() == 0

    by_day: dict[date, int] = {}
    day = FIRST
    while day <= LAST:
        assert reminders.main(["run", "--today", day.isoformat()]) == 0
        day += timedelta(days=1)
        out = capsys.readouterr().out
        queued = sum(line.startswith("queued ") for line in out.splitlines())
        if queued:
            by_day[day - timedelta(days=1)] = queued
    # Run the whole season again: nothing more is sent.
    for again in (date(2026, 11, 15), DEADLINE, date(2026, 12, 22)):
        reminders.main(["run", "--today", again.isoformat()])
    capsys.readouterr()

    with Session(engine) as s:
        sent = s.exec(select(SentReminder.rule_id, SentReminder.recipient_id, SentReminder.subject)).all()
        outbox = Counter(s.exec(select(OutboxMail.to_address, OutboxMail.subject)
                                .where(OutboxMail.id.in_(select(SentReminder.outbox_mail_id)))).all())
    assert len(sent) == len(set(sent)) and max(outbox.values()) == 1  # nobody twice
    focal_rules = sorted(d for a, d in rules.values() if a == "focal_points")
    component_rules = sorted(d for a, d in rules.values() if a == "components")
    got_focal = Counter(u for rule, u, _s in sent if rules[rule][0] == "focal_points")
    got_members = Counter(u for rule, u, _subject in sent if rules[rule][0] == "components")
    assert set(got_focal) == focal_points and set(got_focal.values()) == {len(focal_rules)}
    assert set(got_members) == members and set(got_members.values()) == {len(component_rules)}
    assert by_day == {DEADLINE + timedelta(days=d): n for d, n in (
        (-30, len(focal_points) + len(members)), (-7, len(focal_points) + len(members)),
        (0, len(focal_points)), (7, len(focal_points)))}

    with capsys.disabled():
        print(f"\nseason 2026 on the demo data: {len(focal_points)} focal points owe Progress Reports, "
              f"{len(members)} component members owe input; {len(sent)} reminders sent "
              f"({sum(got_focal.values())} to focal points, {sum(got_members.values())} to components), "
              f"by day: {', '.join(f'{d:%d %b}: {n}' for d, n in sorted(by_day.items()))}; none twice")
