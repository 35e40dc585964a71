"""Reminders before and after each reporting year's deadline: who is due which reminder on a day, the daily
job that sends them, "Remind now" from Coverage, and the reminders sent as the Secretariat sees them.

Who is reminded (a rule's audience, db/vocab.REMINDER_AUDIENCES) for reporting year Y:
- focal_points: each focal point assigned to a Resolution in force in Y whose Progress Report for Y is not
  yet in review or published (none, or a draft never published), unless the focal point said "nothing to
  report" for it (db/counting.nothing_to_report). One mail per focal point lists all such Resolutions.
- components: each member (a user who may write Activity Reports) of a component that reported on a
  Resolution in force in Y in Y - 1 (db/counting.counted_activity_in) but not in Y, unless the component
  said "nothing to report" for it. One mail per member lists those Resolutions of all their components.
Nobody is mailed whose account is inactive or who turned reminders off (services/mail_preferences.py;
"digest" counts as on: a reminder is about a date, it does not wait for a digest).

When: a rule is due on deadline + days. If the job did not run that day, it catches up within CATCH_UP_DAYS,
but only with the latest rule of the audience whose day has come (nobody gets the 30-day and the 7-day
reminder on one morning).

Nothing twice: every reminder sent is a row of sent_reminder, unique per rule, year, recipient and subject
("progress" or "components"), written with its outbox mail in one transaction per recipient; a run
after a crash or a second run the same day finds the row and skips. Delivery is services/mail.py's (retries
with back-off); the reminders page shows each reminder's outbox status.

Command line (daily, from cron, a systemd timer or a Kubernetes CronJob; see the README):
    python -m services.reminders run [--dry-run] [--today YYYY-MM-DD]
    python -m services.reminders install-defaults
"""

import argparse
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, exists, or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db import vocab
from db.counting import counted_activity_in, in_force, nothing_to_report, published
from db.engine import transaction
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    FocalPointAssignment,
    NothingToReport,
    OutboxMail,
    ProgressReport,
    ReminderRule,
    ReportingDeadline,
    Resolution,
    SentReminder,
    SentReminderResolution,
    User,
    UserComponent,
    UserRole,
    as_utc,
)
from db.reminder_defaults import default_wording
from db.settings import Settings, load_settings
from locales import N_, _
from services import audit, mail, mail_preferences, reminder_rules
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require, roles_for

ACTION = "reminders.manage"
CATCH_UP_DAYS = 3
FOCAL_SUBJECT, COMPONENT_SUBJECT = "progress", "components"
LINKS = {"focal_points": "my_resolutions", "components": "my_reports"}  # the app's address of each audience's page
RECENT_COLUMNS = ["sent_at", "year", "rule", "recipient", "email", "resolutions", "subject", "status", "attempts",
                  "last_error"]


@dataclass(frozen=True)
class Due:
    """One reminder to send: to whom, by which rule (None: "Remind now"), about what."""

    rule_id: int | None
    audience: str
    days: int  # the rule's days from the deadline (for "Remind now": today's)
    year: int
    deadline: date
    user_id: int
    name: str
    email: str
    language: str
    subject_key: str  # "progress" or "components"
    resolutions: tuple[tuple[int, str, str], ...]  # (id, code, title)


@dataclass
class Summary:
    due: int = 0
    queued: int = 0
    already_sent: int = 0
    turned_off: int = 0
    digests: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # one per reminder queued (or, in a dry run, that would be)
    refused: list[str] = field(default_factory=list)  # the outbox refused the address


# -- who owes what ----------------------------------------------------------------------------------------

def _owed_by_focal_points(session: Session, year: int) -> dict[int, list[tuple[int, str, str]]]:
    """focal point -> the Resolutions in force in `year` whose Progress Report is not in review or published."""
    rows = session.exec(
        select(FocalPointAssignment.user_id, Resolution.id, Resolution.code, Resolution.title)
        .join(Resolution, Resolution.id == FocalPointAssignment.resolution_id)
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year),
              isouter=True)
        .where(in_force(year), ~nothing_to_report(year),
               or_(ProgressReport.id.is_(None), and_(ProgressReport.state == "draft", ~published())))
        .order_by(Resolution.kind.desc(), Resolution.number)
    ).all()
    owed: dict[int, list] = {}
    for user_id, res_id, code, title in rows:
        owed.setdefault(user_id, []).append((res_id, code, title))
    return owed


