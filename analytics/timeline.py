"""A Resolution's implementation status across the years: one point per year, "No report" where no
Progress Report was published that year."""

import pandas as pd
import plotly.graph_objects as go
from sqlmodel import Session, select

from db import vocab
from db.models import Congress, ProgressReport, Resolution


def status_timeline(*, session: Session, code: str) -> pd.DataFrame:
    """year, status (published status or NO_REPORT), state (working copy, None if no report), from the
    first reporting year after the Congress to the latest year with any report; empty if none."""
    found = session.exec(select(Resolution.id, Congress.year).join(Congress).where(Resolution.code == code)).first()
    if found is None:
        return pd.DataFrame(columns=["year", "status", "state"])
    resolution_id, congress_year = found
    rows = dict((y, (p, s)) for y, p, s in session.exec(
        select(ProgressReport.year, ProgressReport.published_status, ProgressReport.state)
        .where(ProgressReport.resolution_id == resolution_id)).all())
    if not rows:
        return pd.DataFrame(columns=["year", "status", "state"])
    first = min(congress_year + 1, min(rows))
    years = range(first, max(rows) + 1)
    return pd.DataFrame([{"year": y, "status": (rows.get(y, (None, None))[0] or vocab.NO_REPORT),
                          "state": rows.get(y, (None, None))[1]} for y in years])


def timeline_figure(frame: pd.DataFrame) -> go.Figure:
    """Status (on the ordered scale) by year, each point in its status colour."""
    scale = list(vocab.STATUS_SCALE)
    reported = frame["status"].where(frame["status"] != vocab.NO_REPORT)  # the line skips years without one
    fig = go.Figure([
        go.Scatter(x=frame["year"], y=reported, mode="lines", connectgaps=True, hoverinfo="skip",
                   line={"color": "#b0b7c3", "width": 2, "shape": "hv"}),
        go.Scatter(x=frame["year"], y=frame["status"], mode="markers", hovertemplate="%{x}: %{y}<extra></extra>",
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
