"""How implementation progress is measured: aggregate queries over Resolutions, Progress Reports and
Activity Reports, each answered by GROUP BY in the database and returned as a small DataFrame.

The counting rules are those of db/counting.py, shared with Coverage, the Resolution page, the yearly
analysis and the benchmark: which Resolutions are in force in a year (in_force), their status in a year
(status_in_year: the published implementation status, else In preparation or No Progress Report, both
always counted), their reporting state (reporting_state) and which Activity Reports count in a year
(counted_activity_in: received that year, a correction replacing its original).
- Filters combine with AND; values within one filter are alternatives (OR).
- ProgressFilter(public=True) gives the public site's figures: the same rules with their public=True
  (no "In preparation", only Activity Reports shown publicly).
- Region and component kind are properties of the *reporting component*. They filter the Activity
  Report figures by the component that reported, and they narrow the Resolution figures (status, coverage,
  challenges) to the Resolutions on which a component of that region/kind submitted an Activity Report
  received up to the end of the chosen year.
"""

from dataclasses import replace

import pandas as pd
from sqlalchemy import Integer, and_, exists, func, literal_column, true, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from analytics.filters import ProgressFilter, data_years, resolve
from db import vocab
from db.counting import (
    counted_activity,
    counted_activity_in,
    in_force,
    published,
    reporting_state,
    status_in_year,
    tagged_with,
    tagged_with_targets,
    written_in,
    year_bounds,
)
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    Component,
    Congress,
    GoalTarget,
    ProgressReport,
    ProgressReportRevision,
    Resolution,
    ResolutionTarget,
    ResolutionTheme,
    Theme,
)
from db.sql import json_array_values
from locales import N_

# The coverage chart's categories: the reporting states, by their labels (db/vocab.py).
COVERAGE_CATEGORIES = tuple(vocab.REPORTING_STATE_LABELS[s] for s in vocab.REPORTING_STATES)
_STATE_OF_LABEL = {label: state for state, label in vocab.REPORTING_STATE_LABELS.items()}
# Commissions and global Secretariat units have no IUCN region; a label like the regions', translated where shown.
NO_REGION = N_("No region (global bodies)")


# -- building blocks --------------------------------------------------------------------------------
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
    conditions = [in_force(flt.year if year is None else year, congress_code=flt.congress if congress else None)]
    if flt.kinds:
        conditions.append(Resolution.kind.in_(flt.kinds))
    if flt.themes:
        conditions.append(tagged_with(flt.themes))
    if flt.targets:
        conditions.append(tagged_with_targets(flt.targets))
    if reported_by_components and (flt.regions or flt.component_kinds):
        # Correlated EXISTS: walks each candidate Resolution's own reports (resolution_id index), not
        # every report of every year.
        _, end = year_bounds(flt.year)
        link, report, component = (aliased(ActivityReportResolution), aliased(ActivityReport),
                                   aliased(Component))
        conditions.append(exists().where(
            link.resolution_id == Resolution.id, report.id == link.activity_report_id,
            component.id == report.component_id, counted_activity(report, state_index=False, public=flt.public),
            report.submitted_at < end,
            *_component_conditions(flt, component)))
    return conditions


def _report_in(year):
    """Join condition: the Progress Report of the Resolution for `year`."""
    return and_(ProgressReport.resolution_id == Resolution.id, ProgressReport.year == year)


def _activities(flt: ProgressFilter, *columns, year: int | None = None):
    """SELECT columns FROM the filter's Resolutions and the Activity Reports on them that count in the
    year, by components of the filter (Component joined), written in the filter's languages (if any).
    Driven from the Resolutions, so only their reports are read (resolution_id index); count DISTINCT
    report ids, as a report may concern several of the Resolutions."""
    year = flt.year if year is None else year
    return (
        select(*columns).select_from(Resolution)
        .join(ActivityReportResolution, ActivityReportResolution.resolution_id == Resolution.id)
        .join(ActivityReport, ActivityReport.id == ActivityReportResolution.activity_report_id)
        .join(Component, Component.id == ActivityReport.component_id)
        .where(*_resolution_conditions(flt, year=year, reported_by_components=False),
               counted_activity_in(year, state_index="postgresql", public=flt.public), *_component_conditions(flt),
               written_in(flt.languages))
    )


def years_table(years: list[int]):
    """A derived table with one row per year (column "year"); years are ints, so inlined safely."""
    selects = [select(literal_column(str(int(y)), Integer).label("year")) for y in years]
    return (union_all(*selects) if len(selects) > 1 else selects[0]).subquery("years")


def _years_up_to(session: Session, flt: ProgressFilter) -> list[int]:
    years = [y for y in data_years(session=session, congress=flt.congress, public=flt.public) if y <= flt.year]
    return sorted(set(years) | {flt.year})


