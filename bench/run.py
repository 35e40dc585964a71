"""Time the analytics queries and the dashboard pages on a generated database (see bench/generate.py).

    .venv/bin/python -m bench.run --url sqlite:////tmp/bench100k.db --label 100k-sqlite

(a) each analytics query, for the landing filter and a narrow one, as the median of several runs,
    next to the bare SQL aggregate that answers the same question, timed the same way (ratio = query /
    bare SQL: what the Python layer and the query's shape cost on top of the database's own work);
(b) each dashboard page's full server-side run with streamlit.testing AppTest, signed in as
    bench.secretariat, each page in a fresh process: the sign-in run (which lands on the overview)
    brings the engine up; a neutral page is visited (so no filter of the landing page is left over); the
    page's first visit imports its modules; then st.cache_data is cleared and the page is run again (cold),
    then rerun (warm: the median and p95 of the reruns), then run once more after another user's submission
    (after_write: what everyone meets in reporting season, when each write changes the data version).
    A run that does not show what was asked (shown_wrongly) is reported as an error, not timed;
(c) the peak memory (RSS high-water mark) of each of those processes.
Writes bench/results-<label>.md and prints it; `--json FILE` also writes one record per page x filter x mode.
Each page's after_write step adds one Activity Report to the database (a generated one: nothing of value).
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from db import vocab

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
USER = "bench.secretariat"  # bench.generate.SECRETARIAT_USER, password bench.generate.PASSWORD
COOKIE_KEY = "bench-only-cookie-key-0123456789abcdef"
PAGES = ("pages/overview.py", "pages/analysis.py", "pages/body_of_policy.py", "pages/coverage.py",
         "pages/register.py")
# A narrow view of each page, set through the URL as a user would share it.
PAGE_FILTERS = {
    "pages/overview.py": {"congress": "WCC-2020", "year": "2024", "theme": ["Oceans", "Land"],
                          "region": "Africa", "component_kind": "Member"},
    "pages/analysis.py": {"congress": "WCC-2020", "year": "2024"},
    "pages/coverage.py": {"congress": "WCC-2020", "year": "2024"},
    "pages/body_of_policy.py": {"theme": "Oceans", "kind": "Resolution", "from": "1990"},
    "pages/register.py": {"q": "forest", "theme": "Land"},
}
# Issue 13: every page's first view after a write under 1 s, warm under 0.3 s (1M on PostgreSQL, 100k on SQLite).
TARGET_AFTER_WRITE_S, TARGET_WARM_S = 1.0, 0.3
MEMORY_LIMIT_MB = 1024


@dataclass
class Query:
    name: str
    variant: str
    call: Callable[[Session], object]
    bare: list[str]  # the SQL statements that answer the same question, run one after the other


def _median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # the first run warms the connection and the database's page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# -- bare SQL --------------------------------------------------------------------------------------
class Sql:
    """Spelling of the bare statements for one dialect and one resolved filter. The counting rules are
    db/counting.py's, written again here as plain SQL (in_force, counted, reporting_state, status), so
    the twin answers the same question by the same rule."""

    def __init__(self, dialect: str, flt):
        self.pg = dialect == "postgresql"
        self.flt = flt

    @staticmethod
    def lit(values) -> str:
        return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)

    def year_of(self, column: str) -> str:
        return f"EXTRACT(YEAR FROM {column})::int" if self.pg else f"CAST(strftime('%Y', {column}) AS INTEGER)"

    def ts(self, year: int) -> str:
        return f"TIMESTAMPTZ '{year}-01-01 00:00:00+00'" if self.pg else f"'{year}-01-01 00:00:00.000000'"

    def json_values(self, column: str, key: str) -> str:
        return (f"json_array_elements_text({column} -> '{key}') AS v(value)" if self.pg
                else f"json_each({column}, '$.{key}') AS v")

    def congress(self, code: str | None = None) -> str:
        return f"r.congress_id = (SELECT id FROM congress WHERE code = '{code or self.flt.congress}')"

    def in_force(self, year: str) -> str:
        """db/counting.in_force: adopted at a Congress held in or before the year, not archived by its end."""
        return (f"(r.congress_id IN (SELECT h.id FROM congress h WHERE h.year <= {year}) AND "
                f"(r.archived_on IS NULL OR {self.year_of('r.archived_on')} > {year}))")

    @staticmethod
    def counted(alias: str = "a") -> str:
        """db/counting.counted_activity: submitted, and no newer submitted version replaces it."""
        return (f"{alias}.state = 'submitted' AND NOT EXISTS (SELECT 1 FROM activity_report n WHERE "
                f"n.supersedes_id = {alias}.id AND n.state = 'submitted')")

    @staticmethod
    def reporting_state(alias: str = "p", year: str | None = None) -> str:
        """db/counting.reporting_state over an outer-joined Progress Report (given the year, of Resolution r:
        with "nothing to report")."""
        answered = (f"WHEN EXISTS (SELECT 1 FROM nothing_to_report n WHERE n.resolution_id = r.id AND n.year = "
                    f"{year} AND n.component_id IS NULL) THEN 'nothing_to_report' " if year else "")
        answered = f"WHEN {alias}.state = 'in_review' THEN 'in_preparation' {answered}" if year else ""
        return (f"CASE WHEN {alias}.published_status IS NOT NULL THEN 'published' {answered}WHEN {alias}.id IS NOT "
                f"NULL THEN 'in_preparation' ELSE 'none' END")

    @staticmethod
    def status(alias: str = "p") -> str:
        """db/counting.status_in_year over an outer-joined Progress Report."""
        return (f"COALESCE({alias}.published_status, CASE WHEN {alias}.id IS NOT NULL THEN "
                f"'{vocab.IN_PREPARATION}' ELSE '{vocab.NO_PROGRESS_REPORT}' END)")

    def component(self, alias: str = "c") -> str:
        out = ""
        if self.flt.regions:
            out += f" AND {alias}.region IN ({self.lit(self.flt.regions)})"
        if self.flt.component_kinds:
            out += f" AND {alias}.kind IN ({self.lit(self.flt.component_kinds)})"
        return out

    def resolution(self, year: str, *, congress: bool = True, reported: bool = True) -> str:
        out = self.in_force(year)
        if congress:
            out += " AND " + self.congress()
        if self.flt.kinds:
            out += f" AND r.kind IN ({self.lit(self.flt.kinds)})"
        if self.flt.themes:
            out += (" AND r.id IN (SELECT rt.resolution_id FROM resolution_theme rt JOIN theme t ON t.id = "
                    f"rt.theme_id WHERE t.name IN ({self.lit(self.flt.themes)}))")
        if reported and (self.flt.regions or self.flt.component_kinds):
            out += (" AND r.id IN (SELECT l.resolution_id FROM activity_report_resolution l JOIN activity_report a"
                    " ON a.id = l.activity_report_id JOIN component c ON c.id = a.component_id WHERE "
                    f"{self.counted()} AND a.submitted_at < {self.ts(self.flt.year + 1)}{self.component()})")
        return out

    def activities(self) -> str:
        """FROM/WHERE of the Activity Reports counted in the year on the filter's Resolutions."""
        y = self.flt.year
        return (f"FROM activity_report a JOIN component c ON c.id = a.component_id WHERE {self.counted()} "
                f"AND a.submitted_at >= {self.ts(y)} AND a.submitted_at < {self.ts(y + 1)}{self.component()} "
                f"AND EXISTS (SELECT 1 FROM activity_report_resolution l JOIN resolution r ON r.id = "
                f"l.resolution_id WHERE l.activity_report_id = a.id AND "
                f"{self.resolution(str(y), reported=False)})")

    @staticmethod
    def years(years: list[int]) -> str:
        return "(" + " UNION ALL ".join(f"SELECT {int(y)} AS year" for y in years) + ")"


