"""Cached reads for the coverage and guide pages. Each takes the data version first, so any write
invalidates it; `today` is an argument so the cache never serves yesterday's day count."""

from datetime import date

import pandas as pd
import streamlit as st

from analytics import coverage, cycle
from ui.data import session


@st.cache_data(max_entries=16, show_spinner=False)
def congresses(version: tuple) -> pd.DataFrame:
    with session() as s:
        return coverage.congress_choices(session=s)


@st.cache_data(max_entries=16, show_spinner=False)
def reporting_years(version: tuple, today: date) -> list[int]:
    with session() as s:
        return coverage.reporting_years(session=s, today=today)


@st.cache_data(max_entries=64, show_spinner=False)
def deadline(version: tuple, year: int, today: date) -> coverage.Deadline:
    with session() as s:
        return coverage.deadline(session=s, year=year, today=today)


@st.cache_data(max_entries=64, show_spinner="Counting reports…")
def resolution_coverage(version: tuple, year: int, congress: str, focal_user_id: int | None) -> pd.DataFrame:
    with session() as s:
        return coverage.resolution_coverage(session=s, year=year, congress_code=congress,
                                            focal_user_id=focal_user_id)


@st.cache_data(max_entries=64, show_spinner=False)
def archived_left_out(version: tuple, year: int, congress: str) -> int:
    with session() as s:
        return coverage.archived_left_out(session=s, year=year, congress_code=congress)


@st.cache_data(max_entries=64, show_spinner=False)
def components_reporting(version: tuple, year: int, congress: str, focal_user_id: int | None) -> pd.DataFrame:
    with session() as s:
        return coverage.components_reporting(session=s, year=year, congress_code=congress,
                                             focal_user_id=focal_user_id)


@st.cache_data(max_entries=64, show_spinner=False)
def component_matrix(version: tuple, year: int, congress: str, focal_user_id: int | None) -> pd.DataFrame:
    with session() as s:
        return coverage.component_matrix(session=s, year=year, congress_code=congress,
                                         focal_user_id=focal_user_id)


@st.cache_data(max_entries=32, show_spinner=False)
def stage_counts(version: tuple, year: int) -> cycle.StageCounts:
    with session() as s:
        return cycle.stage_counts(session=s, year=year)


@st.cache_data(max_entries=64, show_spinner=False)
def my_work(version: tuple, user_id: int, roles: frozenset[str], year: int) -> list[cycle.WorkItem]:
    with session() as s:
        return cycle.my_work(session=s, user_id=user_id, roles=roles, year=year)


@st.cache_data(max_entries=16, show_spinner=False)
def upcoming_deadlines(version: tuple, year: int) -> pd.DataFrame:
    with session() as s:
        return cycle.upcoming_deadlines(session=s, year=year)
