"""Sessions in a real browser: the re-login cookie carries only a server-side session id; a reload keeps the
user signed in; signing out ends the session, so the same cookie copied into another browser is refused."""

import pytest

from tests.e2e.conftest import sign_in, wait_idle
from tests.pages.apptest import PASSWORDS

pytestmark = pytest.mark.e2e

COOKIE = "resolutions_tracker_session"  # db.settings.Settings.cookie_name


def session_cookie(context) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


def other_browser(page, cookie: dict):
    """A page in a fresh browser context (its own cookie jar) holding a copy of `cookie`."""
    context = page.context.browser.new_context()
    context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
    return context.new_page()


def test_reload_keeps_the_session_and_sign_out_ends_it_for_a_copied_cookie_too(page, live_app):
    sign_in(page, live_app, "secretariat", PASSWORDS["secretariat"])
    cookie = session_cookie(page.context)
    assert cookie and len(cookie["value"]) >= 40 and "secretariat" not in cookie["value"]  # an opaque id

    page.reload()
    wait_idle(page)
    page.get_by_text("Signed in as").wait_for()  # the cookie signed us in again
    assert page.get_by_label("Username", exact=True).count() == 0

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username", exact=True).wait_for()
    wait_idle(page)
    assert session_cookie(page.context) is None  # cleared in this browser...
    page.reload()  # the page signed out of is a public one: it shows again, to a visitor
    wait_idle(page)
    page.get_by_text("You are not signed in").wait_for()
    assert page.get_by_text("Signed in as").count() == 0

    # ...and a copy taken before signing out is refused by the server.
    thief = other_browser(page, cookie)
    thief.goto(live_app)
    wait_idle(thief)
    thief.get_by_label("Username", exact=True).wait_for()
    assert thief.get_by_text("Signed in as").count() == 0


def test_a_copied_cookie_works_only_while_its_session_is_open(page, live_app):
    """The cookie is the session: copied while open it signs in (so the test above proves the refusal)."""
    sign_in(page, live_app, "leader", PASSWORDS["leader"])
    cookie = session_cookie(page.context)
    copy = other_browser(page, cookie)
    copy.goto(live_app)
    wait_idle(copy)
    copy.get_by_text("Signed in as").wait_for()
