"""The outbox and its delivery to a real SMTP server (aiosmtpd), on SQLite and PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, select

from db.engine import transaction
from db.models import OutboxMail, utcnow
from db.settings import Settings, Smtp
from services import mail
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f
from tests.e2e import smtp

smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port


def settings_for(server=None, **options) -> Settings:
    if server is not None:
        options = {"host": server.host, "port": server.port, "starttls": False} | options
    return Settings(database_url="", demo_mode=True, cookie_key="k" * 20, smtp=Smtp(**options))


def queue_one(engine, to="someone@example.org", subject="Hello", body="Line one\nLine two\n") -> int:
    with transaction(engine) as s:
        return mail.queue(s, to=to, subject=subject, body=body).id


def row(engine, mail_id) -> OutboxMail:
    with Session(engine) as s:
        return s.get(OutboxMail, mail_id)


def make_due(engine, mail_id) -> None:
    with transaction(engine) as s:
        s.execute(update(OutboxMail).where(OutboxMail.id == mail_id)
                  .values(next_attempt_at=utcnow() - timedelta(seconds=1)))


def as_utc(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


# -- queue --------------------------------------------------------------------------------------------

def test_queue_is_part_of_the_callers_transaction(engine):
    with pytest.raises(RuntimeError), transaction(engine) as s:
        mail.queue(s, to="a@example.org", subject="Rolled back", body="x")
        raise RuntimeError("the write failed")
    with Session(engine) as s:
        assert s.exec(select(OutboxMail)).all() == []

    mail_id = queue_one(engine)
    kept = row(engine, mail_id)
    assert (kept.to_address, kept.subject, kept.sent_at, kept.attempts) == ("someone@example.org", "Hello", None, 0)


def test_queue_refuses_a_bad_address_and_flattens_the_subject(engine):
    with transaction(engine) as s:
        for bad in ("", "no-at-sign", "a@example.org\r\nBcc: victim@example.org"):
            with pytest.raises(ValidationFailed) as caught:
                mail.queue(s, to=bad, subject="x", body="y")
            assert caught.value.for_field("to")
        queued = mail.queue(s, to="a@example.org", subject="Two\r\nBcc: victim@example.org", body="y")
        assert queued.subject == "Two Bcc: victim@example.org"


# -- delivery -----------------------------------------------------------------------------------------

def test_without_an_smtp_host_nothing_is_sent(engine):
    mail_id = queue_one(engine)
    assert mail.deliver_pending(engine, settings_for()) == (0, 0)
    assert row(engine, mail_id).sent_at is None
    assert row(engine, mail_id).attempts == 0


def test_delivers_due_mail_once_as_plain_text(engine, smtp_server):
    mail_id = queue_one(engine, to="reader@example.org", subject="Your link", body="Hello Ana,\n\nclick é\n")
    settings = settings_for(smtp_server, sender="Tracker <tracker@example.org>")
    assert mail.deliver_pending(engine, settings) == (1, 0)
    [message] = smtp_server.wait_for(1)
    assert message["To"] == "reader@example.org"
    assert message["From"] == "Tracker <tracker@example.org>"
    assert message["Subject"] == "Your link"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Hello Ana,\n\nclick é\n"
    assert smtp_server.envelopes == [("tracker@example.org", ["reader@example.org"])]
    sent = row(engine, mail_id)
    assert sent.sent_at is not None and sent.last_error is None
    # Sent mail is not sent again.
    assert mail.deliver_pending(engine, settings) == (0, 0)
    assert len(smtp_server.messages) == 1


def test_a_down_server_is_retried_with_a_growing_backoff_then_delivered(engine, smtp_server):
    settings = settings_for(smtp_server)
    smtp_server.stop()
    mail_id = queue_one(engine)

    before = utcnow()
    assert mail.deliver_pending(engine, settings) == (0, 1)
    failed = row(engine, mail_id)
    assert failed.attempts == 1 and failed.sent_at is None
    assert failed.last_error and "Connection" in failed.last_error
    assert timedelta(seconds=50) < as_utc(failed.next_attempt_at) - before < timedelta(seconds=70)
    # Not due yet: left alone.
    assert mail.deliver_pending(engine, settings) == (0, 0)

    make_due(engine, mail_id)
    before = utcnow()
    assert mail.deliver_pending(engine, settings) == (0, 1)
    failed = row(engine, mail_id)
    assert failed.attempts == 2
    assert timedelta(seconds=110) < as_utc(failed.next_attempt_at) - before < timedelta(seconds=130)

    smtp_server.start()
    make_due(engine, mail_id)
    assert mail.deliver_pending(engine, settings) == (1, 0)
    assert len(smtp_server.wait_for(1)) == 1
    assert row(engine, mail_id).sent_at is not None
    assert row(engine, mail_id).last_error is None


def test_backoff_doubles_up_to_an_hour():
    assert [mail.backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert mail.backoff(7) == timedelta(hours=1)
    assert mail.backoff(50) == timedelta(hours=1)


def test_starttls_is_required_by_default(engine, smtp_server):
    """The test server offers no STARTTLS: with the default setting the mail is not sent in clear text."""
    mail_id = queue_one(engine)
    assert mail.deliver_pending(engine, settings_for(smtp_server, starttls=True)) == (0, 1)
    assert "STARTTLS" in row(engine, mail_id).last_error
    assert smtp_server.messages == []


def test_the_error_kept_holds_no_secret():
    smtp = Smtp(host="h", user="mailer", password="s3cret-pw")
    text = mail._error_text(OSError("auth failed for mailer with s3cret-pw " + "x" * 600), smtp)
    assert "s3cret-pw" not in text and "mailer" not in text
    assert len(text) <= 300


def test_a_row_is_claimed_by_one_sender_only(engine, smtp_server):
    mail_id = queue_one(engine)
    assert mail._claim(engine, mail_id) is not None
    assert mail._claim(engine, mail_id) is None  # another process finds it taken
    ids = [queue_one(engine, subject=f"Mail {n}") for n in range(12)]
    settings = settings_for(smtp_server)
    results = []
    threads = [threading.Thread(target=lambda: results.append(mail.deliver_pending(engine, settings)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(sent for sent, _ in results) == len(ids)
    assert sorted(m["Subject"] for m in smtp_server.wait_for(len(ids))) == sorted(f"Mail {n}" for n in range(12))
    assert len(smtp_server.messages) == len(ids)  # each one once


# -- the administrator's view -------------------------------------------------------------------------

def test_outbox_and_message_are_for_the_administrator(engine, smtp_server):
    with transaction(engine) as s:
        admin = f.actor(s, f.user(s, "boss", roles=("admin",)))
        reporter = f.actor(s, f.user(s, "rep", roles=("reporter",)))
        first = mail.queue(s, to="one@example.org", subject="First", body="Body one").id
    make_due(engine, first)
    mail.deliver_pending(engine, settings_for(smtp_server))
    smtp_server.stop()
    second = queue_one(engine, to="two@example.org", subject="Second", body="Body two")
    mail.deliver_pending(engine, settings_for(smtp_server))
    third = queue_one(engine, to="three@example.org", subject="Third", body="Body three")

    with Session(engine) as s:
        table = mail.outbox(session=s, actor=admin)
        assert list(table["subject"]) == ["Third", "Second", "First"]
        assert list(table["status"]) == ["waiting", "retrying", "sent"]
        assert list(table["attempts"]) == [0, 1, 1]
        assert list(table["id"]) == [third, second, first]
        shown = mail.message(session=s, actor=admin, mail_id=second)
        assert (shown["to"], shown["body"], shown["status"]) == ("two@example.org", "Body two", "retrying")
        with pytest.raises(NotFound):
            mail.message(session=s, actor=admin, mail_id=10**6)
        for who in (reporter, None):
            with pytest.raises(PermissionDenied):
                mail.outbox(session=s, actor=who)
            with pytest.raises(PermissionDenied):
                mail.message(session=s, actor=who, mail_id=first)


def test_command_line_sends_once(engine, smtp_server, monkeypatch, capsys):
    queue_one(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    assert mail.main(["send"]) == 0
    assert capsys.readouterr().out.strip() == "sent 1, failed 0"
    assert len(smtp_server.wait_for(1)) == 1
    assert mail.main(["send"]) == 0
    assert capsys.readouterr().out.strip() == "sent 0, failed 0"