def _reported(year: int):
    return (select(ActivityReport.component_id, ActivityReportResolution.resolution_id)
            .join(ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id)
            .where(counted_activity_in(year)).distinct().subquery())


def owed_by_components(session: Session, year: int) -> dict[int, list[tuple[int, str, str]]]:
    """component -> the Resolutions in force in `year` it reported on in year - 1 but not (yet) in `year`."""
    last, this = _reported(year - 1), _reported(year)
    rows = session.exec(
        select(last.c.component_id, Resolution.id, Resolution.code, Resolution.title)
        .join(Resolution, Resolution.id == last.c.resolution_id)
        .join(Component, Component.id == last.c.component_id)
        .where(Component.active, in_force(year),
               ~exists().where(this.c.component_id == last.c.component_id,
                               this.c.resolution_id == last.c.resolution_id),
               ~exists().where(NothingToReport.year == year, NothingToReport.resolution_id == Resolution.id,
                               NothingToReport.component_id == last.c.component_id))
        .order_by(Resolution.kind.desc(), Resolution.number)
    ).all()
    owed: dict[int, list] = {}
    for component_id, res_id, code, title in rows:
        owed.setdefault(component_id, []).append((res_id, code, title))
    return owed


def _members(session: Session, component_ids: list[int]) -> dict[int, list[int]]:
    """component -> its active members who may write Activity Reports."""
    writers = select(UserRole.user_id).where(UserRole.role.in_(roles_for("activity.write")))
    rows = session.exec(
        select(UserComponent.component_id, UserComponent.user_id)
        .join(User, User.id == UserComponent.user_id)
        .where(UserComponent.component_id.in_(component_ids), User.active, User.id.in_(writers))
    ).all()
    members: dict[int, list[int]] = {}
    for component_id, user_id in rows:
        members.setdefault(component_id, []).append(user_id)
    return members


def _recipients(session: Session, year: int, audience: str) -> list[tuple[int, str, tuple]]:
    """(user id, subject key, Resolutions) for everyone of `audience` who owes something for `year`."""
    if audience == "focal_points":
        return [(user_id, FOCAL_SUBJECT, tuple(res)) for user_id, res in _owed_by_focal_points(session, year).items()]
    owed = owed_by_components(session, year)
    members = _members(session, list(owed))
    names = dict(session.exec(select(Component.id, Component.name).where(Component.id.in_(list(owed)))).all())
    # One mail per member: a member of two components hears of both in one mail, each Resolution once.
    per_user: dict[int, dict[int, tuple[str, str, list[str]]]] = {}
    for component_id, resolutions in owed.items():
        for user_id in members.get(component_id, []):
            for res_id, code, title in resolutions:
                per_user.setdefault(user_id, {}).setdefault(res_id, (code, title, []))[2].append(names[component_id])
    return [(user_id, COMPONENT_SUBJECT,
             tuple((res_id, code, f"{title} ({', '.join(sorted(components))})")
                   for res_id, (code, title, components) in sorted(items.items(), key=lambda i: i[1][0])))
            for user_id, items in per_user.items()]


def _current_rules(rules: list[ReminderRule], deadline: date, today: date) -> list[ReminderRule]:
    """Per audience, the latest rule whose day has come, if it came less than CATCH_UP_DAYS ago."""
    chosen = []
    for audience in vocab.REMINDER_AUDIENCES:
        come = [r for r in rules if r.audience == audience and deadline + timedelta(days=r.days) <= today]
        if come:
            latest = max(come, key=lambda r: r.days)
            if (today - (deadline + timedelta(days=latest.days))).days < CATCH_UP_DAYS:
                chosen.append(latest)
    return chosen


def _already(session: Session, rule_id: int, year: int) -> set[tuple[int, str]]:
    return set(session.exec(select(SentReminder.recipient_id, SentReminder.subject)
                            .where(SentReminder.rule_id == rule_id, SentReminder.year == year)).all())