def progress_queries(session: Session, flt, variant: str) -> list[Query]:
    from analytics import filters, progress

    flt = filters.resolve(session=session, flt=flt)
    q = Sql(session.get_bind().dialect.name, flt)
    y = flt.year
    years = sorted({yr for yr in filters.data_years(session=session, congress=flt.congress) if yr <= y} | {y})
    st = q.status()
    status = (f"SELECT {st}, COUNT(*) FROM resolution r LEFT JOIN progress_report p ON "
              f"p.resolution_id = r.id AND p.year = {y} WHERE {q.resolution(str(y))} GROUP BY {st}")
    congress_year = (f"SELECT r.congress_id, MAX(p.year) AS year FROM progress_report p JOIN resolution r ON r.id = "
                     f"p.resolution_id WHERE p.published_status IS NOT NULL AND p.year <= {y} GROUP BY r.congress_id")
    cy = f"COALESCE(cy.year, {y})"
    theme_only = f" AND t.name IN ({q.lit(flt.themes)})" if flt.themes else ""
    state = q.reporting_state()
    bare = {
        "headline": [status, f"SELECT COUNT(*), COUNT(DISTINCT a.component_id) {q.activities()}"],
        "status_by_congress": [
            f"SELECT co.code, {cy}, {st}, COUNT(*) FROM resolution r JOIN congress co ON co.id = "
            f"r.congress_id LEFT JOIN ({congress_year}) cy ON cy.congress_id = r.congress_id LEFT JOIN "
            f"progress_report p ON p.resolution_id = r.id AND p.year = {cy} WHERE co.year <= {y} AND "
            f"{q.resolution(cy, congress=False)} GROUP BY co.code, {cy}, {st}"],
        "status_by_theme": [
            f"SELECT t.name, {st}, COUNT(*) FROM resolution r JOIN resolution_theme rt ON "
            f"rt.resolution_id = r.id JOIN theme t ON t.id = rt.theme_id LEFT JOIN progress_report p ON "
            f"p.resolution_id = r.id AND p.year = {y} WHERE {q.resolution(str(y))}{theme_only} "
            f"GROUP BY t.name, {st}"],
        "status_over_years": [
            f"SELECT y.year, {st}, COUNT(*) FROM {q.years(years)} y JOIN resolution r ON "
            f"{q.resolution('y.year')} LEFT JOIN progress_report p ON p.resolution_id = r.id AND p.year = y.year "
            f"GROUP BY y.year, {st}"],
        "coverage_by_year": [
            f"SELECT y.year, {state}, COUNT(*) FROM {q.years(years)} y JOIN resolution r ON "
            f"{q.resolution('y.year')} LEFT JOIN progress_report p ON p.resolution_id = r.id AND p.year = y.year "
            f"GROUP BY y.year, {state}"],
        "activities_by_component_kind": [f"SELECT c.kind, COUNT(*) {q.activities()} GROUP BY c.kind"],
        "activities_by_action_type": [
            f"SELECT t.action_type, COUNT(*) {q.activities().replace(' WHERE ', ' JOIN activity_report_action_type t ON t.activity_report_id = a.id WHERE ', 1)} "
            f"GROUP BY t.action_type"],
        "activities_by_region": [f"SELECT c.region, COUNT(*) {q.activities()} GROUP BY c.region"],
        "top_challenges": [
            f"SELECT v.value, COUNT(*) FROM progress_report p JOIN progress_report_revision pr ON "
            f"pr.progress_report_id = p.id AND pr.revision = p.revision, {q.json_values('pr.content', 'challenge_categories')} WHERE "
            f"p.year = {y} AND p.published_status IS NOT NULL AND p.resolution_id IN (SELECT r.id FROM resolution r "
            f"WHERE {q.resolution(str(y))}) GROUP BY v.value",
            f"SELECT COUNT(*) FROM progress_report p WHERE p.year = {y} AND p.published_status IS NOT NULL AND "
            f"p.resolution_id IN (SELECT r.id FROM resolution r WHERE {q.resolution(str(y))})"],
    }
    queries = [Query(name, variant, (lambda s, f=getattr(progress, name): f(session=s, flt=flt)), sql)
               for name, sql in bare.items() if hasattr(progress, name)]
    behind = (f"SELECT r.code, r.title, {st} FROM resolution r LEFT JOIN progress_report p ON "
              f"p.resolution_id = r.id AND p.year = {y} WHERE {q.resolution(str(y))}")
    queries.append(Query("resolutions_behind (status)", variant,
                         lambda s: progress.resolutions_behind(session=s, flt=flt, status="Underway"),
                         [behind + " AND p.published_status = 'Underway' ORDER BY r.kind DESC, r.number"]))
    queries.append(Query(
        "resolutions_behind (action type)", variant,
        lambda s: progress.resolutions_behind(session=s, flt=flt, action_type="Field activities"),
        [behind + f" AND r.id IN (SELECT l.resolution_id FROM activity_report_resolution l JOIN activity_report a "
                  f"ON a.id = l.activity_report_id JOIN component c ON c.id = a.component_id JOIN "
                  f"activity_report_action_type t ON t.activity_report_id = a.id WHERE {q.counted()} AND "
                  f"a.submitted_at >= {q.ts(y)} AND a.submitted_at < {q.ts(y + 1)}{q.component()} AND "
                  f"t.action_type = 'Field activities') ORDER BY r.kind DESC, r.number"]))
    if variant == "landing":
        raw = replace(flt, congress=None, year=None)
        queries.append(Query(
            "resolve (latest Congress and year)", variant, lambda s: filters.resolve(session=s, flt=raw),
            [f"SELECT MAX(p.year) FROM progress_report p JOIN resolution r ON r.id = p.resolution_id WHERE "
             f"{q.congress()} AND p.published_status IS NOT NULL",
             f"SELECT MAX(a.submitted_at) FROM activity_report a JOIN activity_report_resolution l ON "
             f"l.activity_report_id = a.id JOIN resolution r ON r.id = l.resolution_id WHERE {q.congress()} "
             f"AND {q.counted()}"]))
    return queries


