"""In real Chromium (issue 14): a signed-in user switches the Overview, a page with charts, to French in the
sidebar. The whole page changes at once (the title, the sidebar, the navigation, a chart's axis title and its
legend), ?lang=fr is in the address, and a reload keeps French (the preference was saved). A visitor's
shared link with ?lang=es opens the public Overview in Spanish."""

import shutil

import pytest
from sqlalchemy import text

import locales
from db.engine import make_engine
from tests.e2e.conftest import running_app, sign_in, wait_idle

pytestmark = pytest.mark.e2e

# The first chart of the page with an axis title, as plotly drew it: its x and y axis titles and its legend's
# trace names (plotly fills an empty title with its "Click to enter ..." placeholder: not a title).
_CHART = """() => {
    const title = axis => {
        const text = (axis && axis.title && axis.title.text) || '';
        return text.startsWith('Click to enter') ? '' : text;
    };
    for (const chart of document.querySelectorAll('.js-plotly-plot')) {
        if (!chart._fullLayout) continue;
        const x = title(chart._fullLayout.xaxis), y = title(chart._fullLayout.yaxis);
        if (x || y) return {x, y, legend: chart._fullData.filter(t => t.showlegend !== false).map(t => t.name)};
    }
    return null;
}"""


@pytest.fixture
def app(demo_file, tmp_path):
    """(base URL, database URL) of the app on a private copy of the demo database."""
    copy = tmp_path / "e2e.db"
    shutil.copy(demo_file, copy)
    database = f"sqlite:///{copy}"
    with running_app({"DATABASE_URL": database, "RT_DEMO": "1"}) as url:
        yield url, database


@pytest.fixture
def page(app, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def chart(page) -> dict:
    page.wait_for_function(f"({_CHART})() !== null", timeout=60_000)
    return page.evaluate(_CHART)


def in_french(english: str) -> str:
    with locales.use("fr"):
        return locales._(english)


def test_switching_to_french_changes_the_whole_overview_at_once_and_a_reload_keeps_it(page, app):
    live_app, database = app
    sign_in(page, live_app, "leader", "Demo-Leader-2026")
    page.goto(live_app)  # the landing page of leadership: the Overview
    wait_idle(page)
    before = chart(page)
    assert before["legend"], before
    sidebar = page.locator("[data-testid='stSidebar']")

    sidebar.get_by_role("radio", name="Français", exact=True).click()
    page.get_by_text("Connecté en tant que").wait_for(timeout=60_000)
    wait_idle(page)
    assert "lang=fr" in page.url
    assert sidebar.get_by_role("button", name="Se déconnecter").is_visible()
    assert sidebar.get_by_text("Vue d'ensemble", exact=True).first.is_visible()  # the navigation
    assert page.get_by_role("heading", name="Vue d'ensemble").first.is_visible()  # the page itself
    after = chart(page)
    axis = next(k for k in ("x", "y") if before[k])
    assert after[axis] == in_french(before[axis]) != before[axis], (before, after)
    assert after["legend"] == [in_french(name) for name in before["legend"]] != before["legend"], (before, after)

    page.reload()
    wait_idle(page)
    page.get_by_text("Connecté en tant que").wait_for(timeout=60_000)
    assert chart(page)[axis] == after[axis]
    assert "lang=fr" in page.url

    engine = make_engine(database)  # the switch saved the preference, audited as a profile change
    try:
        with engine.connect() as c:
            language = c.execute(text("SELECT language FROM app_user WHERE username = 'leader'")).scalar_one()
            audited = c.execute(text("SELECT count(*) FROM audit_event WHERE action = 'update_profile'")).scalar_one()
    finally:
        engine.dispose()
    assert language == "fr" and audited == 1


def test_a_shared_link_opens_the_public_overview_in_its_language(page, app):
    live_app, _database = app
    page.goto(f"{live_app}/overview?lang=es")
    wait_idle(page)
    page.get_by_text("No ha iniciado sesión").wait_for(timeout=60_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.get_by_role("button", name="Iniciar sesión").is_visible()
    assert "lang=es" in page.url
