"""The reporting cycle for the guide: how many reports sit at each stage in a year, where the signed-in
user's own work sits, and the cycle as a Graphviz (DOT) diagram.

Stages: Activity Reports (any component, any time) -> Progress Reports (one per Resolution and year, by
the Secretariat focal point) -> yearly analysis (by the Secretariat, for the latest Congress).
Counting rules for a year are those of db/counting.py, through analytics/coverage.py for a Congress.

Work items name where to act by a destination key (DESTINATIONS), not a page: analytics knows no pages;
ui/work_items.py maps each key to the page that serves it.
"""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, select

from analytics.coverage import (
    MISSING_STATES,
    NONE,
    congress_choices,
    congress_reported_in,
    in_review_count,
    state_counts,
)
from db import vocab
from db.counting import counted_activity_in, in_force, published, reporting_state, year_bounds
from db.models import (
    ActivityReport,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    ReportingDeadline,
    Resolution,
    YearlyAnalysis,
)
from locales import N_, _, format_number, format_short_date

STAGES = ("activity", "progress", "analysis")
# English marked with N_ (import time), translated where drawn: _(STAGE_TITLES[stage]).
STAGE_TITLES = {"activity": N_("Activity Reports"), "progress": N_("Progress Reports"),
                "analysis": N_("Yearly analysis")}
STAGE_WHO = {  # short lines: they are written in the diagram's boxes
    "activity": N_("by any IUCN component\nat any time"),
    "progress": N_("by Secretariat focal points\nonce a year"),
    "analysis": N_("by the Secretariat\nlatest Congress"),
}

# What each role is expected to do, in plain words (keys: vocab.ROLES).
ROLE_EXPECTATIONS = {
    "reporter": N_("Report what your component did to implement a Resolution, whenever you act: one short "
                   "Activity Report, which you can save as a draft and submit later. Start from an earlier "
                   "report to save typing. If a report is returned to you, read the comment, fix it and submit "
                   "it again."),
    "focal_point": N_("For each Resolution assigned to you, read the year's Activity Reports and write one "
                      "Progress Report before the deadline: the implementation status, what was achieved, the "
                      "challenges, solutions and next steps. Submit it for review; return an Activity Report to "
                      "its author if something is missing."),
    "secretariat": N_("Assign a focal point to every Resolution and set the deadline for each year. Review the "
                      "Progress Reports: publish them or return them with a comment. Chase missing reports from "
                      "the coverage view, then write the yearly analysis."),
    "leadership": N_("Read the summary charts and the yearly analysis once it is published; export tables for "
                     "Council papers."),
    "admin": N_("Manage the organisations and the user accounts (Administration: Users, Organisations), "
                "approve or decline access requests from single sign-on, and read the audit trail and the sent "
                "mail; you can also do everything the Secretariat does."),
}
assert set(ROLE_EXPECTATIONS) == set(vocab.ROLES)

# What the cycle expects of a user: the keys of services.permissions.DUTIES, which maps them to roles.
DUTIES = ("report_activities", "write_progress_reports", "run_the_cycle", "read_the_analysis")

# Where a work item is acted on, by key (ui/work_items.py maps each to its page).
DESTINATIONS = ("my_reports", "my_resolutions", "coverage", "review_queue", "assignments", "analysis")


@dataclass
class StageCounts:
    year: int
    activity_submitted: int
    activity_in_progress: int  # drafts and returned reports started that year
    progress: dict[str, int]  # reporting state -> Progress Reports of the year (NONE not included)
    in_review: int  # of the Progress Reports in preparation, those waiting in review
    analyses: pd.DataFrame  # congress, state, published_at: the year's yearly analyses


@dataclass
class WorkItem:
    stage: str  # one of STAGES: where this work sits in the cycle
    label: str
    count: int
    destination: str | None = None  # where to act on it: one of DESTINATIONS
    query: dict = field(default_factory=dict)


