"""The look in real Chromium, on a wide screen and a phone: the product header (our logo with the product
name) shows at the top left, and each page's title sits just below what the header shows instead of under
a blank band (it was 96 px down, its letters at about 115 px, with nothing above it)."""

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_idle

pytestmark = pytest.mark.e2e

# Where the first title of the main area starts, and the logos drawn (in the sidebar, or in the header).
_LAYOUT = """() => {
  const title = document.querySelector("[data-testid='stMain'] h1");
  const logos = [...document.querySelectorAll("img[data-testid='stSidebarLogo'], img[data-testid='stHeaderLogo']")]
    .filter(img => img.checkVisibility() && img.getBoundingClientRect().width > 0)
    .map(img => ({where: img.dataset.testid, width: img.getBoundingClientRect().width,
                  bottom: img.getBoundingClientRect().bottom,
                  loaded: img.complete && img.naturalWidth > 0, svg: img.src.startsWith("data:image/svg+xml")}));
  return {title: title.getBoundingClientRect().top, logos};
}"""


def _layout(page) -> dict:
    # The title first, then the end of the run that drew it (a fresh server's first session has a run
    # before it that draws nothing), then at once: a style applied late would show here as the old band.
    page.locator("[data-testid='stMain'] h1").first.wait_for()
    wait_idle(page)
    return page.evaluate(_LAYOUT)


def _looks_right(layout: dict, where: str) -> None:
    [logo] = layout["logos"]
    assert logo["where"] == where and logo["loaded"] and logo["svg"], layout
    assert logo["width"] > 120, layout  # the logo and the product name beside it, not a bare icon
    # Just below what the header shows (its logo, on a phone or signed out; nothing, beside an open sidebar).
    above = logo["bottom"] if where == "stHeaderLogo" else 0
    assert above <= layout["title"] <= above + 24, layout


@pytest.mark.parametrize("width, height, logo", [(1440, 900, "stSidebarLogo"), (390, 844, "stHeaderLogo")])
def test_header_and_titles(live_app, tmp_path, width, height, logo):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(120_000)
        page = context.new_page()
        page.goto(live_app)
        # Signed out the sidebar lists the public pages: wide, it is open and holds the logo, as signed in.
        layout = _layout(page)
        page.screenshot(path=tmp_path / f"sign-in-{width}.png")
        _looks_right(layout, logo)
        page.get_by_label("Username", exact=True).fill("leader")
        page.get_by_label("Password", exact=True).fill("Demo-Leader-2026")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.get_by_role("heading", name="Overview").first.wait_for()
        # Wide, the sidebar is open and holds the logo; on a phone it is closed and the header holds it.
        _looks_right(_layout(page), logo)
        page.goto(f"{live_app}/register")
        page.get_by_role("heading", name="Resolution register").wait_for()
        _looks_right(_layout(page), logo)
        page.screenshot(path=tmp_path / f"register-{width}.png")
        context.close()
        browser.close()
