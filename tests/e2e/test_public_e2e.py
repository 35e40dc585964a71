"""In real Chromium, signed out (the public site, issue 16): a shared link to the Overview with filters lands on
that filtered view (the first session of a fresh server too), its figures the public ones; signing in from it
keeps the view; one click from the public register opens a Resolution, without its focal points."""

import re

import pytest
from sqlmodel import Session

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from db.engine import make_engine
from services.register import resolution_detail
from tests.e2e.conftest import wait_idle
from tests.pages.apptest import PASSWORDS

pytestmark = pytest.mark.e2e
SLOW = 120_000  # ms: the first run of a fresh server on a busy CI machine can be slow


def metric(page, label: str) -> str:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue").inner_text()


def test_a_shared_overview_link_opens_filtered_signed_out_and_sign_in_keeps_it(page, live_app, demo_file):
    with Session(make_engine(f"sqlite:///{demo_file}")) as s:
        counts = progress.status_counts(session=s, flt=ProgressFilter(congress="WCC-2016", year=2019, public=True))
    page.goto(f"{live_app}/overview?congress=WCC-2016&year=2019")  # the fresh server's first session
    page.get_by_role("heading", name="Overview").wait_for(timeout=SLOW)
    wait_idle(page)
    page.get_by_text("reporting year 2019").first.wait_for()
    assert re.search(r"/overview\?congress=WCC-2016&year=2019$", page.url)
    body = page.inner_text("body")
    assert "Signed in as" not in body and vocab.IN_PREPARATION not in body
    assert "Statuses come from published Progress Reports only" in body
    assert metric(page, "Resolutions in force") == f"{int(counts['count'].sum()):,}"

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    wait_idle(page)  # the sign-in form in place of the page: the sidebar's button gone
    page.get_by_label("Username", exact=True).fill("leader")
    page.get_by_label("Password", exact=True).fill(PASSWORDS["leader"])
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").wait_for(timeout=SLOW)
    wait_idle(page)
    # The Overview is the leader's landing page, so its address is the app's own: same view, same filters.
    assert re.search(r"/(overview)?\?congress=WCC-2016&year=2019$", page.url)
    page.get_by_text("reporting year 2019").first.wait_for()
    assert "in preparation" in page.inner_text("body")  # the signed-in figures now


def test_one_click_from_the_public_register_into_a_resolution(page, live_app, demo_file):
    page.goto(f"{live_app}/register?congress=WCC-2020&q=deep-ocean")
    page.get_by_role("heading", name="Resolution register").wait_for(timeout=SLOW)
    wait_idle(page)
    assert metric(page, "Matching") == "1"
    grid = page.get_by_test_id("stDataFrame")
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the selection box of the only row
    page.wait_for_url(re.compile(r"/resolution\?code=WCC-2020-Res-122"))
    wait_idle(page)

    with Session(make_engine(f"sqlite:///{demo_file}")) as s:
        detail = resolution_detail(session=s, code="WCC-2020-Res-122")
    page.get_by_role("heading", name=detail["title"]).wait_for()
    body = page.inner_text("body")
    assert "World Conservation Congress 7, Marseille, France (2020)" in body
    assert "Progress Reports by year" in body and "Signed in as" not in body
    assert not detail["focal_points"].empty
    assert not any(name in body or email in body for name, email in
                   zip(detail["focal_points"]["name"], detail["focal_points"]["email"]))
    page.get_by_role("link", name="Back to the register").click()
    page.get_by_role("heading", name="Resolution register").wait_for()
    wait_idle(page)
    assert "/register?" in page.url and "congress=WCC-2020" in page.url and "q=deep-ocean" in page.url
    assert metric(page, "Matching") == "1"  # the register as it was left