def stage_counts(*, session: Session, year: int) -> StageCounts:
    """The year's figures of each stage, every Congress together: Activity Reports counted in the year,
    and the Progress Reports of the Resolutions in force by reporting state (db/counting.py)."""
    start, end = year_bounds(year)
    submitted = session.exec(select(func.count(ActivityReport.id)).where(counted_activity_in(year))).one()
    in_progress = session.exec(
        select(func.count(ActivityReport.id))
        .where(ActivityReport.state.in_(("draft", "returned")), ActivityReport.created_at >= start,
               ActivityReport.created_at < end)
    ).one()
    state = reporting_state(year=year).label("state")
    of_year = [ProgressReport.year == year, Resolution.id == ProgressReport.resolution_id, in_force(year)]
    per_report = select(state).where(*of_year).subquery()
    rows = session.exec(select(per_report.c.state, func.count()).group_by(per_report.c.state)).all()
    progress = {s: 0 for s in vocab.REPORTING_STATES if s != NONE} | dict(rows)
    in_review = session.exec(select(func.count(ProgressReport.id)).where(
        *of_year, ProgressReport.state == "in_review", ~published())).one()
    analyses = session.exec(
        select(Congress.code, YearlyAnalysis.state, YearlyAnalysis.published_at)
        .join(Congress, Congress.id == YearlyAnalysis.congress_id)
        .where(YearlyAnalysis.year == year)
        .order_by(Congress.year.desc())
    ).all()
    return StageCounts(year, submitted, in_progress, progress, in_review,
                       pd.DataFrame(analyses, columns=["congress", "state", "published_at"]))


def my_work(*, session: Session, user_id: int, duties: frozenset[str], year: int) -> list[WorkItem]:
    """What the user has on their plate in the cycle for `year`, by duty (DUTIES: which the user has is
    decided by the caller, from services.permissions.duties; analytics knows no roles)."""
    items: list[WorkItem] = []
    if "report_activities" in duties:
        items += _reporter_work(session, user_id, year)
    if "write_progress_reports" in duties:
        items += _focal_work(session, user_id, year)
    if "run_the_cycle" in duties:
        items += _secretariat_work(session, year)
    if "read_the_analysis" in duties:
        items += _analysis_work(session, year)
    return items


def _reporter_work(session: Session, user_id: int, year: int) -> list[WorkItem]:
    mine = ActivityReport.author_id == user_id
    by_state = dict(session.exec(
        select(ActivityReport.state, func.count()).where(mine, ActivityReport.state != "submitted")
        .group_by(ActivityReport.state)
    ).all())
    submitted = session.exec(select(func.count(ActivityReport.id)).where(mine, counted_activity_in(year))).one()
    return [
        WorkItem("activity", _("Your Activity Reports in draft"), by_state.get("draft", 0), "my_reports"),
        WorkItem("activity", _("Returned to you with a comment"), by_state.get("returned", 0), "my_reports"),
        WorkItem("activity", _("Submitted by you in {year}").format(year=year), submitted, "my_reports"),
    ]


def _focal_work(session: Session, user_id: int, year: int) -> list[WorkItem]:
    congress = congress_reported_in(congress_choices(session=session), year)
    if congress is None:
        return []
    counts = state_counts(session=session, year=year, congress_code=congress, focal_user_id=user_id)
    owed = sum(counts[s] for s in MISSING_STATES)
    query = {"year": str(year), "congress": congress}
    return [
        WorkItem("progress", _("{congress} Resolutions assigned to you").format(congress=congress),
                 sum(counts.values()), "my_resolutions", {"year": str(year)}),
        WorkItem("progress", _("Progress Reports you still owe for {year}").format(year=year), owed, "coverage",
                 query | {"mine": "1"}),
        WorkItem("progress", _("… of which with no Progress Report yet"), counts[NONE], "my_resolutions",
                 {"year": str(year)}),
        WorkItem("progress", _("… of which waiting in review"),
                 in_review_count(session=session, year=year, congress_code=congress, focal_user_id=user_id)),
    ]


def _secretariat_work(session: Session, year: int) -> list[WorkItem]:
    in_review = session.exec(
        select(func.count(ProgressReport.id)).where(ProgressReport.state == "in_review")
    ).one()
    items = [WorkItem("progress", _("Progress Reports waiting in review (all years)"), in_review, "review_queue")]
    congress = congress_reported_in(congress_choices(session=session), year)
    if congress:
        counts = state_counts(session=session, year=year, congress_code=congress)
        unassigned = session.exec(
            select(func.count(Resolution.id))
            .where(in_force(year, congress_code=congress),
                   ~Resolution.id.in_(select(FocalPointAssignment.resolution_id)))
        ).one()
        query = {"year": str(year), "congress": congress}
        items += [
            WorkItem("progress", _("{congress} Resolutions still without a published report for {year}").format(
                congress=congress, year=year), sum(counts[s] for s in MISSING_STATES), "coverage", query),
            WorkItem("progress", _("{congress} Resolutions without a focal point").format(congress=congress),
                     unassigned, "assignments"),
        ]
    return items


