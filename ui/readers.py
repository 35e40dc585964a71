"""Cached reads for pages. Each takes the data version first, so any write invalidates it."""

import pandas as pd
import streamlit as st

from services import register
from ui.data import session


@st.cache_data(max_entries=64, show_spinner=False)
def congresses(version: tuple) -> pd.DataFrame:
    with session() as s:
        return register.congress_options(session=s)


@st.cache_data(max_entries=64, show_spinner=False)
def theme_names(version: tuple) -> list[str]:
    with session() as s:
        return register.theme_names(session=s)


@st.cache_data(max_entries=256, show_spinner=False)
def resolutions(version: tuple, flt: register.RegisterFilter) -> pd.DataFrame:
    with session() as s:
        return register.search_resolutions(session=s, flt=flt)


@st.cache_data(max_entries=256, show_spinner=False)
def resolution_detail(version: tuple, code: str) -> dict:
    with session() as s:
        return register.resolution_detail(session=s, code=code)
