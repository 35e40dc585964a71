"""Cached reads of what the public may see (services/public.py, the one place that says it) for the pages a
visitor opens signed out; keyed on the data version and the arguments (ui.cached)."""

import pandas as pd
import plotly.graph_objects as go

from db import vocab
from locales import _
from services import public
from ui.cached import cached

resolution = cached(public.resolution)  # None: no Resolution with that code


def status_timeline(detail: dict) -> pd.DataFrame:
    """(year, status) of a public Resolution from the first reporting year after its Congress to the latest
    published year, a year without a published Progress Report as "No Progress Report" (as the public
    figures count it: nothing unpublished shows); empty when nothing was published."""
    published = detail["status_timeline"]
    if not published:
        return pd.DataFrame(columns=["year", "status"])
    first, last = min(min(published), detail["congress"]["year"] + 1), max(published)
    return pd.DataFrame([{"year": year, "status": published.get(year, vocab.NO_PROGRESS_REPORT)}
                         for year in range(first, last + 1)])


def without_work_in_preparation(fig: go.Figure) -> go.Figure:
    """A status or coverage chart of the public figures (ProgressFilter(public=True), where "In preparation"
    is always 0) without that series or scale step, so it does not name unpublished work at all. The figure
    names it in the reader's language (issue 14), so both the stored and the shown label are looked for."""
    names = {vocab.IN_PREPARATION, _(vocab.IN_PREPARATION)}
    fig.data = tuple(trace for trace in fig.data if trace.name not in names)
    for axis in ("xaxis", "yaxis"):
        steps = fig.layout[axis].categoryarray
        if steps and names & set(steps):
            kept = [s for s in steps if s not in names]
            fig.layout[axis].categoryarray = kept
            if fig.layout[axis].range is not None:
                fig.layout[axis].range = [-0.5, len(kept) - 0.5]
    return fig