def due_on(session: Session, today: date, summary: Summary | None = None) -> list[Due]:
    """Every reminder due on `today` and not sent yet, in a stable order (year, rule, recipient)."""
    summary = summary or Summary()
    rules = session.exec(select(ReminderRule).where(ReminderRule.active)).all()
    if not rules:
        return []
    reach = max(abs(r.days) for r in rules) + CATCH_UP_DAYS
    deadlines = session.exec(select(ReportingDeadline).where(
        ReportingDeadline.due_on >= today - timedelta(days=reach),
        ReportingDeadline.due_on <= today + timedelta(days=reach)).order_by(ReportingDeadline.year)).all()
    due: list[Due] = []
    for deadline in deadlines:
        for rule in _current_rules(rules, deadline.due_on, today):
            sent = _already(session, rule.id, deadline.year)
            for user_id, subject_key, resolutions in _recipients(session, deadline.year, rule.audience):
                if (user_id, subject_key) in sent:
                    summary.already_sent += 1
                    continue
                user = session.get(User, user_id)
                if not user.active or not user.email:
                    continue
                if mail_preferences.delivery(session, user_id, "reminders") == "off":
                    summary.turned_off += 1
                    continue
                due.append(Due(rule.id, rule.audience, rule.days, deadline.year, deadline.due_on, user_id,
                               user.display_name, user.email, user.language, subject_key, resolutions))
    return sorted(due, key=lambda d: (d.year, d.rule_id, d.user_id, d.subject_key))


# -- the mail ---------------------------------------------------------------------------------------------

def _resolution_lines(resolutions: tuple[tuple[int, str, str], ...]) -> str:
    return "\n".join(f"- {code}: {' '.join(title.split())[:150]}" for _id, code, title in resolutions)


def compose(due: Due, wording: dict, settings: Settings) -> tuple[str, str]:
    """The subject and body of one reminder, in the recipient's language (English when not written)."""
    values = {"name": due.name, "year": str(due.year),
              "deadline": reminder_rules.fmt_deadline(due.deadline, due.language), "days": str(abs(due.days)),
              "resolutions": _resolution_lines(due.resolutions),
              "link": f"{settings.public_url.rstrip('/')}/{LINKS[due.audience]}"}
    chosen = reminder_rules.wording_for(wording, due.language)
    return reminder_rules.render(chosen["subject"], values), reminder_rules.render(chosen["body"], values)


def _record(session: Session, due: Due, wording: dict, settings: Settings, sent_by: Actor | None) -> None:
    """Queue the reminder's mail and record it (with its Resolutions and an audit event), in `session`."""
    subject, body = compose(due, wording, settings)
    queued = mail.queue(session, to=due.email, subject=subject, body=body, unsubscribe_kind="reminders",
                        user_id=due.user_id, settings=settings)
    row = SentReminder(rule_id=due.rule_id, year=due.year, recipient_id=due.user_id, subject=due.subject_key,
                       outbox_mail_id=queued.id, sent_by=sent_by.id if sent_by else None)
    session.add(row)
    session.flush()
    session.add_all([SentReminderResolution(sent_reminder_id=row.id, resolution_id=res_id)
                     for res_id, _code, _title in due.resolutions])
    audit.record(session, actor=sent_by, action="remind", entity="sent_reminder", entity_id=row.id,
                 after={"rule_id": due.rule_id, "year": due.year, "recipient_id": due.user_id,
                        "subject": due.subject_key, "resolutions": [c for _i, c, _t in due.resolutions]})


def _send_one(engine: Engine, due: Due, wording: dict, settings: Settings) -> bool:
    """A rule's reminder, recorded with its outbox mail in one transaction of its own; False when it was
    recorded already (by a run at the same time)."""
    try:
        with transaction(engine) as session:
            if session.exec(select(SentReminder.id).where(
                    SentReminder.rule_id == due.rule_id, SentReminder.year == due.year,
                    SentReminder.recipient_id == due.user_id, SentReminder.subject == due.subject_key)).first():
                return False
            _record(session, due, wording, settings, None)
    except IntegrityError:  # the unique row, written by another run since we looked
        return False
    return True


def _line(due: Due, subject: str) -> str:
    codes = ", ".join(code for _id, code, _title in due.resolutions)
    rule = "remind now" if due.rule_id is None else f"rule {due.rule_id} ({due.days:+d} days)"
    return f"{due.year} {rule}: {due.email} [{due.language}] {subject!r}: {codes}"


def _digests():
    """services/digests.py (the notification digests) when it exists: the daily job runs it too."""
    if importlib.util.find_spec("services.digests") is None:
        return None
    from services import digests

    return digests


