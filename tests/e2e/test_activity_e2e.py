"""In Chromium: the demo reporter files an Activity Report on two Resolutions, finds it in My reports
(and in its CSV export), and sees it on the Resolution's detail view."""

import csv
import io
import re

import pytest

from tests.e2e.conftest import sign_in, wait_idle

TITLE = "Deep-sea mining briefing for delegates"
CODES = ("WCC-2025-Res-010", "WCC-2020-Res-122")


def cell(page, text: str):
    """A cell of a data table (the grid draws on a canvas and mirrors its cells for screen readers)."""
    return page.locator("[role=gridcell]").filter(has_text=re.compile("^" + re.escape(text) + "$"))


@pytest.mark.e2e
def test_reporter_files_a_report_on_two_resolutions_and_sees_it_everywhere(page, live_app):
    sign_in(page, live_app, "reporter", "Demo-Reporter-2026")
    page.get_by_role("link", name="Report an activity").first.click()  # once: the signed-in page is ready
    wait_idle(page)
    page.get_by_role("combobox", name="Reporting for *").wait_for(timeout=60_000)  # widgets load lazily

    page.get_by_role("combobox", name="Reporting for *").click()
    page.get_by_role("option", name="Species Survival Commission").click()
    wait_idle(page)
    picker = page.get_by_role("combobox", name="Resolutions concerned *")
    for code in CODES:
        picker.click()
        picker.fill(code)
        page.get_by_role("option", name=re.compile(code)).click()
        wait_idle(page)
    page.keyboard.press("Escape")

    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Title *").fill(TITLE)
    form.get_by_role("textbox", name="Description *").fill("Briefed 40 delegates on the seabed mining moratorium.")
    types = page.get_by_role("combobox", name="Action types *")  # above the form, its choices listed
    types.click()
    types.fill("Policy")
    page.get_by_role("option", name="Policy influencing/advocacy").click()
    page.keyboard.press("Escape")
    form.get_by_text("On-going", exact=True).click()
    form.locator("[data-testid='stDateInput']").first.click()
    page.keyboard.type("03032026")
    page.keyboard.press("Escape")
    form.get_by_text("Global (worldwide)").click()
    form.get_by_role("button", name="Submit").click()
    wait_idle(page)
    page.get_by_text("is submitted").wait_for()

    # My reports: the new report is listed first, and the CSV export holds it too
    page.get_by_role("link", name="My reports").first.click()
    wait_idle(page)
    cell(page, TITLE).wait_for(state="attached")
    assert cell(page, "WCC-2020-Res-122; WCC-2025-Res-010").count() == 1
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV", exact=True).click()
    exported = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8-sig").read())))
    [mine] = [row for row in exported if row["Title"] == TITLE]
    assert (mine["State"], mine["Resolutions"]) == ("Submitted", "WCC-2020-Res-122; WCC-2025-Res-010")

    # the Resolution's detail view lists it among the submitted Activity Reports
    page.locator(".stDataFrameGlideDataEditor").first.click(position={"x": 12, "y": 52})  # tick the first row
    wait_idle(page)
    page.get_by_role("link", name="See WCC-2020-Res-122").click()
    wait_idle(page)
    page.get_by_role("heading", name="Activity Reports").wait_for()
    cell(page, TITLE).wait_for(state="attached")
    assert cell(page, "Species Survival Commission").count() >= 1


@pytest.mark.e2e
def test_a_refused_submit_is_there_again_after_another_page(page, live_app):
    """Typed, sent with Submit, refused (the Resolutions and more are missing), then to another page by the
    sidebar: back on the form, the text is as sent, with the note that it was kept (ui/unsaved.py)."""
    sign_in(page, live_app, "reporter", "Demo-Reporter-2026")
    page.get_by_role("link", name="Report an activity").first.click()
    wait_idle(page)
    form = page.get_by_test_id("stForm")
    form.get_by_role("textbox", name="Title *").fill("Half a thought about mangroves")
    form.get_by_role("textbox", name="Description *").fill("Not saved yet")
    form.get_by_role("button", name="Submit").click()
    page.get_by_text("Choose at least one Resolution").first.wait_for()
    wait_idle(page)
    page.get_by_role("link", name="My reports").first.click()
    page.wait_for_function("!location.pathname.endsWith('/report_activity')")
    wait_idle(page)
    page.get_by_role("link", name="Report an activity").first.click()
    page.get_by_text("Your unsaved changes are back, as you left them.").wait_for()
    assert page.get_by_role("textbox", name="Title *").input_value() == "Half a thought about mangroves"
    assert page.get_by_role("textbox", name="Description *").input_value() == "Not saved yet"
