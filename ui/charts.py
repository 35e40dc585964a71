"""analytics/charts.py for pages, each chart built once per input and language and then shared, read-only, by
every run and session (issue 13): building a plotly figure costs 15-90 ms of CPU (430 ms for the Overview's
charts), handing a built one to st.plotly_chart 2-4 ms. The inputs are the frames of cached reads, so a chart is
rebuilt exactly when its numbers (or its labels) change. Anything else of analytics.charts is passed through.

Shared means never changed: a page that alters a figure (the public site drops "In preparation") works on a
copy (without_work_in_preparation below)."""

import functools
from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

import locales
from analytics import charts as _charts
from ui import public_readers


def _shared(build: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    def run(language: str, args: tuple, kwargs: dict) -> go.Figure:
        with locales.use(language):
            return build(*args, **kwargs)

    # st.cache_resource tells functions apart by module and qualified name: give each wrapper the builder's
    run.__module__, run.__qualname__ = build.__module__, f"{build.__qualname__}.shared"
    shared_run = st.cache_resource(max_entries=256, show_spinner=False)(run)

    @functools.wraps(build)
    def chart(*args, **kwargs) -> go.Figure:
        return shared_run(locales.current(), args, kwargs)

    return chart


status_bars = _shared(_charts.status_bars)
status_by_congress_chart = _shared(_charts.status_by_congress_chart)
status_by_theme_chart = _shared(_charts.status_by_theme_chart)
status_by_target_chart = _shared(_charts.status_by_target_chart)
status_over_years_chart = _shared(_charts.status_over_years_chart)
coverage_chart = _shared(_charts.coverage_chart)
count_bars = _shared(_charts.count_bars)
challenges_chart = _shared(_charts.challenges_chart)


def without_work_in_preparation(fig: go.Figure) -> go.Figure:
    """ui.public_readers.without_work_in_preparation of a shared chart, on a copy made once and kept with it."""
    public = fig.__dict__.get("_rt_public")
    if public is None:
        public = public_readers.without_work_in_preparation(go.Figure(fig))
        fig.__dict__["_rt_public"] = public
    return public


def __getattr__(name: str):  # the rest of analytics.charts (segment_from_point, describe_segment...) as it is
    return getattr(_charts, name)
