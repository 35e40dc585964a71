"""The error screen under real faults: SQLite locked by another writer, PostgreSQL down then back (through a
small TCP proxy that the test stops and starts). The page shows the plain message with an error id and no
traceback, SQL, value, host or port; what the user typed is kept; once the database answers, one click
writes exactly one change. Production settings: client.showErrorDetails = "none"."""

import socket
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import Session, select
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.migrate import upgrade
from db.models import AuditEvent, User
from db.reference_data import load_reference_data
from tests import factories as f
from tests.conftest import PG_ADMIN_URL, _scratch_postgres
from tests.pages.apptest import APP, open_page, session_token
from ui import errors
from ui.auth import SESSION_KEY
from ui.data import _engine

PAGE = "pages/my_account.py"
TYPED = "Rosa Typed-While-Down"
ROSA_PASSWORD = "Rosa-Fault-Test-2026"


@pytest.fixture(autouse=True)
def production_errors():
    before = st_config.get_option("client.showErrorDetails")
    st_config.set_option("client.showErrorDetails", "none")
    yield
    st_config.set_option("client.showErrorDetails", before)


def _texts(at) -> list[str]:
    found = []
    for kind in ("markdown", "error", "warning", "info", "caption", "text", "code", "exception", "title"):
        found += [str(getattr(e, "value", "")) + str(getattr(e, "message", "")) for e in getattr(at, kind)]
    return found


def _assert_error_screen(at, *secrets: str) -> None:
    assert not at.exception, [e.message for e in at.exception]
    screens = [e.value for e in at.error if errors.DATABASE_MESSAGE in e.value]
    assert len(screens) == 1, [e.value for e in at.error]
    assert "Error id: " in screens[0]
    shown = "\n".join(_texts(at))
    for leak in ("Traceback", "SELECT", "UPDATE", "sqlalchemy", "psycopg", "sqlite3", *secrets):
        assert leak not in shown, leak


def _type_and_save(at):
    at.text_input(key="account_display_name").set_value(TYPED)
    at.button(key="FormSubmitter:profile_form-Save").click().run()
    return at


def _profile_changes(url: str, username: str) -> tuple[str, int]:
    engine = make_engine(url)
    try:
        with Session(engine) as s:
            name = s.exec(select(User.display_name).where(User.username == username)).one()
            events = s.exec(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == "update_profile")).one()
            return name, events
    finally:
        engine.dispose()


def _recover(at, url: str, username: str, before_events: int) -> None:
    """After the fault: the page is back with the typed text; one click saves it once."""
    at.run()
    assert not at.exception
    assert at.text_input(key="account_display_name").value == TYPED
    _, events = _profile_changes(url, username)
    assert events == before_events  # nothing was half-written during the fault
    at.button(key="FormSubmitter:profile_form-Save").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    name, events = _profile_changes(url, username)
    assert name == TYPED and events == before_events + 1


# -- SQLite: another writer holds the lock ----------------------------------------------------------------

