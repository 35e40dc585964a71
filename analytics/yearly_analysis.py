"""The computed sections of the yearly analysis for one Congress and one reporting year.

The common figures (status, coverage, themes, involvement, challenges) come from analytics/progress.py,
so the analysis and the overview always agree, and every rule is db/counting.py's. Only what the analysis
adds is computed here:
- the change of status since the previous year (a transition table, GROUP BY in SQL);
- the challenges and the solutions written in the published Progress Reports of the year, read from
  their published revision (never from a draft being edited).
"""

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import and_, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

import locales
from analytics import progress
from analytics.charts import FONT
from analytics.filters import ProgressFilter
from analytics.progress import _resolution_conditions  # the filter's Resolutions in force (db/counting.py)
from db import vocab
from db.counting import published, status_in_year
from db.models import Congress, ProgressReport, ProgressReportRevision, Resolution
from locales import N_, _, ngettext

# The kinds of change, in English (the frames and colours are keyed on them), translated where shown.
FORWARD = N_("Moved forward")
SAME = N_("Same status")
BACK = N_("Moved back")
NEWLY = N_("Newly reported")
DROPPED = N_("Not reported this year")
NEITHER = N_("Not reported either year")
CHANGES = (FORWARD, SAME, BACK, NEWLY, DROPPED, NEITHER)
CHANGE_COLOURS = {FORWARD: "#2e7d32", SAME: "#3b9ab2", BACK: "#d9534f", NEWLY: "#8cc152",
                  DROPPED: "#f0ad4e", NEITHER: vocab.REPORTING_STATE_COLOURS["none"]}


@dataclass
class Sections:
    """Everything computed for the analysis of one Congress and year (picklable, for the page cache)."""

    congress: str
    congress_title: str  # "7th World Conservation Congress, Marseille 2020"
    congress_label: str  # "Marseille 2020"
    year: int
    headline: dict
    status: pd.DataFrame  # status, count, share
    transitions: pd.DataFrame  # last_year, this_year, count (long form, every pair of the scale)
    change: pd.DataFrame  # change, count
    status_over_years: pd.DataFrame
    coverage: pd.DataFrame
    by_theme: pd.DataFrame
    by_component_kind: pd.DataFrame
    by_action_type: pd.DataFrame
    by_region: pd.DataFrame
    challenges: pd.DataFrame  # challenge, count, share
    solutions_by_challenge: pd.DataFrame  # challenge, reports, solutions
    reports_text: pd.DataFrame  # code, title, status, challenge_categories, challenges, solutions
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # What slowed implementation, in the reporters' words (issue 18): the largest groups of the year's texts
    # (analytics/report_themes.py): name (the Secretariat's, else None), terms, texts, reports, quotes (dicts
    # with the report: kind, report_id, codes).
    reporters_words: pd.DataFrame = field(default_factory=pd.DataFrame)


def ordinal(n: int) -> str:
    """7th / 7e (1er) / 7.º: the session number as the current language writes it."""
    language = locales.current()
    if language == "fr":
        return "1er" if n == 1 else f"{n}e"
    if language == "es":
        return f"{n}.º"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _congress_names(session: Session, code: str) -> tuple[str, str]:
    c = session.exec(select(Congress).where(Congress.code == code)).one()
    city = c.city.split(",")[0]
    template = (_("{ordinal} {kind} (extraordinary session), {city} {year}") if c.extraordinary
                else _("{ordinal} {kind}, {city} {year}"))
    title = template.format(ordinal=ordinal(c.session), kind=_(c.kind), city=city, year=c.year)
    return title, f"{city} {c.year}"


def published_report_years(*, session: Session, congress: str) -> list[int]:
    """The years in which a Progress Report on one of the Congress' Resolutions is published
    (db/counting.published), oldest first: the years the analysis has figures for."""
    rows = session.exec(
        select(ProgressReport.year)
        .join(Resolution, Resolution.id == ProgressReport.resolution_id)
        .join(Congress, Congress.id == Resolution.congress_id)
        .where(Congress.code == congress, published())
        .group_by(ProgressReport.year)
        .order_by(ProgressReport.year)
    ).all()
    return [int(y) for y in rows]


