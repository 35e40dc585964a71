"""The running app, started as the README says (streamlit run app.py in demo mode), for real Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# An init script: window.__signInForms holds the most sign-in forms ever in the page at once, for the whole
# life of the page (a form drawn twice for a moment, while a run replaces the screen, is caught).
COUNT_SIGN_IN_FORMS = """(() => {
  window.__signInForms = 0;
  const inputs = document.getElementsByTagName("input");  // live, and few: cheap to count on every change
  new MutationObserver(() => {
    let forms = 0;
    for (const input of inputs) forms += input.getAttribute("aria-label") === "Username" ? 1 : 0;
    window.__signInForms = Math.max(window.__signInForms, forms);
  }).observe(document, {subtree: true, childList: true});
})();"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(env: dict[str, str], args: tuple[str, ...] = (), port: int | None = None,
                script: str = "app.py") -> Iterator[str]:
    """Start `streamlit run app.py` (or `script`: asgi.py, the production start) with `env` added to this
    process' environment (DATABASE_URL, RT_DEMO, RT_COOKIE_KEY, RT_SMTP_*, ...) and extra command-line `args`;
    yield its base URL; stop it after."""
    port = port or _free_port()
    log = tempfile.TemporaryFile()  # a file, not a pipe nobody reads: a chatty app never stalls on it
    proc = subprocess.Popen(
        # No file watcher: the app under test runs the code it started with, even when someone saves a
        # file of the checkout meanwhile (Streamlit would drop changed modules and re-import them mid-test).
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none", *args],
        cwd=ROOT, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT,
    )

    def output() -> str:
        log.seek(0)
        return log.read().decode(errors="replace")

    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("the app did not start:\n" + output())
    if proc.poll() is not None:
        raise RuntimeError("the app stopped:\n" + output())
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


@dataclass(frozen=True)
class MailApp:
    url: str  # the app's base URL, also its RT_PUBLIC_URL: links in its mails point at it
    env: dict[str, str]  # the app's configuration, for commands run beside it (services.reminders run)
    database_url: str


@pytest.fixture
def mail_app(demo_file, tmp_path, smtp_server) -> Iterator[MailApp]:
    """The app on a private copy of the demo database, its mail going to `smtp_server` (tests/e2e/smtp.py),
    started as in production (asgi.py): its mails' one-click unsubscribe address is served there."""
    copy = tmp_path / "e2e.db"
    shutil.copy(demo_file, copy)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"DATABASE_URL": f"sqlite:///{copy}", "RT_DEMO": "1", "RT_PUBLIC_URL": url, **smtp_server.env()}
    with running_app(env, port=port, script="asgi.py") as started:
        assert started == url
        yield MailApp(url, env, env["DATABASE_URL"])


@pytest.fixture
def live_app(demo_file, tmp_path):
    """Base URL of the app on a private copy of the demo database."""
    copy = tmp_path / "e2e.db"
    shutil.copy(demo_file, copy)
    with running_app({"DATABASE_URL": f"sqlite:///{copy}", "RT_DEMO": "1"}) as url:
        yield url


@pytest.fixture
def browser():
    """Headless Chromium (Debian's), closed after the test; tests open their own contexts in it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(live_app, browser):
    """A fresh Chromium page on the demo app."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished running the script (patiently: a CI machine may be busy)."""
    page.wait_for_timeout(300)
    page.wait_for_selector(APP_IDLE, timeout=90_000)


def sign_in(page, base_url: str, username: str, password: str) -> None:
    """Sign in through the real form, once: the password is checked before the next run, which already draws
    the signed-in app (no second form to wait for, nothing to retry)."""
    page.goto(base_url)
    wait_idle(page)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)  # not "Show password"
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").wait_for(timeout=60_000)
    wait_idle(page)