def _statuses(frame: pd.DataFrame, groups: list[str], order: dict[str, list] | None = None) -> pd.DataFrame:
    """Complete the grid group x status (zeros included, every status of the scale present), add the share
    within each group, and sort groups (in `order` when given) and statuses along the scale."""
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
    status = status_in_year(public=flt.public)
    rows = session.exec(
        select(status, func.count())
        .select_from(Resolution).outerjoin(ProgressReport, _report_in(flt.year))
        .where(*_resolution_conditions(flt))
        .group_by(status)
    ).all()
    counts = dict.fromkeys(vocab.STATUS_SCALE, 0)
    for status, n in rows:
        counts[status] += int(n)
    total = sum(counts.values())
    return pd.DataFrame({"status": list(counts), "count": list(counts.values()),
                         "share": [n / total if total else 0.0 for n in counts.values()]})


def headline(*, session: Session, flt: ProgressFilter) -> dict:
    """The headline figures of the chosen Congress and year."""
    flt = resolve(session=session, flt=flt)
    statuses = status_counts(session=session, flt=flt).set_index("status")
    in_force = int(statuses["count"].sum())
    unpublished = {s: int(statuses.loc[s, "count"]) for s in vocab.UNPUBLISHED}
    published = in_force - sum(unpublished.values())
    reports, components = session.exec(_activities(
        flt, func.count(func.distinct(ActivityReport.id)), func.count(func.distinct(ActivityReport.component_id))
    )).one()
    return {
        "congress": flt.congress,
        "year": flt.year,
        "resolutions_in_force": in_force,
        "published": published,
        "published_share": published / in_force if in_force else 0.0,
        "in_preparation": unpublished[vocab.IN_PREPARATION],
        "no_progress_report": unpublished[vocab.NO_PROGRESS_REPORT],
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
        .where(published(), ProgressReport.year <= flt.year)
        .group_by(Resolution.congress_id)
        .subquery("congress_year")
    )


