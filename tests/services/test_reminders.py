"""Reminders on both databases with fixed dates: who is due which reminder on each day of a cycle, a second run
and a crash send nothing twice, failed sends are retried and shown, mail choices and unsubscribe links are
honoured, "nothing to report" stops reminders and counts in coverage; the mails reach a real SMTP server."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import Session, select

from analytics import coverage
from db.engine import transaction
from db.models import OutboxMail, ReportingDeadline, SentReminder, SentReminderResolution, User, utcnow
from db.settings import Settings, Smtp
from services import mail, mail_preferences, nothing_to_report, reminder_rules, reminders
from services.errors import PermissionDenied, ValidationFailed
from tests import factories as f
from tests.e2e import smtp

smtp_server = smtp.smtp_server

YEAR = 2026
DEADLINE = date(2026, 12, 15)
SETTINGS = Settings(database_url="", demo_mode=True, cookie_key="k" * 20, public_url="https://tracker.example.org")
LAST_YEAR = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
THIS_YEAR = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(engine):
    """Three focal points (en, fr, es), four Resolutions, two components, the default rules, the deadline.

    fp_en: Res-001 (no report) and Res-002 (published: not owed). fp_fr: Res-003 (a draft: owed).
    fp_es: Res-002 (published) and Res-004 (in review: not owed) -> owes nothing.
    Component A reported on Res-001 last year, not this year -> its member rep_a is reminded.
    Component B reported on Res-003 last year and this year -> nobody is reminded."""
    with transaction(engine) as s:
        res = {n: f.resolution(s, n) for n in (1, 2, 3, 4)}
        a, b = f.component(s, "Component A"), f.component(s, "Component B")
        people = {}
        for name, language in (("fp_en", "en"), ("fp_fr", "fr"), ("fp_es", "es")):
            people[name] = f.user(s, name, roles=("focal_point",))
            people[name].language = language
        people["rep_a"] = f.user(s, "rep_a", components=(a,))
        people["rep_b"] = f.user(s, "rep_b", components=(b,))
        people["sec"] = f.user(s, "sec", roles=("secretariat",))
        for n, who in ((1, "fp_en"), (2, "fp_en"), (3, "fp_fr"), (2, "fp_es"), (4, "fp_es")):
            f.assign(s, res[n], people[who])
        f.progress_report(s, res[2], people["fp_en"], year=YEAR, state="published")
        f.progress_report(s, res[3], people["fp_fr"], year=YEAR, state="draft")
        f.progress_report(s, res[4], people["fp_es"], year=YEAR, state="in_review")
        f.activity_report(s, a, people["rep_a"], (res[1],), submitted_at=LAST_YEAR)
        f.activity_report(s, b, people["rep_b"], (res[3],), submitted_at=LAST_YEAR)
        f.activity_report(s, b, people["rep_b"], (res[3],), submitted_at=THIS_YEAR)
        s.add(ReportingDeadline(year=YEAR, due_on=DEADLINE))
        assert reminder_rules.install_defaults(s) == 6
        s.flush()
        ids = {k: u.id for k, u in people.items()}
        ids |= {"A": a.id, "B": b.id}
    return ids


def run(engine, day, **kwargs):
    return reminders.run(engine, today=day, settings=SETTINGS, **kwargs)


def sent(engine) -> list[tuple]:
    """(day sent, rule days or None, recipient username, subject key, codes) of every reminder recorded."""
    with Session(engine) as s:
        rows = s.exec(select(SentReminder, User.username).join(User, User.id == SentReminder.recipient_id)
                      .order_by(SentReminder.id)).all()
        out = []
        for reminder, username in rows:
            rule = s.get(reminders.ReminderRule, reminder.rule_id) if reminder.rule_id else None
            codes = sorted(s.exec(select(reminders.Resolution.code).join(
                SentReminderResolution, SentReminderResolution.resolution_id == reminders.Resolution.id)
                .where(SentReminderResolution.sent_reminder_id == reminder.id)).all())
            out.append((rule.days if rule else None, username, reminder.subject, tuple(codes)))
        return out


def outbox_count(engine) -> int:
    """Mails in the outbox, but the Secretariat's (the weekly digest, on Mondays, runs with the job)."""
    with Session(engine) as s:
        return s.exec(select(func.count(OutboxMail.id)).where(OutboxMail.to_address != "sec@example.org")).one()


