"""Digests (issue 15 items 3 and 4), on both databases with fixed dates: the daily digest gathers what each
user chose to receive that way, the weekly one tells the Secretariat and leadership what arrived and what is
overdue; both are sent once per user and period, also after a crash half-way."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from db.engine import transaction
from db.models import (
    AuditEvent,
    DigestSent,
    MailPreference,
    Notification,
    OutboxMail,
    ProgressReportRevision,
    ReportingDeadline,
    User,
)
from db.settings import Settings
from services import activity_reports as ar
from services import digests, mail, mail_preferences
from services import notification_texts as texts
from services import progress_reports as pr
from tests import factories as f

URL = "https://tracker.example.org"
SETTINGS = Settings(database_url="", demo_mode=True, cookie_key="k" * 32, public_url=URL)
MONDAY = date(2026, 6, 8)  # the week before: 1 to 7 June 2026
CODE1, CODE2 = "WCC-2020-Res-001", "WCC-2020-Res-002"


def at(y, m, d, h=9):
    return datetime(y, m, d, h, tzinfo=UTC)


@pytest.fixture(autouse=True)
def configured(monkeypatch):
    monkeypatch.setenv("RT_PUBLIC_URL", URL)
    monkeypatch.setenv("RT_COOKIE_KEY", "k" * 32)


@pytest.fixture
def world(engine):
    """Res-001 (fay focal point) and Res-002 (nobody) of WCC-2020; sam Secretariat, lea leadership (French),
    rosa a reporter of Andes, sahel another component. Andes reported on Res-001 in 2025 but not in 2026;
    Sahel in both years. Deadline for 2026: 31 May."""
    with Session(engine, expire_on_commit=False) as s:
        andes, sahel = f.component(s, "Andes Trust"), f.component(s, "Sahel Alliance")
        res1, res2 = f.resolution(s, 1), f.resolution(s, 2)
        users = {name: f.user(s, name, roles, comps) for name, roles, comps in (
            ("fay", ("focal_point",), ()), ("sam", ("secretariat",), ()), ("lea", ("leadership",), ()),
            ("rosa", ("reporter",), (andes, sahel)))}
        users["lea"].language = "fr"
        s.add(users["lea"])
        f.assign(s, res1, users["fay"])
        reports = {
            "andes_2025": f.activity_report(s, andes, users["rosa"], (res1,), submitted_at=at(2025, 5, 1)),
            "sahel_2025": f.activity_report(s, sahel, users["rosa"], (res1,), submitted_at=at(2025, 5, 2)),
            "sahel_week": f.activity_report(s, sahel, users["rosa"], (res1,), submitted_at=at(2026, 6, 3),
                                            title="In the week"),
            "sahel_before": f.activity_report(s, sahel, users["rosa"], (res2,), submitted_at=at(2026, 5, 20)),
        }
        s.add(ReportingDeadline(year=2026, due_on=date(2026, 5, 31)))
        actors = {name: f.actor(s, u) for name, u in users.items()}
        s.commit()
    return {"engine": engine, **actors, **{f"{n}_id": u.id for n, u in users.items()},
            **{k: r.id for k, r in reports.items()}}


def outbox(engine) -> list[OutboxMail]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)))


def notify(w, who: str, kind: str = "progress_published", code: str = CODE1) -> None:
    from services import notifications

    with transaction(w["engine"]) as s:
        notifications.notify(s, user_id=w[f"{who}_id"], kind=kind, values={"by": "Sam", "code": code, "year": 2026,
                                                                          "title": "T", "comment": "C"},
                             link=f"progress_report?code={code}&year=2026", settings=SETTINGS)


def choose(w, who: str, kind: str, delivery: str) -> None:
    mail_preferences.set_delivery(w["engine"], w[who], w[f"{who}_id"], kind, delivery)


# -- daily -------------------------------------------------------------------------------------------------
def test_the_daily_digest_gathers_each_users_waiting_notifications_once(world):
    w = world
    choose(w, "fay", "progress_published", "digest")
    choose(w, "fay", "progress_returned", "digest")
    notify(w, "fay", code=CODE1)
    notify(w, "fay", "progress_returned", code=CODE2)
    notify(w, "sam")  # immediate (the default): mailed at once, never in a digest
    assert [m.to_address for m in outbox(w["engine"])] == ["sam@example.org"]

    counts = digests.run(w["engine"], today=MONDAY.replace(day=9), settings=SETTINGS)  # a Tuesday: no weekly
    assert counts == {"daily_digests": 1, "daily_notifications": 2, "weekly_digests": 0}
    digest = outbox(w["engine"])[-1]
    assert digest.to_address == "fay@example.org"
    assert digest.subject == "Your daily digest: 2 notifications"
    assert f"The Progress Report on {CODE1} (2026) is published" in digest.body
    assert f"The Progress Report on {CODE2} (2026) was returned" in digest.body
    assert f"{URL}/progress_report?code={CODE1}&year=2026" in digest.body
    assert f"{URL}/progress_report?code={CODE2}&year=2026" in digest.body
    # two kinds: an unsubscribe link for each
    for kind in ("progress_published", "progress_returned"):
        assert mail_preferences.unsubscribe_link(SETTINGS, w["fay_id"], kind) in digest.body
        assert mail_preferences.unsubscribe_link(SETTINGS, w["fay_id"], kind).replace("&", "&amp;") \
            in digest.html_body
    with Session(w["engine"]) as s:
        assert all(n.mailed_at is not None for n in s.exec(select(Notification)))

    # the same day again: nothing, even for what arrived since (it waits for tomorrow's digest)
    notify(w, "fay", code=CODE2)
    assert digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)["daily_digests"] == 0
    assert len(outbox(w["engine"])) == 2
    counts = digests.run(w["engine"], today=date(2026, 6, 10), settings=SETTINGS)
    assert (counts["daily_digests"], counts["daily_notifications"]) == (1, 1)
    last = outbox(w["engine"])[-1]
    assert last.subject == "Your daily digest: 1 notification" and CODE2 in last.body
    # one kind: the mail's own footer and List-Unsubscribe header name it
    assert last.unsubscribe_url == mail_preferences.unsubscribe_link(SETTINGS, w["fay_id"], "progress_published")
    assert digests.run(w["engine"], today=date(2026, 6, 11), settings=SETTINGS)["daily_digests"] == 0


def test_the_daily_digest_is_in_the_users_language_and_escapes_user_text(world):
    w = world
    choose(w, "lea", "activity_returned", "digest")
    with transaction(w["engine"]) as s:  # lea returns nothing herself: a report of hers returned by sam
        report = f.activity_report(s, f.component(s, "Andes Trust"), s.get(User, w["lea_id"]),
                                   (f.resolution(s, 3),), title="<i>Mine</i>")
    with transaction(w["engine"]) as s:
        ar.return_report(session=s, actor=w["sam"], report_id=report.id, comment="<script>x</script>", version=1)
    digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)
    (digest,) = outbox(w["engine"])
    assert digest.subject == "Votre résumé du jour : 1 notification"
    assert digest.body.startswith("Bonjour Lea,") and "Votre rapport d’activité a été renvoyé" in digest.body
    assert "<script>x</script>" in digest.body  # plain text, as typed
    assert "<script>" not in digest.html_body and "&lt;script&gt;x&lt;/script&gt;" in digest.html_body
    assert "<i>Mine</i>" not in digest.html_body and "&lt;i&gt;Mine&lt;/i&gt;" in digest.html_body


def test_a_kind_turned_off_since_is_not_mailed_and_dry_run_writes_nothing(world):
    w = world
    choose(w, "fay", "progress_published", "digest")
    choose(w, "fay", "progress_returned", "digest")
    notify(w, "fay")
    notify(w, "fay", "progress_returned")
    log: list[str] = []
    counts = digests.run(w["engine"], today=date(2026, 6, 9), dry_run=True, settings=SETTINGS, log=log)
    assert counts["daily_digests"] == 1 and log == ["daily digest to fay <fay@example.org>: 2 notification(s)"]
    with Session(w["engine"]) as s:
        assert s.exec(select(DigestSent)).all() == []
        assert all(n.mailed_at is None for n in s.exec(select(Notification)))
    assert outbox(w["engine"]) == []

    choose(w, "fay", "progress_returned", "off")
    digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)
    (digest,) = outbox(w["engine"])
    assert "is published" in digest.body and "was returned" not in digest.body
    with Session(w["engine"]) as s:
        rows = {n.kind: n for n in s.exec(select(Notification))}
    assert rows["progress_returned"].delivery == "off" and rows["progress_returned"].mailed_at is None
    assert rows["progress_published"].mailed_at is not None


def test_a_run_that_crashed_half_way_sends_the_rest_next_time_and_nothing_twice(world, monkeypatch):
    w = world
    for who in ("fay", "sam"):
        choose(w, who, "progress_published", "digest")
        notify(w, who)
    real = mail.queue

    def failing_for_sam(session, **kwargs):
        if kwargs["to"] == "sam@example.org":
            raise ConnectionError("the process died")
        return real(session, **kwargs)

    monkeypatch.setattr(mail, "queue", failing_for_sam)
    with pytest.raises(ConnectionError):
        digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)
    assert [m.to_address for m in outbox(w["engine"])] == ["fay@example.org"]  # fay's committed, sam's not
    monkeypatch.setattr(mail, "queue", real)
    counts = digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)
    assert counts["daily_digests"] == 1
    assert [m.to_address for m in outbox(w["engine"])] == ["fay@example.org", "sam@example.org"]


# -- weekly ------------------------------------------------------------------------------------------------
def week_of_work(w) -> None:
    """In the week: Res-001's report sent for review (by fay) and published (by sam); before it, nothing."""
    with transaction(w["engine"]) as s:
        report = pr.submit_for_review(session=s, actor=w["fay"], code=CODE1, year=2026,
                                      data=pr.ProgressInput(status="Underway", summary="Done."))
    with transaction(w["engine"]) as s:
        pr.publish(session=s, actor=w["sam"], report_id=report.id, version=report.version)
    with transaction(w["engine"]) as s:  # the events happened on fixed days of the week
        s.execute(update(AuditEvent).where(AuditEvent.entity == "progress_report").values(at=at(2026, 6, 2)))
        s.execute(update(ProgressReportRevision).values(published_at=at(2026, 6, 4)))
        s.execute(update(Notification).values(read_at=at(2026, 6, 4)))
        s.execute(OutboxMail.__table__.delete())  # the event mails: not what this test is about