def run(engine: Engine, *, today: date, dry_run: bool = False, settings: Settings | None = None,
        out: Callable[[str], None] | None = None) -> Summary:
    """Queue every reminder due on `today` (see the module docstring), then the digests. With dry_run nothing
    is written: `out` gets one line per mail that would go."""
    settings = settings or load_settings()
    summary = Summary()
    with Session(engine) as session:
        due = due_on(session, today, summary)
        wordings = {r.id: r.wording for r in session.exec(select(ReminderRule)).all()}
    summary.due = len(due)
    for one in due:
        subject, _body = compose(one, wordings[one.rule_id], settings)
        line = _line(one, subject)
        try:
            done = dry_run or _send_one(engine, one, wordings[one.rule_id], settings)
        except ValidationFailed as refused:  # an address the outbox refuses: the others still go
            summary.refused.append(f"not sent ({refused}): {line}")
            if out:
                out(f"not sent ({refused}): {line}")
            continue
        if done:
            summary.queued += 0 if dry_run else 1
            summary.lines.append(line)
            if out:
                out(("would send " if dry_run else "queued ") + line)
        else:
            summary.already_sent += 1
    digests = _digests()
    if digests is not None:
        log: list[str] = []
        summary.digests = digests.run(engine, today=today, dry_run=dry_run, settings=settings, log=log)
        for line in log:
            if out:
                out(line)
    return summary


# -- "Remind now" (Coverage) ------------------------------------------------------------------------------

def _sign(days: int) -> int:
    return (days > 0) - (days < 0)


def _wording_now(session: Session, days: int) -> dict:
    """The wording of a focal points' rule for the same moment (before, on the day, after the deadline: a
    wording says "in {days} days" or "{days} days overdue"), the nearest in days; else the default wording."""
    rules = [r for r in session.exec(select(ReminderRule).where(ReminderRule.audience == "focal_points",
                                                                ReminderRule.active)).all()
             if _sign(r.days) == _sign(days)]
    if not rules:
        return default_wording("focal_points", days)
    return min(rules, key=lambda r: (abs(r.days - days), r.days)).wording


def remind_now(*, session: Session, actor: Actor, year: int, codes: list[str], today: date,
               settings: Settings | None = None) -> dict[str, int]:
    """Remind the focal points of the chosen Resolutions (codes) that still owe a Progress Report for `year`,
    one mail per focal point, now, in the caller's transaction. Recorded like the job's reminders (no rule;
    sent_by the actor); a second click sends again. Returns {"sent": n, "turned_off": n, "nothing_owed": n}."""
    settings = settings or load_settings()
    require(actor, ACTION)
    deadline = session.get(ReportingDeadline, year)
    if deadline is None:
        raise ValidationFailed([FieldError("year", _("No deadline is set for {year}: set it on Focal points "
                                                     "and deadlines first.").format(year=year))])
    if not codes:
        raise ValidationFailed([FieldError("codes", _("Select the missing reports to remind of."))])
    chosen = set(session.exec(select(Resolution.id).where(Resolution.code.in_(codes))).all())
    if not chosen:
        raise NotFound(_("None of the chosen Resolutions exists."))
    days = (today - deadline.due_on).days
    wording = _wording_now(session, days)
    counts = {"sent": 0, "turned_off": 0, "nothing_owed": 0}
    due = []
    for user_id, owed in _owed_by_focal_points(session, year).items():
        mine = tuple(r for r in owed if r[0] in chosen)
        if not mine:
            continue
        user = session.get(User, user_id)
        if not user.active or mail_preferences.delivery(session, user_id, "reminders") == "off":
            counts["turned_off"] += 1
            continue
        due.append(Due(None, "focal_points", days, year, deadline.due_on, user_id, user.display_name,
                       user.email, user.language, FOCAL_SUBJECT, mine))
    reminded = {r for d in due for r, _c, _t in d.resolutions}
    counts["nothing_owed"] = len(chosen - reminded)  # published, in review, nothing to report, or no focal point
    for one in due:
        _record(session, one, wording, settings, actor)
        counts["sent"] += 1
    return counts


# -- what the Secretariat sees ----------------------------------------------------------------------------

def _outbox_status(row: OutboxMail | None) -> str:
    if row is None:
        return "no mail"
    if row.sent_at is not None:
        return "sent"
    return "failed, retrying" if row.attempts else "waiting"


