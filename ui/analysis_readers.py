"""Cached reads for the yearly analysis and body of policy pages (ui.cached: keyed on the data version
and the arguments)."""

import pandas as pd

from analytics import body_of_policy, yearly_analysis
from db.scopes import REGISTER
from locales import N_
from services import export_tables
from services import yearly_analysis as narrative_service
from ui.analytics_readers import FIGURE_SCOPES
from ui.cached import cached


def _body_tables(*, session, flt: body_of_policy.BodyFilter) -> dict[str, pd.DataFrame]:
    return {"per_congress": body_of_policy.per_congress(session=session, flt=flt),
            "series": body_of_policy.kind_lifecycle_per_congress(session=session, flt=flt),
            "by_theme": body_of_policy.by_theme(session=session, flt=flt)}


body_tables = cached(_body_tables, max_entries=64, scopes=(REGISTER,))  # the register alone
# One Congress' figures (analytics/progress.py) and its published texts (Progress Reports): FIGURE_SCOPES.
analysis_sections = cached(yearly_analysis.sections, max_entries=128, spinner=N_("Computing the analysis…"),
                           scopes=FIGURE_SCOPES, by_congress=True)
narrative = cached(narrative_service.read_analysis, max_entries=128)
default_view = cached(narrative_service.default_view, max_entries=64)  # which analysis the page opens on


@cached(max_entries=32, spinner=N_("Preparing the PDF…"))
def pdf(*, congress: str, year: int, texts: tuple[tuple[str, str], ...], note: str, language: str) -> bytes:
    """The PDF of the analysis with the given narrative sections ((label, text) pairs), in `language` (the
    reader's, named so the cache keeps one PDF per language)."""
    from analytics.export_pdf import analysis_pdf  # matplotlib and fpdf2 load only when a PDF is asked for

    return analysis_pdf(analysis_sections(congress=congress, year=year), narrative=list(texts), note=note)


def excel(*, congress: str, year: int, texts: tuple[tuple[str, str, str], ...], note: str) -> bytes:
    """The workbook of the analysis: the narrative the reader sees ((key, label, text) triples, numbered as
    on the page) and its note, then every table. Built on each click from the cached figures, not cached
    itself: it says when it was generated."""
    narrative = [(f"{number}. {label}", text) for number, (_key, label, text) in enumerate(texts, start=1)]
    return export_tables.analysis_workbook(analysis_sections(congress=congress, year=year), narrative=narrative,
                                           note=note)