def test_the_weekly_digest_tells_secretariat_and_leadership_what_arrived_and_what_is_overdue(world):
    w = world
    week_of_work(w)
    assert digests.run(w["engine"], today=date(2026, 6, 9), settings=SETTINGS)["weekly_digests"] == 0  # Tuesday
    log: list[str] = []
    counts = digests.run(w["engine"], today=MONDAY, settings=SETTINGS, log=log)
    assert counts["weekly_digests"] == 2
    mails = {m.to_address: m for m in outbox(w["engine"])}
    assert set(mails) == {"sam@example.org", "lea@example.org"}  # not the focal point, not the reporter

    sam = mails["sam@example.org"]
    assert sam.subject == "Weekly digest, 2026-06-01 to 2026-06-07"
    assert "Activity Reports submitted: 1" in sam.body  # 3 June; not 20 May
    assert f"- Progress Reports entering review: 1\n  - {CODE1} (2026)\n" in sam.body
    assert f"- Progress Reports published: 1\n  - {CODE1} (2026)\n" in sam.body
    assert f"- Review queue: {URL}/review_queue" in sam.body
    # Res-001 is published; Res-002 (no focal point) is still owed, 8 days after the deadline
    assert "Progress Reports for 2026 overdue since 2026-05-31 (8 days), by focal point:" in sam.body
    assert f"- No focal point: 1 ({CODE2})" in sam.body and "Fay:" not in sam.body
    # by component: Andes reported in 2025 but not in 2026; Sahel did both
    assert f"Components that reported on a Resolution in 2025 but not yet in 2026:\n- Andes Trust: 1 ({CODE1})\n" \
        in sam.body
    assert "Sahel Alliance" not in sam.body
    assert f"Coverage: {URL}/coverage?year=2026&congress=WCC-2020" in sam.body
    assert sam.unsubscribe_url == mail_preferences.unsubscribe_link(SETTINGS, w["sam_id"], "weekly_digest")
    assert f'href="{URL}/coverage?year=2026&amp;congress=WCC-2020"' in sam.html_body

    lea = mails["lea@example.org"]  # in French, and links only to pages leadership opens
    assert lea.subject == "Résumé de la semaine, du 2026-06-01 au 2026-06-07"
    assert "Rapports d’activité soumis : 1" in lea.body and "Aucun point focal: 1" in lea.body
    assert "/coverage" not in lea.body and "/review_queue" not in lea.body
    assert f"Vue d’ensemble : {URL}/overview" in lea.body

    # a second run on the same Monday sends nothing
    assert digests.run(w["engine"], today=MONDAY, settings=SETTINGS)["weekly_digests"] == 0
    assert len(outbox(w["engine"])) == 2
    with Session(w["engine"]) as s:
        sent = s.exec(select(DigestSent.digest, DigestSent.period_start)).all()
    assert sorted(sent) == [("weekly", date(2026, 6, 1))] * 2
    assert sorted(log) == ["weekly digest to lea <lea@example.org>", "weekly digest to sam <sam@example.org>"]


