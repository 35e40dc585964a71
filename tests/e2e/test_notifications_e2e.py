"""Notifications in real Chromium, the app's mail going to a real SMTP server: the Secretariat returns an
Activity Report from the Progress Report editor; its author gets a mail whose link, opened in a fresh browser,
asks them to sign in and then opens the report; the bell shows the notification, the list marks it read."""

import re
from pathlib import Path

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import ActivityReport, ActivityReportResolution, ProgressReport, Resolution, User
from services import activity_reports as ar
from services import progress_reports as pr
from tests.e2e import smtp
from tests.e2e.conftest import sign_in, wait_idle
from tests.factories import actor

pytestmark = pytest.mark.e2e
smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port

SHOTS = Path("/tmp/shots")
COMMENT = "Please give the number of rangers trained <and> the dates."
YEAR = pr.current_reporting_year()


def returnable_by_secretariat(url: str) -> tuple[str, int, str]:
    """(Resolution code, Activity Report id, title): a submitted report of the demo reporter that the Secretariat
    may return from the editor of the Resolution's draft (or not yet started) Progress Report of this year."""
    with Session(make_engine(url)) as s:
        secretariat = actor(s, s.exec(select(User).where(User.username == "secretariat")).one())
        rows = s.exec(select(ActivityReport.id, ActivityReportResolution.resolution_id)
                      .join(ActivityReportResolution).join(User, User.id == ActivityReport.author_id)
                      .where(User.username == "reporter", ActivityReport.state == "submitted",
                             ActivityReport.locked == False)  # noqa: E712
                      .order_by(ActivityReport.id)).all()
        for report_id, resolution_id in rows:
            current = s.exec(select(ProgressReport).where(ProgressReport.resolution_id == resolution_id,
                                                          ProgressReport.year == YEAR)).first()
            if current is not None and current.state != "draft":
                continue
            candidates = pr.source_candidates(session=s, resolution_id=resolution_id, year=YEAR)
            if report_id in set(candidates["id"]) and ar.returnable(session=s, actor=secretariat,
                                                                     report_ids=(report_id,)):
                return s.get(Resolution, resolution_id).code, report_id, s.get(ActivityReport, report_id).title
    raise AssertionError("the demo data has no report the Secretariat may return from an editor")


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def test_a_returned_report_reaches_its_author_by_bell_and_by_mail(mail_app, browser, smtp_server):
    base, db_url = mail_app.url, mail_app.database_url
    code, report_id, title = returnable_by_secretariat(db_url)
    SHOTS.mkdir(exist_ok=True)

    # the Secretariat returns it from the editor's source card
    reviewer = new_page(browser)
    sign_in(reviewer, base, "secretariat", "Demo-Secretariat-2026")
    reviewer.goto(f"{base}/progress_report?code={code}&year={YEAR}")
    wait_idle(reviewer)
    reviewer.get_by_text("Return to its author").first.click()
    reviewer.get_by_label("Comment for the author").fill(COMMENT)
    reviewer.get_by_role("button", name="Return with this comment").click()
    reviewer.get_by_text("Returned to its author with your comment").wait_for(timeout=60_000)

    # the mail: to the author, in English, the comment as typed, a link to the report, an unsubscribe link
    mails = [m for m in smtp_server.wait_for(1, timeout=90) if m["To"] == "reporter@demo.iucn.invalid"]
    (mail,) = mails
    assert mail["Subject"] == f"Your Activity Report was returned: {title}"
    plain = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert COMMENT in plain and "&lt;and&gt;" in html and "<and>" not in html
    link = re.search(r"Open it: (\S+)", plain).group(1)
    assert link == f"{base}/report_activity?id={report_id}"
    assert f'href="{link}"' in html
    assert mail["List-Unsubscribe"].startswith(f"<{base}/mail/unsubscribe?token=")  # one click (RFC 8058)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # the author opens the link in a browser of their own: sign in, then the report itself
    author = new_page(browser)
    author.goto(link)
    wait_idle(author)
    author.get_by_label("Username", exact=True).fill("reporter")
    author.get_by_label("Password", exact=True).fill("Demo-Reporter-2026")
    author.get_by_role("button", name="Sign in", exact=True).click()
    author.get_by_text("Signed in as").wait_for(timeout=60_000)
    wait_idle(author)
    assert f"report_activity?id={report_id}" in author.url
    author.get_by_text(COMMENT).first.wait_for()  # the returned report, with the reviewer's comment
    wait_idle(author)
    bell = author.get_by_test_id("stPageLink-NavLink").filter(has_text="Notifications · 1 unread").first
    bell.wait_for()
    author.screenshot(path=str(SHOTS / "notif_report_opened.png"))

    # the bell opens the list: the notification, unread, with the comment; mark it read
    bell.click()
    wait_idle(author)
    author.get_by_text(f"Your Activity Report was returned: {title}").wait_for()
    author.get_by_text("1 unread notification").wait_for()
    author.screenshot(path=str(SHOTS / "notif_list.png"), full_page=True)
    author.get_by_role("button", name="Mark read").click()
    wait_idle(author)
    author.get_by_text("Nothing unread.").wait_for()
    author.get_by_test_id("stPageLink-NavLink").get_by_text("Notifications", exact=True).first.wait_for()  # the bell
    author.screenshot(path=str(SHOTS / "notif_read.png"), full_page=True)
