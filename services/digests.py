"""Digests, sent by the daily job (`python -m services.reminders run` calls `run`).

- Daily digest: each user's notifications waiting for it (delivery "digest", not mailed yet), in one mail
  in their language, with the unsubscribe link of each kind it holds. A kind turned off since is dropped.
- Weekly digest, on Mondays, for the Secretariat and leadership (action "digest.weekly", on unless they
  turned it off): what arrived in the 7 days before (Activity Reports submitted, Progress Reports entering
  review, published), what is missing or overdue for the reporting year by focal point (Coverage's list) and by
  component (the reminders' rule), with links into the app. Counted by db/counting.py, analytics/coverage.py and
  services/reminders.py; nothing is recounted here.

Idempotent: every digest sent is recorded (digest_sent: user, digest, period start; unique) in the same
transaction as its mail and, for the daily one, the notifications it marks mailed. A second run the same day
(or week) sends nothing; a run that crashed half-way sends the rest next time and nothing twice.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from html import escape

from sqlalchemy import String, cast, func
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from analytics import coverage
from db import vocab
from db.counting import counted_activity
from db.engine import transaction
from db.models import (
    ActivityReport,
    AuditEvent,
    Component,
    DigestSent,
    Notification,
    ProgressReport,
    ProgressReportRevision,
    Resolution,
    User,
    UserRole,
    utcnow,
)
from db.settings import Settings, load_settings
from services import mail, mail_preferences, reminders
from services import notification_texts as texts
from services.notifications import absolute, link_to, mail_parts
from services.permissions import ADMIN, roles_for

LIST_MAX = 25  # lines per list in a weekly digest; the rest is on Coverage
WEEKDAY = 0  # Monday


@dataclass
class Week:
    """What the weekly digest tells, the same for every reader; worded in each reader's language."""

    start: date
    end: date  # exclusive: the day of the run
    submitted: int = 0
    entered_review: list[str] = field(default_factory=list)  # "WCC-2020-Res-001 (2026)"
    published: list[str] = field(default_factory=list)
    year: int = 0
    congress: str | None = None
    due_on: date | None = None
    overdue_days: int | None = None  # None: not overdue (no deadline, or not yet)
    owed: list[tuple[str, int, str]] = field(default_factory=list)  # (focal point, how many, codes)
    silent_components: list[tuple[str, int, str]] = field(default_factory=list)  # (component, how many, codes)


def _html_line(text: str) -> str:
    """One line of plain text as HTML: escaped, its links clickable (as services.mail does)."""
    return mail.LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escape(text.strip()))


def _plain_item(line: str) -> str:
    return f"  - {line.strip()}" if line.startswith("  ") else f"- {line}"


def _html_item(line: str) -> str:
    indent = ' style="margin-left:1.5em"' if line.startswith("  ") else ""
    return f"<li{indent}>{_html_line(line)}</li>"


