"""The sign-in flow in real Chromium: once signed in, the page is ready (the first click on a page link
navigates, every time), the sign-in form is drawn once, and a shared link keeps every value of its
multi-value filters through the sign-in and through a resume from the re-login cookie."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import Session, func, select

from db.engine import make_engine
from db.models import Congress, Resolution
from tests.e2e.conftest import COUNT_SIGN_IN_FORMS, wait_idle

pytestmark = pytest.mark.e2e

TRIES = 10  # the first is the fresh server's first session, the others later ones


def _fresh_page(browser, sent: list | None = None):
    """A page in a new browser context; `sent` collects the messages it sends to the app."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(120_000)  # patient: a shared CI machine can be slow; nothing is retried
    context.add_init_script(COUNT_SIGN_IN_FORMS)  # every page of the context, the resumed one too
    page = context.new_page()
    if sent is not None:
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: sent.append(frame)))
    return page


def test_the_first_click_after_signing_in_navigates_every_time(live_app, browser):
    for attempt in range(TRIES):
        sent = []
        page = _fresh_page(browser, sent)
        page.goto(live_app)
        wait_idle(page)
        page.get_by_label("Username", exact=True).fill("secretariat")
        page.get_by_label("Password", exact=True).fill("Demo-Secretariat-2026")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_text("Signed in as").wait_for()
        # At once, while the landing page may still be drawing: one click, never repeated.
        before = len(sent)  # what the browser told the app so far: a lost click sends nothing after it
        page.locator("[data-testid='stSidebarNav']").get_by_text("Coverage", exact=True).click()
        try:
            page.wait_for_url("**/coverage")
        except PlaywrightTimeout:
            pytest.fail(f"try {attempt + 1}: the click did not navigate: still on {page.url}, "
                        f"{len(sent) - before} messages sent to the app after it")
        page.get_by_role("heading", name="Reporting coverage").first.wait_for()
        wait_idle(page)
        assert page.evaluate("window.__signInForms") == 1, f"try {attempt + 1}: the sign-in form was drawn twice"
        page.context.close()


def test_a_shared_register_link_keeps_both_congresses_through_sign_in_and_cookie_resume(live_app, browser,
                                                                                        demo_file):
    codes = ("WCC-2020", "WCC-2016")
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        labels = [f"{c.city} {c.year}" for c in (s.exec(select(Congress).where(Congress.code == code)).one()
                                                  for code in codes)]
        expected = s.exec(select(func.count(Resolution.id)).join(Congress)
                          .where(Congress.code.in_(codes))).one()
    engine.dispose()
    link = f"{live_app}/register?congress={codes[0]}&congress={codes[1]}"

    def shows_both(page) -> None:
        assert page.url.endswith(f"/register?congress={codes[0]}&congress={codes[1]}"), page.url
        chosen = page.get_by_test_id("stMultiSelect").filter(has_text="Congress").first.inner_text()
        assert all(label in chosen for label in labels), chosen
        matching = page.get_by_test_id("stMetric").filter(has_text="Matching").get_by_test_id("stMetricValue")
        assert matching.inner_text() == f"{expected:,}"

    page = _fresh_page(browser)
    page.goto(link)  # opened signed out: the public register (issue 16) with both, then sign in from it
    page.get_by_role("heading", name="Resolution register").wait_for(timeout=120_000)
    wait_idle(page)
    shows_both(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    wait_idle(page)  # the sign-in form in place of the page: the sidebar's button gone
    page.get_by_label("Username", exact=True).fill("leader")
    page.get_by_label("Password", exact=True).fill("Demo-Leader-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_text("Signed in as").wait_for(timeout=60_000)
    page.get_by_role("heading", name="Resolution register").wait_for()
    wait_idle(page)
    shows_both(page)
    assert page.evaluate("window.__signInForms") == 1

    resumed = page.context.new_page()  # a new browser session of the same browser: the cookie signs it in
    resumed.goto(link)
    resumed.get_by_text("Signed in as").wait_for()
    resumed.get_by_role("heading", name="Resolution register").wait_for()
    wait_idle(resumed)
    shows_both(resumed)
    assert resumed.evaluate("window.__signInForms") == 0  # resumed without showing the form at all
    page.context.close()