def coverage_queries(session: Session, year: int, congress: str, focal_id: int | None, variant: str) -> list[Query]:
    from analytics import coverage

    q = Sql(session.get_bind().dialect.name, None)
    scope = f"r.congress_id = (SELECT id FROM congress WHERE code = '{congress}') AND {q.in_force(str(year))}"
    if focal_id is not None:
        scope += f" AND r.id IN (SELECT resolution_id FROM focal_point_assignment WHERE user_id = {focal_id})"
    counted = f"{q.counted()} AND a.submitted_at >= {q.ts(year)} AND a.submitted_at < {q.ts(year + 1)}"
    links = (f"FROM activity_report a JOIN component co ON co.id = a.component_id JOIN activity_report_resolution l "
             f"ON l.activity_report_id = a.id JOIN resolution r ON r.id = l.resolution_id WHERE {counted} AND {scope}")
    state = q.reporting_state(year=str(year))
    args = {"session": None, "year": year, "congress_code": congress, "focal_user_id": focal_id}
    bare = {
        "resolution_coverage": [
            f"SELECT r.code, {state}, COUNT(DISTINCT a.id), COUNT(DISTINCT a.component_id) FROM resolution r LEFT "
            f"JOIN progress_report p ON p.resolution_id = r.id AND p.year = {year} LEFT JOIN "
            f"activity_report_resolution l ON l.resolution_id = r.id LEFT JOIN activity_report a ON a.id = "
            f"l.activity_report_id AND {counted} WHERE {scope} GROUP BY r.id, r.code, {state}"],
        "state_counts": [
            f"SELECT {state}, COUNT(*) FROM resolution r LEFT JOIN progress_report p ON p.resolution_id = r.id AND "
            f"p.year = {year} WHERE {scope} GROUP BY {state}"],
        "components_reporting": [
            f"SELECT co.name, COUNT(DISTINCT l.resolution_id), COUNT(DISTINCT a.id) {links} GROUP BY co.id, co.name"],
        "component_matrix": [f"SELECT co.name, r.code, COUNT(DISTINCT a.id) {links} GROUP BY co.id, co.name, r.id, r.code"],
    }
    return [Query(f"coverage.{name}", variant,
                  (lambda s, f=getattr(coverage, name): f(**(args | {"session": s}))), sql)
            for name, sql in bare.items() if hasattr(coverage, name)]


