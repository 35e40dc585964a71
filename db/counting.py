"""The counting rules, each written once: which Activity Report counts, when a Resolution is in force in a
year, and the reporting state (and status) of a Resolution in a year.

Every page, chart and export asks these questions through this module (services, analytics and the
yearly analysis with its PDF and Excel files), so the same question gets the same number everywhere; the
benchmark's bare-SQL twins (bench/run.py, class Sql) spell the same rules in plain SQL. The labels of the
states are in db/vocab.py. Each rule is a SQLAlchemy condition or expression taking the entity (or an
alias of it) it is about, so a query can apply it to any row of that kind.
"""

from datetime import UTC, datetime

from sqlalchemy import Integer, and_, case, cast, exists, func, literal, or_
from sqlalchemy.orm import aliased
from sqlmodel import select

from db import vocab
from db.models import (
    ActivityReport,
    Congress,
    GoalTarget,
    NothingToReport,
    ProgressReport,
    Resolution,
    ResolutionTarget,
    ResolutionTheme,
    Theme,
)
from db.sql import indexed_off_sqlite

SUBMITTED = "submitted"
# Aliases inside the rules' subqueries, made once (building an alias costs milliseconds per query); their own
# names keep them apart from the tables a query joins itself.
_NEWER = aliased(ActivityReport, name="newer_version")
_HELD_IN = aliased(Congress, name="held_in")


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """[1 January of year, 1 January of the next year) in UTC: a year as a range the indexes can use."""
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


# -- Activity Reports ------------------------------------------------------------------------------------
def counted_activity(report=ActivityReport, *, state_index: bool | str = True, public: bool = False):
    """An Activity Report counts when it is submitted and no newer submitted version replaces it; for the
    public (public=True) only when, besides, its component chose to show it publicly (shown_publicly).

    Why: a draft is still with its author and a returned report is back with them, so neither is input
    yet; a correction of a report already cited is a new row that supersedes the original (supersedes_id),
    and counting both would count one activity twice. So the newest submitted version counts, once.

    state_index=False compares state || '' instead, which keeps SQLite off the (state, ...) indexes: with
    them it scans every submitted report where the query should walk one Resolution's or one Congress'
    links (90 s at 100,000 reports, bench/). Same rows either way. state_index="postgresql": off the indexes on
    SQLite only (db/sql.indexed_off_sqlite), for queries PostgreSQL's planner runs better with them (issue 13:
    the Overview's Activity Report figures, 5x faster on SQLite off them, 2x slower on PostgreSQL)."""
    newer = _NEWER
    if state_index == "postgresql":
        state = indexed_off_sqlite(report.state)
    else:
        state = report.state if state_index else report.state.concat("")
    counts = and_(state == SUBMITTED,
                  ~exists().where(newer.supersedes_id == report.id, newer.state == SUBMITTED))
    # Public: the counting version's own choice (a correction is asked again, as it may say more).
    return and_(counts, report.shown_publicly) if public else counts


def counted_activity_in(year: int, report=ActivityReport, *, state_index: bool | str = True, public: bool = False):
    """An Activity Report that counts (counted_activity) for `year`: it was received in that year.

    Why: reporters report at any time and the Secretariat synthesises what arrived during the year; the
    date that says when the input arrived is submitted_at of the version that counts (a correction is
    received when it is submitted)."""
    start, end = year_bounds(year)
    return and_(counted_activity(report, state_index=state_index, public=public), report.submitted_at >= start,
                report.submitted_at < end)


# -- Resolutions -----------------------------------------------------------------------------------------
def in_force(year, resolution=Resolution, *, congress_code: str | None = None):
    """A Resolution is in force in year Y when it was adopted at a Congress held in or before Y and was
    not archived before the end of Y (never archived, or archived on 1 January of Y + 1 or later).
    `year` is an int or an SQL expression (a column of years); `congress_code` also keeps only the
    Resolutions of that Congress, in the same subquery. (Spelling, for the planners: with a Congress the
    condition looks that Congress up once and they walk its Resolutions; without one the Congress' year
    is read per Resolution, so resolution.congress_id is not offered as an index to search by, which
    made SQLite look Resolutions up by Congress once per Activity Report.)

    Why: the report on a year is written after the year, for the Resolutions still being implemented; a
    Resolution archived during Y (its work done or overtaken) is not, so it owes no report for Y and is
    neither counted as in force nor as missing a report. It still counts in the earlier years. A
    Resolution adopted after Y did not exist in Y."""
    congress = _HELD_IN
    if congress_code is not None:
        adopted = resolution.congress_id == (select(congress.id).where(congress.code == congress_code,
                                                                       congress.year <= year).scalar_subquery())
    else:
        adopted = select(congress.year).where(congress.id == resolution.congress_id).scalar_subquery() <= year
    archived_year = cast(func.extract("year", resolution.archived_on), Integer)
    return and_(adopted, or_(resolution.archived_on.is_(None), archived_year > year))


