"""Reporting coverage: for one reporting year and one Congress, who has reported on what and who still owes
a Progress Report.

The rules are those of db/counting.py, shared with the Overview, the Resolution page and the yearly analysis:
- A Resolution owes a Progress Report for year Y when it is in force in Y (in_force). One archived during
  or before Y owes nothing for Y and is left out; `archived_left_out` counts them so the page can say so.
- Its coverage state for Y is its reporting state (reporting_state: published, nothing to report, in
  preparation, none). Published and nothing to report are answers; anything else is a missing report.
- For each Resolution, when the last reminder for Y that named it went (sent_reminder, services/reminders.py).
- An Activity Report counts for Y as counted_activity_in(Y) says: received in Y, a correction replacing
  its original.
Everything is aggregated in SQL; pandas only tidies the aggregated rows.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import and_, exists, func, literal
from sqlmodel import Session, select

from db import vocab
from db.counting import counted_activity_in, in_force, published, reporting_state
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    ReportingDeadline,
    Resolution,
    SentReminder,
    SentReminderResolution,
    User,
)
from db.sql import string_agg
from locales import N_, _, format_number, format_percent, ngettext

NONE = "none"
# Coverage states: the reporting states, from done to not started, with their labels and colours.
COVERAGE_STATES = vocab.REPORTING_STATES
MISSING_STATES = tuple(s for s in COVERAGE_STATES if s not in vocab.ANSWERED_STATES)
COVERAGE_LABELS = vocab.REPORTING_STATE_LABELS
COVERAGE_COLOURS = vocab.REPORTING_STATE_COLOURS
SEP = "\x1f"  # joins names inside SQL; no name or email contains it

COVERAGE_COLUMNS = ["code", "number", "kind", "title", "state", "implementation_status", "focal_points",
                    "focal_emails", "activity_reports", "components", "report_updated_at", "last_reminded_at"]
MISSING_COLUMNS = ["code", "title", "state", "focal_points", "focal_emails", "last_reminded_at"]
COMPONENT_COLUMNS = ["component", "kind", "region", "resolutions", "resolution_count", "reports"]
MATRIX_COLUMNS = ["component", "kind", "region", "code", "reports"]


# -- building blocks -----------------------------------------------------------------------------

def _scope(query, year: int, congress_code: str, focal_user_id: int | None):
    # The Congress by code inside in_force (no join of Congress): SQLite then looks each linked
    # Resolution up by id, instead of walking the Congress' Resolutions once per Activity Report.
    query = query.where(in_force(year, congress_code=congress_code))
    if focal_user_id is not None:
        mine = select(FocalPointAssignment.resolution_id).where(FocalPointAssignment.user_id == focal_user_id)
        query = query.where(Resolution.id.in_(mine))
    return query


def _split_sorted(value: object) -> list[str]:
    return sorted(value.split(SEP)) if isinstance(value, str) and value else []


# -- per Resolution --------------------------------------------------------------------------------

def resolution_coverage(*, session: Session, year: int, congress_code: str,
                        focal_user_id: int | None = None) -> pd.DataFrame:
    """One row per Resolution of the Congress that owes a report for `year`: its coverage state, focal
    points (names and emails, "; "-separated, in the same order), Activity Reports counted and the
    components that sent them. `focal_user_id` keeps only the Resolutions assigned to that user."""
    dialect = session.get_bind().dialect.name
    focal = (
        select(FocalPointAssignment.resolution_id,
               string_agg(dialect, User.display_name + literal("|") + User.email, SEP).label("people"))
        .join(User, User.id == FocalPointAssignment.user_id)
        .group_by(FocalPointAssignment.resolution_id)
        .subquery()
    )
    reports = (
        select(ActivityReportResolution.resolution_id,
               func.count(func.distinct(ActivityReport.id)).label("n"))
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .where(counted_activity_in(year))
        .group_by(ActivityReportResolution.resolution_id)
        .subquery()
    )
    pairs = (
        select(ActivityReportResolution.resolution_id, Component.name)
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(counted_activity_in(year))
        .distinct()
        .subquery()
    )
    components = (
        select(pairs.c.resolution_id, string_agg(dialect, pairs.c.name, SEP).label("names"))
        .group_by(pairs.c.resolution_id)
        .subquery()
    )
    reminded = (
        select(SentReminderResolution.resolution_id, func.max(SentReminder.created_at).label("at"))
        .join(SentReminder, SentReminder.id == SentReminderResolution.sent_reminder_id)
        .where(SentReminder.year == year)
        .group_by(SentReminderResolution.resolution_id)
        .subquery()
    )
    query = (
        select(Resolution.code, Resolution.number, Resolution.kind, Resolution.title,
               reporting_state(year=year).label("state"),
               func.coalesce(ProgressReport.published_status, ProgressReport.status),
               focal.c.people, func.coalesce(reports.c.n, 0), components.c.names, ProgressReport.updated_at,
               reminded.c.at)
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year),
              isouter=True)
        .join(focal, focal.c.resolution_id == Resolution.id, isouter=True)
        .join(reports, reports.c.resolution_id == Resolution.id, isouter=True)
        .join(components, components.c.resolution_id == Resolution.id, isouter=True)
        .join(reminded, reminded.c.resolution_id == Resolution.id, isouter=True)
        .order_by(Resolution.kind.desc(), Resolution.number)  # Resolutions, then Recommendations
    )
    rows = session.exec(_scope(query, year, congress_code, focal_user_id)).all()
    frame = pd.DataFrame(rows, columns=["code", "number", "kind", "title", "state", "implementation_status",
                                        "people", "activity_reports", "components", "report_updated_at",
                                        "last_reminded_at"])
    frame["last_reminded_at"] = pd.to_datetime(frame["last_reminded_at"], utc=True)  # SQLite: naive UTC
    people = frame["people"].map(_split_sorted)
    frame["focal_points"] = people.map(lambda ps: "; ".join(p.split("|", 1)[0] for p in ps))
    frame["focal_emails"] = people.map(lambda ps: "; ".join(p.split("|", 1)[1] for p in ps))
    frame["components"] = frame["components"].map(lambda s: "; ".join(_split_sorted(s)))
    frame["activity_reports"] = frame["activity_reports"].astype(int)
    return frame[COVERAGE_COLUMNS]


def state_counts(*, session: Session, year: int, congress_code: str,
                 focal_user_id: int | None = None) -> dict[str, int]:
    """How many Resolutions are in each coverage state (every state present, zeros included)."""
    state = reporting_state(year=year).label("state")
    per_resolution = _scope(
        select(Resolution.id, state)
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year),
              isouter=True),
        year, congress_code, focal_user_id,
    ).subquery()
    rows = session.exec(select(per_resolution.c.state, func.count()).group_by(per_resolution.c.state)).all()
    counts = dict.fromkeys(COVERAGE_STATES, 0) | {s: n for s, n in rows}
    return counts


def in_review_count(*, session: Session, year: int, congress_code: str, focal_user_id: int | None = None) -> int:
    """Of the Resolutions in preparation, those whose report for `year` waits in review (with the reviewer,
    not the focal point)."""
    query = (
        select(func.count(Resolution.id))
        .join(ProgressReport, and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year))
        .where(ProgressReport.state == "in_review", ~published())  # a correction in review stays published
    )
    return session.exec(_scope(query, year, congress_code, focal_user_id)).one()


def archived_left_out(*, session: Session, year: int, congress_code: str) -> int:
    """Resolutions of the Congress archived during or before `year`, so owing nothing for it (not in force)."""
    return session.exec(
        select(func.count(Resolution.id)).join(Congress, Congress.id == Resolution.congress_id)
        .where(Congress.code == congress_code, Resolution.archived_on.is_not(None), ~in_force(year))
    ).one()


def missing_reports(coverage: pd.DataFrame) -> pd.DataFrame:
    """The reminder list: every Resolution whose report is not published, with whom to remind."""
    missing = coverage[coverage["state"].isin(MISSING_STATES)]
    return missing.assign(state=missing["state"].map(COVERAGE_LABELS))[MISSING_COLUMNS].reset_index(drop=True)


NO_FOCAL_POINT = N_("No focal point")  # kept in English here (services/digests.py reads it); pages show _()


def owed_by_focal_point(missing: pd.DataFrame) -> pd.DataFrame:
    """The reminder list turned round: one row per focal point (one email each) with the reports they
    owe; Resolutions nobody is assigned to are gathered under "No focal point". Works on the (small,
    already aggregated) missing-reports frame."""
    owed: dict[tuple[str, str], list[str]] = {}
    for row in missing.itertuples(index=False):
        names = row.focal_points.split("; ") if row.focal_points else [NO_FOCAL_POINT]
        emails = row.focal_emails.split("; ") if row.focal_emails else [""]
        for name, email in zip(names, emails):
            owed.setdefault((name, email), []).append(row.code)
    rows = [(name, email, len(codes), "; ".join(codes)) for (name, email), codes in owed.items()]
    frame = pd.DataFrame(rows, columns=["focal_point", "email", "owed", "resolutions"])
    return frame.sort_values(["owed", "focal_point"], ascending=[False, True]).reset_index(drop=True)


def without_focal_point(coverage: pd.DataFrame) -> pd.DataFrame:
    return coverage[coverage["focal_points"] == ""][["code", "title", "state"]].reset_index(drop=True)


# -- which components reported on what -------------------------------------------------------------

def _component_links(year: int, congress_code: str, focal_user_id: int | None):
    query = (
        select(Component.id.label("component_id"), Resolution.id.label("resolution_id"),
               ActivityReport.id.label("report_id"))
        .select_from(ActivityReport)
        .join(Component, Component.id == ActivityReport.component_id)
        .join(ActivityReportResolution, ActivityReportResolution.activity_report_id == ActivityReport.id)
        .join(Resolution, Resolution.id == ActivityReportResolution.resolution_id)
        .where(counted_activity_in(year))
    )
    return _scope(query, year, congress_code, focal_user_id).subquery()


def component_matrix(*, session: Session, year: int, congress_code: str,
                     focal_user_id: int | None = None) -> pd.DataFrame:
    """Long form of the component x Resolution matrix: one row per pair that has reports."""
    links = _component_links(year, congress_code, focal_user_id)
    rows = session.exec(
        select(Component.name, Component.kind, Component.region, Resolution.code,
               func.count(func.distinct(links.c.report_id)))
        .select_from(links)
        .join(Component, Component.id == links.c.component_id)
        .join(Resolution, Resolution.id == links.c.resolution_id)
        .group_by(Component.id, Component.name, Component.kind, Component.region, Resolution.id, Resolution.code)
        .order_by(Component.name, Resolution.code)
    ).all()
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    frame["region"] = frame["region"].fillna("")
    return frame


def components_reporting(*, session: Session, year: int, congress_code: str,
                         focal_user_id: int | None = None) -> pd.DataFrame:
    """One row per component that reported on the Congress' Resolutions in `year`: the Resolutions
    (codes), how many, and how many distinct Activity Reports. Most active components first."""
    dialect = session.get_bind().dialect.name
    links = _component_links(year, congress_code, focal_user_id)
    pairs = select(links.c.component_id, links.c.resolution_id).distinct().subquery()
    codes = (
        select(pairs.c.component_id, string_agg(dialect, Resolution.code, SEP).label("codes"),
               func.count().label("n"))
        .join(Resolution, Resolution.id == pairs.c.resolution_id)
        .group_by(pairs.c.component_id)
        .subquery()
    )
    reports = (
        select(links.c.component_id, func.count(func.distinct(links.c.report_id)).label("n"))
        .group_by(links.c.component_id)
        .subquery()
    )
    rows = session.exec(
        select(Component.name, Component.kind, Component.region, codes.c.codes, codes.c.n, reports.c.n)
        .join(codes, codes.c.component_id == Component.id)
        .join(reports, reports.c.component_id == Component.id)
        .order_by(reports.c.n.desc(), Component.name)
    ).all()
    frame = pd.DataFrame(rows, columns=COMPONENT_COLUMNS)
    frame["region"] = frame["region"].fillna("")  # Commissions and global units have none
    frame["resolutions"] = frame["resolutions"].map(lambda s: "; ".join(_split_sorted(s)))
    return frame


# -- calendar and choices --------------------------------------------------------------------------

@dataclass(frozen=True)
class Deadline:
    year: int
    due_on: date | None  # None: the Secretariat has not set one
    days_left: int | None  # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    def describe(self) -> str:
        """In the reader's language: "14 days left", "Due today", "Overdue by 5 days"."""
        if self.due_on is None:
            return _("No deadline set for {year}").format(year=self.year)
        if self.days_left == 0:
            return _("Due today")
        if self.days_left > 0:
            return ngettext("{n} day left", "{n} days left", self.days_left).format(n=format_number(self.days_left))
        late = -self.days_left
        return ngettext("Overdue by {n} day", "Overdue by {n} days", late).format(n=format_number(late))