def _analysis_work(session: Session, year: int) -> list[WorkItem]:
    published = session.exec(
        select(func.count(YearlyAnalysis.id)).where(YearlyAnalysis.year == year,
                                                   YearlyAnalysis.published_at.is_not(None))
    ).one()
    return [WorkItem("analysis", _("Yearly analyses published for {year}").format(year=year), published, "analysis")]


def upcoming_deadlines(*, session: Session, year: int) -> pd.DataFrame:
    """The reporting calendar from the year before `year` onwards."""
    rows = session.exec(
        select(ReportingDeadline.year, ReportingDeadline.due_on)
        .where(ReportingDeadline.year >= year - 1).order_by(ReportingDeadline.year)
    ).all()
    return pd.DataFrame(rows, columns=["year", "due_on"])


ANALYSIS_STATE_LABELS = {"not started": N_("not started"), "published": N_("published"),
                         "published in part": N_("published in part"), "draft": N_("draft")}


def analysis_state(analyses: pd.DataFrame) -> str:
    """A yearly analysis once published stays published while a revision is drafted (published_at set).
    A code (a key of ANALYSIS_STATE_LABELS)."""
    if analyses.empty:
        return "not started"
    published = analyses["published_at"].notna()
    if published.all():
        return "published"
    return "published in part" if published.any() else "draft"


# -- the diagram ---------------------------------------------------------------------------------

def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def stage_lines(counts: StageCounts) -> dict[str, list[str]]:
    """The figures written in each box of the diagram."""
    p = counts.progress
    n = format_number
    return {
        "activity": [_("{n} submitted in {year}").format(n=n(counts.activity_submitted), year=counts.year),
                     _("{n} in draft or returned").format(n=n(counts.activity_in_progress))],
        "progress": [_("{n} in preparation ({in_review} in review)").format(
                         n=n(p.get("in_preparation", 0)), in_review=n(counts.in_review)),
                     _("{n} published for {year}").format(n=n(p.get("published", 0)), year=counts.year)],
        "analysis": [_("{year}: {state}").format(
            year=counts.year, state=_(ANALYSIS_STATE_LABELS[analysis_state(counts.analyses)]))],
    }


def cycle_dot(counts: StageCounts, highlight: set[str] = frozenset(), deadline: date | None = None) -> str:
    """The cycle as a left-to-right Graphviz diagram; the stages in `highlight` (where the user's work
    sits) are drawn in the accent colour."""
    lines = stage_lines(counts)
    accent, plain = vocab.STATUS_COLOURS["On-going"], vocab.REPORTING_STATE_COLOURS[NONE]
    out = [
        "digraph cycle {",
        '  rankdir=LR; bgcolor="transparent"; nodesep=0.3; ranksep=0.5; pad=0.1;',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=15, margin="0.2,0.12"];',
        '  edge [fontname="Helvetica", fontsize=13, color="#555555", penwidth=1.5];',
    ]
    for stage in STAGES:
        mine = stage in highlight
        rows = [_(STAGE_TITLES[stage]).upper(), *_(STAGE_WHO[stage]).split("\n"), "", *lines[stage]]
        if stage == "progress" and deadline:
            rows.append(_("due {date}").format(date=format_short_date(deadline)))
        label = "\\n".join(_dot_text(r) for r in rows + ([_("YOUR WORK IS HERE")] if mine else []))
        fill, font = (accent, "white") if mine else ("#f4f6f8", "#1f2933")
        out.append(f'  {stage} [label="{label}", fillcolor="{fill}", fontcolor="{font}", '
                   f'color="{accent if mine else plain}", penwidth={2 if mine else 1}];')
    synthesised, published = _("synthesised"), _("published")  # outside the f-strings: Babel reads only these
    out += [
        f'  activity -> progress [label="{_dot_text(synthesised)}"];',
        f'  progress -> analysis [label="{_dot_text(published)}"];',
        "}",
    ]
    return "\n".join(out)