def other_queries(session: Session, year: int, congress: str) -> list[Query]:
    """Modules whose answer is many small statements: timed, with no single bare statement to compare."""
    from analytics import body_of_policy, yearly_analysis

    flt = body_of_policy.BodyFilter(themes=("Oceans",), kinds=("Resolution",), year_from=1990)
    return [Query("yearly_analysis.sections", "landing",
                  lambda s: yearly_analysis.sections(session=s, congress=congress, year=year), []),
            *[Query(f"body_of_policy.{name}", variant, (lambda s, f=getattr(body_of_policy, name), b=b:
                                                        f(session=s, flt=b)), [])
              for name in ("per_congress", "kind_lifecycle_per_congress", "by_theme")
              for variant, b in (("landing", body_of_policy.BodyFilter()), ("narrow", flt))]]


def time_queries(engine, runs: int) -> list[dict]:
    from analytics import filters
    from analytics.filters import ProgressFilter
    from db.models import User

    with Session(engine) as session:
        landing = filters.resolve(session=session, flt=ProgressFilter())
        focal_id = session.scalar(select(User.id).where(User.username == "bench.focal.01"))
        narrow = ProgressFilter(congress="WCC-2020", year=2024, themes=("Oceans", "Land"), kinds=("Resolution",),
                                regions=("Africa", "West Europe"), component_kinds=("Member", "National Committee"))
        queries = (progress_queries(session, landing, "landing") + progress_queries(session, narrow, "narrow")
                   + coverage_queries(session, landing.year, landing.congress, None, "landing")
                   + coverage_queries(session, 2024, "WCC-2020", focal_id, "narrow")
                   + other_queries(session, landing.year, landing.congress))
    results = []
    for query in queries:
        def run_call(query=query):
            with Session(engine) as s:
                return query.call(s)

        def run_bare(query=query):
            with Session(engine) as s:
                for statement in query.bare:
                    s.connection().execute(text(statement)).fetchall()

        call_ms = _median_ms(run_call, runs)
        bare_ms = _median_ms(run_bare, runs) if query.bare else None
        results.append({"query": query.name, "variant": query.variant, "ms": call_ms, "bare_ms": bare_ms,
                        "ratio": call_ms / bare_ms if bare_ms else None})
        print(f"  {query.name:<38} {query.variant:<8} {call_ms:9.1f} ms  bare {bare_ms or 0:9.1f} ms", flush=True)
    return results


