"""A real SMTP server (aiosmtpd) for tests: it keeps every mail it receives.

    from tests.e2e import smtp
    smtp_server = smtp.smtp_server  # the fixture (a plain import of it trips ruff's F811)

    def test_something(smtp_server):
        ... RT_SMTP_HOST=127.0.0.1, RT_SMTP_PORT=smtp_server.port, RT_SMTP_STARTTLS=0 ...
        [mail] = smtp_server.wait_for(1)

`stop()` and `start()` take the server down and bring it back on the same port (to test retries).
"""

import email
import socket
import threading
import time
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class _Keeper:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:
        raw = (envelope.original_content or envelope.content).replace(b"\r\n", b"\n")  # as a mail client shows it
        message = email.message_from_bytes(raw, policy=default)
        with self.server.lock:
            self.server.messages.append(message)
            self.server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted"


class SmtpServer:
    """A plain-SMTP server on 127.0.0.1:`port`; `messages` holds what it received, oldest first."""

    def __init__(self, port: int | None = None) -> None:
        self.host = HOST
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> "SmtpServer":
        if self._controller is None:
            controller = Controller(_Keeper(self), hostname=self.host, port=self.port, ready_timeout=10)
            controller.start()
            self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def env(self) -> dict[str, str]:
        """The app's settings for this server."""
        return {"RT_SMTP_HOST": self.host, "RT_SMTP_PORT": str(self.port), "RT_SMTP_STARTTLS": "0"}

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        """Wait until at least `count` mails arrived; return them all (AssertionError after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} mail(s) within {timeout} s, got {len(self.messages)}")


@pytest.fixture
def smtp_server():
    """A running SMTP server of its own for each test; stopped after it."""
    server = SmtpServer().start()
    try:
        yield server
    finally:
        server.stop()
