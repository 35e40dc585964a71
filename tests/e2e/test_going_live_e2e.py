"""Going live (issue 9), end to end in real Chromium on a fresh, empty database (no demo data): the first
administrator is made on the command line, the register imported on the command line; in the app the
administrator imports the organisations and the users; the new reporter activates the account from the mail,
files an Activity Report; the administrator deactivates the account, which signs the reporter out at the next
click and refuses the password from then on."""

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import Session, create_engine, select

from db.models import ActivityReport, SignInSession, User
from tests.e2e import smtp
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, ROOT, _free_port, running_app, sign_in, wait_idle

pytestmark = pytest.mark.e2e
smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port

SHOTS = Path("/tmp/golive")
ADMIN_PASSWORD = "copper meadow falcon 77"
REPORTER_PASSWORD = "harbour violet compass 19"
TITLE = "Mangrove restoration workshop for coastal villages"
CODE = "WCC-2025-Res-001"

REGISTER = (
    "code,kind,number,title,congress,themes,status,archived_on\n"
    f"{CODE},Resolution,1,Restoring mangrove forests along tropical coasts,WCC-2025,Oceans,active,\n"
    "WCC-2025-Res-002,Resolution,2,Protecting freshwater springs in arid lands,WCC-2025,Water,active,\n"
)
ORGANISATIONS = (
    "kind,name,acronym,region,country\n"
    "Member,Coastal Alliance for Nature,CAN,Oceania,Fiji\n"
    "Commission,Commission on Ecosystem Care,CEC,,\n"
    "National Committee,Kenya National Committee,KNC,Africa,Kenya\n"
)
USERS = (
    "username,display_name,email,roles,components\n"
    "rita,Rita Reporter,rita@example.org,reporter,Coastal Alliance for Nature\n"
    "leo,Leo Leader,leo@example.org,leadership,\n"
)


def cli(module: str, *args: str, db_url: str, stdin: str = "") -> subprocess.CompletedProcess:
    """A command as an operator runs it, in a process of its own."""
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, env=os.environ | {"DATABASE_URL": db_url, "RT_DEMO": "0"},
                          timeout=120)


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_page(page, title: str, heading: str) -> None:
    """Click a page in the sidebar and wait for its title. The administrator sees all twenty pages: every one
    is listed (none behind a "View more" button)."""
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    assert sidebar.get_by_text(re.compile(r"^View \d+ more$")).count() == 0
    sidebar.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=heading).wait_for()
    wait_idle(page)


def cell(page, text: str):
    """A cell of a data table (the grid draws on a canvas and mirrors its cells for screen readers)."""
    return page.locator("[role=gridcell]").filter(has_text=re.compile("^" + re.escape(text) + "$"))


def found(page, things: str) -> int:
    """The count in the "N things found." caption above a table."""
    caption = page.get_by_text(re.compile(rf"^\d[\d,]* {things} found\.")).inner_text()
    return int(caption.split()[0].replace(",", ""))


def upload(page, scope, path: Path) -> None:
    """Put a file in the uploader of `scope` and wait until the server has it (the chip shows, no spinner)."""
    with page.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT") as sent:
        scope.locator("input[type=file]").set_input_files(str(path))
    assert sent.value.ok, sent.value.status
    scope.get_by_test_id("stFileChipName").filter(has_text=path.name).wait_for()
    scope.get_by_test_id("stFileChipIconSpinner").wait_for(state="detached")


def import_file(page, form_name: str, path: Path, done: str) -> float:
    """Upload `path` in the form holding the uploader `form_name`, click "Check and import", wait for the
    message `done`; return the seconds from the click to the message."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_text(form_name, exact=True))
    upload(page, form, path)
    started = time.monotonic()
    form.get_by_role("button", name="Check and import").click()
    page.get_by_test_id("stAlertContentSuccess").filter(has_text=done).wait_for(timeout=60_000)
    took = time.monotonic() - started
    wait_idle(page)
    return took


def mail_to(server, address: str, timeout: float = 75):
    """The first mail received for `address` (the app's mail thread sends every 30 s, sooner when nudged)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with server.lock:
            found = [m for m in server.messages if m["To"] == address]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no mail to {address} within {timeout} s; got {[m['To'] for m in server.messages]}")


def pick(page, name: str, typed: str, option) -> None:
    """Choose an option of a multiselect by typing part of it."""
    box = page.get_by_role("combobox", name=name)
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option).click()
    page.keyboard.press("Escape")


def file_report(page) -> None:
    open_page(page, "Report an activity", "Report an activity")
    page.get_by_text("Reporting for Coastal Alliance for Nature").wait_for()
    pick(page, "Resolutions concerned *", CODE, re.compile(re.escape(CODE)))
    wait_idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Title *").fill(TITLE)
    form.get_by_role("textbox", name="Description *").fill("Two days with 30 villagers on replanting mangroves.")
    pick(page, "Action types *", "Capacity", "Capacity-building")
    form.get_by_text("Completed", exact=True).click()
    dates = form.get_by_test_id("stDateInput")
    for index, typed in ((0, "02022026"), (1, "03022026")):
        dates.nth(index).click()
        page.keyboard.type(typed)
        page.keyboard.press("Escape")
    form.get_by_text("Global (worldwide)").click()
    shot(page, "05-report-form")
    form.get_by_role("button", name="Submit").click()
    page.get_by_text("is submitted").wait_for()
    wait_idle(page)
    shot(page, "06-report-submitted")


