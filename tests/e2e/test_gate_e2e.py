"""The sign-in gate in a real browser: no page without signing in, and a shared link survives sign-in."""

import pytest

from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e


def _settle(page) -> None:
    wait_idle(page)
    page.wait_for_timeout(1500)  # the cookie component reruns the app once after the first load
    wait_idle(page)


def test_the_first_request_of_a_fresh_server_for_a_page_gets_the_sign_in_form(page, live_app):
    # Streamlit runs a pages/ script directly on the first request a fresh server receives; the page
    # must send the visitor to the gate instead of showing itself.
    page.goto(f"{live_app}/review_queue")
    _settle(page)
    page.get_by_label("Username").first.wait_for()
    assert page.get_by_text("Review queue").count() == 0
    assert page.get_by_text("Signed in as").count() == 0


def test_a_shared_filtered_link_opens_after_signing_in(page, live_app):
    page.goto(live_app)  # the server's first request goes to the front door
    _settle(page)
    page.goto(f"{live_app}/register?congress=WCC-2020&q=deep-ocean")
    _settle(page)
    assert page.get_by_text("WCC-2020-Res-122").count() == 0  # nothing shown before signing in
    page.get_by_label("Username").first.fill("leader")
    page.get_by_label("Password", exact=True).first.fill("Demo-Leader-2026")
    page.get_by_role("button", name="Sign in").first.click()
    page.get_by_text("Signed in as").wait_for(timeout=90_000)
    wait_idle(page)
    assert page.url.endswith("/register?congress=WCC-2020&q=deep-ocean")
    page.get_by_text("Resolution register").first.wait_for()
    assert page.get_by_text("Matching").count() == 1
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    assert page.get_by_text("Marseille 2020").count() >= 1