# -- status change since last year --------------------------------------------------------------------
def status_transitions(*, session: Session, congress: str, year: int) -> pd.DataFrame:
    """(last_year, this_year, count): the Resolutions of the Congress in force in `year`, by their status
    in year - 1 and in year (db/counting.status_in_year: In preparation or No Progress Report where no
    published Progress Report). Every pair of the scale is present (zeros too), in scale order."""
    flt = ProgressFilter(congress=congress, year=year)
    before, now = aliased(ProgressReport), aliased(ProgressReport)
    was, is_ = status_in_year(before), status_in_year(now)
    rows = session.exec(
        select(was, is_, func.count(Resolution.id))
        .select_from(Resolution)
        .outerjoin(before, and_(before.resolution_id == Resolution.id, before.year == year - 1))
        .outerjoin(now, and_(now.resolution_id == Resolution.id, now.year == year))
        .where(*_resolution_conditions(flt))
        .group_by(was, is_)
    ).all()
    counts = {(a, b): int(n) for a, b, n in rows}
    return pd.DataFrame(
        [(a, b, counts.get((a, b), 0)) for a in vocab.STATUS_SCALE for b in vocab.STATUS_SCALE],
        columns=["last_year", "this_year", "count"],
    )


def change_kind(last_year: str, this_year: str) -> str:
    """How a status changed (values of vocab.STATUS_SCALE); "reported" means a published Progress Report."""
    before, now = last_year not in vocab.UNPUBLISHED, this_year not in vocab.UNPUBLISHED
    if not before and not now:
        return NEITHER
    if not before:
        return NEWLY
    if not now:
        return DROPPED
    step = vocab.IMPLEMENTATION_STATUSES.index(this_year) - vocab.IMPLEMENTATION_STATUSES.index(last_year)
    return FORWARD if step > 0 else BACK if step < 0 else SAME


def change_summary(transitions: pd.DataFrame) -> pd.DataFrame:
    """(change, count) in CHANGES order, from status_transitions."""
    kinds = [change_kind(a, b) for a, b in zip(transitions["last_year"], transitions["this_year"])]
    counts = transitions.assign(change=kinds).groupby("change")["count"].sum()
    return pd.DataFrame({"change": list(CHANGES), "count": [int(counts.get(c, 0)) for c in CHANGES]})