def deadline(*, session: Session, year: int, today: date) -> Deadline:
    due = session.get(ReportingDeadline, year)
    if due is None:
        return Deadline(year, None, None)
    return Deadline(year, due.due_on, (due.due_on - today).days)


def reporting_years(*, session: Session, today: date) -> list[int]:
    """Years one can look at, newest first: every year with a deadline or a Progress Report, and this year."""
    years = set(session.exec(select(ReportingDeadline.year)).all())
    years |= set(session.exec(select(ProgressReport.year).distinct()).all())
    years.add(today.year)
    return sorted(years, reverse=True)


def congress_choices(*, session: Session) -> pd.DataFrame:
    """Congresses that have Resolutions in the register, newest first (code, label, year)."""
    rows = session.exec(
        select(Congress.code, Congress.city, Congress.year)
        .where(exists().where(Resolution.congress_id == Congress.id))
        .order_by(Congress.year.desc())
    ).all()
    frame = pd.DataFrame(rows, columns=["code", "city", "year"])
    frame["label"] = frame["city"] + " " + frame["year"].astype(str) + " (" + frame["code"] + ")"
    return frame[["code", "label", "year"]]


def congress_reported_in(congresses: pd.DataFrame, year: int) -> str | None:
    """The Congress whose Resolutions are reported on in `year`: the latest one held before that year."""
    earlier = congresses[congresses["year"] < year]
    if earlier.empty:
        return None if congresses.empty else str(congresses.iloc[-1]["code"])
    return str(earlier.sort_values("year").iloc[-1]["code"])


