"""Sent mail page (admin only): the outbox, newest first, a mail's body as plain text, "send now"."""

import os
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.bootstrap import prepare_database
from db.engine import make_engine, transaction
from db.models import OutboxMail
from db.settings import Settings, Smtp
from services import mail
from tests import factories as f
from tests.e2e import smtp
from tests.pages.apptest import APP, open_page, reachable, session_token
from ui import mail_worker
from ui.auth import SESSION_KEY

PAGE = "pages/sent_mail.py"
smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port


def settings_for(server) -> Settings:
    return Settings(database_url="", demo_mode=True, cookie_key="k" * 20,
                    smtp=Smtp(host=server.host, port=server.port, starttls=False))


def queue(app_db, to: str, subject: str, body: str) -> int:
    engine = make_engine(app_db)
    with transaction(engine) as s:
        mail_id = mail.queue(s, to=to, subject=subject, body=body).id
    engine.dispose()
    return mail_id


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert not reachable(PAGE, user)


def test_demo_mode_keeps_mail_here_and_shows_it_as_plain_text(app_db, monkeypatch):
    monkeypatch.delenv("RT_SMTP_HOST", raising=False)
    queue(app_db, "old@example.org", "Older", "first")
    queue(app_db, "ana@example.org", "**Bold** <b>x</b>", "Hello **Ana**,\n<script>alert(1)</script>\n")
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert "kept here so the demo works offline" in at.info[0].value
    table = at.dataframe[0].value
    assert list(table["subject"])[:2] == ["**Bold** <b>x</b>", "Older"]  # newest first
    assert list(table["status"])[:2] == ["waiting", "waiting"]
    send = next(b for b in at.button if b.label == "Send waiting mail now")
    assert send.disabled

    chooser = next(s for s in at.selectbox if s.label == "Read a mail")
    chooser.select_index(0).run()
    assert not at.exception
    assert at.code[0].value == "Hello **Ana**,\n<script>alert(1)</script>"
    assert "Subject: **Bold** <b>x</b>" in at.text[0].value
    assert not any("Ana" in m.value for m in at.markdown)  # never rendered as Markdown


def test_outside_demo_mode_without_a_server_it_warns(tmp_path, monkeypatch):
    """The page alone, on a fresh production database (no demo accounts there) with one administrator."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("RT_DEMO", "0")
    monkeypatch.setenv("RT_COOKIE_KEY", "a-real-secret-key-for-this-test")
    monkeypatch.delenv("RT_SMTP_HOST", raising=False)
    engine = make_engine(os.environ["DATABASE_URL"])
    prepare_database(engine, demo=False)
    with transaction(engine) as s:
        f.user(s, "root", roles=("admin",), password="root password 123")
    engine.dispose()
    at = AppTest.from_file(str(Path(APP).parent / PAGE), default_timeout=30)
    at.session_state[SESSION_KEY] = session_token("root", "root password 123")
    at.run()
    assert not at.exception
    assert "mail waits here until RT_SMTP_HOST" in at.warning[0].value
    assert not any("demo" in i.value for i in at.info)
    assert any(i.value == "No mail yet." for i in at.info)


def test_send_now_delivers_waiting_mail(app_db, monkeypatch, smtp_server):
    monkeypatch.setattr("ui.mail_worker.start", lambda settings: None)  # the button alone sends here
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    mail_id = queue(app_db, "ana@example.org", "Your link", "Hello Ana\n")
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert not at.info or "demo works offline" not in at.info[0].value
    next(b for b in at.button if b.label == "Send waiting mail now").click().run()
    assert not at.exception
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Your link"
    assert at.success[0].value == "1 mail sent."
    assert at.dataframe[0].value["status"].iloc[0] == "sent"
    with Session(make_engine(app_db)) as s:
        assert s.exec(select(OutboxMail).where(OutboxMail.id == mail_id)).one().sent_at is not None


def test_the_app_process_delivers_mail_by_itself(app_db, monkeypatch, smtp_server):
    """app.py starts the mail thread: a waiting mail goes out with no click."""
    for key, value in smtp_server.env().items():
        monkeypatch.setenv(key, value)
    queue(app_db, "ana@example.org", "By itself", "Hello\n")
    at = open_page(PAGE, "admin")
    assert not at.exception
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "By itself"


def test_nudge_wakes_the_mail_thread(app_db, smtp_server):
    engine = make_engine(app_db)
    worker = mail_worker.Worker(engine, settings_for(smtp_server), interval=3600).start()
    try:
        deadline = time.monotonic() + 10
        while worker.rounds < 1 and time.monotonic() < deadline:  # its first round, at start
            time.sleep(0.02)
        assert worker.rounds == 1
        queue(app_db, "ana@example.org", "Nudged", "Hello\n")
        with mail_worker._lock:
            mail_worker._workers.append(worker)
        mail_worker.nudge()
        [received] = smtp_server.wait_for(1, timeout=10)  # long before the hour
        assert received["Subject"] == "Nudged"
    finally:
        worker.stop()
        with mail_worker._lock:
            mail_worker._workers.remove(worker)
        engine.dispose()
