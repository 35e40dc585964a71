"""Mail delivery inside the app process: one daemon thread per process sends the outbox every 30 seconds,
and `nudge()` makes it send right away after a write that queued mail. Nothing here ever raises into a page;
a failure is logged and tried again at the next round (each mail keeps its own back-off in the outbox).

    ui.mail_worker.start(settings)   # app.py, every run (cheap after the first)
    ui.mail_worker.nudge()           # after a transaction that queued mail has committed
"""

import logging
import threading

import streamlit as st
from sqlalchemy.engine import Engine

from db.settings import Settings
from services import mail

INTERVAL_SECONDS = 30
log = logging.getLogger(__name__)
_workers: list["Worker"] = []
_lock = threading.Lock()


class Worker:
    def __init__(self, engine: Engine, settings: Settings, interval: float = INTERVAL_SECONDS) -> None:
        self.engine = engine
        self.settings = settings
        self.interval = interval
        self.wake = threading.Event()
        self.stopped = threading.Event()
        self.rounds = 0
        self.thread = threading.Thread(target=self._run, name="mail-worker", daemon=True)

    def start(self) -> "Worker":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.wake.set()

    def deliver_once(self) -> tuple[int, int]:
        try:
            sent, failed = mail.deliver_pending(self.engine, self.settings)
        except Exception as error:  # noqa: BLE001 (the database is away, say: try again next round)
            log.warning("mail delivery failed: %s", type(error).__name__)
            return 0, 0
        if sent or failed:
            log.info("mail: %d sent, %d failed", sent, failed)
        return sent, failed

    def _run(self) -> None:
        while not self.stopped.is_set():
            self.deliver_once()
            self.rounds += 1
            self.wake.wait(self.interval)
            self.wake.clear()


@st.cache_resource(show_spinner=False)
def _worker(database_url: str, smtp_key: tuple, _engine: Engine, _settings: Settings) -> Worker:
    worker = Worker(_engine, _settings).start()
    with _lock:
        _workers.append(worker)
    return worker


def start(settings: Settings) -> Worker | None:
    """Make sure this process has its mail thread (none while no SMTP host is configured: mail waits)."""
    try:
        if not settings.smtp.host:
            return None
        from ui.data import engine

        smtp = settings.smtp
        return _worker(settings.database_url, (smtp.host, smtp.port, smtp.user, smtp.sender, smtp.starttls),
                       engine(), settings)
    except Exception as error:  # noqa: BLE001 (never into a page)
        log.warning("mail worker did not start: %s", type(error).__name__)
        return None


def nudge() -> None:
    """Deliver right away (returns at once: the thread does the work)."""
    try:
        with _lock:
            workers = list(_workers)
        for worker in workers:
            worker.wake.set()
    except Exception as error:  # noqa: BLE001 (never into a page)
        log.warning("mail worker nudge failed: %s", type(error).__name__)
