"""Cached reads for the yearly analysis and body of policy pages. Each takes the data version first,
so any write (which records an audit event) invalidates it."""

import pandas as pd
import streamlit as st

from analytics import body_of_policy, yearly_analysis
from services import yearly_analysis as narrative_service
from services.permissions import Actor
from services.tabular import excel_bytes
from ui.data import session


# -- body of policy ---------------------------------------------------------------------------------
@st.cache_data(max_entries=64, show_spinner=False)
def body_tables(version: tuple, flt: body_of_policy.BodyFilter) -> dict[str, pd.DataFrame]:
    with session() as s:
        return {"per_congress": body_of_policy.per_congress(session=s, flt=flt),
                "series": body_of_policy.kind_lifecycle_per_congress(session=s, flt=flt),
                "by_theme": body_of_policy.by_theme(session=s, flt=flt)}


# -- yearly analysis --------------------------------------------------------------------------------
@st.cache_data(max_entries=128, show_spinner="Computing the analysis…")
def analysis_sections(version: tuple, congress: str, year: int) -> yearly_analysis.Sections:
    with session() as s:
        return yearly_analysis.sections(session=s, congress=congress, year=year)


@st.cache_data(max_entries=128, show_spinner=False)
def narrative(version: tuple, actor: Actor, congress: str, year: int) -> narrative_service.AnalysisView:
    with session() as s:
        return narrative_service.read_analysis(session=s, actor=actor, congress=congress, year=year)


@st.cache_data(max_entries=32, show_spinner="Preparing the PDF…")
def pdf(version: tuple, congress: str, year: int, texts: tuple[tuple[str, str], ...], note: str) -> bytes:
    """The PDF of the analysis with the given narrative sections ((key, label, text) triples)."""
    from analytics.export_pdf import analysis_pdf  # matplotlib and fpdf2 load only when a PDF is asked for

    return analysis_pdf(analysis_sections(version, congress, year), narrative=list(texts), note=note)


@st.cache_data(max_entries=32, show_spinner=False)
def excel(version: tuple, congress: str, year: int) -> bytes:
    return excel_bytes(analysis_sections(version, congress, year).tables)
