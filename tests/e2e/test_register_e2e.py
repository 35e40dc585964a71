"""In real Chromium: sign in through the form, filter the register, open a Resolution; the re-login cookie."""

import re

import pytest
from sqlmodel import Session

from db.engine import make_engine
from services.register import resolution_detail
from tests.e2e.conftest import sign_in, wait_idle
from tests.pages.apptest import PASSWORDS

pytestmark = pytest.mark.e2e
SLOW = 120_000  # ms: the first run of a fresh server on a busy CI machine can be slow




def matching(page) -> str:
    return page.get_by_test_id("stMetric").filter(has_text="Matching").get_by_test_id("stMetricValue").inner_text()


def test_sign_in_filter_the_register_and_open_a_resolution(page, live_app, demo_file):
    sign_in(page, live_app, "reporter", PASSWORDS["reporter"])
    page.get_by_role("link", name="Resolutions").click()
    page.get_by_role("heading", name="Resolution register").wait_for()
    wait_idle(page)
    assert matching(page) == "802"

    page.get_by_test_id("stMultiSelect").filter(has_text="Congress").click()
    page.get_by_role("option", name="Marseille 2020").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    page.wait_for_url(re.compile(r"congress=WCC-2020"))
    assert matching(page) == "137"

    search = page.get_by_role("textbox", name="Search")
    search.fill("deep-ocean")
    search.press("Enter")
    wait_idle(page)
    page.wait_for_url(re.compile(r"q=deep-ocean"))
    assert matching(page) == "1"

    # Select the only row (the first cell of a data row is its selection box) to open the Resolution.
    grid = page.get_by_test_id("stDataFrame")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    page.wait_for_url(re.compile(r"/resolution\?code=WCC-2020-Res-122"))
    wait_idle(page)

    with Session(make_engine(f"sqlite:///{demo_file}")) as s:
        detail = resolution_detail(session=s, code="WCC-2020-Res-122")
    page.get_by_role("heading", name=detail["title"]).wait_for()
    body = page.inner_text("body")
    assert "World Conservation Congress 7, Marseille, France (2020)" in body
    assert all(theme in body for theme in detail["themes"])
    assert all(name in body for name in detail["focal_points"]["name"])
    assert "Progress Reports by year" in body and "Activity Reports" in body