def actor(engine, user_id):
    with Session(engine) as s:
        return f.actor(s, s.get(User, user_id))


R1, R3 = "WCC-2020-Res-001", "WCC-2020-Res-003"


def test_who_is_due_which_reminder_on_each_day_of_the_cycle(engine, world):
    by_day = {}
    day = date(2026, 10, 1)
    while day <= date(2027, 1, 31):
        summary = run(engine, day)
        if summary.queued:
            by_day[day] = summary.queued
        day += timedelta(days=1)
    assert by_day == {date(2026, 11, 15): 3, date(2026, 12, 8): 3, date(2026, 12, 15): 2, date(2026, 12, 22): 2}
    component = "components"
    assert sent(engine) == [
        (-30, "fp_en", "progress", (R1,)), (-30, "fp_fr", "progress", (R3,)), (-30, "rep_a", component, (R1,)),
        (-7, "fp_en", "progress", (R1,)), (-7, "fp_fr", "progress", (R3,)), (-7, "rep_a", component, (R1,)),
        (0, "fp_en", "progress", (R1,)), (0, "fp_fr", "progress", (R3,)),
        (7, "fp_en", "progress", (R1,)), (7, "fp_fr", "progress", (R3,)),
    ]
    assert outbox_count(engine) == 10
    with Session(engine) as s:  # the job ran the digests too: the weekly one went to the Secretariat on Mondays
        assert s.exec(select(func.count(OutboxMail.id)).where(OutboxMail.to_address == "sec@example.org")).one() > 0


def test_a_missed_day_is_caught_up_with_the_latest_rule_only(engine, world):
    assert run(engine, date(2026, 11, 16)).queued == 3  # the job did not run on the 15th
    assert run(engine, date(2026, 11, 18)).queued == 0  # sent already
    # Down from 1 to 14 December: on the 15th only the day's reminder goes, not the 7-day one as well.
    assert run(engine, date(2026, 12, 15)).queued == 2
    assert [(d, u) for d, u, _s, _c in sent(engine)][3:] == [(0, "fp_en"), (0, "fp_fr")]
    # Too late to catch up: after CATCH_UP_DAYS the 7-day-after reminder is not sent any more.
    assert run(engine, DEADLINE + timedelta(days=7 + reminders.CATCH_UP_DAYS)).queued == 0


def test_two_runs_a_day_send_nothing_twice(engine, world):
    assert run(engine, date(2026, 12, 8)).queued == 3
    again = run(engine, date(2026, 12, 8))
    assert (again.queued, again.already_sent) == (0, 3)
    assert outbox_count(engine) == 3


def test_a_crash_in_the_middle_then_a_run_that_completes_sends_nobody_twice(engine, world, monkeypatch):
    real_queue, calls = mail.queue, []

    def failing_queue(session, **kwargs):
        calls.append(kwargs["to"])
        if len(calls) == 2:
            raise RuntimeError("the process died")
        return real_queue(session, **kwargs)

    monkeypatch.setattr(reminders.mail, "queue", failing_queue)
    with pytest.raises(RuntimeError):
        run(engine, date(2026, 12, 8))
    assert outbox_count(engine) == 1 and len(sent(engine)) == 1  # the first recipient's, whole; nothing of the 2nd
    monkeypatch.setattr(reminders.mail, "queue", real_queue)
    assert run(engine, date(2026, 12, 8)).queued == 2
    assert run(engine, date(2026, 12, 8)).queued == 0
    recipients = [u for _d, u, _s, _c in sent(engine)]
    assert sorted(recipients) == ["fp_en", "fp_fr", "rep_a"]
    with Session(engine) as s:
        assert sorted(s.exec(select(OutboxMail.to_address)).all()) == [
            "fp_en@example.org", "fp_fr@example.org", "rep_a@example.org"]


