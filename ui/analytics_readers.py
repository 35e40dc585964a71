"""Cached reads of the progress figures for pages (ui.cached: keyed on the data version and the
arguments; filters are frozen dataclasses, so they key the cache)."""

import pandas as pd

from analytics import filters, progress
from db.scopes import ACTIVITY, PROGRESS, REGISTER
from ui.cached import cached

# What the figures depend on (ui.cached scopes, issue 13): the register (Resolutions in force, themes, the
# reporting components' regions and kinds), the Activity Reports and the Progress Reports (with "nothing to
# report"). The Activity Report figures read no Progress Report; every figure but status_by_congress (which
# compares every Congress) is about the filter's Congress only.
FIGURE_SCOPES = (REGISTER, ACTIVITY, PROGRESS)
ACTIVITY_SCOPES = (REGISTER, ACTIVITY)

congress_options = cached(filters.congress_options, max_entries=64, scopes=(REGISTER,))
data_years = cached(filters.data_years, max_entries=64, scopes=FIGURE_SCOPES, by_congress=True)
resolved = cached(filters.resolve, scopes=FIGURE_SCOPES, by_congress=True)
# the Resolutions behind a chart segment
resolutions_behind = cached(progress.resolutions_behind, scopes=FIGURE_SCOPES, by_congress=True)

# The figures of analytics/progress.py a page may ask for by name.
FIGURES = {name: cached(getattr(progress, name), max_entries=128,
                        scopes=ACTIVITY_SCOPES if name.startswith("activities_") else FIGURE_SCOPES,
                        by_congress=name != "status_by_congress") for name in (
    "headline", "status_counts", "status_by_congress", "status_by_theme", "status_by_target", "status_over_years",
    "coverage_by_year", "activities_by_component_kind", "activities_by_action_type",
    "activities_by_region", "top_challenges")}


def figure(name: str, flt: filters.ProgressFilter) -> pd.DataFrame | dict:
    """One figure of analytics/progress.py (a name in FIGURES) for a filter."""
    return FIGURES[name](flt=flt)
