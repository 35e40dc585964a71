"""The body of policy: Resolutions and Recommendations adopted per Congress since 1948, active or
archived, by theme and kind.

Two sources, never mixed silently: the register (rows in the resolution table, counted in SQL) and the
published reference figure of each Congress (Congress.adopted_count, from db/reference/congresses.csv).
Where the register holds no row for a Congress, its reference figure stands in and is labelled so.

Issue 14: series, sources and the "count not known" mark are English keys (N_), translated where shown; the
chart's texts are built in the reader's language, its customdata keeps the Congress codes.
"""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import case, func
from sqlmodel import Session, select

from analytics.charts import FONT
from db import vocab
from db.counting import tagged_with
from db.models import Congress, Resolution, ResolutionTheme, Theme
from locales import N_, _, format_number, ngettext

REGISTER = N_("Register")
REFERENCE = N_("Reference figure")
UNKNOWN = N_("Not known")

# Series of the per-Congress chart, in stacking order, with their colours.
RESOLUTIONS_ACTIVE = N_("Resolutions, active")
RESOLUTIONS_ARCHIVED = N_("Resolutions, archived")
RECOMMENDATIONS_ACTIVE = N_("Recommendations, active")
RECOMMENDATIONS_ARCHIVED = N_("Recommendations, archived")
REFERENCE_ONLY = N_("Reference figure (not in the register)")
SERIES_COLOURS = {
    RESOLUTIONS_ACTIVE: "#1f5f8b",
    RESOLUTIONS_ARCHIVED: "#9ec3de",
    RECOMMENDATIONS_ACTIVE: "#b5651d",
    RECOMMENDATIONS_ARCHIVED: "#f1c79b",
    REFERENCE_ONLY: "#c9ced6",
}
KIND_COLOURS = {"Resolution": "#1f5f8b", "Recommendation": "#b5651d"}
LIFECYCLE_COLOURS = {"active": "#2e7d32", "archived": "#9e9e9e"}

PER_CONGRESS_COLUMNS = [
    "code", "kind", "session", "city", "country", "year", "label",
    "resolutions", "recommendations", "active", "archived", "register_total",
    "reference_count", "shown_total", "source", "agrees_with_reference",
]


@dataclass(frozen=True)
class BodyFilter:
    kinds: tuple[str, ...] = ()  # Resolution / Recommendation; empty = both
    themes: tuple[str, ...] = ()  # tagged with any of these; empty = all
    year_from: int | None = None  # Congress year bounds, inclusive
    year_to: int | None = None

    @property
    def narrows_register(self) -> bool:
        """Kind and theme filters narrow what is counted: a reference figure (all kinds, all themes)
        no longer compares with it."""
        return bool(self.kinds or self.themes)


def _conditions(flt: BodyFilter) -> list:
    conditions = []
    if flt.kinds:
        conditions.append(Resolution.kind.in_(flt.kinds))
    if flt.themes:
        conditions.append(tagged_with(flt.themes))
    return conditions


def _congress_conditions(flt: BodyFilter) -> list:
    conditions = []
    if flt.year_from is not None:
        conditions.append(Congress.year >= flt.year_from)
    if flt.year_to is not None:
        conditions.append(Congress.year <= flt.year_to)
    return conditions