def test_the_weekly_digest_follows_the_choice_and_says_when_nothing_is_missing(world):
    w = world
    choose(w, "lea", "weekly_digest", "off")
    with transaction(w["engine"]) as s:  # chosen while fay was Secretariat, say: a focal point is no reader
        s.add(MailPreference(user_id=w["fay_id"], kind="weekly_digest", delivery="immediate"))
    with transaction(w["engine"]) as s:
        s.execute(update(ReportingDeadline).values(due_on=date(2026, 12, 31)))
    digests.run(w["engine"], today=MONDAY, settings=SETTINGS)
    (sam,) = outbox(w["engine"])
    assert sam.to_address == "sam@example.org"
    assert "Progress Reports for 2026 still missing (due 2026-12-31), by focal point:" in sam.body
    assert f"- Fay: 1 ({CODE1})" in sam.body and f"- No focal point: 1 ({CODE2})" in sam.body
    assert "Activity Reports submitted: 1" in sam.body and "Progress Reports published: 0" in sam.body
    assert "Review queue" not in sam.body  # nothing entered review


def test_weekly_texts_exist_in_every_language():
    week = digests.Week(start=date(2026, 6, 1), end=MONDAY, year=2026, congress="WCC-2020", due_on=None)
    for language in ("en", "fr", "es"):
        sections = digests.weekly_sections(week, language, SETTINGS, {"secretariat"})
        assert sections[1][0] == texts.word("no_deadline", language, year=2026)
        assert sections[1][1] == [texts.word("nothing_owed", language)]