# -- pages -----------------------------------------------------------------------------------------
NEUTRAL_PAGE = "pages/guide.py"  # visited between the sign-in run and the page, so no filter key is left over


def _texts(at) -> str:
    """The page's words, and the choice each select box shows (a page may name its Congress only there)."""
    return "\n".join(str(e.value) for kind in (at.title, at.subheader, at.markdown, at.caption, at.info,
                                               at.selectbox) for e in kind)


def shown_wrongly(at, query: dict) -> list[str]:
    """What the page does not show of what was asked: each filter in the URL must be the value of its
    widget, and a Congress and year named in the URL must be written on the page. A run that fails this is
    not timed (a benchmark of the default view under a filter's name would be a lie)."""
    if at.exception:
        return [f"exception: {str(at.exception[0].value)[:200]}"]
    problems = []
    for key, asked in query.items():
        if key not in at.session_state:
            problems.append(f"{key}: no such filter on the page")
            continue
        held = at.session_state[key]
        if isinstance(asked, list) or isinstance(held, list | tuple):
            wanted = {str(v) for v in (asked if isinstance(asked, list) else [asked])}
            if {str(v) for v in held} != wanted:
                problems.append(f"{key}: asked {sorted(wanted)}, the page holds {held!r}")
        elif str(held) != str(asked):
            problems.append(f"{key}: asked {asked!r}, the page holds {held!r}")
    if "congress" in query and "year" in query:
        text_shown = _texts(at)
        if str(query["year"]) not in text_shown or query["congress"] not in text_shown:
            problems.append(f"the page does not name {query['congress']} and {query['year']}")
    return problems


