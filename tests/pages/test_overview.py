"""The overview page on the demo data, for every role: filters from the URL, the figures the analytics
give for them, and the drill-down to the Resolutions behind a segment."""

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from analytics import progress
from analytics.filters import ProgressFilter
from db.engine import make_engine
from tests.pages.apptest import reachable, signed_in_app

PAGE = "pages/overview.py"
ROLES = ("reporter", "focal", "secretariat", "leader", "admin")


def open_page(page: str, user: str, query: dict | None = None) -> AppTest:
    """Like apptest.open_page, but the URL holds the query from the very first run, as in a browser
    (leadership and the Secretariat land on the overview, so their first run already reads it)."""
    at = signed_in_app(user)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def _analytics(app_db, fn, flt, **kw):
    engine = make_engine(app_db)
    try:
        with Session(engine) as s:
            return fn(session=s, flt=flt, **kw)
    finally:
        engine.dispose()


def _param(at, key) -> list[str]:
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("user", ROLES)
def test_every_role_sees_the_overview_with_url_filters(app_db, user):
    assert reachable(PAGE, user)
    at = open_page(PAGE, user, {"congress": "WCC-2020", "year": "2023", "theme": "Land"})
    assert not at.exception
    flt = ProgressFilter(congress="WCC-2020", year=2023, themes=("Land",))
    head = _analytics(app_db, progress.headline, flt)
    assert at.selectbox(key="congress").value == "WCC-2020"
    assert at.selectbox(key="year").value == 2023
    assert at.multiselect(key="theme").value == ["Land"]
    assert _metrics(at) == {
        "Resolutions in force": f"{head['resolutions_in_force']:,}",
        "With a published Progress Report": f"{head['published_share']:.0%}",
        "Activity Reports received": f"{head['activity_reports']:,}",
        "Components involved": f"{head['components_involved']:,}",
    }
    summary = _text(at)
    assert "Marseille 2020 (WCC-2020), reporting year 2023" in summary
    assert f"{head['published']:,} of {head['resolutions_in_force']:,} Resolutions in force" in summary
    assert (f"{head['in_preparation']:,} are in preparation and {head['no_progress_report']:,} have no Progress "
            "Report for 2023") in summary
    assert "Filtered by theme: Land." in [c.value for c in at.caption]
    assert len(at.get("plotly_chart")) == 10  # with "Resolutions by target" (issue 18)


def test_defaults_are_the_latest_congress_and_its_latest_year(app_db):
    at = open_page(PAGE, "leader")
    assert not at.exception
    head = _analytics(app_db, progress.headline, ProgressFilter())
    assert (at.selectbox(key="congress").value, at.selectbox(key="year").value) == (head["congress"], head["year"])
    assert f"reporting year {head['year']}" in _text(at)
    assert "congress" not in at.query_params and "year" not in at.query_params  # defaults stay out of the URL


def test_filters_combine_and_are_written_to_the_url(app_db):
    at = open_page(PAGE, "secretariat", {"congress": "WCC-2020", "year": "2024"})
    at.multiselect(key="region").select("Africa").run()
    at.multiselect(key="component_kind").select("Member").run()
    at.multiselect(key="kind").select("Resolution").run()
    assert not at.exception
    flt = ProgressFilter(congress="WCC-2020", year=2024, kinds=("Resolution",), regions=("Africa",),
                         component_kinds=("Member",))
    head = _analytics(app_db, progress.headline, flt)
    assert 0 < head["resolutions_in_force"] < 137  # the filters really narrow the set
    assert _metrics(at)["Resolutions in force"] == f"{head['resolutions_in_force']:,}"
    assert _metrics(at)["Activity Reports received"] == f"{head['activity_reports']:,}"
    assert _param(at, "region") == ["Africa"] and _param(at, "component_kind") == ["Member"]
    assert _param(at, "year") == ["2024"]


def test_changing_congress_moves_to_its_latest_year(app_db):
    at = open_page(PAGE, "leader", {"congress": "WCC-2020", "year": "2022"})
    at.selectbox(key="congress").select("WCC-2016").run()
    assert not at.exception
    assert at.selectbox(key="year").value == 2020
    assert "Honolulu" in _text(at)


def test_a_year_outside_the_data_in_the_url_is_brought_into_range(app_db):
    at = open_page(PAGE, "leader", {"congress": "WCC-2020", "year": "1800"})
    assert not at.exception
    latest = max(at.selectbox(key="year").options, key=int)
    assert at.selectbox(key="year").value == int(latest)  # the default: WCC-2020's latest year with data
    assert [w.value for w in at.warning if "in the link" in w.value] == [
        f"The reporting year in the link must be from 2021 to {latest}; showing {latest} instead."]


@pytest.mark.parametrize("chart, segment", [
    ("theme", {"theme": "Land", "status": "Underway"}),
    ("congress", {"congress": "WCC-2016", "status": "Completed"}),
    ("coverage", {"year": 2023, "category": "No Progress Report"}),
    ("region", {"region": "Africa"}),
])
def test_clicked_segment_lists_the_resolutions_behind_it(app_db, chart, segment):
    at = open_page(PAGE, "leader", {"congress": "WCC-2020", "year": "2023"})
    at.session_state["drill"] = (chart, segment)  # what the chart's selection callback stores
    at.run()
    assert not at.exception
    expected = _analytics(app_db, progress.resolutions_behind, ProgressFilter(congress="WCC-2020", year=2023),
                          **segment)
    assert len(expected) > 0
    table = at.dataframe[0].value
    assert list(table["code"]) == list(expected["code"])
    assert any(f"{len(expected)} Resolution" in m.value and "behind" in m.value for m in at.markdown)


def test_new_filters_clear_the_drill_down(app_db):
    at = open_page(PAGE, "leader", {"congress": "WCC-2020", "year": "2023"})
    at.session_state["drill"] = ("theme", {"theme": "Land", "status": "Underway"})
    at.run()
    assert len(at.dataframe) == 1
    at.selectbox(key="year").select(2022).run()
    assert not at.exception
    assert len(at.dataframe) == 0
