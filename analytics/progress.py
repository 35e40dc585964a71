"""How implementation progress is measured: aggregate queries over Resolutions, Progress Reports and
Activity Reports, each answered by GROUP BY in the database and returned as a small DataFrame.

Definitions (shared by the overview, the yearly analysis and the benchmark):
- A Resolution is *in force* in year Y unless it was archived before Y (archived_on in an earlier year).
- Its *status in year Y* is the status of its published Progress Report for Y
  (ProgressReport.published_status), or "No report" when it has none. "No report" is always counted.
- An Activity Report belongs to the year it was received in (submitted_at); only submitted reports count
  (drafts stay with their authors, returned ones are back with them).
- Filters combine with AND; values within one filter are alternatives (OR).
- Region and component kind are properties of the *reporting component*. They filter the Activity
  Report figures by the component that reported, and they narrow the Resolution figures (status, coverage,
  challenges) to the Resolutions on which a component of that region/kind submitted an Activity Report
  received up to the end of the chosen year.
"""

from dataclasses import replace

import pandas as pd
from sqlalchemy import Integer, and_, cast, exists, func, literal_column, or_, true, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from analytics.filters import SUBMITTED, ProgressFilter, data_years, resolve, year_bounds
from db import vocab
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    Component,
    Congress,
    ProgressReport,
    Resolution,
    ResolutionTheme,
    Theme,
)
from db.queries import tagged_with
from db.sql import json_array_values

NO_REPORT = vocab.NO_REPORT
PUBLISHED = "Published Progress Report"
ACTIVITY_ONLY = "Activity Reports only"
COVERAGE_CATEGORIES = (PUBLISHED, ACTIVITY_ONLY, NO_REPORT)
NO_REGION = "No region (global bodies)"  # Commissions and global Secretariat units have no IUCN region


# -- building blocks --------------------------------------------------------------------------------
def _in_force(year):
    """Not archived before `year` (an int or a SQL expression)."""
    archived_year = cast(func.extract("year", Resolution.archived_on), Integer)
    return or_(Resolution.archived_on.is_(None), archived_year >= year)


def _component_conditions(flt: ProgressFilter, component=Component) -> list:
    conditions = []
    if flt.regions:
        conditions.append(component.region.in_(flt.regions))
    if flt.component_kinds:
        conditions.append(component.kind.in_(flt.component_kinds))
    return conditions


def _resolution_conditions(flt: ProgressFilter, *, year=None, congress: bool = True,
                           reported_by_components: bool = True) -> list:
    """WHERE conditions on Resolution for a resolved filter; `year` (int or SQL expression) decides
    which Resolutions are in force, the filter's year by default."""
    conditions = [_in_force(flt.year if year is None else year)]
    if congress:
        conditions.append(Resolution.congress_id == select(Congress.id).where(Congress.code == flt.congress)
                          .scalar_subquery())
    if flt.kinds:
        conditions.append(Resolution.kind.in_(flt.kinds))
    if flt.themes:
        conditions.append(tagged_with(flt.themes))
    if reported_by_components and (flt.regions or flt.component_kinds):
        # Correlated EXISTS: walks each candidate Resolution's own reports (resolution_id index), not
        # every report of every year.
        _, end = year_bounds(flt.year)
        link, report, component = (aliased(ActivityReportResolution), aliased(ActivityReport),
                                   aliased(Component))
        conditions.append(exists().where(
            link.resolution_id == Resolution.id, report.id == link.activity_report_id,
            component.id == report.component_id, report.state == SUBMITTED, report.submitted_at < end,
            *_component_conditions(flt, component)))
    return conditions


def _report_in(year):
    """Join condition: the Progress Report of the Resolution for `year`."""
    return and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year)


def _activities(flt: ProgressFilter, *columns, year: int | None = None):
    """SELECT columns FROM the filter's Resolutions and the submitted Activity Reports on them received
    in the year, by components of the filter (Component joined). Driven from the Resolutions, so only
    their reports are read (resolution_id index); count DISTINCT report ids, as a report may concern
    several of the Resolutions."""
    year = flt.year if year is None else year
    start, end = year_bounds(year)
    return (
        select(*columns).select_from(Resolution)
        .join(ActivityReportResolution, ActivityReportResolution.resolution_id == Resolution.id)
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(*_resolution_conditions(flt, year=year, reported_by_components=False),
               ActivityReport.state == SUBMITTED, ActivityReport.submitted_at >= start,
               ActivityReport.submitted_at < end, *_component_conditions(flt))
    )