def tagged_with(themes, resolution=Resolution):
    """A Resolution carrying at least one of the named themes (a theme filter's values are alternatives)."""
    tagged = (select(ResolutionTheme.resolution_id).join(Theme, Theme.id == ResolutionTheme.theme_id)
              .where(Theme.name.in_(themes)))
    return resolution.id.in_(tagged)


def tagged_with_targets(codes, resolution=Resolution):
    """A Resolution tagged with at least one of the goal targets named by code (issue 18), or with a target
    of a named goal (SDG-14 takes SDG-14.1 ... SDG-14.c): the target filter's values are alternatives."""
    codes = tuple(codes)
    children = select(GoalTarget.code).where(GoalTarget.parent_code.in_(codes))
    tagged = select(ResolutionTarget.resolution_id).where(
        or_(ResolutionTarget.target_code.in_(codes), ResolutionTarget.target_code.in_(children)))
    return resolution.id.in_(tagged)


def written_in(languages, report=ActivityReport):
    """A report (Activity or Progress: pass the entity or an alias) written in one of `languages` (issue 14);
    no language named: every report. A filter's languages are alternatives, as its themes are."""
    return report.language.in_(tuple(languages)) if languages else literal(True)


# -- Progress Reports ------------------------------------------------------------------------------------
def published(report=ProgressReport):
    """A Progress Report counts as published for its year once a version of it was published.

    Why: a published report is changed only by a new version; while a correction is drafted, the
    published version is still what readers see, so the year stays covered. published_status mirrors the
    latest published revision, set on publication and kept while a correction is drafted."""
    return report.published_status.is_not(None)


def nothing_to_report(year, resolution=Resolution):
    """The Resolution's focal point said "nothing to report" for `year` (a row of nothing_to_report without a
    component; a component's own statement only stops that component's reminders)."""
    return exists().where(NothingToReport.resolution_id == resolution.id, NothingToReport.year == year,
                          NothingToReport.component_id.is_(None))


def reporting_state(report=ProgressReport, *, public: bool = False, year=None, resolution=Resolution):
    """The reporting state of a Resolution in a year (a code of vocab.REPORTING_STATES), as an SQL
    expression over the Resolution's Progress Report for that year, outer-joined (NULL columns when none):
    "published" (published()), "nothing_to_report" (given the `year`: its focal point said so, see
    nothing_to_report), "in_preparation" (a report exists, not published: a draft, a draft returned
    with a comment, or in review), else "none".

    Nothing to report is an answer, like a published report: the Resolution is covered and nobody is
    reminded; a report in review (sent after it was said) wins over it. It needs the year and the
    Resolution (the report may be missing): callers that do not give `year` (the public site, the status
    charts) keep the three other states.

    Why these three: they say who has the next move, the same on every screen. Published: nobody, readers
    see it. In preparation: the focal point or the reviewer is on it. No Progress Report: nobody has
    started; the focal point is to be reminded.

    public=True (what visitors of the public site see): "published" or "none"; work in preparation is
    nobody's business but its authors' and reviewers' until it is published, so it is folded into "none"."""
    if public:
        return case((published(report), literal("published")), else_=literal("none"))
    # A report sent to review after "nothing to report" was said is the newer answer: in preparation.
    answered = ([(report.state == "in_review", literal("in_preparation")),
                 (nothing_to_report(year, resolution), literal("nothing_to_report"))] if year is not None else [])
    return case((published(report), literal("published")),
                *answered,
                (report.id.is_not(None), literal("in_preparation")),
                else_=literal("none"))


def status_in_year(report=ProgressReport, *, public: bool = False):
    """A Resolution's status in a year (a value of vocab.STATUS_SCALE), as an SQL expression over its
    outer-joined Progress Report for the year: the implementation status of the published version, else
    the reporting state's label (In preparation, No Progress Report).

    Why: a status is only stated once it is published (a draft's status can still change in review), and
    an unpublished Resolution is named by its reporting state, so the status charts add up to the
    coverage counts. public=True: In preparation is folded into No Progress Report (reporting_state)."""
    if public:
        return func.coalesce(report.published_status, literal(vocab.NO_PROGRESS_REPORT))
    return func.coalesce(report.published_status,
                         case((report.id.is_not(None), literal(vocab.IN_PREPARATION)),
                              else_=literal(vocab.NO_PROGRESS_REPORT)))
