"""analytics/charts.py: the status scale's order and colours everywhere, "No Progress Report" never dropped, and
the way from a clicked segment back to the drill-down filter."""

import pandas as pd
import pytest

from analytics import charts
from analytics.progress import COVERAGE_CATEGORIES
from db import vocab

# The coverage categories are the reporting states (db/vocab.py); the status scale starts with the unpublished ones.
PUBLISHED, IN_PREPARATION, NO_REPORT = vocab.PUBLISHED, vocab.IN_PREPARATION, vocab.NO_PROGRESS_REPORT

SCALE = list(vocab.STATUS_SCALE)


def _status_frame(groups: dict[str, dict[str, int]], by: str) -> pd.DataFrame:
    """The shape progress.status_by_* return: every status for every group, with shares."""
    rows = []
    for group, counts in groups.items():
        total = sum(counts.values())
        rows += [(group, s, counts.get(s, 0), counts.get(s, 0) / total) for s in SCALE]
    return pd.DataFrame(rows, columns=[by, "status", "count", "share"])


def _check_scale(fig) -> None:
    assert [t.name for t in fig.data] == SCALE
    assert [t.marker.color for t in fig.data] == [vocab.STATUS_COLOURS[s] for s in SCALE]
    assert fig.layout.legend.traceorder == "normal"


def test_status_bars_keep_scale_order_colours_and_no_report():
    frame = _status_frame({"Land": {"Underway": 3, "Completed": 1}, "Water": {NO_REPORT: 2}}, "theme")
    fig = charts.status_by_theme_chart(frame)
    _check_scale(fig)
    no_report = fig.data[0]
    assert list(no_report.y) == ["Land", "Water"]
    assert list(no_report.x) == [0, 100]  # shares in percent; zero kept, not dropped
    underway = fig.data[SCALE.index("Underway")]
    assert [list(c) for c in underway.customdata] == [["Land", "Underway", 3, "75%"], ["Water", "Underway", 0, "0%"]]
    assert "Resolutions" in underway.hovertemplate
    assert fig.layout.yaxis.autorange == "reversed"  # first group on top


def test_status_bars_even_when_a_status_is_absent_from_every_group():
    frame = _status_frame({"2024": {"Initiated": 1}}, "year")
    frame = frame[frame["status"] != NO_REPORT]  # a frame missing the status altogether
    fig = charts.status_bars(frame, "year", chart="years")
    _check_scale(fig)
    assert list(fig.data[0].x) == [0]


def test_status_by_congress_newest_on_top_with_its_year():
    frame = _status_frame({"WCC-2016": {"Completed": 1}, "WCC-2020": {NO_REPORT: 1, "Initiated": 1}}, "congress")
    frame["year"] = frame["congress"].map({"WCC-2016": 2019, "WCC-2020": 2023})
    fig = charts.status_by_congress_chart(frame, {"WCC-2016": "Honolulu 2016", "WCC-2020": "Marseille 2020"})
    _check_scale(fig)
    assert list(fig.data[0].y) == ["Marseille 2020 · 2023", "Honolulu 2016 · 2019"]
    assert fig.data[0].customdata[0][0] == "WCC-2020"


def test_status_over_years_is_vertical():
    frame = _status_frame({2022: {"Initiated": 2}, 2023: {"Underway": 1, NO_REPORT: 1}}, "year")
    fig = charts.status_over_years_chart(frame)
    _check_scale(fig)
    assert list(fig.data[0].x) == ["2022", "2023"] and list(fig.data[0].y) == [0, 50]
    assert fig.layout.yaxis.ticktext[-1] == "100%"


def test_coverage_chart_categories_and_colours():
    frame = pd.DataFrame([(2022, PUBLISHED, 3), (2022, IN_PREPARATION, 0), (2022, NO_REPORT, 2)],
                         columns=["year", "category", "count"])
    fig = charts.coverage_chart(frame)
    assert [t.name for t in fig.data] == list(COVERAGE_CATEGORIES)
    assert fig.data[-1].marker.color == vocab.STATUS_COLOURS[NO_REPORT]
    assert list(fig.data[0].y) == [3] and list(fig.data[0].customdata[0]) == [2022, PUBLISHED, 3, "60%"]


def test_count_bars_and_challenges():
    frame = pd.DataFrame({"label": ["Commission", "Member", "Council"], "count": [5, 2, 0]})
    fig = charts.count_bars(frame, chart="component_kind")
    assert list(fig.data[0].y) == ["Commission", "Member", "Council"] and list(fig.data[0].x) == [5, 2, 0]
    challenges = pd.DataFrame({"challenge": ["Funding"], "count": [2], "share": [2 / 3]})
    fig = charts.challenges_chart(challenges)
    assert list(fig.data[0].customdata[0]) == ["Funding", "67%"]


@pytest.mark.parametrize("chart, custom, expected", [
    ("status", ["Marseille 2020 in 2023", "Underway", 3, "20%"], {"status": "Underway"}),
    ("congress", ["WCC-2016", NO_REPORT, 1, "50%"], {"congress": "WCC-2016", "status": NO_REPORT}),
    ("theme", ["Land", "Completed", 1, "9%"], {"theme": "Land", "status": "Completed"}),
    ("years", ["2022", "Initiated", 2, "40%"], {"year": 2022, "status": "Initiated"}),
    ("coverage", [2023, IN_PREPARATION, 1, "20%"], {"year": 2023, "category": IN_PREPARATION}),
    ("component_kind", ["Member"], {"component_kind": "Member"}),
    ("action_type", ["Fundraising"], {"action_type": "Fundraising"}),
    ("region", ["Africa"], {"region": "Africa"}),
    ("challenge", ["Funding", "67%"], {"challenge": "Funding"}),
])
def test_segment_from_point(chart, custom, expected):
    assert charts.segment_from_point(chart, {"customdata": custom, "x": 1, "y": "whatever"}) == expected


def test_segment_from_a_built_figure_and_its_description():
    frame = _status_frame({"Land": {"Underway": 3}}, "theme")
    fig = charts.status_by_theme_chart(frame)
    point = {"customdata": list(fig.data[SCALE.index("Underway")].customdata[0])}
    segment = charts.segment_from_point(fig.layout.meta["chart"], point)
    assert segment == {"theme": "Land", "status": "Underway"}
    assert charts.describe_segment(segment) == "Underway · Land"
    assert charts.describe_segment({"year": 2023, "category": PUBLISHED}) == f"{PUBLISHED} · 2023"


def test_share_axes_run_from_0_to_100_percent_with_both_ends_labelled():
    """The headline status bar's axis stopped at "80%": Plotly hid the "100%" label past the tight margin."""
    frame = _status_frame({"Marseille 2020 in 2024": {"Underway": 3, "Completed": 1}}, "scope")
    for fig, axis in ((charts.status_bars(frame, "scope", chart="status"), "xaxis"),
                      (charts.status_over_years_chart(_status_frame({2023: {"Underway": 1}}, "year")), "yaxis")):
        shares = fig.layout[axis]
        assert list(shares.range) == [0, 100]
        assert list(zip(shares.tickvals, shares.ticktext))[::4] == [(0, "0%"), (100, "100%")]
    horizontal = charts.status_bars(frame, "scope", chart="status")
    assert horizontal.layout.margin.r >= 28  # room for the right half of "100%"
