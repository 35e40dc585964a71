"""The daily reminders job against the running app, in real Chromium, its mail going to a real SMTP server:
`python -m services.reminders run --today ...` mails the demo focal point in English with a link that opens
My Resolutions after signing in; the mail's unsubscribe link, opened in the browser signed out, asks and turns
reminders off, so the next rule's run mails the others but not them. The List-Unsubscribe header's one-click
address (RFC 8058) turns another recipient's off with a POST; a GET of it (a scanner) turns nothing off."""

import os
import re
import subprocess
import sys
import urllib.request

import pytest

from tests.e2e import smtp
from tests.e2e.conftest import ROOT, sign_in, wait_idle

pytestmark = pytest.mark.e2e
smtp_server = smtp.smtp_server

FOCAL = "focal@demo.iucn.invalid"


def run_job(env: dict, day: str) -> str:
    done = subprocess.run([sys.executable, "-m", "services.reminders", "run", "--today", day], cwd=ROOT,
                          env=os.environ | env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_reminder_mail_links_open_the_app_and_unsubscribe_works(mail_app, smtp_server, browser):
    url, env = mail_app.url, mail_app.env
    out = run_job(env, "2026-12-08")
    assert "queued 2026 rule" in out and "mail: sent" in out
    mails = smtp_server.wait_for(2)
    focal = next(m for m in mails if m["To"] == FOCAL)
    assert focal["Subject"] == "Progress Reports 2026: due in 7 days"
    text = focal.get_body(("plain",)).get_content()
    assert "Dear Farid Focal," in text and "15 December 2026" in text
    assert f"{url}/my_resolutions" in text
    unsubscribe = re.search(r"(\S+/\?unsubscribe=\S+)", text).group(1)
    assert unsubscribe.startswith(f"{url}/?unsubscribe=")
    one_click = focal["List-Unsubscribe"].strip("<>")
    assert one_click.startswith(f"{url}/mail/unsubscribe?token=")
    assert focal["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with urllib.request.urlopen(one_click, timeout=30) as answer:  # a GET, as a scanner: sent to the asking page
        assert answer.status == 200 and "/?unsubscribe=" in answer.url
    other_recipient = next(m for m in mails if m["To"] != FOCAL)
    post = urllib.request.Request(other_recipient["List-Unsubscribe"].strip("<>"), method="POST",
                                  data=b"List-Unsubscribe=One-Click")
    with urllib.request.urlopen(post, timeout=30) as answer:
        assert answer.status == 200

    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    # The link in the mail: signed out it asks to sign in, then opens My Resolutions.
    page.goto(f"{url}/my_resolutions")
    wait_idle(page)
    sign_in(page, f"{url}/my_resolutions", "focal", "Demo-Focal-2026")
    page.get_by_role("heading", name="My Resolutions").wait_for()

    # The unsubscribe link, in another (signed-out) browser: it asks, then turns them off.
    other = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
    other.goto(unsubscribe)
    other.get_by_role("button", name="Stop these mails").click()
    other.get_by_text("You will no longer receive “Reminders of reporting deadlines” mails.").wait_for()
    other.get_by_role("button", name="Back to the Resolutions Tracker").click()
    wait_idle(other)
    assert "unsubscribe" not in other.url
    context.close()

    before = len(smtp_server.messages)
    run_job(env, "2026-12-15")  # on the day: the other focal points, not the demo focal point
    smtp_server.wait_for(before + 1)
    later = [m["To"] for m in smtp_server.messages[before:]]
    assert later and FOCAL not in later and other_recipient["To"] not in later