def _stamp(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


# -- daily -------------------------------------------------------------------------------------------

def _waiting(session: Session, user_id: int | None = None):
    query = select(Notification).where(Notification.delivery == "digest", Notification.mailed_at.is_(None))
    if user_id is not None:
        query = query.where(Notification.user_id == user_id)
    return query.order_by(Notification.created_at, Notification.id)


def _unsubscribe_lines(user: User, kinds: list[str], settings: Settings) -> list[str]:
    return [f"{texts.word('stop_kind', user.language, kind=texts.kind_name(kind, user.language))} "
            f"{mail_preferences.unsubscribe_link(settings, user.id, kind)}" for kind in kinds]


def _daily_one(engine: Engine, user_id: int, today: date, settings: Settings, dry_run: bool,
               log: list[str]) -> int:
    """Send one user's daily digest; returns how many notifications it held (0: nothing sent)."""
    with transaction(engine) as s:
        user = s.get(User, user_id)
        done = s.exec(select(DigestSent.id).where(DigestSent.user_id == user_id, DigestSent.digest == "daily",
                                                  DigestSent.period_start == today)).first()
        if user is None or not user.active or done is not None:
            return 0
        rows = s.exec(_waiting(s, user_id)).all()
        for row in rows:  # a kind turned off since it arrived is not mailed any more
            if mail_preferences.delivery(s, user_id, row.kind) == "off":
                row.delivery = "off"
                s.add(row)
        rows = [r for r in rows if r.delivery == "digest"]
        if not rows:
            return 0
        log.append(f"daily digest to {user.username} <{user.email}>: {len(rows)} notification(s)")
        if dry_run:
            s.rollback()
            return len(rows)
        kinds = list(dict.fromkeys(r.kind for r in rows))
        plain, html = mail_parts(user, [(r.title, r.body, r.link) for r in rows], settings,
                                 intro=texts.word("daily_intro", user.language))
        if len(kinds) > 1:  # one link per kind (the footer services.mail adds names a single kind)
            lines = _unsubscribe_lines(user, kinds, settings)
            plain += "\n-- \n" + "\n".join(lines) + "\n"
            html = html.replace("</body>", "<hr>\n" + "".join(f"<p>{_html_line(line)}</p>" for line in lines)
                                + "\n</body>")
        outbox = mail.queue(s, to=user.email, subject=texts.daily_subject(user.language, len(rows)),
                            body=plain, html=html, unsubscribe_kind=kinds[0] if len(kinds) == 1 else None,
                            user_id=user.id, settings=settings)
        s.add(DigestSent(user_id=user.id, digest="daily", period_start=today, outbox_mail_id=outbox.id))
        now = utcnow()
        for row in rows:
            row.mailed_at = now
            s.add(row)
        s.flush()
    return len(rows)


def daily(engine: Engine, *, today: date, settings: Settings, dry_run: bool = False,
          log: list[str] | None = None) -> dict[str, int]:
    log = log if log is not None else []
    with Session(engine) as s:
        users = sorted(set(s.exec(select(Notification.user_id).where(
            Notification.delivery == "digest", Notification.mailed_at.is_(None))).all()))
    sent = held = 0
    for user_id in users:
        try:
            n = _daily_one(engine, user_id, today, settings, dry_run, log)
        except IntegrityError:  # another run sent this one at the same moment
            continue
        sent, held = sent + (n > 0), held + n
    return {"daily_digests": sent, "daily_notifications": held}


# -- weekly ------------------------------------------------------------------------------------------

def week_summary(session: Session, *, today: date) -> Week:
    """The week before `today` and the reporting year's state, by the counting rules."""
    week = Week(start=today - timedelta(days=7), end=today, year=today.year)
    start, end = _stamp(week.start), _stamp(week.end)
    week.submitted = session.exec(select(func.count(ActivityReport.id)).where(
        counted_activity(), ActivityReport.submitted_at >= start, ActivityReport.submitted_at < end)).one()
    # Entering review is an event, not a state: the audit trail records each submission for review.
    entered = session.exec(
        select(Resolution.code, ProgressReport.year)
        .join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
        .join(AuditEvent, AuditEvent.entity_id == cast(ProgressReport.id, String))
        .where(AuditEvent.entity == "progress_report", AuditEvent.action == "submit",
               AuditEvent.at >= start, AuditEvent.at < end)
        .distinct().order_by(Resolution.code, ProgressReport.year)).all()
    week.entered_review = [f"{code} ({year})" for code, year in entered]
    published = session.exec(
        select(Resolution.code, ProgressReport.year)
        .join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
        .join(ProgressReportRevision, ProgressReportRevision.progress_report_id == ProgressReport.id)
        .where(ProgressReportRevision.published_at >= start, ProgressReportRevision.published_at < end)
        .distinct().order_by(Resolution.code, ProgressReport.year)).all()
    week.published = [f"{code} ({year})" for code, year in published]

    week.congress = coverage.congress_reported_in(coverage.congress_choices(session=session), week.year)
    due = coverage.deadline(session=session, year=week.year, today=today)
    week.due_on = due.due_on
    week.overdue_days = -due.days_left if due.overdue else None
    if week.congress:
        rows = coverage.resolution_coverage(session=session, year=week.year, congress_code=week.congress)
        owed = coverage.owed_by_focal_point(coverage.missing_reports(rows))
        week.owed = [(r.focal_point, int(r.owed), r.resolutions) for r in owed.itertuples(index=False)]
    # The reminders' rule (services/reminders.py), not a second one: a component owes a Resolution it reported
    # on last year and not yet this year (unless it said "nothing to report").
    owed_by_component = reminders.owed_by_components(session, week.year)
    names = dict(session.exec(select(Component.id, Component.name).where(Component.id.in_(owed_by_component))).all())
    week.silent_components = sorted((names[cid], len(owed), "; ".join(code for _id, code, _title in owed))
                                    for cid, owed in owed_by_component.items())
    return week


def _first_codes(codes: str, shown: int = 8) -> str:
    parts = codes.split("; ")
    return "; ".join(parts[:shown]) + (f"; … (+{len(parts) - shown})" if len(parts) > shown else "")


def _capped(lines: list[str]) -> list[str]:
    return lines if len(lines) <= LIST_MAX else [*lines[:LIST_MAX], f"… (+{len(lines) - LIST_MAX})"]


def weekly_sections(week: Week, language: str, settings: Settings, roles: set[str]) -> list[tuple[str, list[str]]]:
    """The digest as (heading, lines) in `language`; links only to pages the reader's roles open."""
    w = lambda key, **values: texts.word(key, language, **values)  # noqa: E731
    start, end = week.start.isoformat(), (week.end - timedelta(days=1)).isoformat()
    arrived = [w("activity_submitted", n=week.submitted),
               w("entered_review", n=len(week.entered_review)), *[f"  {c}" for c in _capped(week.entered_review)],
               w("published", n=len(week.published)), *[f"  {c}" for c in _capped(week.published)]]
    reviewer = bool(roles & (roles_for("progress.review") | {ADMIN}))
    if reviewer and week.entered_review:
        arrived.append(w("review_queue", link=absolute(settings, link_to("review_queue"))))
    sections = [(w("weekly_arrived", start=start, end=end), arrived)]
    if week.due_on is None:
        heading = w("no_deadline", year=week.year)
    elif week.overdue_days is not None:
        heading = w("overdue_heading", year=week.year, due=week.due_on.isoformat(), days=week.overdue_days)
    else:
        heading = w("missing_heading", year=week.year, due=week.due_on.isoformat())
    nobody = w("no_focal_point")
    owed = [f"{name if name != 'No focal point' else nobody}: {n} ({_first_codes(codes)})"
            for name, n, codes in week.owed]
    sections.append((heading, _capped(owed) or [w("nothing_owed")]))
    if week.silent_components:
        silent = [f"{name}: {n} ({_first_codes(codes)})" for name, n, codes in week.silent_components]
        sections.append((w("components_heading", last=week.year - 1, year=week.year), _capped(silent)))
    page = "coverage" if roles & (roles_for("coverage.view") | {ADMIN}) else "overview"
    query = {"year": week.year, "congress": week.congress} if page == "coverage" and week.congress else {}
    sections.append(("", [w("coverage" if page == "coverage" else "overview",
                           link=absolute(settings, link_to(page, **query)))]))
    return sections


def weekly_mail(user: User, week: Week, settings: Settings, roles: set[str]) -> tuple[str, str, str]:
    """(subject, plain, html) of one reader's weekly digest."""
    language = user.language
    sections = weekly_sections(week, language, settings, roles)
    subject = texts.word("weekly_subject", language, start=week.start.isoformat(),
                         end=(week.end - timedelta(days=1)).isoformat())
    hello = texts.word("hello", language, name=user.display_name)
    plain = [hello] + [heading + "\n" + "\n".join(_plain_item(line) for line in lines) if heading
                       else "\n".join(lines) for heading, lines in sections] + [f"— {settings.product_name}"]
    html = [f"<p>{escape(hello)}</p>"]
    for heading, lines in sections:
        if heading:
            html.append(f"<h3>{escape(heading)}</h3>")
        html.append("<ul>" + "".join(_html_item(line) for line in lines) + "</ul>")
    html.append(f"<p>— {escape(settings.product_name)}</p>")
    return (subject, "\n\n".join(plain) + "\n",
            "<!DOCTYPE html>\n<html><body>\n" + "\n".join(html) + "\n</body></html>\n")


def _weekly_readers(session: Session) -> list[tuple[int, set[str]]]:
    allowed = set(roles_for("digest.weekly")) | {ADMIN}
    rows = session.exec(select(UserRole.user_id, UserRole.role).join(User, User.id == UserRole.user_id)
                        .where(User.active == True)).all()  # noqa: E712
    roles: dict[int, set[str]] = {}
    for user_id, role in rows:
        roles.setdefault(user_id, set()).add(role)
    return sorted((uid, r) for uid, r in roles.items() if r & allowed)


def weekly(engine: Engine, *, today: date, settings: Settings, dry_run: bool = False,
           log: list[str] | None = None) -> dict[str, int]:
    log = log if log is not None else []
    if today.weekday() != WEEKDAY:
        return {"weekly_digests": 0}
    start = today - timedelta(days=7)
    with Session(engine) as s:
        readers = [(uid, roles) for uid, roles in _weekly_readers(s)
                   if mail_preferences.delivery(s, uid, "weekly_digest") != "off"]
        done = set(s.exec(select(DigestSent.user_id).where(DigestSent.digest == "weekly",
                                                           DigestSent.period_start == start)).all())
        readers = [(uid, roles) for uid, roles in readers if uid not in done]
        week = week_summary(s, today=today) if readers else None
    sent = 0
    for user_id, roles in readers:
        try:
            with transaction(engine) as s:
                if s.exec(select(DigestSent.id).where(DigestSent.user_id == user_id, DigestSent.digest == "weekly",
                                                      DigestSent.period_start == start)).first() is not None:
                    continue
                user = s.get(User, user_id)
                log.append(f"weekly digest to {user.username} <{user.email}>")
                if dry_run:
                    sent += 1
                    continue
                subject, plain, html = weekly_mail(user, week, settings, roles)
                outbox = mail.queue(s, to=user.email, subject=subject, body=plain, html=html,
                                    unsubscribe_kind="weekly_digest", user_id=user.id, settings=settings)
                s.add(DigestSent(user_id=user.id, digest="weekly", period_start=start, outbox_mail_id=outbox.id))
                s.flush()
                sent += 1
        except IntegrityError:  # another run sent this one at the same moment
            continue
    return {"weekly_digests": sent}


def run(engine: Engine, *, today: date, dry_run: bool = False, settings: Settings | None = None,
        log: list[str] | None = None) -> dict[str, int]:
    """Send what is due on `today`: the daily digests, and on Mondays the weekly one. Returns the counts;
    `log` (a list) receives one line per digest (what --dry-run prints). With dry_run nothing is written."""
    settings = settings or load_settings()
    return (daily(engine, today=today, settings=settings, dry_run=dry_run, log=log)
            | weekly(engine, today=today, settings=settings, dry_run=dry_run, log=log))


assert set(vocab.DIGESTS) == {"daily", "weekly"}