def test_locked_sqlite_shows_the_plain_message_keeps_the_text_and_saves_once_after(app_db, monkeypatch):
    url = f"{app_db}?timeout=0.3"  # a short busy timeout, so the test waits 0.3 s, not 30
    monkeypatch.setenv("DATABASE_URL", url)
    at = open_page(PAGE, "reporter")
    assert not at.exception
    _, before = _profile_changes(url, "reporter")

    holder = sqlite3.connect(make_url(app_db).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another connection writing for longer than the busy timeout
    try:
        _type_and_save(at)
        _assert_error_screen(at, TYPED)
        assert at.session_state["account_display_name"] == TYPED  # the input survives the failed run
    finally:
        holder.rollback()
        holder.close()
    _recover(at, url, "reporter", before)


def test_an_error_in_the_page_is_logged_under_the_id_it_shows(app_db, monkeypatch, caplog):
    monkeypatch.setenv("DATABASE_URL", f"{app_db}?timeout=0.2")
    at = open_page(PAGE, "reporter")
    holder = sqlite3.connect(make_url(app_db).database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with caplog.at_level("ERROR", logger="resolutions_tracker.errors"):
            _type_and_save(at)
    finally:
        holder.rollback()
        holder.close()
    shown = next(e.value for e in at.error if "Error id: " in e.value)
    error_id = shown.split("Error id: ")[1].rstrip(")")
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info  # the details, SQL included, go to the log only
    assert "database is locked" in str(logged[0].exc_info[1])


# -- PostgreSQL: down, then back --------------------------------------------------------------------------

class Proxy:
    """127.0.0.1:port -> the real server, stopped and started by the test (a server going down and back)."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._sockets: list[socket.socket] = []
        self._listener = None

    def start(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(32)
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def stop(self) -> None:
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept() (close does not)
        except OSError:
            pass
        self._listener.close()
        for s in self._sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self._sockets.clear()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@contextmanager
def _postgres_behind_proxy():
    """A scratch database with the reference data and one reporter, rosa, reached through the proxy."""
    url, drop = _scratch_postgres()
    engine = make_engine(url)
    upgrade(engine)
    load_reference_data(engine)
    with Session(engine) as s:
        f.user(s, "rosa", ("reporter",), password=ROSA_PASSWORD)
        s.commit()
    engine.dispose()
    real = make_url(url)
    proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    try:
        yield proxy, real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    finally:
        proxy.stop()
        _engine.clear()  # the cached app engine points at the proxy, which is gone
        drop()


def _postgresql_down_then_back_shows_the_plain_message_then_works(monkeypatch):
    with _postgres_behind_proxy() as (proxy, url):
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.setenv("RT_DEMO", "0")
        monkeypatch.setenv("RT_COOKIE_KEY", "fault-test-cookie-key-0123456789abcdef")
        at = AppTest.from_file(APP, default_timeout=30)
        at.session_state[SESSION_KEY] = session_token("rosa", ROSA_PASSWORD)
        at.run()
        at.switch_page(PAGE).run()
        assert not at.exception and at.text_input(key="account_display_name").value == "Rosa"
        _, before = _profile_changes(url, "rosa")

        proxy.stop()  # the server goes away: open connections drop, new ones are refused
        _type_and_save(at)
        _assert_error_screen(at, TYPED, str(proxy.port), "127.0.0.1", make_url(url).database)
        assert at.session_state["account_display_name"] == TYPED

        proxy.start()  # back: pool_pre_ping replaces the dead connections
        _recover(at, url, "rosa", before)

if PG_ADMIN_URL:  # like the `engine` fixture: the PostgreSQL half only where a server is given, never skipped
    test_postgresql_down_then_back_shows_the_plain_message_then_works = (
        _postgresql_down_then_back_shows_the_plain_message_then_works)


# -- what reaches a browser ------------------------------------------------------------------------------

def test_the_error_screen_is_installed_for_every_run():
    """Runs that app.py does not wrap (a page run alone, a widget callback) get the same screen."""
    errors.install()
    assert errors.installed()


def test_a_failing_callback_is_shown_on_the_page_drawn_again(app_db):
    at = AppTest.from_string('''
import streamlit as st
from ui import errors
errors.install()

def save():
    raise RuntimeError("SELECT secret FROM app_user WHERE host = 'db.internal:5432'")

st.text_input("Title", key="title")
st.button("Save", on_click=errors.guarded(save))
''', default_timeout=30)
    at.run()
    at.text_input(key="title").set_value("kept text")
    at.button[0].click().run()
    assert not at.exception
    assert [e.value for e in at.error if errors.OTHER_MESSAGE in e.value and "Error id: " in e.value]
    assert at.text_input(key="title").value == "kept text"
    assert "db.internal" not in "\n".join(_texts(at))


def test_the_asgi_entry_point_sends_security_headers(app_db):
    import subprocess
    import sys
    import time
    import urllib.request

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "asgi.py", "--server.port", str(port),
                               "--server.headless", "true", "--server.address", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    headers = response.headers
                    break
            except OSError:
                assert time.monotonic() < deadline, "the ASGI app did not start"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(10)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
