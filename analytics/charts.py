"""Plotly figures for the progress figures of analytics/progress.py, and the way back from a clicked
segment to the filter of the Resolutions behind it.

Every status chart draws the whole status scale (vocab.STATUS_SCALE) in its fixed order and colours
(vocab.STATUS_COLOURS), the unpublished states first, so the same colour means the same status everywhere. Each bar
segment carries its keys in customdata, so a selection event names the segment it came from.

Issue 14: every title, legend name, axis title and hover text is translated when the figure is built (in the
language of the run); customdata keeps the stored values (English status labels, codes), so a click maps back
to the same segment in every language.
"""

import pandas as pd
import plotly.graph_objects as go

from analytics.progress import COVERAGE_CATEGORIES
from db import vocab
from locales import _, format_number, format_percent

# The coverage chart's categories are the reporting states' labels, in the states' colours.
COVERAGE_COLOURS = {vocab.REPORTING_STATE_LABELS[s]: vocab.REPORTING_STATE_COLOURS[s] for s in vocab.REPORTING_STATES}
BAR_COLOUR = "#3b6e8f"
FONT = dict(family="Source Sans Pro, sans-serif", size=13)
# A share axis runs 0-100 % with its ends labelled. Plotly hides a tick label that would spill past the
# figure: with a tight right margin "100%" vanished and a full bar read as ending at 80 %.
PERCENT_TICKS = (0, 25, 50, 75, 100)


def percent_axis() -> dict:
    """The share axis, its tick labels in the reader's way (100% / 100 %)."""
    return dict(range=[0, 100], tickmode="array", tickvals=list(PERCENT_TICKS),
                ticktext=[format_percent(t / 100) for t in PERCENT_TICKS])


TARGET_LABEL_MAX = 56  # characters of a target's name on the axis of "Resolutions by target"
PERCENT_END_MARGIN = 28  # px right of a horizontal share axis: room for half of "100%"

# The keys each chart's customdata carries, in order: what resolutions_behind() is called with.
DRILL_KEYS = {
    "status": ("_scope", "status"),  # the chosen Congress and year: keys starting with "_" only label
    "congress": ("congress", "status"),
    "theme": ("theme", "status"),
    "target": ("target", "status"),
    "years": ("year", "status"),
    "coverage": ("year", "category"),
    "component_kind": ("component_kind",),
    "action_type": ("action_type",),
    "region": ("region",),
    "challenge": ("challenge",),
}


def _layout(fig: go.Figure, *, height: int, legend: bool = True, **axes) -> go.Figure:
    fig.update_layout(
        height=height, margin=dict(l=8, r=8, t=36 if legend else 8, b=8), font=FONT,
        barmode="stack", bargap=0.3, plot_bgcolor="white", clickmode="event+select",
        showlegend=legend, legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0,
                                       traceorder="normal", title_text=""),
        hoverlabel=dict(font_size=13), **axes,
    )
    fig.update_xaxes(gridcolor="#eceff3", zeroline=False)
    fig.update_yaxes(gridcolor="#eceff3", zeroline=False)
    return fig


def _pct(share: float) -> str:
    return format_percent(share)


def _resolutions_hover(label: str, count: str, share: str) -> str:
    """'Underway: 3 Resolutions (20%)', the count and share as Plotly placeholders."""
    return _("{label}: {count} Resolutions ({share})").format(label=label, count=count, share=share)


def status_bars(frame: pd.DataFrame, by: str, *, labels: dict | None = None, chart: str | None = None,
                horizontal: bool = True, axis_title: str = "") -> go.Figure:
    """100 % stacked bars of (by, status, count, share): one bar per value of `by` (in the frame's
    order, first on top), one segment per status of the scale. `labels` renames the bars."""
    groups = list(dict.fromkeys(frame[by]))
    names = [str((labels or {}).get(g, g)) for g in groups]
    fig = go.Figure()
    for status in vocab.STATUS_SCALE:
        part = frame[frame["status"] == status].set_index(by).reindex(groups)
        counts = part["count"].fillna(0).astype(int).tolist()
        shares = part["share"].fillna(0.0).tolist()
        values = [s * 100 for s in shares]
        text = [format_number(n) if s >= 0.06 else "" for n, s in zip(counts, shares)]
        custom = [[g, status, n, _pct(s)] for g, n, s in zip(groups, counts, shares)]  # the stored status
        bar = dict(name=_(status), marker_color=vocab.STATUS_COLOURS[status], customdata=custom, text=text,
                   textposition="inside", insidetextanchor="middle", textangle=0,
                   hovertemplate=("<b>%{y}</b><br>" if horizontal else "<b>%{x}</b><br>")
                                 + _resolutions_hover(_(status), "%{customdata[2]}", "%{customdata[3]}")
                                 + "<extra></extra>")
        if horizontal:
            fig.add_trace(go.Bar(y=names, x=values, orientation="h", **bar))
        else:
            fig.add_trace(go.Bar(x=names, y=values, **bar))
    share_axis = percent_axis()
    if horizontal:
        fig = _layout(fig, height=120 + 34 * len(groups), xaxis=share_axis,
                      yaxis=dict(title_text=axis_title, autorange="reversed", type="category"))
        fig.update_layout(margin_r=PERCENT_END_MARGIN)
    else:
        fig = _layout(fig, height=380, yaxis=share_axis | {"title_text": _("Share of Resolutions")},
                      xaxis=dict(title_text=axis_title, type="category"))
    fig.update_layout(meta={"chart": chart or by})
    return fig