def _years_table(years: list[int]):
    """A derived table with one row per year (column "year"); years are ints, so inlined safely."""
    selects = [select(literal_column(str(int(y)), Integer).label("year")) for y in years]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery("years")


def _years_up_to(session: Session, flt: ProgressFilter) -> list[int]:
    years = [y for y in data_years(session=session, congress=flt.congress) if y <= flt.year]
    return sorted(set(years) | {flt.year})


def _statuses(frame: pd.DataFrame, groups: list[str], order: dict[str, list] | None = None) -> pd.DataFrame:
    """Complete the grid group x status (zeros included, "No report" always present), add the share
    within each group, and sort groups (in `order` when given) and statuses along the scale."""
    frame = frame.assign(status=frame["status"].fillna(NO_REPORT))
    frame = frame.groupby(groups + ["status"], as_index=False, sort=False)["count"].sum()
    keys = frame[groups].drop_duplicates() if not frame.empty else pd.DataFrame(columns=groups)
    if order:
        for column, values in order.items():
            present = keys[column].tolist()
            keys = keys.assign(_o=[values.index(v) if v in values else len(values) for v in present])
            keys = keys.sort_values("_o", kind="stable").drop(columns="_o")
    grid = keys.merge(pd.DataFrame({"status": list(vocab.STATUS_SCALE)}), how="cross")
    grid = grid.merge(frame, on=groups + ["status"], how="left").fillna({"count": 0})
    grid["count"] = grid["count"].astype(int)
    totals = grid.groupby(groups, sort=False)["count"].transform("sum")
    grid["share"] = (grid["count"] / totals.where(totals > 0)).fillna(0.0)
    return grid.reset_index(drop=True)


