"""Cached reads for the Activity Report pages. Each takes the data version first, so any write
(every write records an audit event) invalidates it; the actor is part of the key, so one user's
reports never answer another's question."""

import pandas as pd
import streamlit as st

from services import activity_reports
from services.permissions import Actor
from ui.data import session


@st.cache_data(max_entries=64, show_spinner=False)
def resolution_options(version: tuple, include_ids: tuple[int, ...] = (), q: str = "") -> pd.DataFrame:
    with session() as s:
        return activity_reports.resolution_options(session=s, q=q, include_ids=include_ids)


@st.cache_data(max_entries=256, show_spinner=False)
def reporting_components(version: tuple, actor: Actor) -> list[tuple[int, str]]:
    with session() as s:
        return activity_reports.reporting_components(session=s, actor=actor)


@st.cache_data(max_entries=256, show_spinner=False)
def my_reports(version: tuple, actor: Actor, state: str | None = None, year: int | None = None,
               resolution_code: str | None = None) -> pd.DataFrame:
    with session() as s:
        return activity_reports.my_reports(session=s, actor=actor, state=state, year=year,
                                           resolution_code=resolution_code)


@st.cache_data(max_entries=256, show_spinner=False)
def report(version: tuple, actor: Actor, report_id: int) -> activity_reports.ReportView:
    """Raises NotFound (not cached) when the actor may not see the report."""
    with session() as s:
        return activity_reports.get_report(session=s, actor=actor, report_id=report_id)


@st.cache_data(max_entries=64, show_spinner=False)
def prefill_from(version: tuple, actor: Actor, report_id: int) -> activity_reports.ActivityInput:
    with session() as s:
        return activity_reports.prefill_from(session=s, actor=actor, report_id=report_id)