def status_by_congress_chart(frame: pd.DataFrame, congress_labels: dict[str, str] | None = None) -> go.Figure:
    """status_by_congress: one bar per Congress, newest on top, labelled with the year it is shown in."""
    frame = frame.iloc[::-1].reset_index(drop=True) if not frame.empty else frame
    years = frame.drop_duplicates("congress").set_index("congress")["year"].to_dict()
    labels = {c: f"{(congress_labels or {}).get(c, c)} · {y}" for c, y in years.items()}
    return status_bars(frame, "congress", labels=labels, chart="congress")


def status_by_theme_chart(frame: pd.DataFrame) -> go.Figure:
    """The themes named in the reader's language (vocab.THEME_NAMES); a click still carries the stored name."""
    return status_bars(frame, "theme", chart="theme", labels={t: _(t) for t in frame["theme"].unique()})


def status_by_target_chart(frame: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """status_by_target: one bar per target, labelled as `labels` names them (the reader's language), cut short
    so that the bars keep their width; a click carries the target's code."""
    def short(label: str) -> str:
        return label if len(label) <= TARGET_LABEL_MAX else label[:TARGET_LABEL_MAX - 1].rstrip() + "…"
    return status_bars(frame, "target", chart="target", labels={t: short(labels.get(t, t)) for t in labels})


def status_over_years_chart(frame: pd.DataFrame) -> go.Figure:
    return status_bars(frame, "year", chart="years", horizontal=False, axis_title=_("Reporting year"))


def coverage_chart(frame: pd.DataFrame) -> go.Figure:
    """coverage_by_year: stacked columns of Resolutions in force per year, by reporting state."""
    fig = go.Figure()
    totals = frame.groupby("year")["count"].transform("sum")
    frame = frame.assign(share=(frame["count"] / totals.where(totals > 0)).fillna(0.0))
    for category in COVERAGE_CATEGORIES:
        part = frame[frame["category"] == category]
        fig.add_trace(go.Bar(
            x=part["year"].astype(str), y=part["count"], name=_(category), marker_color=COVERAGE_COLOURS[category],
            customdata=[[y, category, n, _pct(s)] for y, n, s in zip(part["year"], part["count"], part["share"])],
            text=[format_number(n) if s >= 0.06 else "" for n, s in zip(part["count"], part["share"])],
            textposition="inside", insidetextanchor="middle", textangle=0,
            hovertemplate="<b>%{customdata[0]}</b><br>"
                          + _resolutions_hover(_(category), "%{customdata[2]}", "%{customdata[3]}")
                          + "<extra></extra>",
        ))
    fig = _layout(fig, height=380, xaxis=dict(title_text=_("Reporting year"), type="category"),
                  yaxis=dict(title_text=_("Resolutions in force")))
    fig.update_layout(meta={"chart": "coverage"})
    return fig


def count_bars(frame: pd.DataFrame, *, chart: str, label: str = "label", count: str = "count",
               axis_title: str | None = None, hover: str | None = None, share: str | None = None) -> go.Figure:
    """Horizontal bars of (label, count), largest on top; hover shows the count (and share if given).
    The labels are vocabulary values (component kinds, action types, regions, challenges): shown translated,
    kept as stored in customdata[0]. `hover` is a translated text with {count}, e.g. "{count} Activity Reports"
    (the default with the default axis title)."""
    axis_title = _("Activity Reports") if axis_title is None else axis_title
    hover = "<b>%{y}</b><br>" + (hover or _("{count} Activity Reports")).format(count="%{x}")
    custom = [[v] for v in frame[label]]
    if share:
        custom = [[v, _pct(s)] for v, s in zip(frame[label], frame[share])]
        hover += " (%{customdata[1]})"
    fig = go.Figure(go.Bar(
        y=[_(str(v)) for v in frame[label]], x=frame[count], orientation="h", marker_color=BAR_COLOUR,
        customdata=custom, text=[format_number(n) for n in frame[count]], textposition="outside",
        cliponaxis=False, hovertemplate=hover + "<extra></extra>",
    ))
    fig = _layout(fig, height=60 + 30 * max(len(frame), 1), legend=False,
                  xaxis=dict(title_text=axis_title, rangemode="tozero"),
                  yaxis=dict(autorange="reversed", type="category", automargin=True))
    fig.update_layout(meta={"chart": chart})
    return fig


def challenges_chart(frame: pd.DataFrame) -> go.Figure:
    """top_challenges as a ranked list of bars (share of the year's published Progress Reports)."""
    return count_bars(frame, chart="challenge", label="challenge", axis_title=_("Progress Reports naming it"),
                      hover=_("{count} Progress Reports naming it"), share="share")


# -- from a click back to the Resolutions ----------------------------------------------------------
def segment_from_point(chart: str, point: dict) -> dict:
    """The keyword arguments of progress.resolutions_behind for a selected point of `chart` (one of
    DRILL_KEYS), read from the point's customdata."""
    values = point.get("customdata") or []
    segment = {k: v for k, v in zip(DRILL_KEYS[chart], values) if not k.startswith("_")}
    if "year" in segment:
        segment["year"] = int(segment["year"])
    return segment


def describe_segment(segment: dict) -> str:
    """A short heading for the Resolutions behind a segment: 'Underway · Land · 2024', vocabulary values
    translated (Congress codes and years as they are)."""
    order = ("status", "category", "congress", "theme", "target", "year", "component_kind", "action_type",
             "region", "challenge")
    translated = {"status", "category", "theme", "component_kind", "action_type", "region", "challenge"}
    return " · ".join(_(str(segment[k])) if k in translated else str(segment[k])
                      for k in order if segment.get(k) is not None)