def transition_matrix(transitions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The transitions as a table to read: one row per status last year, one column per status now."""
    matrix = transitions.pivot(index="last_year", columns="this_year", values="count")
    matrix = matrix.reindex(index=list(vocab.STATUS_SCALE), columns=list(vocab.STATUS_SCALE)).fillna(0).astype(int)
    matrix.index.name = _("Status in {last} \\ in {year}").format(last=year - 1, year=year)
    matrix.columns.name = None
    return matrix.reset_index()


# -- challenges and solutions -------------------------------------------------------------------------
def published_texts(*, session: Session, congress: str, year: int) -> pd.DataFrame:
    """(code, title, status, challenge_categories, challenges, solutions): the published Progress Reports of
    the year on the Congress' Resolutions in force, as published (their latest revision), Resolutions first,
    by number. One row per report: at most one per Resolution of the Congress."""
    flt = ProgressFilter(congress=congress, year=year)
    rows = session.exec(
        select(Resolution.code, Resolution.title, ProgressReportRevision.status, ProgressReportRevision.content)
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year))
        .join(ProgressReportRevision, and_(ProgressReportRevision.progress_report_id == ProgressReport.id,
                                           ProgressReportRevision.revision == ProgressReport.revision))
        .where(published(), *_resolution_conditions(flt))
        .order_by(Resolution.kind.desc(), Resolution.number)
    ).all()
    records = []
    for code, title, status, content in rows:
        content = content or {}
        records.append((code, title, status, "; ".join(content.get("challenge_categories") or []),
                        (content.get("challenges") or "").strip(), (content.get("solutions") or "").strip()))
    return pd.DataFrame(records, columns=["code", "title", "status", "challenge_categories", "challenges",
                                          "solutions"])


def solutions_by_challenge(texts: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    """(challenge, reports, solutions): per kind of challenge, how many published reports name it and the
    solutions those reports propose, the most frequent first ("text (n reports)"), at most `top`."""
    records = []
    exploded = texts.assign(challenge=texts["challenge_categories"].str.split("; ")).explode("challenge")
    exploded = exploded[exploded["challenge"].fillna("") != ""]
    for challenge, group in exploded.groupby("challenge"):
        proposed = group.loc[group["solutions"] != "", "solutions"].value_counts()
        lines = [ngettext("{text} ({n} report)", "{text} ({n} reports)", n).format(text=text, n=n)
                 for text, n in proposed.head(top).items()]
        records.append((challenge, len(group), "\n".join(lines) or _("No solution proposed")))
    frame = pd.DataFrame(records, columns=["challenge", "reports", "solutions"])
    return frame.sort_values(["reports", "challenge"], ascending=[False, True]).reset_index(drop=True)


# -- everything ---------------------------------------------------------------------------------------
def _headline_table(headline: dict) -> pd.DataFrame:
    """(figure, value, share): numbers as numbers; share (of the Resolutions in force) where it means something."""
    rows = [(_("Resolutions in force"), headline["resolutions_in_force"], None),
            (_("With a published Progress Report"), headline["published"], headline["published_share"]),
            (_("Activity Reports received"), headline["activity_reports"], None),
            (_("Components involved"), headline["components_involved"], None)]
    rows += [(_("Status: {status}").format(status=_(s)), headline["status_counts"][s], headline["status_shares"][s])
             for s in vocab.STATUS_SCALE]
    return pd.DataFrame(rows, columns=["figure", "value", "share"]).astype({"value": int, "share": float})


def sections(*, session: Session, congress: str, year: int) -> Sections:
    """Every computed section of the analysis of `congress` (code) in `year`."""
    flt = ProgressFilter(congress=congress, year=year)
    title, label = _congress_names(session, congress)
    headline = progress.headline(session=session, flt=flt)
    transitions = status_transitions(session=session, congress=congress, year=year)
    texts = published_texts(session=session, congress=congress, year=year)
    result = Sections(
        congress=congress, congress_title=title, congress_label=label, year=year, headline=headline,
        status=progress.status_counts(session=session, flt=flt),
        transitions=transitions,
        change=change_summary(transitions),
        status_over_years=progress.status_over_years(session=session, flt=flt),
        coverage=progress.coverage_by_year(session=session, flt=flt),
        by_theme=progress.status_by_theme(session=session, flt=flt),
        by_component_kind=progress.activities_by_component_kind(session=session, flt=flt),
        by_action_type=progress.activities_by_action_type(session=session, flt=flt),
        by_region=progress.activities_by_region(session=session, flt=flt),
        challenges=progress.top_challenges(session=session, flt=flt),
        solutions_by_challenge=solutions_by_challenge(texts),
        reports_text=texts,
    )
    result.tables = analysis_tables(result)
    result.reporters_words = reporters_words(session=session, congress=congress, year=year)
    return result


REPORTERS_GROUPS = 5


def reporters_words(*, session: Session, congress: str, year: int, top: int = REPORTERS_GROUPS) -> pd.DataFrame:
    """(name, terms, texts, reports, quotes): the `top` largest groups of the year's challenges, solutions and support
    needed (published Progress Reports, counted Activity Reports), with the Secretariat's names."""
    from analytics import report_themes  # scikit-learn loads only when the analysis is computed

    groups = report_themes.mined(session=session, flt=ProgressFilter(congress=congress, year=year)).groups
    rows = [(row["name"], list(row["terms"]), int(row["texts"]), int(row["reports"]), list(row["quotes"]))
            for _i, row in groups.head(top).iterrows()]
    return pd.DataFrame(rows, columns=["name", "terms", "texts", "reports", "quotes"])


def analysis_tables(s: Sections) -> dict[str, pd.DataFrame]:
    """Every table of the analysis under its English sheet name (31 characters at most), in document order
    (services/export_tables.py translates the names and headers; the frames' texts are in the current language)."""
    return {
        "Headline": _headline_table(s.headline),
        "Status": s.status,
        "Status change": transition_matrix(s.transitions, s.year),
        "Change since last year": s.change,
        "Status over the years": s.status_over_years,
        "Reporting coverage": s.coverage,
        "Status by theme": s.by_theme,
        "By component kind": s.by_component_kind.rename(columns={"label": "component_kind"}),
        "By action type": s.by_action_type.rename(columns={"label": "action_type"}),
        "By region": s.by_region.rename(columns={"label": "region"}),
        "Challenges": s.challenges,
        "Solutions by challenge": s.solutions_by_challenge,
        "Challenges and solutions": s.reports_text,
    }


# Which tables of analysis_tables belong under each narrative section (by the narrative field's key).
SECTION_TABLES = {
    "key_messages": ("Headline",),
    "status": ("Status", "Change since last year", "Status change", "Status over the years"),
    "coverage": ("Reporting coverage",),
    "themes": ("Status by theme",),
    "components": ("By component kind", "By action type", "By region"),
    "obstacles": ("Challenges", "Solutions by challenge", "Challenges and solutions"),
}


def change_chart(change: pd.DataFrame):
    """Horizontal bars of change_summary, in CHANGES order and colours."""
    fig = go.Figure(go.Bar(
        y=[_(c) for c in change["change"]], x=change["count"], orientation="h", textposition="outside",
        text=[locales.format_number(n) for n in change["count"]], customdata=change["change"],  # the English kind
        marker_color=[CHANGE_COLOURS[c] for c in change["change"]], cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>" + _("{n} Resolutions").format(n="%{x}") + "<extra></extra>",
    ))
    fig.update_layout(height=60 + 32 * len(change), margin=dict(l=8, r=24, t=8, b=8), font=FONT,
                      plot_bgcolor="white", showlegend=False,
                      xaxis=dict(title_text=_("Resolutions"), rangemode="tozero", gridcolor="#eceff3"),
                      yaxis=dict(autorange="reversed", type="category", automargin=True))
    return fig
