"""Cached reads for the Progress Report pages (assignments, My Resolutions, review queue, timeline).
Each takes the data version first, so any write invalidates it. The editor reads fresh: it needs the
current version number."""

import pandas as pd
import streamlit as st

from analytics import timeline
from services import assignments, progress_reports
from ui.data import session


@st.cache_data(max_entries=64, show_spinner=False)
def my_resolutions(version: tuple, user_id: int, year: int) -> pd.DataFrame:
    with session() as s:
        return progress_reports.my_resolutions(session=s, user_id=user_id, year=year)


@st.cache_data(max_entries=64, show_spinner=False)
def deadlines(version: tuple) -> pd.DataFrame:
    with session() as s:
        return assignments.deadlines(session=s)


@st.cache_data(max_entries=16, show_spinner=False)
def review_queue(version: tuple) -> pd.DataFrame:
    with session() as s:
        return progress_reports.review_queue(session=s)


@st.cache_data(max_entries=256, show_spinner=False)
def status_timeline(version: tuple, code: str) -> pd.DataFrame:
    with session() as s:
        return timeline.status_timeline(session=s, code=code)


@st.cache_data(max_entries=256, show_spinner=False)
def published_reports(version: tuple, code: str) -> list[dict]:
    with session() as s:
        return progress_reports.published_reports(session=s, code=code)


@st.cache_data(max_entries=16, show_spinner=False)
def focal_point_candidates(version: tuple) -> pd.DataFrame:
    with session() as s:
        return assignments.focal_point_candidates(session=s)


@st.cache_data(max_entries=16, show_spinner=False)
def assignable_resolutions(version: tuple) -> pd.DataFrame:
    with session() as s:
        return assignments.resolution_options(session=s)


@st.cache_data(max_entries=64, show_spinner=False)
def focal_points_of(version: tuple, code: str) -> pd.DataFrame:
    with session() as s:
        return assignments.focal_points_of(session=s, code=code)


@st.cache_data(max_entries=64, show_spinner=False)
def assignment_overview(version: tuple, congress: str) -> pd.DataFrame:
    with session() as s:
        return assignments.assignment_overview(session=s, congress=congress)


@st.cache_data(max_entries=16, show_spinner=False)
def unassigned_counts(version: tuple) -> pd.DataFrame:
    with session() as s:
        return assignments.unassigned_counts(session=s)


@st.cache_data(max_entries=64, show_spinner=False)
def component_options(version: tuple) -> pd.DataFrame:
    with session() as s:
        return progress_reports.component_options(session=s)