def recent(*, session: Session, actor: Actor, limit: int = 200) -> pd.DataFrame:
    """The latest reminders sent, newest first, with their mail's delivery status (sent, waiting, failed and
    retrying, with the last error)."""
    require(actor, ACTION)
    rows = session.exec(
        select(SentReminder, ReminderRule, User, OutboxMail)
        .join(ReminderRule, ReminderRule.id == SentReminder.rule_id, isouter=True)
        .join(User, User.id == SentReminder.recipient_id)
        .join(OutboxMail, OutboxMail.id == SentReminder.outbox_mail_id, isouter=True)
        .order_by(SentReminder.created_at.desc(), SentReminder.id.desc())
        .limit(limit)
    ).all()
    ids = [r[0].id for r in rows]
    codes: dict[int, list[str]] = {}
    for reminder_id, code in session.exec(
            select(SentReminderResolution.sent_reminder_id, Resolution.code)
            .join(Resolution, Resolution.id == SentReminderResolution.resolution_id)
            .where(SentReminderResolution.sent_reminder_id.in_(ids)).order_by(Resolution.code)).all():
        codes.setdefault(reminder_id, []).append(code)
    records = []
    for sent, rule, user, outbox in rows:
        what = (_("Remind now") if rule is None
                else f"{reminder_rules.describe_days(rule.days)} ({_(AUDIENCE_SHORT[rule.audience])})")
        records.append({"sent_at": as_utc(sent.created_at), "year": sent.year, "rule": what,
                        "recipient": user.display_name, "email": user.email,
                        "resolutions": "; ".join(codes.get(sent.id, [])),
                        "subject": outbox.subject if outbox else "", "status": _outbox_status(outbox),
                        "attempts": outbox.attempts if outbox else 0,
                        "last_error": outbox.last_error if outbox else None})
    return pd.DataFrame(records, columns=RECENT_COLUMNS)


DUE_COLUMNS = ["year", "rule", "recipient", "email", "language", "resolutions"]
AUDIENCE_SHORT = {"focal_points": N_("focal points"), "components": N_("components")}  # in a rule's short name


def due_today(*, session: Session, actor: Actor, today: date) -> pd.DataFrame:
    """What the daily job would send on `today` (its dry run, for the Reminders page): one row per mail."""
    require(actor, ACTION)
    rules = {r.id: r for r in session.exec(select(ReminderRule)).all()}
    return pd.DataFrame(
        [{"year": d.year, "rule": f"{reminder_rules.describe_days(d.days)} ({_(AUDIENCE_SHORT[d.audience])})",
          "recipient": d.name, "email": d.email, "language": vocab.LANGUAGE_LABELS.get(d.language, d.language),
          "resolutions": "; ".join(code for _id, code, _title in d.resolutions)}
         for d in due_on(session, today) if d.rule_id in rules],
        columns=DUE_COLUMNS)


# -- command line -----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reminders", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="queue the reminders (and digests) due today, then send the mail")
    run_cmd.add_argument("--dry-run", action="store_true", help="print who would get what; write nothing")
    run_cmd.add_argument("--today", type=date.fromisoformat, default=None, help="the day to run for (YYYY-MM-DD)")
    commands.add_parser("install-defaults", help="add the default reminder rules that are missing")
    args = parser.parse_args(argv)

    from db.engine import make_engine

    settings = load_settings()
    engine = make_engine(settings.database_url)
    if args.command == "install-defaults":
        with transaction(engine) as session:
            added = reminder_rules.install_defaults(session)
        print(f"added {added} default reminder rule{'s' if added != 1 else ''}")
        return 0
    today = args.today or date.today()
    summary = run(engine, today=today, dry_run=args.dry_run, settings=settings, out=print)
    digests = ", ".join(f"{k} {v}" for k, v in summary.digests.items())
    verb = "would send" if args.dry_run else "queued"
    print(f"{today}: {verb} {len(summary.lines)} reminder(s); {summary.already_sent} already sent, "
          f"{summary.turned_off} turned off" + (f"; digests: {digests}" if digests else ""))
    if not args.dry_run:
        if not settings.smtp.host:
            print("RT_SMTP_HOST is not set: mail waits in the outbox.", file=sys.stderr)
        sent, failed = mail.deliver_pending(engine, settings)
        print(f"mail: sent {sent}, failed {failed} (failures are retried on the next run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
