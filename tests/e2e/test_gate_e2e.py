"""The sign-in gate in a real browser: no page without signing in, and a shared link survives sign-in."""

import pytest

from tests.e2e.conftest import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def _settle(page) -> None:
    wait_idle(page)


def test_the_first_request_of_a_fresh_server_for_a_page_gets_the_sign_in_form(page, live_app):
    # Streamlit runs a pages/ script directly on the first request a fresh server receives; the page
    # must send the visitor to the gate instead of showing itself.
    page.goto(f"{live_app}/review_queue")
    _settle(page)
    page.get_by_label("Username", exact=True).first.wait_for()
    assert page.get_by_text("Review queue").count() == 0
    assert page.get_by_text("Signed in as").count() == 0


def test_a_shared_filtered_link_opens_after_signing_in(page, live_app):
    page.goto(live_app)  # the server's first request goes to the front door
    _settle(page)
    sign_in(page, f"{live_app}/register?congress=WCC-2020&q=deep-ocean", "leader", "Demo-Leader-2026")
    # The page of the link, with its search and its Congress: signing in reruns nothing that could drop them.
    assert "/register?" in page.url and "q=deep-ocean" in page.url and "congress=WCC-2020" in page.url
    matching = page.get_by_test_id("stMetric").filter(has_text="Matching").get_by_test_id("stMetricValue")
    matching.wait_for()
    assert matching.inner_text() == "1"  # WCC-2020-Res-122, the one text on deep-ocean ecosystems