# -- figures -------------------------------------------------------------------------------------

def state_bar(counts: dict[str, int]) -> go.Figure:
    """One horizontal bar split by coverage state, with the count and share written in each part."""
    total = sum(counts.values()) or 1
    fig = go.Figure()
    for state in COVERAGE_STATES:
        n = counts.get(state, 0)
        label = _(COVERAGE_LABELS[state])  # the reader's language; colour and order keyed on the state
        fig.add_bar(
            y=[""], x=[n], orientation="h", name=label, marker_color=COVERAGE_COLOURS[state],
            text=[_("{state}: {count} ({share})").format(state=label, count=format_number(n),
                                                          share=format_percent(n / total)) if n else ""],
            textposition="inside", insidetextanchor="middle",
            hovertemplate=_("{state}: {count}").format(state=label, count="%{x}") + "<extra></extra>",
        )
    fig.update_layout(barmode="stack", height=130, margin=dict(l=0, r=0, t=10, b=0), showlegend=True,
                      legend=dict(orientation="h", y=-0.3, traceorder="normal"),
                      xaxis=dict(visible=False, range=[0, total]), yaxis=dict(visible=False))
    return fig


def matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """The component x Resolution matrix as a table: one row per component, one column per Resolution
    that has reports (Resolutions first, then Recommendations), the number of Activity Reports in each
    cell, empty where none. Pivots the already aggregated long form."""
    if matrix.empty:
        return pd.DataFrame(columns=["component"])
    grid = matrix.pivot_table(index="component", columns="code", values="reports", aggfunc="sum")
    grid = grid.reindex(sorted(grid.columns, key=lambda c: (c.split("-")[2] != "Res", c)), axis=1)
    return grid.astype("Int64").reset_index().rename_axis(columns=None)