def status_by_congress(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(congress, year, status, count, share) for every Congress that has Resolutions (up to the chosen
    year), oldest first. Each Congress is shown in its latest reporting year up to the chosen year (column
    year): reporting on older Congresses ends, and a bar of unpublished Resolutions for a Congress no longer
    reported on would hide where it stood. A Congress never reported on is shown in the chosen year. The
    Congress filter itself does not apply here (every Congress is compared); the others do."""
    flt = resolve(session=session, flt=flt)
    cy = _congress_years(flt)
    year = func.coalesce(cy.c.year, flt.year)
    status = status_in_year(public=flt.public)
    rows = session.exec(
        select(Congress.code, Congress.year, Congress.session, cy.c.year, status, func.count())
        .select_from(Resolution)
        .join(Congress, Congress.id == Resolution.congress_id)
        .outerjoin(cy, cy.c.congress_id == Resolution.congress_id)
        .outerjoin(ProgressReport, _report_in(year))
        .where(Congress.year <= flt.year, *_resolution_conditions(flt, year=year, congress=False))
        .group_by(Congress.code, Congress.year, Congress.session, cy.c.year, status)
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
    status = status_in_year(public=flt.public)
    query = (
        select(Theme.name, Theme.sort_order, status, func.count())
        .select_from(Resolution)
        .join(ResolutionTheme, ResolutionTheme.resolution_id == Resolution.id)
        .join(Theme, Theme.id == ResolutionTheme.theme_id)
        .outerjoin(ProgressReport, _report_in(flt.year))
        .where(*_resolution_conditions(flt))
        .group_by(Theme.name, Theme.sort_order, status)
        .order_by(Theme.sort_order)
    )
    if flt.themes:
        query = query.where(Theme.name.in_(flt.themes))
    frame = pd.DataFrame(session.exec(query).all(), columns=["theme", "sort_order", "status", "count"])
    order = {"theme": list(dict.fromkeys(frame["theme"]))}
    return _statuses(frame[["theme", "status", "count"]], ["theme"], order)


def status_by_target(*, session: Session, flt: ProgressFilter, framework: str = "KMGBF") -> pd.DataFrame:
    """(target, status, count, share) in the chosen year for the targets of a framework (issue 18: the KMGBF's
    23 by default) that the filter's Resolutions are tagged with; a Resolution counts under each of its
    targets (only the chosen ones when the target filter names some of this framework). Reference order."""
    flt = resolve(session=session, flt=flt)
    status = status_in_year(public=flt.public)
    query = (
        select(GoalTarget.code, GoalTarget.position, status, func.count())
        .select_from(Resolution)
        .join(ResolutionTarget, ResolutionTarget.resolution_id == Resolution.id)
        .join(GoalTarget, GoalTarget.code == ResolutionTarget.target_code)
        .outerjoin(ProgressReport, _report_in(flt.year))
        .where(*_resolution_conditions(flt), GoalTarget.framework == framework, GoalTarget.level == "target")
        .group_by(GoalTarget.code, GoalTarget.position, status)
        .order_by(GoalTarget.position)
    )
    chosen = session.exec(select(GoalTarget.code).where(
        GoalTarget.code.in_(flt.targets), GoalTarget.framework == framework, GoalTarget.level == "target")
    ).all() if flt.targets else []
    if chosen:
        query = query.where(GoalTarget.code.in_(chosen))
    frame = pd.DataFrame(session.exec(query).all(), columns=["target", "position", "status", "count"])
    order = {"target": list(dict.fromkeys(frame["target"]))}
    return _statuses(frame[["target", "status", "count"]], ["target"], order)


def status_over_years(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(year, status, count, share) for the chosen Congress, from its first year with data to the chosen
    year; each year counts the Resolutions in force that year."""
    flt = resolve(session=session, flt=flt)
    years = years_table(_years_up_to(session, flt))
    status = status_in_year(public=flt.public)
    rows = session.exec(
        select(years.c.year, status, func.count(Resolution.id))
        .select_from(years)
        .join(Resolution, and_(*_resolution_conditions(flt, year=years.c.year)))
        .outerjoin(ProgressReport, _report_in(years.c.year))
        .group_by(years.c.year, status)
        .order_by(years.c.year)
    ).all()
    frame = pd.DataFrame(rows, columns=["year", "status", "count"])
    return _statuses(frame, ["year"], {"year": sorted(frame["year"].unique().tolist())})


# -- coverage ---------------------------------------------------------------------------------------
def coverage_by_year(*, session: Session, flt: ProgressFilter) -> pd.DataFrame:
    """(year, category, count): per year, the Resolutions in force by reporting state (category: the
    state's label, COVERAGE_CATEGORIES order, zeros included), the same counts as the Coverage page's for
    that year and Congress. One GROUP BY query."""
    flt = resolve(session=session, flt=flt)
    years = years_table(_years_up_to(session, flt))
    # Nothing to report counts as on Coverage (the public site: published or none).
    state = reporting_state(public=flt.public, year=None if flt.public else years.c.year)
    rows = session.exec(
        select(years.c.year, state, func.count(Resolution.id))
        .select_from(years)
        .join(Resolution, and_(*_resolution_conditions(flt, year=years.c.year)))
        .outerjoin(ProgressReport, _report_in(years.c.year))
        .group_by(years.c.year, state)
    ).all()
    counts = {(int(year), code): int(n) for year, code, n in rows}
    records = [(year, vocab.REPORTING_STATE_LABELS[code], counts.get((year, code), 0))
               for year in sorted({year for year, _ in counts}) for code in vocab.REPORTING_STATES]
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
    challenge, most frequent first; share is of the published reports of the year. Categories nobody named
    are left out. The categories are those of the latest published version (its revision, unnested in SQL):
    a correction under way is not published yet, signed in or not."""
    flt = resolve(session=session, flt=flt)
    dialect = session.get_bind().dialect.name
    values = json_array_values(dialect, ProgressReportRevision.content, "challenge_categories")
    of_set = [ProgressReport.year == flt.year, published(),
              ProgressReport.resolution_id.in_(select(Resolution.id).where(*_resolution_conditions(flt)))]
    latest = and_(ProgressReportRevision.progress_report_id == ProgressReport.id,
                  ProgressReportRevision.revision == ProgressReport.revision)
    rows = session.exec(
        select(values.c.value, func.count())
        .select_from(ProgressReport).join(ProgressReportRevision, latest).join(values, true())
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
                       theme: str | None = None, target: str | None = None, congress: str | None = None,
                       year: int | None = None,
                       category: str | None = None, component_kind: str | None = None,
                       action_type: str | None = None, region: str | None = None,
                       challenge: str | None = None) -> pd.DataFrame:
    """The Resolutions behind one segment of a chart (code, title, congress, year, status), under the
    filter, narrowed by the segment's keys:
    - congress: that Congress instead of the filter's, in its latest reporting year (as status_by_congress);
    - year: that year instead of the filter's (status_over_years, coverage_by_year);
    - status (status_in_year) / theme / target (a goal target's code; a goal takes its targets) / category
      (a reporting state's label) / challenge: as the charts define them in that year;
    - component_kind / action_type / region: Resolutions with an Activity Report counted in that year
      from such a component / naming that action type."""
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
    status_expr = status_in_year(public=flt.public)
    query = (
        select(Resolution.code, Resolution.title, Congress.code, literal_column(str(int(year)), Integer),
               status_expr)
        .join(Congress, Congress.id == Resolution.congress_id)
        .outerjoin(ProgressReport, _report_in(year))
        .where(*_resolution_conditions(flt, year=year))
        .order_by(Resolution.kind.desc(), Resolution.number)
    )
    if status is not None:
        query = query.where(status_expr == status)
    if theme is not None:
        query = query.where(Resolution.id.in_(
            select(ResolutionTheme.resolution_id).join(Theme, Theme.id == ResolutionTheme.theme_id)
            .where(Theme.name == theme)))
    if target is not None:
        query = query.where(tagged_with_targets((target,)))
    if category is not None:
        query = query.where(reporting_state(public=flt.public) == _STATE_OF_LABEL.get(category, category))
    if component_kind is not None or action_type is not None or region is not None:
        received = _activities(flt, ActivityReportResolution.resolution_id, year=year).correlate(None)
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
                  .where(ProgressReport.year == year, published(), values.c.value == challenge))
        query = query.where(Resolution.id.in_(naming))
    return pd.DataFrame(session.exec(query).all(), columns=BEHIND_COLUMNS)