def write_as_another_user(url: str) -> str:
    """One submission through the service, as a user other than the one viewing: what the next view of
    every page meets in reporting season. Returns what was written."""
    from bench.generate import ADMIN_USER
    from db.engine import make_engine
    from db.models import Component, Congress, Resolution
    from services import activity_reports
    from services.users import actor_for

    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as s:
        actor = actor_for(session=s, username=ADMIN_USER)
        congress = os.environ.get("RT_BENCH_WRITE_CONGRESS", "WCC-2020")  # --write-congress
        resolution = s.scalar(select(Resolution.id).join(Congress, Congress.id == Resolution.congress_id)
                              .where(Congress.code == congress, Resolution.status == "active")
                              .order_by(Resolution.number))
        component = s.scalar(select(Component.id).order_by(Component.id))
        data = activity_reports.ActivityInput(
            component_id=component, resolution_ids=[resolution], title="Benchmark write",
            description="A submission made by the benchmark between two views.", action_types=["Field activities"],
            action_status="On-going", period_start=date.today().replace(month=1, day=1), period_end=date.today(),
            scope_global=True)
        report = activity_reports.submit(session=s, actor=actor, data=data, today=date.today())
        s.commit()
    engine.dispose()
    return f"Activity Report {report.id} submitted by {ADMIN_USER}"


def page_worker(url: str, page: str, runs: int, query: dict) -> dict:
    """Runs in its own process: sign in, visit a neutral page, open the page (first), again with an empty
    st.cache_data (cold), rerun it (warm), then once more after another user's write (after_write). Each
    timed run must show what was asked (shown_wrongly) or it is reported as an error."""
    os.environ.update(DATABASE_URL=url, RT_COOKIE_KEY=COOKIE_KEY)
    os.environ.pop("RT_DEMO", None)
    import pandas  # noqa: F401  (libraries load once per server process: not part of a page's run)
    import plotly.express  # noqa: F401
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.generate import PASSWORD
    from tests.pages.apptest import session_token
    from ui.auth import SESSION_KEY

    at = AppTest.from_file(APP, default_timeout=600)
    at.session_state[SESSION_KEY] = session_token(USER, PASSWORD)
    started = time.perf_counter()
    at.run()  # sign-in lands on the overview: engine up, schema checked, navigation registered
    startup = time.perf_counter() - started
    at.switch_page(NEUTRAL_PAGE)
    at.run()
    at.switch_page(page)
    for key, value in query.items():
        at.query_params[key] = value
    errors: list[str] = []

    def timed() -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        at.run()
        seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
        errors.extend(problem for problem in shown_wrongly(at, query) if problem not in errors)
        return seconds, cpu_s

    first, _ = timed()  # the first visit also imports what the page needs, once per server process
    st.cache_data.clear()
    cold, cold_cpu = timed()
    warm = [timed() for _ in range(runs)]
    written = write_as_another_user(url)
    after_write, after_write_cpu = timed()
    seconds = sorted(w[0] for w in warm)
    return {"startup_s": startup, "first_s": first, "cold_s": cold, "warm_s": statistics.median(seconds),
            "warm_p95_s": seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))], "cold_cpu_s": cold_cpu,
            "warm_cpu_s": statistics.median(w[1] for w in warm), "warm_max_s": seconds[-1],
            "after_write_s": after_write, "after_write_cpu_s": after_write_cpu, "written": written,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "errors": errors, "title": [t.value for t in at.title][:1]}


