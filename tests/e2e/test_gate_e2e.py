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
    # A page for signed-in users only (the register is public: tests/e2e/test_public_e2e.py signs in from it)
    sign_in(page, f"{live_app}/coverage?congress=WCC-2016&year=2023", "secretariat", "Demo-Secretariat-2026")
    # The page of the link, with its Congress and year: signing in reruns nothing that could drop them.
    assert "/coverage?" in page.url and "congress=WCC-2016" in page.url and "year=2023" in page.url
    year = page.get_by_role("combobox", name="Reporting year", exact=True)
    year.wait_for()
    assert year.input_value() == "2023"
    assert "WCC-2016" in page.get_by_role("combobox", name="Congress", exact=True).input_value()
