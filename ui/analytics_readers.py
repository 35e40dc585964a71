"""Cached reads of the progress figures for pages. Each takes the data version first, so any write
(which records an audit event) invalidates it; filters are frozen dataclasses, so they key the cache."""

import pandas as pd
import streamlit as st

from analytics import filters, progress
from ui.data import session

# The figures of analytics/progress.py a page may ask for by name.
FIGURES = ("headline", "status_counts", "status_by_congress", "status_by_theme", "status_over_years",
           "coverage_by_year", "activities_by_component_kind", "activities_by_action_type",
           "activities_by_region", "top_challenges")


@st.cache_data(max_entries=64, show_spinner=False)
def congress_options(version: tuple) -> pd.DataFrame:
    with session() as s:
        return filters.congress_options(session=s)


@st.cache_data(max_entries=64, show_spinner=False)
def data_years(version: tuple, congress: str) -> list[int]:
    with session() as s:
        return filters.data_years(session=s, congress=congress)


@st.cache_data(max_entries=256, show_spinner=False)
def resolved(version: tuple, flt: filters.ProgressFilter) -> filters.ProgressFilter:
    with session() as s:
        return filters.resolve(session=s, flt=flt)


@st.cache_data(max_entries=1024, show_spinner=False)
def figure(version: tuple, name: str, flt: filters.ProgressFilter) -> pd.DataFrame | dict:
    """One figure of analytics/progress.py (a name in FIGURES) for a filter."""
    if name not in FIGURES:
        raise ValueError(f"Unknown figure {name!r}")
    with session() as s:
        return getattr(progress, name)(session=s, flt=flt)


@st.cache_data(max_entries=256, show_spinner=False)
def resolutions_behind(version: tuple, flt: filters.ProgressFilter, segment: tuple) -> pd.DataFrame:
    """The Resolutions behind a chart segment; segment is a tuple of (key, value) pairs."""
    with session() as s:
        return progress.resolutions_behind(session=s, flt=flt, **dict(segment))