def time_page(url: str, page: str, runs: int, query: dict, timeout: float = 600) -> dict:
    command = [sys.executable, "-m", "bench.run", "--url", url, "--page", page, "--runs", str(runs),
               "--query", json.dumps(query)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"errors": [f"no answer within {timeout:.0f} s"]}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        return {"errors": [(done.stderr or done.stdout)[-500:]]}
    return json.loads(lines[-1])


# -- report ----------------------------------------------------------------------------------------
def _machine(engine) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    with engine.connect() as conn:
        server = conn.exec_driver_sql("SELECT version()" if engine.dialect.name == "postgresql"
                                      else "SELECT 'SQLite ' || sqlite_version()").scalar()
    return [f"{cpu}, {os.cpu_count()} cores, {memory} GB RAM; {platform.system()} {platform.release()}",
            f"Python {platform.python_version()}; {server.split(' on ')[0]}"]


def _counts(engine) -> str:
    from db.models import ActivityReport, ActivityReportResolution, ProgressReport, Resolution

    with Session(engine) as s:
        n = [s.scalar(select(func.count()).select_from(m)) for m in
             (Resolution, ActivityReport, ActivityReportResolution, ProgressReport)]
    return (f"{n[0]:,} Resolutions, {n[1]:,} Activity Reports ({n[2]:,} Resolution links), "
            f"{n[3]:,} Progress Reports")