# -- status -----------------------------------------------------------------------------------------
def status_counts(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(status, count, share) for the chosen Congress and year, every status of the scale present."""
    flt = resolve(session=session, flt=flt)
    rows = session.exec(
        select(ProgressReport.published_status, func.count())
        .select_from(Resolution).outerjoin(ProgressReport, _report_in(flt.year))
        .where(*_resolution_conditions(flt))
        .group_by(ProgressReport.published_status)
    ).all()
    counts = dict.fromkeys(vocab.STATUS_SCALE, 0)
    for status, n in rows:
        counts[status or NO_REPORT] += int(n)
    total = sum(counts.values())
    return pd.DataFrame({"status": list(counts), "count": list(counts.values()),
                         "share": [n / total if total else 0.0 for n in counts.values()]})


def headline(*, session: Session, flt: ProgressFilter) -> dict:
    """The headline figures of the chosen Congress and year."""
    flt = resolve(session=session, flt=flt)
    statuses = status_counts(session=session, flt=flt).set_index("status")
    in_force = int(statuses["count"].sum())
    published = in_force - int(statuses.loc[NO_REPORT, "count"])
    reports, components = session.exec(_activities(
        flt, func.count(func.distinct(ActivityReport.id)), func.count(func.distinct(ActivityReport.component_id))
    )).one()
    return {
        "congress": flt.congress,
        "year": flt.year,
        "resolutions_in_force": in_force,
        "published": published,
        "published_share": published / in_force if in_force else 0.0,
        "status_counts": {s: int(statuses.loc[s, "count"]) for s in vocab.STATUS_SCALE},
        "status_shares": {s: float(statuses.loc[s, "share"]) for s in vocab.STATUS_SCALE},
        "activity_reports": int(reports),
        "components_involved": int(components),
    }


def _congress_years(flt: ProgressFilter):
    """Per Congress, its latest year up to the chosen one with a published Progress Report."""
    return (
        select(Resolution.congress_id.label("congress_id"), func.max(ProgressReport.year).label("year"))
        .join(ProgressReport, ProgressReport.resolution_id == Resolution.id)
        .where(ProgressReport.published_status.is_not(None), ProgressReport.year <= flt.year)
        .group_by(Resolution.congress_id)
        .subquery("congress_year")
    )


def status_by_congress(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(congress, year, status, count, share) for every Congress that has Resolutions (up to the chosen
    year), oldest first. Each Congress is shown in its latest reporting year up to the chosen year (column
    year): reporting on older Congresses ends, and a bar of "No report" for a Congress no longer reported
    on would hide where it stood. A Congress never reported on is shown in the chosen year (all "No
    report"). The Congress filter itself does not apply here (every Congress is compared); the others do."""
    flt = resolve(session=session, flt=flt)
    cy = _congress_years(flt)
    year = func.coalesce(cy.c.year, flt.year)
    rows = session.exec(
        select(Congress.code, Congress.year, Congress.session, cy.c.year, ProgressReport.published_status,
               func.count())
        .select_from(Resolution)
        .join(Congress, Congress.id == Resolution.congress_id)
        .outerjoin(cy, cy.c.congress_id == Resolution.congress_id)
        .outerjoin(ProgressReport, _report_in(year))
        .where(Congress.year <= flt.year, *_resolution_conditions(flt, year=year, congress=False))
        .group_by(Congress.code, Congress.year, Congress.session, cy.c.year, ProgressReport.published_status)
        .order_by(Congress.year, Congress.session)
    ).all()
    frame = pd.DataFrame(rows, columns=["congress", "congress_year", "session", "year", "status", "count"])
    frame["year"] = frame["year"].fillna(flt.year).astype(int)
    order = {"congress": list(dict.fromkeys(frame["congress"]))}
    return _statuses(frame[["congress", "year", "status", "count"]], ["congress", "year"], order)


def status_by_theme(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(theme, status, count, share) in the chosen year; a Resolution counts under each of its themes
    (only the chosen themes when the theme filter is set). Themes in their reference order."""
    flt = resolve(session=session, flt=flt)
    query = (
        select(Theme.name, Theme.sort_order, ProgressReport.published_status, func.count())
        .select_from(Resolution)
        .join(ResolutionTheme, ResolutionTheme.resolution_id == Resolution.id)
        .join(Theme, Theme.id == ResolutionTheme.theme_id)
        .outerjoin(ProgressReport, _report_in(flt.year))
        .where(*_resolution_conditions(flt))
        .group_by(Theme.name, Theme.sort_order, ProgressReport.published_status)
        .order_by(Theme.sort_order)
    )
    if flt.themes:
        query = query.where(Theme.name.in_(flt.themes))
    frame = pd.DataFrame(session.exec(query).all(), columns=["theme", "sort_order", "status", "count"])
    order = {"theme": list(dict.fromkeys(frame["theme"]))}
    return _statuses(frame[["theme", "status", "count"]], ["theme"], order)


def status_over_years(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(year, status, count, share) for the chosen Congress, from its first year with data to the chosen
    year; each year counts the Resolutions in force that year."""
    flt = resolve(session=session, flt=flt)
    years = _years_table(_years_up_to(session, flt))
    rows = session.exec(
        select(years.c.year, ProgressReport.published_status, func.count(Resolution.id))
        .select_from(years)
        .join(Resolution, and_(*_resolution_conditions(flt, year=years.c.year)))
        .outerjoin(ProgressReport, _report_in(years.c.year))
        .group_by(years.c.year, ProgressReport.published_status)
        .order_by(years.c.year)
    ).all()
    frame = pd.DataFrame(rows, columns=["year", "status", "count"])
    return _statuses(frame, ["year"], {"year": sorted(frame["year"].unique().tolist())})


# -- coverage ---------------------------------------------------------------------------------------
def coverage_by_year(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(year, category, count): per year, the Resolutions in force with a published Progress Report,
    with submitted Activity Reports received that year (by components of the filter) but no published
    report, and with neither. Two GROUP BY queries: Resolutions per year with and without a published
    report, and Resolutions per year of receipt with Activity Reports and no published report."""
    flt = resolve(session=session, flt=flt)
    years = _years_table(_years_up_to(session, flt))
    published = ProgressReport.published_status.is_not(None)
    reported = session.exec(
        select(years.c.year, func.count(Resolution.id), func.count(ProgressReport.id))
        .select_from(years)
        .join(Resolution, and_(*_resolution_conditions(flt, year=years.c.year)))
        .outerjoin(ProgressReport, and_(_report_in(years.c.year), published))
        .group_by(years.c.year)
        .order_by(years.c.year)
    ).all()
    received = cast(func.extract("year", ActivityReport.submitted_at), Integer)
    _, end = year_bounds(flt.year)
    published_then = exists().where(ProgressReport.resolution_id == Resolution.id,
                                    ProgressReport.year == received, published)
    activity_only = dict(session.exec(
        select(received, func.count(func.distinct(Resolution.id))).select_from(Resolution)
        .join(ActivityReportResolution, ActivityReportResolution.resolution_id == Resolution.id)
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(*_resolution_conditions(flt, year=received), ActivityReport.state.concat("") == SUBMITTED,
               ActivityReport.submitted_at < end, ~published_then, *_component_conditions(flt))
        .group_by(received)
    ).all())
    records = []
    for year, total, with_report in reported:  # one row per year
        with_activity = int(activity_only.get(year, 0))
        records += [(year, PUBLISHED, int(with_report)), (year, ACTIVITY_ONLY, with_activity),
                    (year, NO_REPORT, int(total) - int(with_report) - with_activity)]
    return pd.DataFrame(records, columns=["year", "category", "count"])


# -- involvement ------------------------------------------------------------------------------------
def _ranked(rows, labels: tuple[str, ...]) -> pd.DataFrame:
    """(label, count) with every expected label present (zeros too), largest first."""
    counts = dict.fromkeys(labels, 0) | {label: int(n) for label, n in rows}
    frame = pd.DataFrame(list(counts.items()), columns=["label", "count"])
    return frame.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)


def _activity_counts(session: Session, flt: ProgressFilter, label, *joins) -> list:
    """(label, number of Activity Reports) received in the year under the filter, grouped in SQL."""
    query = _activities(flt, label, func.count(func.distinct(ActivityReport.id)))
    for target, on in joins:
        query = query.join(target, on)
    return session.exec(query.group_by(label)).all()


def activities_by_component_kind(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(label, count): Activity Reports received in the year, by kind of reporting component."""
    flt = resolve(session=session, flt=flt)
    return _ranked(_activity_counts(session, flt, Component.kind), vocab.COMPONENT_KINDS)


def activities_by_action_type(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(label, count): Activity Reports received in the year naming each action type (a report may
    name several, so the counts can add up to more than the reports)."""
    flt = resolve(session=session, flt=flt)
    action_type = ActivityReportActionType.action_type
    rows = _activity_counts(session, flt, action_type, (
        ActivityReportActionType, ActivityReportActionType.activity_report_id == ActivityReport.id))
    return _ranked(rows, vocab.ACTION_TYPES)


def activities_by_region(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(label, count): Activity Reports received in the year, by IUCN region of the reporting component
    (NO_REGION for global bodies)."""
    flt = resolve(session=session, flt=flt)
    rows = _activity_counts(session, flt, Component.region)
    return _ranked([(region or NO_REGION, n) for region, n in rows], (*vocab.IUCN_REGIONS, NO_REGION))


# -- challenges -------------------------------------------------------------------------------------
def top_challenges(*, session: Session, flt: ProgressFilter, limit: int | None = None) -> pd.DataFrame:
    """(challenge, count, share): how many published Progress Reports of the year name each kind of
    challenge (ProgressReport.challenge_categories, unnested in SQL), most frequent first; share is of
    the published reports of the year. Categories nobody named are left out."""
    flt = resolve(session=session, flt=flt)
    dialect = session.get_bind().dialect.name
    values = json_array_values(dialect, ProgressReport.challenge_categories)
    of_set = [ProgressReport.year == flt.year, ProgressReport.published_status.is_not(None),
              ProgressReport.resolution_id.in_(select(Resolution.id).where(*_resolution_conditions(flt)))]
    rows = session.exec(
        select(values.c.value, func.count())
        .select_from(ProgressReport).join(values, true())
        .where(*of_set).group_by(values.c.value)
    ).all()
    reports = session.exec(select(func.count(ProgressReport.id)).where(*of_set)).one()
    frame = pd.DataFrame(rows, columns=["challenge", "count"])
    frame["count"] = frame["count"].astype(int)
    frame["share"] = frame["count"] / reports if reports else 0.0
    frame = frame.sort_values(["count", "challenge"], ascending=[False, True]).reset_index(drop=True)
    return frame.head(limit) if limit else frame


# -- drill-down -------------------------------------------------------------------------------------
BEHIND_COLUMNS = ["code", "title", "congress", "year", "status"]


def resolutions_behind(*, session: Session, flt: ProgressFilter, status: str | None = None,
                       theme: str | None = None, congress: str | None = None, year: int | None = None,
                       category: str | None = None, component_kind: str | None = None,
                       action_type: str | None = None, region: str | None = None,
                       challenge: str | None = None) -> pd.DataFrame:
    """The Resolutions behind one segment of a chart (code, title, congress, year, status), under the
    filter, narrowed by the segment's keys:
    - congress: that Congress instead of the filter's, in its latest reporting year (as status_by_congress);
    - year: that year instead of the filter's (status_over_years, coverage_by_year);
    - status / theme / category (coverage) / challenge: as the charts define them in that year;
    - component_kind / action_type / region: Resolutions with a submitted Activity Report received that
      year from such a component / naming that action type."""
    flt = resolve(session=session, flt=flt)
    if congress is not None:
        flt = replace(flt, congress=congress)
        if year is None:
            cy = _congress_years(flt)
            found = session.exec(
                select(cy.c.year).join(Congress, Congress.id == cy.c.congress_id).where(Congress.code == congress)
            ).first()
            year = found if found is not None else flt.year
    year = flt.year if year is None else year
    status_expr = func.coalesce(ProgressReport.published_status, NO_REPORT)
    query = (
        select(Resolution.code, Resolution.title, Congress.code, literal_column(str(int(year)), Integer),
               status_expr)
        .join(Congress, Congress.id == Resolution.congress_id)
        .outerjoin(ProgressReport, _report_in(year))
        .where(*_resolution_conditions(flt, year=year))
        .order_by(Resolution.kind.desc(), Resolution.number)
    )
    if status is not None:
        query = query.where(ProgressReport.published_status.is_(None) if status == NO_REPORT
                            else ProgressReport.published_status == status)
    if theme is not None:
        query = query.where(Resolution.id.in_(
            select(ResolutionTheme.resolution_id).join(Theme, Theme.id == ResolutionTheme.theme_id)
            .where(Theme.name == theme)))
    received = _activities(flt, ActivityReportResolution.resolution_id, year=year).correlate(None)
    if category is not None:
        if category == PUBLISHED:
            query = query.where(ProgressReport.published_status.is_not(None))
        elif category == ACTIVITY_ONLY:
            query = query.where(ProgressReport.published_status.is_(None), Resolution.id.in_(received))
        else:
            query = query.where(ProgressReport.published_status.is_(None), Resolution.id.not_in(received))
    if component_kind is not None or action_type is not None or region is not None:
        if component_kind is not None:
            received = received.where(Component.kind == component_kind)
        if region is not None:
            received = received.where(Component.region.is_(None) if region == NO_REGION
                                      else Component.region == region)
        if action_type is not None:
            received = received.where(exists().where(
                ActivityReportActionType.activity_report_id == ActivityReport.id,
                ActivityReportActionType.action_type == action_type))
        query = query.where(Resolution.id.in_(received))
    if challenge is not None:
        dialect = session.get_bind().dialect.name
        values = json_array_values(dialect, ProgressReport.challenge_categories)
        naming = (select(ProgressReport.resolution_id).select_from(ProgressReport).join(values, true())
                  .where(ProgressReport.year == year, ProgressReport.published_status.is_not(None),
                         values.c.value == challenge))
        query = query.where(Resolution.id.in_(naming))
    return pd.DataFrame(session.exec(query).all(), columns=BEHIND_COLUMNS)
