"""A Resolution's implementation status across the years: one point per year, its status in that year
(db/counting.status_in_year: In preparation or No Progress Report where none was published)."""

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import and_, func
from sqlmodel import Session, select

from analytics.progress import years_table
from db import vocab
from db.counting import status_in_year
from db.models import Congress, ProgressReport, Resolution
from locales import _


def status_timeline(*, session: Session, code: str) -> pd.DataFrame:
    """year, status (db/counting.status_in_year), state (working copy, None if no report), from the
    first reporting year after the Congress to the latest year with any report; empty if none."""
    found = session.exec(select(Resolution.id, Congress.year).join(Congress).where(Resolution.code == code)).first()
    if found is None:
        return pd.DataFrame(columns=["year", "status", "state"])
    resolution_id, congress_year = found
    first, last = session.exec(select(func.min(ProgressReport.year), func.max(ProgressReport.year))
                               .where(ProgressReport.resolution_id == resolution_id)).one()
    if first is None:
        return pd.DataFrame(columns=["year", "status", "state"])
    years = years_table(list(range(min(congress_year + 1, first), last + 1)))
    rows = session.exec(
        select(years.c.year, status_in_year(), ProgressReport.state).select_from(years)
        .outerjoin(ProgressReport, and_(ProgressReport.resolution_id == resolution_id,
                                        ProgressReport.year == years.c.year))
        .order_by(years.c.year)
    ).all()
    return pd.DataFrame([{"year": int(y), "status": status, "state": state} for y, status, state in rows])


def timeline_figure(frame: pd.DataFrame) -> go.Figure:
    """Status (on the ordered scale) by year, each point in its status colour; the statuses (the axis's
    categories) shown in the reader's language, colours keyed on the stored status."""
    scale = [_(s) for s in vocab.STATUS_SCALE]
    shown = frame["status"].map(_)
    reported = shown.where(~frame["status"].isin(vocab.UNPUBLISHED))  # the line skips unpublished years
    fig = go.Figure([
        go.Scatter(x=frame["year"], y=reported, mode="lines", connectgaps=True, hoverinfo="skip",
                   line={"color": "#b0b7c3", "width": 2, "shape": "hv"}),
        go.Scatter(x=frame["year"], y=shown, mode="markers", hovertemplate="%{x}: %{y}<extra></extra>",
                   marker={"size": 18, "symbol": "square", "line": {"color": "white", "width": 1},
                           "color": [vocab.STATUS_COLOURS[s] for s in frame["status"]]}),
    ])
    fig.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
        plot_bgcolor="white",
        xaxis={"tickmode": "array", "tickvals": list(frame["year"]), "ticktext": [str(y) for y in frame["year"]],
               "showgrid": False, "title": None},
        yaxis={"categoryorder": "array", "categoryarray": scale, "range": [-0.5, len(scale) - 0.5],
               "gridcolor": "#eef0f3", "title": None},
    )
    return fig