def _count_where(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def congress_label(kind: str, session: int, city: str, year: int) -> str:
    """'Marseille 2020 (WCC 7)', the abbreviation in the reader's language (AG / CMN in French)."""
    city = city.split(",")[0]
    if kind == "General Assembly":
        return _("{city} {year} (GA {session})").format(city=city, year=year, session=session)
    return _("{city} {year} (WCC {session})").format(city=city, year=year, session=session)


def per_congress(*, session: Session, flt: BodyFilter = BodyFilter()) -> pd.DataFrame:
    """One row per Congress (every one, oldest first) with the register's counts (by kind, active and
    archived, total), the reference figure, the figure shown (register total, else the reference figure
    when no filter narrows the count) with its source, and whether register and reference agree
    (None where either is missing)."""
    counted = (
        select(Resolution.congress_id.label("congress_id"),
               _count_where(Resolution.kind == "Resolution").label("resolutions"),
               _count_where(Resolution.kind == "Recommendation").label("recommendations"),
               _count_where(Resolution.status == "active").label("active"),
               _count_where(Resolution.status == "archived").label("archived"),
               func.count(Resolution.id).label("total"))
        .where(*_conditions(flt))
        .group_by(Resolution.congress_id)
        .subquery("counted")
    )
    rows = session.exec(
        select(Congress.code, Congress.kind, Congress.session, Congress.city, Congress.country, Congress.year,
               counted.c.resolutions, counted.c.recommendations, counted.c.active, counted.c.archived,
               counted.c.total, Congress.adopted_count)
        .outerjoin(counted, counted.c.congress_id == Congress.id)
        .where(*_congress_conditions(flt))
        .order_by(Congress.year, Congress.session)
    ).all()
    frame = pd.DataFrame(rows, columns=[
        "code", "kind", "session", "city", "country", "year", "resolutions", "recommendations", "active",
        "archived", "register_total", "reference_count"])
    for column in ("resolutions", "recommendations", "active", "archived", "register_total"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["reference_count"] = frame["reference_count"].astype("Int64")
    frame["label"] = [congress_label(r.kind, r.session, r.city, r.year) for r in frame.itertuples()]
    in_register = frame["register_total"] > 0
    has_reference = frame["reference_count"].notna() & ~flt.narrows_register
    frame["source"] = [REGISTER if reg else REFERENCE if ref else UNKNOWN
                       for reg, ref in zip(in_register, has_reference)]
    frame["shown_total"] = frame["register_total"].where(
        in_register, frame["reference_count"].where(has_reference)).astype("Int64")
    comparable = in_register & frame["reference_count"].notna() & ~flt.narrows_register
    agrees = frame["register_total"] == frame["reference_count"].fillna(-1)
    frame["agrees_with_reference"] = [bool(a) if c else None for a, c in zip(agrees, comparable)]
    return frame[PER_CONGRESS_COLUMNS]


def kind_lifecycle_per_congress(*, session: Session, flt: BodyFilter = BodyFilter()) -> pd.DataFrame:
    """(code, label, year, series, count): for the chart of adopted texts per Congress. Register rows by
    kind x lifecycle (SERIES_COLOURS order), plus REFERENCE_ONLY for a Congress the register does not hold
    but whose reference figure is known. Every Congress appears (with zero counts when nothing is known),
    so the time axis runs from 1948 to the last Congress without gaps; `source` says where its count
    comes from (REGISTER, REFERENCE, or UNKNOWN: nothing is known)."""
    congresses = per_congress(session=session, flt=flt)
    rows = session.exec(
        select(Congress.code, Resolution.kind, Resolution.status, func.count(Resolution.id))
        .join(Congress, Congress.id == Resolution.congress_id)
        .where(*_conditions(flt), *_congress_conditions(flt))
        .group_by(Congress.code, Resolution.kind, Resolution.status)
    ).all()
    counts = {(code, kind, status): int(n) for code, kind, status, n in rows}
    series_of = {
        RESOLUTIONS_ACTIVE: ("Resolution", "active"), RESOLUTIONS_ARCHIVED: ("Resolution", "archived"),
        RECOMMENDATIONS_ACTIVE: ("Recommendation", "active"),
        RECOMMENDATIONS_ARCHIVED: ("Recommendation", "archived"),
    }
    records = []
    for c in congresses.itertuples():
        for series, (kind, status) in series_of.items():
            records.append((c.code, c.label, c.year, c.source, series, counts.get((c.code, kind, status), 0)))
        reference = int(c.shown_total) if c.source == REFERENCE else 0
        records.append((c.code, c.label, c.year, c.source, REFERENCE_ONLY, reference))
    return pd.DataFrame(records, columns=["code", "label", "year", "source", "series", "count"])


def by_theme(*, session: Session, flt: BodyFilter = BodyFilter()) -> pd.DataFrame:
    """(theme, parent, framework, kind, active, archived, total) from the register: a Resolution counts
    under each of its themes; themes in reference order, every theme x kind present (zeros too)."""
    rows = session.exec(
        select(Theme.name, Resolution.kind,
               _count_where(Resolution.status == "active"), _count_where(Resolution.status == "archived"))
        .select_from(Resolution)
        .join(Congress, Congress.id == Resolution.congress_id)
        .join(ResolutionTheme, ResolutionTheme.resolution_id == Resolution.id)
        .join(Theme, Theme.id == ResolutionTheme.theme_id)
        .where(*_conditions(flt), *_congress_conditions(flt))
        .group_by(Theme.name, Resolution.kind)
    ).all()
    counts = {(theme, kind): (int(a), int(b)) for theme, kind, a, b in rows}
    parents = {t.id: t.name for t in session.exec(select(Theme))}
    themes = session.exec(select(Theme).order_by(Theme.sort_order)).all()
    if flt.themes:
        themes = [t for t in themes if t.name in flt.themes]
    kinds = flt.kinds or vocab.RESOLUTION_KINDS
    records = []
    for t in themes:
        for kind in kinds:
            active, archived = counts.get((t.name, kind), (0, 0))
            records.append((t.name, parents.get(t.parent_id), t.framework, kind, active, archived,
                            active + archived))
    return pd.DataFrame(records, columns=["theme", "parent", "framework", "kind", "active", "archived", "total"])


def totals(frame: pd.DataFrame) -> dict:
    """The headline figures of per_congress: register and reference figures kept apart."""
    in_register = frame[frame["source"] == REGISTER]
    reference = frame[frame["source"] == REFERENCE]
    return {
        "register_total": int(frame["register_total"].sum()),
        "resolutions": int(frame["resolutions"].sum()),
        "recommendations": int(frame["recommendations"].sum()),
        "active": int(frame["active"].sum()),
        "archived": int(frame["archived"].sum()),
        "congresses_in_register": len(in_register),
        "reference_only_total": int(reference["shown_total"].sum()) if len(reference) else 0,
        "congresses_reference_only": len(reference),
        "congresses_unknown": int((frame["source"] == UNKNOWN).sum()),
        "congresses": len(frame),
        "disagreements": frame.loc[frame["agrees_with_reference"] == False, "code"].tolist(),  # noqa: E712
    }


def tables(*, per_congress: pd.DataFrame, by_theme: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The page's tables for downloads, under the names of their sheets and files."""
    return {N_("Adopted per Congress"): per_congress, N_("By theme and kind"): by_theme}  # English keys, shown _()


# -- figures ----------------------------------------------------------------------------------------
PUBLISHED_TOTAL_TO_2020 = 1466  # IUCN: adopted from 1948 up to Marseille 2020 (shared/reference/resolution_counts.csv)


def _layout(fig, *, height: int, **axes):
    fig.update_layout(height=height, margin=dict(l=8, r=8, t=36, b=8), font=FONT, barmode="stack", bargap=0.25,
                      plot_bgcolor="white", legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0,
                                                        xanchor="left", title_text="", traceorder="normal"),
                      **axes)
    fig.update_xaxes(gridcolor="#eceff3", zeroline=False)
    fig.update_yaxes(gridcolor="#eceff3", zeroline=False)
    return fig


NOT_KNOWN = N_("count not known")


def chart_slots(long: pd.DataFrame) -> pd.DataFrame:
    """(slot, code, codes, year): the columns of the per-Congress chart, oldest first. A Congress with a
    count has its own column (code: the Congress); consecutive Congresses with no known count share one
    (code ""), labelled with their years and number: 21 empty columns of 27 read as a broken chart."""
    congresses = long.drop_duplicates("code")
    slots, run = [], []

    def close_run() -> None:
        if run:
            label = (run[0].label if len(run) == 1
                     else ngettext("{first}–{last} ({n} Congress)", "{first}–{last} ({n} Congresses)",
                                   len(run)).format(first=run[0].year, last=run[-1].year, n=len(run)))
            slots.append((label, "", tuple(c.code for c in run), run[0].year))
            run.clear()

    for c in congresses.itertuples():
        if c.source == UNKNOWN:
            run.append(c)
            continue
        close_run()
        slots.append((c.label, c.code, (c.code,), c.year))
    close_run()
    return pd.DataFrame(slots, columns=["slot", "code", "codes", "year"])


def congress_of_point(point: dict) -> str | None:
    """The Congress code of a clicked point of per_congress_chart (None for a slot of unknown counts)."""
    custom = point.get("customdata") or [None]
    return custom[0] or None


def per_congress_chart(long: pd.DataFrame):
    """Stacked columns from kind_lifecycle_per_congress, in chart_slots: one per Congress with a count,
    1948 to the last, register series in colour, reference figures in grey and labelled so; Congresses
    with no known count grouped and marked so. Each column carries its Congress code (customdata), so a
    click opens its texts."""
    slots = chart_slots(long)
    labels = list(slots["slot"])
    code_of = dict(zip(slots["slot"], slots["code"]))
    known = long[long["source"] != UNKNOWN]  # a known Congress' slot is its label
    fig = go.Figure()
    for series, colour in SERIES_COLOURS.items():
        part = known[known["series"] == series].set_index("label")["count"]
        counts = [int(part.get(label, 0)) if code_of[label] else 0 for label in labels]
        fig.add_trace(go.Bar(
            x=labels, y=counts, name=_(series), marker_color=colour,
            marker_pattern_shape="/" if series == REFERENCE_ONLY else "", showlegend=bool(sum(counts)),
            customdata=[[code_of[label]] for label in labels],
            hovertemplate="<b>%{x}</b><br>" + _(series) + ": %{y}<extra></extra>",
        ))
    totals = known.groupby("label", sort=False)["count"].sum()
    values = [int(totals.get(label, 0)) if code_of[label] else 0 for label in labels]
    text = [format_number(v) if code_of[label] and v else "" if code_of[label] else _(NOT_KNOWN)
            for label, v in zip(labels, values)]
    fig.add_trace(go.Scatter(x=labels, y=values, mode="text", text=text, textposition="top center",
                             textfont=dict(color=[("#31333f" if code_of[label] else "#5f6b7a")
                                                  for label in labels]),
                             customdata=[[code_of[label]] for label in labels], showlegend=False,
                             hovertemplate=["%{x}<br>" + _("No count of their texts is known yet") + "<extra></extra>"
                                            if not code_of[label] else
                                            "<b>%{x}</b><br>" + _("{count} texts").format(count="%{y}")
                                            + "<extra></extra>" for label in labels]))
    top = float(max(values)) if values and max(values) > 0 else 1.0
    return _layout(fig, height=440, xaxis=dict(type="category", tickangle=-45, title_text=""),
                   yaxis=dict(title_text=_("Texts adopted"), range=[0, top * 1.15]), clickmode="event+select")


def by_theme_chart(frame: pd.DataFrame):
    """Horizontal stacked bars from by_theme (themes in reference order, first on top, named in the reader's
    language), one segment per kind x lifecycle in the colours of the per-Congress chart."""
    themes = list(dict.fromkeys(frame["theme"]))
    fig = go.Figure()
    for kind, status, series in (("Resolution", "active", RESOLUTIONS_ACTIVE),
                                 ("Resolution", "archived", RESOLUTIONS_ARCHIVED),
                                 ("Recommendation", "active", RECOMMENDATIONS_ACTIVE),
                                 ("Recommendation", "archived", RECOMMENDATIONS_ARCHIVED)):
        part = frame[frame["kind"] == kind].set_index("theme").reindex(themes)
        counts = part[status].fillna(0).astype(int)
        fig.add_trace(go.Bar(y=[_(t) for t in themes], x=counts, name=_(series), orientation="h",
                             showlegend=bool(counts.sum()),
                             marker_color=SERIES_COLOURS[series],
                             hovertemplate="<b>%{y}</b><br>" + _(series) + ": %{x}<extra></extra>"))
    return _layout(fig, height=90 + 30 * len(themes), xaxis=dict(title_text=_("Texts adopted")),
                   yaxis=dict(autorange="reversed", type="category", automargin=True))