def test_dry_run_prints_who_would_get_what_and_writes_nothing(engine, world):
    lines = []
    summary = run(engine, date(2026, 12, 8), dry_run=True, out=lines.append)
    assert summary.queued == 0 and len(summary.lines) == 3
    assert outbox_count(engine) == 0 and sent(engine) == []
    assert any("fp_fr@example.org [fr] \"Rapports d'avancement 2026 : à rendre dans 7 jours\"" in line
               for line in lines), lines
    assert all(line.startswith("would send ") for line in lines[:3])
    with Session(engine) as s:  # the Reminders page shows the same
        due = reminders.due_today(session=s, actor=actor(engine, world["sec"]), today=date(2026, 12, 8))
    assert sorted(due["email"]) == ["fp_en@example.org", "fp_fr@example.org", "rep_a@example.org"]
    assert set(due["language"]) == {"English", "Français"}
    assert run(engine, date(2026, 12, 8)).queued == 3  # the real run still sends them


def test_failed_sends_are_retried_and_shown_to_the_secretariat(engine, world, smtp_server):
    run(engine, date(2026, 12, 8))
    settings = Settings(database_url="", demo_mode=True, cookie_key="k" * 20,
                        smtp=Smtp(host=smtp_server.host, port=smtp_server.port, starttls=False))
    smtp_server.stop()
    assert mail.deliver_pending(engine, settings) == (0, 3)
    sec = actor(engine, world["sec"])
    with Session(engine) as s:
        shown = reminders.recent(session=s, actor=sec)
    assert list(shown["status"]) == ["failed, retrying"] * 3
    assert shown["last_error"].str.contains("Connection").all()
    assert set(shown["rule"]) == {"7 days before the deadline (focal points)",
                                  "7 days before the deadline (components)"}
    # The next run (once the back-off passed) delivers them; nothing is queued again.
    smtp_server.start()
    with transaction(engine) as s:
        s.execute(update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    assert run(engine, date(2026, 12, 9)).queued == 0
    assert mail.deliver_pending(engine, settings) == (3, 0)
    assert len(smtp_server.wait_for(3)) == 3
    with Session(engine) as s:
        assert list(reminders.recent(session=s, actor=sec)["status"]) == ["sent"] * 3
    with pytest.raises(PermissionDenied), Session(engine) as s:
        reminders.recent(session=s, actor=actor(engine, world["fp_en"]))


def test_mail_choices_and_unsubscribe_are_honoured(engine, world):
    mail_preferences.set_delivery(engine, actor(engine, world["fp_fr"]), world["fp_fr"], "reminders", "off")
    summary = run(engine, date(2026, 11, 15))
    assert (summary.queued, summary.turned_off) == (2, 1)
    assert [u for _d, u, _s, _c in sent(engine)] == ["fp_en", "rep_a"]
    # rep_a follows the link of the mail received: the next reminder does not go to them.
    with Session(engine) as s:
        body = s.exec(select(OutboxMail.body).where(OutboxMail.to_address == "rep_a@example.org")).one()
    link = next(w for w in body.split() if "?unsubscribe=" in w)
    assert mail_preferences.unsubscribe(engine, link.split("=", 1)[1], SETTINGS) == (world["rep_a"], "reminders")
    assert run(engine, date(2026, 12, 8)).queued == 1
    assert [u for _d, u, _s, _c in sent(engine)] == ["fp_en", "rep_a", "fp_en"]
    # "digest" is still on for reminders: a reminder is about a date.
    mail_preferences.set_delivery(engine, actor(engine, world["fp_fr"]), world["fp_fr"], "reminders", "digest")
    assert run(engine, date(2026, 12, 15)).queued == 2


def test_a_forged_unsubscribe_token_changes_nothing(engine, world):
    token = mail_preferences.unsubscribe_token(SETTINGS, world["fp_en"], "reminders")
    forged = mail_preferences.unsubscribe_token(SETTINGS, world["fp_fr"], "reminders").split(".")[0] + "." + \
        token.split(".")[1]
    with pytest.raises(ValidationFailed):
        mail_preferences.unsubscribe(engine, forged, SETTINGS)
    assert run(engine, date(2026, 11, 15)).queued == 3


def test_nothing_to_report_stops_reminders_and_counts_in_coverage(engine, world):
    fp_en, rep_a = actor(engine, world["fp_en"]), actor(engine, world["rep_a"])
    with transaction(engine) as s:
        nothing_to_report.declare(session=s, actor=fp_en, year=YEAR, code=R1, reason="Work paused")
        nothing_to_report.declare(session=s, actor=rep_a, year=YEAR, code=R1, component_id=world["A"])
    assert [u for _d, u, _s, _c in sent(engine)] == []
    run(engine, date(2026, 11, 15))
    assert [u for _d, u, _s, _c in sent(engine)] == ["fp_fr"]
    with Session(engine) as s:
        counts = coverage.state_counts(session=s, year=YEAR, congress_code="WCC-2020")
        table = coverage.resolution_coverage(session=s, year=YEAR, congress_code="WCC-2020")
    assert counts == {"published": 1, "nothing_to_report": 1, "in_preparation": 2, "none": 0}
    assert dict(zip(table["code"], table["state"]))[R1] == "nothing_to_report"
    assert R1 not in set(coverage.missing_reports(table)["code"])  # an answer, not a missing report

    # Undone: owed again, and reminded by the next rule.
    with transaction(engine) as s:
        nothing_to_report.undo(session=s, actor=fp_en, year=YEAR, code=R1)
        nothing_to_report.undo(session=s, actor=rep_a, year=YEAR, code=R1, component_id=world["A"])
    run(engine, date(2026, 12, 8))
    assert [u for _d, u, _s, _c in sent(engine)] == ["fp_fr", "fp_en", "fp_fr", "rep_a"]


def test_nothing_to_report_is_refused_to_others_and_once_the_report_is_in_review(engine, world):
    with pytest.raises(PermissionDenied), transaction(engine) as s:
        nothing_to_report.declare(session=s, actor=actor(engine, world["fp_fr"]), year=YEAR, code=R1)
    with pytest.raises(PermissionDenied), transaction(engine) as s:  # rep_b is not in component A
        nothing_to_report.declare(session=s, actor=actor(engine, world["rep_b"]), year=YEAR, code=R1,
                                  component_id=world["A"])
    with pytest.raises(ValidationFailed) as refused, transaction(engine) as s:
        nothing_to_report.declare(session=s, actor=actor(engine, world["fp_es"]), year=YEAR, code="WCC-2020-Res-004")
    assert refused.value.for_field("reason")
    with pytest.raises(ValidationFailed) as refused, transaction(engine) as s:  # B did not report on Res-001
        nothing_to_report.declare(session=s, actor=actor(engine, world["rep_b"]), year=YEAR, code=R1,
                                  component_id=world["B"])
    assert "did not report on" in refused.value.for_field("reason")[0]


def test_remind_now_reminds_the_focal_points_of_the_chosen_reports_and_coverage_shows_when(engine, world):
    sec = actor(engine, world["sec"])
    with Session(engine) as s:
        before = coverage.resolution_coverage(session=s, year=YEAR, congress_code="WCC-2020")
    assert before["last_reminded_at"].isna().all()
    counts = remind_now(engine, sec, [R1, R3, "WCC-2020-Res-002"])
    assert counts == {"sent": 2, "turned_off": 0, "nothing_owed": 1}  # Res-002 is published
    assert sent(engine) == [(None, "fp_en", "progress", (R1,)), (None, "fp_fr", "progress", (R3,))]
    # Pressed again: sent again (a deliberate act), and the job's own rules still apply.
    assert remind_now(engine, sec, [R1])["sent"] == 1
    assert run(engine, date(2026, 12, 22)).queued == 2
    with Session(engine) as s:
        after = coverage.resolution_coverage(session=s, year=YEAR, congress_code="WCC-2020")
        subject = s.exec(select(OutboxMail.subject).order_by(OutboxMail.id)).first()
    reminded = dict(zip(after["code"], after["last_reminded_at"]))
    assert pd_notna(reminded[R1]) and pd_notna(reminded[R3]) and not pd_notna(reminded["WCC-2020-Res-002"])
    assert subject == "Progress Reports 2026: 5 days overdue"  # the wording of the rule for that moment
    with pytest.raises(PermissionDenied):
        remind_now(engine, actor(engine, world["fp_en"]), [R1])
    with pytest.raises(ValidationFailed):
        remind_now(engine, sec, [R1], year=2030)
    with pytest.raises(ValidationFailed):
        remind_now(engine, sec, [])


def remind_now(engine, who, codes, year=YEAR):
    with transaction(engine) as s:
        return reminders.remind_now(session=s, actor=who, year=year, codes=codes, today=date(2026, 12, 20),
                                    settings=SETTINGS)


def pd_notna(value) -> bool:
    import pandas as pd

    return bool(pd.notna(value))


def test_the_mails_reach_an_smtp_server_in_each_language_with_working_links(engine, world, smtp_server):
    run(engine, date(2026, 12, 8))
    settings = Settings(database_url="", demo_mode=True, cookie_key="k" * 20,
                        smtp=Smtp(host=smtp_server.host, port=smtp_server.port, starttls=False))
    assert mail.deliver_pending(engine, settings) == (3, 0)
    received = {m["To"]: m for m in smtp_server.wait_for(3)}
    assert sorted(rcpt for _from, [rcpt] in smtp_server.envelopes) == sorted(received)
    assert set(received) == {"fp_en@example.org", "fp_fr@example.org", "rep_a@example.org"}
    assert received["fp_en@example.org"]["Subject"] == "Progress Reports 2026: due in 7 days"
    assert received["fp_fr@example.org"]["Subject"] == "Rapports d'avancement 2026 : à rendre dans 7 jours"
    assert received["rep_a@example.org"]["Subject"] == "Activity Reports 2026: your input is due in 7 days"
    french = received["fp_fr@example.org"].get_body(("plain",)).get_content()
    assert "Bonjour Fp_Fr," in french and "15 décembre 2026" in french and f"- {R3}: Test resolution 3" in french
    assert "https://tracker.example.org/my_resolutions" in french
    html = received["fp_fr@example.org"].get_body(("html",)).get_content()
    assert '<a href="https://tracker.example.org/my_resolutions">' in html
    component = received["rep_a@example.org"].get_body(("plain",)).get_content()
    assert "https://tracker.example.org/my_reports" in component and f"- {R1}:" in component
    # The unsubscribe link of the mail works; its List-Unsubscribe header is the one-click address of it.
    link = re.search(r"https://tracker\.example\.org/\?unsubscribe=\S+", french).group(0)
    assert received["fp_fr@example.org"]["List-Unsubscribe"] == f"<{mail_preferences.one_click_link(link)}>"
    assert mail_preferences.unsubscribe(engine, link.split("=", 1)[1], SETTINGS) == (world["fp_fr"], "reminders")
    assert run(engine, DEADLINE).queued == 1  # fp_en only


def test_user_text_in_a_reminder_is_escaped_in_the_html_part(engine, world):
    with transaction(engine) as s:
        s.get(User, world["fp_en"]).display_name = "<img src=x onerror=alert(1)>"
        s.get(reminders.Resolution, s.exec(select(reminders.Resolution.id).where(
            reminders.Resolution.code == R1)).one()).title = "<script>alert(1)</script>"
    run(engine, date(2026, 12, 8))
    with Session(engine) as s:
        html = s.exec(select(OutboxMail.html_body).where(OutboxMail.to_address == "fp_en@example.org")).one()
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html


def test_a_report_sent_to_review_after_nothing_to_report_is_the_answer_that_counts(engine, world):
    fp_en = actor(engine, world["fp_en"])
    with transaction(engine) as s:
        nothing_to_report.declare(session=s, actor=fp_en, year=YEAR, code=R1)
        draft = f.progress_report(s, s.exec(select(reminders.Resolution).where(reminders.Resolution.code == R1)).one(),
                                  s.get(User, world["fp_en"]), year=YEAR, state="draft")
    with Session(engine) as s:
        state = dict(zip(*coverage.resolution_coverage(session=s, year=YEAR, congress_code="WCC-2020")[
            ["code", "state"]].T.values))
    assert state[R1] == "nothing_to_report"  # a draft started meanwhile does not undo what was said
    with transaction(engine) as s:
        s.get(reminders.ProgressReport, draft.id).state = "in_review"
    with Session(engine) as s:
        counts = coverage.state_counts(session=s, year=YEAR, congress_code="WCC-2020")
    assert counts == {"published": 1, "nothing_to_report": 0, "in_preparation": 3, "none": 0}