def report(label: str, url: str, machine: list[str], counts: str, queries: list[dict], pages: list[dict],
           load: str = "") -> str:
    backend = make_url(url).get_backend_name()
    lines = [f"# Benchmark {label}", "", f"- Data: {counts} ({backend})", *[f"- Machine: {m}" for m in machine[:1]],
             f"- Software: {machine[1]}", f"- Load average (1 min) at start and end: {load}", f"- Run on {date.today().isoformat()} with "
             f"`.venv/bin/python -m bench.run --url <{backend} URL> --label {label}`", ""]
    if pages:
        lines += ["## Pages (AppTest, full server-side run, signed in as Secretariat)", "",
                  "First: the first visit in a fresh server process, after a neutral page (imports the page's "
                  "modules; caches empty). Cold: a run with st.cache_data emptied (modules loaded). Warm: median "
                  "(and p95) of the reruns. After write: the next run after another user submitted an Activity "
                  "Report through the service. Every timed run showed what was asked (each URL filter held by "
                  "its widget, the Congress and year written on the page), or the row says error. "
                  f"Targets: after a write under {TARGET_AFTER_WRITE_S:g} s, warm under {TARGET_WARM_S:g} s, "
                  f"peak memory under {MEMORY_LIMIT_MB} MB.", "",
                  "CPU: the app process's own CPU time for the same runs (all threads; on SQLite it includes "
                  "the queries, on PostgreSQL the server's work is not in it), which the load of other work on "
                  "the machine does not inflate.", "",
                  "| page | filters | first (s) | cold (s) | warm (s) | warm p95 (s) | after write (s) | cold CPU (s) "
                  "| warm CPU (s) | peak RSS (MB) | targets |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for p in pages:
            if p.get("errors"):
                lines.append(f"| {p['page']} | {p['filters']} | error | | | | | | | | {p['errors'][0][:160]} |")
                continue
            ok = (p["after_write_s"] < TARGET_AFTER_WRITE_S and p["warm_s"] < TARGET_WARM_S
                  and p["peak_rss_mb"] < MEMORY_LIMIT_MB)
            lines.append(f"| {p['page']} | {p['filters']} | {p['first_s']:.2f} | {p['cold_s']:.2f} | {p['warm_s']:.2f} | "
                         f"{p['warm_p95_s']:.2f} | {p['after_write_s']:.2f} | {p['cold_cpu_s']:.2f} | "
                         f"{p['warm_cpu_s']:.2f} | {p['peak_rss_mb']:.0f} | {'met' if ok else '**missed**'} |")
        lines.append("")
    if queries:
        lines += ["## Analytics queries", "",
                  "Median of the runs after one warm-up, each in a fresh session. Bare SQL: the minimal "
                  "GROUP BY statement(s) answering the same question, run through the same connection.", "",
                  "| query | filter | query (ms) | bare SQL (ms) | ratio |", "|---|---|---:|---:|---:|"]
        for q in queries:
            bare = "—" if q["bare_ms"] is None else f"{q['bare_ms']:.1f}"
            ratio = "—" if q["ratio"] is None else f"{q['ratio']:.1f}"
            lines.append(f"| {q['query']} | {q['variant']} | {q['ms']:.1f} | {bare} | {ratio} |")
        lines.append("")
    return "\n".join(lines)


def json_records(queries: list[dict], pages: list[dict]) -> list[dict]:
    """One record per page x filter x mode (first, cold, warm, after_write), and one per query x filter."""
    records = []
    for p in pages:
        common = {"page": p["page"], "filters": p["filters"], "rss_mb": round(p.get("peak_rss_mb", 0), 1),
                  "errors": p.get("errors", [])}
        for mode in ("first", "cold", "warm", "after_write"):
            if f"{mode}_s" in p:
                records.append(common | {"mode": mode, "seconds": round(p[f"{mode}_s"], 4),
                                         "p95": round(p["warm_p95_s"], 4) if mode == "warm" else None})
    for q in queries:
        records.append({"query": q["query"], "filters": q["variant"], "mode": "query",
                        "seconds": round(q["ms"] / 1000, 5),
                        "bare_seconds": None if q["bare_ms"] is None else round(q["bare_ms"] / 1000, 5),
                        "ratio": None if q["ratio"] is None else round(q["ratio"], 2)})
    return records


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time analytics queries and dashboard pages.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--label", help="e.g. 100k-sqlite: names bench/results-<label>.md")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--page-timeout", type=float, default=600, help="seconds for one page's process")
    parser.add_argument("--json", type=Path, help="also write the results as JSON records to this file")
    parser.add_argument("--write-congress", default="WCC-2020",
                        help="the Congress of the Resolution the after-write step reports on (issue 13: a write on "
                             "another Congress than the page's leaves its figures cached)")
    parser.add_argument("--page", help=argparse.SUPPRESS)  # internal: run one page in this process
    parser.add_argument("--query", default="{}", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.page:
        print(json.dumps(page_worker(args.url, args.page, args.runs, json.loads(args.query))))
        return
    os.environ["RT_BENCH_WRITE_CONGRESS"] = args.write_congress  # read by the page processes' write step

    from db.engine import make_engine

    engine = make_engine(args.url)
    machine, counts, load_start = _machine(engine), _counts(engine), os.getloadavg()[0]
    print(counts, flush=True)
    queries = [] if args.skip_queries else time_queries(engine, args.runs)
    pages = []
    if not args.skip_pages:
        for page in args.pages:
            for name, query in (("none", {}), ("narrow", PAGE_FILTERS.get(page))):
                if query is None:
                    continue
                result = time_page(args.url, page, args.runs, query, args.page_timeout) | {
                    "page": page, "filters": "none" if not query else
                    "&".join(f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in query.items())}
                pages.append(result)
                print(f"  {page:<26} {name:<7} " + (f"cold {result['cold_s']:.2f} s  warm {result['warm_s']:.2f} s  "
                      f"after write {result['after_write_s']:.2f} s  "
                      f"(cpu {result['cold_cpu_s']:.2f} / {result['warm_cpu_s']:.2f})  "
                      f"peak {result['peak_rss_mb']:.0f} MB" if not result["errors"]
                      else f"error {result['errors']}"), flush=True)
    engine.dispose()
    load = f"{load_start:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    text_out = report(args.label or "unlabelled", args.url, machine, counts, queries, pages, load)
    print(text_out)
    if args.label:
        (ROOT / "bench" / f"results-{args.label}.md").write_text(text_out + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(json_records(queries, pages), indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