def test_going_live_from_an_empty_database(tmp_path, smtp_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    db_file = tmp_path / "live.db"
    db_url = f"sqlite:///{db_file}"

    # 1-2. The first administrator and the register, on the command line
    made = cli("services.admin", "create-admin", "boss", "--email", "boss@example.org", "--name", "Ada Admin",
               db_url=db_url, stdin=ADMIN_PASSWORD + "\n")
    assert made.returncode == 0, made.stdout + made.stderr
    (tmp_path / "register.csv").write_text(REGISTER, encoding="utf-8")
    imported = cli("services.register_cli", "import", str(tmp_path / "register.csv"), "--as", "boss",
                   db_url=db_url)
    assert imported.returncode == 0, imported.stdout + imported.stderr
    organisations = tmp_path / "organisations.csv"
    organisations.write_text(ORGANISATIONS, encoding="utf-8")
    users = tmp_path / "users.csv"
    users.write_text(USERS, encoding="utf-8")

    # 3. The app, as it runs in production: no demo, a cookie key of its own, a real mail server
    port = _free_port()
    env = {"DATABASE_URL": db_url, "RT_DEMO": "0", "RT_COOKIE_KEY": secrets.token_hex(16),
           "RT_PUBLIC_URL": f"http://127.0.0.1:{port}", **smtp_server.env()}
    with running_app(env, port=port) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def person():
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            return page

        # 4. The administrator imports the organisations, then the users
        admin = person()
        sign_in(admin, url, "boss", ADMIN_PASSWORD)
        admin.get_by_text("Signed in as Ada Admin").wait_for()
        shot(admin, "00-admin-landing")
        open_page(admin, "Organisations", "Organisations")
        shot(admin, "01-organisations-before")
        before = found(admin, "organisations")  # the IUCN Commissions, Secretariat units and Council
        organisations_took = import_file(admin, "Organisations file", organisations,
                                         "Imported: 3 new, 0 updated, 0 unchanged.")
        admin.get_by_text(f"{before + 3} organisations found.").wait_for()
        cell(admin, "Coastal Alliance for Nature").wait_for(state="attached")
        shot(admin, "02-organisations-imported")

        open_page(admin, "Users", "Users")
        admin.get_by_role("tab", name="Import and export").click()
        users_started = time.monotonic()
        users_took = import_file(admin, "Accounts file", users,
                                 "Imported: 2 new (each mailed an activation link), 0 updated, 0 unchanged.")
        admin.get_by_role("tab", name="Accounts").click()
        admin.get_by_text("3 accounts found.").wait_for()
        shot(admin, "03-users-imported")

        # 5. The reporter's activation mail, its link, a password, a sign-in and a report
        mail = mail_to(smtp_server, "rita@example.org")
        print(f"\nimport in the app, click to success message: organisations {organisations_took:.2f} s, "
              f"users {users_took:.2f} s; the activation mail arrived {time.monotonic() - users_started:.1f} s "
              "after the users were uploaded")
        body = mail.get_content()
        assert "Your username: rita" in body
        link = re.search(r"http://\S+\?set_password=\S+", body).group(0)
        assert link.startswith(url + "/?set_password=")

        reporter = person()
        reporter.goto(link)
        wait_idle(reporter)
        reporter.get_by_text("Username: rita").wait_for()
        reporter.get_by_role("textbox", name="New password", exact=True).fill(REPORTER_PASSWORD)
        reporter.get_by_role("textbox", name="Repeat the new password").fill(REPORTER_PASSWORD)
        shot(reporter, "04-set-password")
        reporter.get_by_role("button", name="Set my password").click()
        reporter.get_by_text("Your password is set. Sign in with it now.").wait_for()
        sign_in(reporter, url, "rita", REPORTER_PASSWORD)
        reporter.get_by_text("Signed in as Rita Reporter").wait_for()
        file_report(reporter)

        # 6. The administrator deactivates the reporter
        open_page(admin, "Users", "Users")
        admin.get_by_role("textbox", name="Search").fill("rita")
        admin.keyboard.press("Enter")
        admin.get_by_text("1 account found.").wait_for()
        wait_idle(admin)
        admin.locator(".stDataFrameGlideDataEditor").first.click(position={"x": 12, "y": 52})  # tick row 1
        admin.get_by_text("Rita Reporter · rita · rita@example.org").wait_for()
        wait_idle(admin)
        admin.get_by_role("button", name="Deactivate").click()
        admin.get_by_text("Account rita deactivated: it is signed out everywhere.").wait_for()
        wait_idle(admin)
        shot(admin, "07-users-deactivated")

        # ...and the reporter's next click shows the sign-in screen; the password no longer opens it
        reporter.get_by_test_id("stSidebar").get_by_role("link", name="My reports", exact=True).click()
        reporter.get_by_label("Username", exact=True).wait_for()
        wait_idle(reporter)
        assert reporter.get_by_text("Signed in as").count() == 0
        shot(reporter, "08-signed-out")
        reporter.get_by_label("Username", exact=True).fill("rita")
        reporter.get_by_label("Password", exact=True).fill(REPORTER_PASSWORD)
        reporter.get_by_role("button", name="Sign in", exact=True).click()
        reporter.get_by_text("This account is deactivated.").wait_for()
        wait_idle(reporter)
        assert reporter.get_by_text("Signed in as").count() == 0
        shot(reporter, "09-refused")
        browser.close()

    # What the database holds afterwards
    engine = create_engine(db_url)
    try:
        with Session(engine) as s:
            rita = s.exec(select(User).where(User.username == "rita")).one()
            [report] = s.exec(select(ActivityReport).where(ActivityReport.title == TITLE)).all()
            assert (report.state, report.author_id) == ("submitted", rita.id)
            assert rita.active is False
            sessions = s.exec(select(SignInSession).where(SignInSession.user_id == rita.id)).all()
            assert sessions, "the reporter signed in once"
            assert all(row.ended_at is not None for row in sessions)
    finally:
        engine.dispose()
