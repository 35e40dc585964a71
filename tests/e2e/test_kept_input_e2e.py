"""In Chromium: what a reporter typed on the Activity Report form, not saved yet, is still there after a visit
to another page (issue 11, item 15); saving it forgets the kept copy."""

import pytest

from tests.e2e.conftest import sign_in, wait_idle

TITLE = "Mangrove nursery with three villages"
RESULTS = "1,200 seedlings planted, half of them survived the dry season."


def open_form(page) -> None:
    page.get_by_role("link", name="Report an activity").first.click()
    wait_idle(page)
    page.get_by_role("textbox", name="Title *").wait_for(timeout=60_000)  # widgets load lazily


@pytest.mark.e2e
def test_typed_text_survives_a_visit_to_another_page(page, live_app):
    sign_in(page, live_app, "focal", "Demo-Focal-2026")  # one component: the form asks no component
    open_form(page)
    page.get_by_text("kept while you visit other pages").first.wait_for()
    form = page.locator(".st-key-activity_report")
    form.get_by_role("textbox", name="Title *").fill(TITLE)
    form.get_by_role("textbox", name="Results").fill(RESULTS)
    page.keyboard.press("Tab")  # the browser sends a text when its box loses focus
    wait_idle(page)
    page.get_by_role("link", name="My reports").first.click()
    wait_idle(page)
    page.get_by_text("The Activity Reports of").wait_for()

    open_form(page)
    page.get_by_text("Your unsaved changes from earlier in this session are back").wait_for()
    form = page.locator(".st-key-activity_report")
    assert form.get_by_role("textbox", name="Title *").input_value() == TITLE
    assert form.get_by_role("textbox", name="Results").input_value() == RESULTS
