"""In real Chromium: leadership opens the overview, clicks a chart segment, sees the Resolutions behind
it and opens one."""

import pytest
from sqlmodel import Session

from analytics import progress
from analytics.filters import ProgressFilter
from db.engine import make_engine
from tests.e2e.conftest import sign_in, wait_idle

pytestmark = pytest.mark.e2e


def _click(page, locator) -> None:
    """Click the middle of an SVG element (plotly's drag layer lies over the bars, so a DOM click on the
    bar itself is intercepted; the mouse goes through to plotly like a user's)."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


# A chart takes clicks once plotly has drawn it at its final width and Streamlit's selection handler is
# attached (react-plotly attaches it after Plotly.react resolves): before that a click selects nothing.
_CHART_READY = """index => {
    const chart = document.querySelectorAll('.js-plotly-plot')[index];
    return !!chart && !!chart._fullLayout && !!chart._ev
        && chart._ev.listeners('plotly_selected').length > 0
        && Math.abs(chart._fullLayout.width - chart.getBoundingClientRect().width) < 1;
}"""


def wait_chart_ready(page, index: int) -> None:
    page.wait_for_function(_CHART_READY, arg=index, timeout=60_000)


def test_leader_clicks_a_segment_and_opens_a_resolution_behind_it(page, live_app, demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        expected = progress.resolutions_behind(session=s, flt=ProgressFilter(congress="WCC-2020", year=2025),
                                               congress="WCC-2020", status="On-going")
    engine.dispose()
    assert len(expected) > 1

    sign_in(page, live_app, "leader", "Demo-Leader-2026")
    page.goto(f"{live_app}/?congress=WCC-2020&year=2025")
    page.get_by_text("Signed in as").wait_for()
    wait_idle(page)
    page.get_by_text("Marseille 2020 (WCC-2020), reporting year 2025").wait_for()

    # The per-Congress chart: bars newest first, so WCC-2025 then WCC-2020; traces follow the status scale.
    congress_chart = page.locator(".js-plotly-plot").nth(1)
    on_going = congress_chart.locator("g.trace.bars").nth(list(progress.vocab.STATUS_SCALE).index("On-going"))
    wait_chart_ready(page, 1)
    _click(page, on_going.locator("path").nth(1))  # once
    wait_idle(page)
    page.get_by_text(f"{len(expected)} Resolutions behind “On-going · WCC-2020”").wait_for()

    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.hover()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 14, box["y"] + 35 + 17)  # the first row's selection box
    page.wait_for_url(f"**/resolution?code={expected.iloc[0]['code']}")
    wait_idle(page)
    page.get_by_text(expected.iloc[0]["code"]).first.wait_for()
    page.screenshot(path="/tmp/h5-e2e-resolution.png")
