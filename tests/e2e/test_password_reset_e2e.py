"""Forgot your password, in real Chromium, with the app's mail going to a real SMTP server: the link in the
mail sets a new password, which signs in; the old one no longer does; the link works once."""

import re

import pytest

from tests.e2e import smtp
from tests.e2e.conftest import (
    COUNT_SIGN_IN_FORMS,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e
smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port

EMAIL = "reporter@demo.iucn.invalid"
OLD = "Demo-Reporter-2026"
NEW = "lantern river orchid 42"


def new_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(COUNT_SIGN_IN_FORMS)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def ask_for_link(page, who: str) -> None:
    """Once, as a person would: the sign-in screen is drawn by one run and nothing redraws it after."""
    wait_idle(page)
    page.get_by_text("Forgot your password?").click()
    page.get_by_label("Email or username").fill(who)
    page.get_by_role("button", name="Send me a link").click()
    page.get_by_text("If an account matches, a link").wait_for()


def set_password(page, password: str) -> None:
    wait_idle(page)
    page.get_by_role("textbox", name="New password", exact=True).fill(password)
    page.get_by_role("textbox", name="Repeat the new password").fill(password)
    page.get_by_role("button", name="Set my password").click()
    page.get_by_text("Your password is set. Sign in with it now.").wait_for()


def test_forgotten_password_by_mail(mail_app, browser, smtp_server):
    mail_app = mail_app.url
    page = new_page(browser)
    page.goto(mail_app)  # the server's first session: its first screen takes the first submit
    ask_for_link(page, EMAIL)
    assert page.evaluate("window.__signInForms") == 1  # never drawn twice, not even for a moment

    [received] = smtp_server.wait_for(1, timeout=60)  # the app's mail thread, nudged
    assert received["To"] == EMAIL
    body = received.get_content()
    assert "Your username: reporter" in body
    link = re.search(r"http://\S+\?set_password=\S+", body).group(0)
    assert link.startswith(mail_app + "/?set_password=")

    page.goto(link)
    set_password(page, NEW)
    page.get_by_role("button", name="Go to sign in").click()
    wait_idle(page)
    assert "set_password" not in page.url
    page.context.close()

    fresh = new_page(browser)
    sign_in(fresh, mail_app, "reporter", NEW)
    assert fresh.get_by_text("Signed in as").count()
    fresh.context.close()

    old = new_page(browser)
    old.goto(mail_app)
    wait_idle(old)
    old.get_by_label("Username", exact=True).fill("reporter")  # one form: a second one would fail here
    old.get_by_label("Password", exact=True).fill(OLD)
    old.get_by_role("button", name="Sign in", exact=True).click()
    old.get_by_text("Wrong username or password").wait_for()
    assert not old.get_by_text("Signed in as").count()

    old.goto(link)  # the same link, a second time
    wait_idle(old)
    old.get_by_text("This link does not work").wait_for()
    assert not old.locator("[data-testid='stException']").count()
    assert not old.get_by_role("textbox", name="New password", exact=True).count()
    old.context.close()
