"""Cached reads of the progress figures for pages (ui.cached: keyed on the data version and the
arguments; filters are frozen dataclasses, so they key the cache)."""

import pandas as pd

from analytics import filters, progress
from ui.cached import cached

congress_options = cached(filters.congress_options, max_entries=64)
data_years = cached(filters.data_years, max_entries=64)
resolved = cached(filters.resolve)
resolutions_behind = cached(progress.resolutions_behind)  # the Resolutions behind a chart segment

# The figures of analytics/progress.py a page may ask for by name.
FIGURES = {name: cached(getattr(progress, name), max_entries=128) for name in (
    "headline", "status_counts", "status_by_congress", "status_by_theme", "status_over_years",
    "coverage_by_year", "activities_by_component_kind", "activities_by_action_type",
    "activities_by_region", "top_challenges")}


def figure(name: str, flt: filters.ProgressFilter) -> pd.DataFrame | dict:
    """One figure of analytics/progress.py (a name in FIGURES) for a filter."""
    return FIGURES[name](flt=flt)
