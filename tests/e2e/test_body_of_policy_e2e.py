"""In real Chromium: a click on a Congress' column of the Body of policy chart opens that Congress' texts in
the register (the click goes through plotly's selection, which AppTest cannot produce)."""

import pytest
from sqlmodel import Session

from analytics import body_of_policy as bp
from db.engine import make_engine
from tests.e2e.conftest import sign_in, wait_idle
from tests.e2e.test_overview_e2e import _click, wait_chart_ready

pytestmark = pytest.mark.e2e
CONGRESS = "WCC-2020"


def test_a_click_on_a_congress_column_opens_its_texts_in_the_register(page, live_app, demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        long = bp.kind_lifecycle_per_congress(session=s)
    engine.dispose()
    slots = bp.chart_slots(long)
    column = list(slots["code"]).index(CONGRESS)
    mine = long[(long["code"] == CONGRESS) & (long["series"] != bp.REFERENCE_ONLY)]
    tallest = mine.loc[mine["count"].idxmax()]  # the biggest segment of the column: the easiest to hit
    assert tallest["count"] > 0
    total = int(mine["count"].sum())

    sign_in(page, live_app, "leader", "Demo-Leader-2026")
    page.goto(f"{live_app}/body_of_policy")
    wait_idle(page)
    page.get_by_text("Adopted per Congress", exact=True).wait_for()

    chart = page.locator(".js-plotly-plot").first
    wait_chart_ready(page, 0)
    segment = chart.locator("g.trace.bars").nth(list(bp.SERIES_COLOURS).index(tallest["series"]))
    _click(page, segment.locator("path").nth(column))
    page.wait_for_url(f"**/register?congress={CONGRESS}")
    wait_idle(page)
    matching = page.locator("[data-testid='stMetric']").filter(has_text="Matching")
    assert matching.locator("[data-testid='stMetricValue']").inner_text() == f"{total:,}"
    page.screenshot(path="/tmp/shots/body_of_policy_click.png")
