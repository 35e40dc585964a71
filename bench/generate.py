"""Fill an empty database with realistic data at a given scale, fast and deterministically.

    .venv/bin/python -m bench.generate --url sqlite:////tmp/bench100k.db \
        --activity-reports 100000 --progress-reports 15000

What it writes: the reference data (all 27 Congresses, themes, Commissions, Secretariat units) through
the normal migrations and loader; 1,614 Resolutions spread over the Congresses like the real register
(the known adopted counts, the remainder over the General Assemblies and the two Congresses without a
figure); a few hundred Members and Committees with one reporter each; Secretariat focal points and their
assignments; N Activity Reports (1-3 Resolutions, 1-3 action types each) over 2017-2026; M Progress
Reports over 2017-2026 with statuses that move along the scale, challenge categories, sources and
published revisions. Same seed, same data.

Rows are written in big batches straight through the driver (COPY on PostgreSQL, executemany on
SQLite), with values converted by SQLAlchemy's own bind processors so they read back like rows the
app wrote. Sign in to the generated data as bench.secretariat, bench.leader or bench.admin
(password Bench-Password-2026).
"""

import argparse
import bisect
import itertools
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import bcrypt
from sqlalchemy import JSON, func, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db import vocab
from db.demo import ACTION_TITLES, CHALLENGE_TEXT, TOPICS, VERBS
from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.models import Component, Congress, Resolution, Theme
from db.reference_data import load_reference_data

SEED = 2026
YEARS = tuple(range(2017, 2027))
CURRENT_YEAR = YEARS[-1]
TOTAL_RESOLUTIONS = 1614  # 1,466 up to Marseille 2020 and 148 at Abu Dhabi 2025
PASSWORD = "Bench-Password-2026"
SECRETARIAT_USER, LEADER_USER, ADMIN_USER = "bench.secretariat", "bench.leader", "bench.admin"
BATCH = 50_000
FOCAL_POINTS = 40

# How often each challenge category is named (Funding the most common obstacle, as in real reports).
CHALLENGE_WEIGHTS = {
    "Funding": 10, "Staff capacity": 7, "Political will": 5, "Data and knowledge gaps": 4,
    "Coordination between components": 4, "Legal and policy framework": 3,
    "Conflicting economic interests": 3, "Security and access": 1, "Pandemic disruption": 1,
}
# Activity Reports by kind of component: Commissions and the Secretariat report most per body.
KIND_WEIGHTS = {"Commission": 40, "Secretariat": 12, "Regional Committee": 4, "National Committee": 3,
                "Member": 1, "Other": 1}
YEAR_WEIGHTS = dict(zip(YEARS, (6, 7, 8, 8, 9, 10, 11, 12, 13, 8), strict=True))  # 2026 is under way
COUNTRIES = {
    "Africa": ("Kenya", "Senegal", "South Africa", "Uganda", "Cameroon"),
    "Meso and South America": ("Brazil", "Peru", "Costa Rica", "Colombia", "Chile"),
    "North America and the Caribbean": ("Canada", "United States of America", "Jamaica", "Cuba"),
    "South and East Asia": ("India", "Indonesia", "Japan", "Viet Nam", "Philippines"),
    "West Asia": ("Jordan", "Oman", "Lebanon", "United Arab Emirates"),
    "Oceania": ("Australia", "Fiji", "New Zealand", "Samoa"),
    "West Europe": ("France", "Spain", "Switzerland", "Norway", "Germany"),
    "East Europe, North and Central Asia": ("Romania", "Kazakhstan", "Georgia", "Poland"),
}
MEMBER_WORDS = ("Wildlife", "Nature", "Wetland", "Forest", "Ocean", "River", "Mountain", "Savanna",
                "Coastal", "Island", "Grassland", "Biodiversity")
MEMBER_KINDS = ("Trust", "Society", "Foundation", "Alliance", "Network", "Institute", "Association")


@dataclass(eq=False)  # compared by identity
class Res:
    id: int
    code: str
    congress_year: int
    archived_year: int | None
    areas: tuple[int, ...]
    phrase: str
    weight: float


@dataclass
class Slot:
    """A planned Progress Report."""
    id: int
    resolution: Res
    year: int
    status: str
    state: str
    author_id: int
    sources: list[tuple[int, int]] = field(default_factory=list)  # (activity report, component)


# -- writing ---------------------------------------------------------------------------------------
class Sink:
    """Bulk writes through the driver: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.pg = engine.dialect.name == "postgresql"
        self.raw = engine.raw_connection()
        self.counts: dict[str, int] = {}
        if not self.pg:
            self.raw.execute("PRAGMA synchronous=OFF")

    def _converters(self, table: str, columns: list[str]) -> list[Callable | None]:
        cols = SQLModel.metadata.tables[table].c
        dialect = self.engine.dialect
        out = []
        for name in columns:
            kind = cols[name].type
            if self.pg:  # psycopg adapts dates, times and booleans; JSON goes as its text
                out.append(json.dumps if isinstance(kind, JSON) else None)
            else:
                out.append(kind.dialect_impl(dialect).bind_processor(dialect))
        return out

    def write(self, table: str, columns: list[str], rows: Iterable[tuple]) -> None:
        converters = self._converters(table, columns)
        if any(converters):
            rows = (tuple(v if c is None or v is None else c(v) for c, v in zip(converters, r, strict=True))
                    for r in rows)
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.raw.cursor()
        n = 0
        if self.pg:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
                    n += 1
        else:
            marks = ", ".join("?" for _ in columns)
            statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            for chunk in _chunks(rows, BATCH):
                cursor.executemany(statement, chunk)
                n += len(chunk)
        cursor.close()
        self.counts[table] = self.counts.get(table, 0) + n

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def resolution_counts(congresses: list[Congress], total: int = TOTAL_RESOLUTIONS) -> dict[str, int]:
    """The known adopted counts; the remainder shared by the Congresses without a figure (the two
    World Conservation Congresses weigh like five early General Assemblies, later ones like two)."""
    counts = {c.code: c.adopted_count for c in congresses if c.adopted_count}
    rest = total - sum(counts.values())
    weights = {c.code: 5 if c.kind == "World Conservation Congress" else 2 if c.year >= 1972 else 1
               for c in congresses if c.code not in counts}
    shares = {code: rest * w / sum(weights.values()) for code, w in weights.items()}
    floors = {code: int(s) for code, s in shares.items()}
    left = rest - sum(floors.values())
    for code in sorted(shares, key=lambda c: floors[c] - shares[c])[:left]:  # largest remainders
        floors[code] += 1
    return counts | floors


# -- the data set --------------------------------------------------------------------------------
class Generator:
    def __init__(self, engine: Engine, *, activity_reports: int, progress_reports: int, members: int,
                 seed: int, log: Callable[[str], None]):
        self.engine, self.n_activity, self.n_progress, self.n_members = (
            engine, activity_reports, progress_reports, members)
        self.rng = random.Random(seed)
        self.log = log
        self.sink = Sink(engine)

    def run(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            self.congresses = list(conn.execute(select(Congress).order_by(Congress.year)).all())
            self.themes = {t.name: t for t in conn.execute(select(Theme)).all()}
            self.components = [c for c in conn.execute(select(Component).order_by(Component.id)).all()]
        steps = (self._resolutions, self._components, self._users, self._assignments, self._plan_progress,
                 self._activity_reports, self._progress_reports, self._extras)
        for step in steps:
            started = time.perf_counter()
            step()
            self.log(f"  {step.__name__.strip('_'):<18} {time.perf_counter() - started:6.1f} s")
        self.sink.commit()
        self.sink.close()
        return self.sink.counts

    # -- the register -------------------------------------------------------------------------
    def _resolutions(self) -> None:
        counts = resolution_counts(self.congresses)
        areas = {name: t.id for name, t in self.themes.items() if t.parent_id is None}
        rows, links, self.resolutions = [], [], []
        rid = 0
        for congress in self.congresses:
            n = counts[congress.code]
            last_resolution = round(n * 0.8)
            for number in range(1, n + 1):
                rid += 1
                kind = "Resolution" if number <= last_resolution else "Recommendation"
                code = f"{congress.code}-{vocab.RESOLUTION_KIND_CODES[kind]}-{number:03d}"
                area, topic, phrase = self.rng.choice(TOPICS)
                archive_share = 0.8 if congress.year <= 2004 else 0.4 if congress.year <= 2012 else (
                    0.08 if congress.year == 2016 else 0)
                archived_on = None
                if self.rng.random() < archive_share:
                    archived_on = date(2019, 3, 15) if congress.year < 2016 else date(2024, 3, 20)
                adopted = congress.end_date or date(congress.year, 12, 31)
                rows.append((rid, code, number, kind, f"[Benchmark] {self.rng.choice(VERBS)} {phrase}",
                             congress.id, "archived" if archived_on else "active", archived_on,
                             f"Benchmark Resolution on {phrase}." if self.rng.random() < 0.5 else None,
                             _at(adopted)))
                themes = {self.themes[area].id} | ({self.themes[topic].id} if topic else set())
                if self.rng.random() < 0.2:
                    themes.add(areas[self.rng.choice(("People", "Climate"))])
                links += [(rid, t) for t in sorted(themes)]
                weight = {2025: 6, 2020: 6, 2016: 4, 2012: 2}.get(congress.year, 1)
                self.resolutions.append(Res(rid, code, congress.year, archived_on.year if archived_on else None,
                                            tuple(sorted(themes)), phrase, weight))
        self.sink.write("resolution", ["id", "code", "number", "kind", "title", "congress_id", "status",
                                       "archived_on", "summary", "updated_at"], rows)
        self.sink.write("resolution_theme", ["resolution_id", "theme_id"], links)

    def _components(self) -> None:
        next_id = max(c.id for c in self.components) + 1
        rows = []
        regions = vocab.IUCN_REGIONS
        for i in range(self.n_members):
            region = regions[i % len(regions)]
            country = self.rng.choice(COUNTRIES[region])
            name = (f"{self.rng.choice(MEMBER_WORDS)} {self.rng.choice(MEMBER_KINDS)} of {country} "
                    f"(bench member {i + 1:04d})")
            rows.append((next_id + i, "Member", name, None, region, country))
        next_id += self.n_members
        for region, countries in COUNTRIES.items():
            rows.append((next_id, "Regional Committee", f"IUCN {region} Regional Committee (bench)", None,
                         region, None))
            next_id += 1
            for country in countries[:3]:
                rows.append((next_id, "National Committee", f"IUCN National Committee of {country} (bench)",
                             None, region, country))
                next_id += 1
        self.sink.write("component", ["id", "kind", "name", "acronym", "region", "country", "active"],
                        [(*r, True) for r in rows])
        self.components += [Component(id=r[0], kind=r[1], name=r[2], region=r[4], country=r[5]) for r in rows]

    def _users(self) -> None:
        password_hash = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
        by_acronym = {c.acronym: c.id for c in self.components if c.acronym}
        users, roles, memberships = [], [], []
        created = _at(date(2016, 1, 4))

        def add(username: str, name: str, role: str, component_id: int | None) -> int:
            uid = len(users) + 1
            users.append((uid, username, name, f"{username}@bench.iucn.invalid", password_hash, True, "en",
                          created))
            roles.append((uid, role))
            if component_id:
                memberships.append((uid, component_id))
            return uid

        self.secretariat_id = add(SECRETARIAT_USER, "Bench Secretariat", "secretariat", by_acronym["PPU"])
        add(LEADER_USER, "Bench Leader", "leadership", by_acronym["Council"])
        add(ADMIN_USER, "Bench Admin", "admin", None)
        self.focal_ids = [add(f"bench.focal.{i:02d}", f"Focal point {i:02d}", "focal_point", by_acronym["PPU"])
                          for i in range(1, FOCAL_POINTS + 1)]
        self.reporters: dict[int, list[int]] = {}
        for c in self.components:
            if c.kind == "Council":
                continue
            extra = 3 if c.kind in ("Commission", "Secretariat") else 1
            self.reporters[c.id] = [add(f"bench.reporter.{c.id}.{k}", f"Reporter {k} of {c.name}"[:120],
                                        "reporter", c.id) for k in range(1, extra + 1)]
        self.sink.write("app_user", ["id", "username", "display_name", "email", "password_hash", "active",
                                     "language", "created_at"], users)
        self.sink.write("user_role", ["user_id", "role"], roles)
        self.sink.write("user_component", ["user_id", "component_id"], memberships)
        kinds = {c.id: c.kind for c in self.components}
        self.component_ids = sorted(self.reporters)
        self.component_cum = list(itertools.accumulate(KIND_WEIGHTS[kinds[c]] for c in self.component_ids))

    def _assignments(self) -> None:
        rows, self.focal_of = [], {}
        for r in self.resolutions:
            chosen = [self.rng.choice(self.focal_ids)]
            if self.rng.random() < 0.12:
                extra = self.rng.choice(self.focal_ids)
                if extra != chosen[0]:
                    chosen.append(extra)
            since = date(max(r.congress_year + 1, YEARS[0]), 1, 15)
            rows += [(len(rows) + k + 1, r.id, uid, since) for k, uid in enumerate(chosen)]
            self.focal_of[r.id] = chosen[0]
        self.sink.write("focal_point_assignment", ["id", "resolution_id", "user_id", "since"], rows)
        self.sink.write("reporting_deadline", ["year", "due_on"], [(y, date(y, 12, 15)) for y in YEARS])

    # -- Progress Reports: planned first, so Activity Reports can be cited as they are made -------------
    def _plan_progress(self) -> None:
        """One Progress Report per (Resolution, year). Years after the Congress come first; only a scale
        beyond them (15,000 exceeds the 14,260 such pairs) reaches back to the years just before it."""
        after = [(r, y) for r in self.resolutions for y in YEARS if y > r.congress_year]
        before = [(r, y) for r in self.resolutions for y in YEARS if y <= r.congress_year]
        self.rng.shuffle(after)
        self.rng.shuffle(before)
        before.sort(key=lambda pair: pair[0].congress_year - pair[1])
        chosen = (after + before)[: self.n_progress]
        if len(chosen) < self.n_progress:
            raise SystemExit(f"At most {len(chosen)} Progress Reports fit (one per Resolution and year).")
        years_of: dict[int, list[int]] = {}
        for r, y in chosen:
            years_of.setdefault(r.id, []).append(y)
        self.slots: dict[tuple[int, int], Slot] = {}
        statuses = vocab.IMPLEMENTATION_STATUSES
        for r in self.resolutions:
            level = self.rng.choice((0, 1, 1, 1, 2))
            for year in sorted(years_of.get(r.id, ())):
                level = min(level + (self.rng.random() < 0.45), len(statuses) - 1)
                if r.archived_year and year >= r.archived_year:
                    level = len(statuses) - 1
                roll = self.rng.random()
                if year == CURRENT_YEAR:
                    state = "draft" if roll < 0.35 else "in_review" if roll < 0.5 else "published"
                else:
                    state = "draft" if roll < 0.03 else "published"
                self.slots[(r.id, year)] = Slot(0, r, year, statuses[level], state, self.focal_of[r.id])
        for i, key in enumerate(sorted(self.slots, key=lambda k: (k[1], k[0])), start=1):
            self.slots[key].id = i

    # -- Activity Reports ----------------------------------------------------------------------
    def _activity_reports(self) -> None:
        pools = {}
        for year in YEARS:
            pool = [r for r in self.resolutions if r.congress_year < year]
            weights = [r.weight * (0.2 if r.archived_year and r.archived_year <= year else 1) for r in pool]
            pools[year] = (pool, list(itertools.accumulate(weights)))
        year_cum = list(itertools.accumulate(YEAR_WEIGHTS.values()))
        columns = ["id", "component_id", "author_id", "title", "description", "action_status", "period_start",
                   "period_end", "scope_global", "scope_regions", "scope_countries", "partners", "results",
                   "challenges", "support_needed", "links", "state", "version", "locked", "created_at",
                   "updated_at", "submitted_at"]
        components = {c.id: c for c in self.components}
        challenge_texts = list(CHALLENGE_TEXT.values())
        self.returned_ids: list[int] = []
        rng = self.rng
        done = 0
        while done < self.n_activity:
            size = min(BATCH, self.n_activity - done)
            reports, links, types = [], [], []
            for aid in range(done + 1, done + size + 1):
                year = YEARS[bisect.bisect(year_cum, rng.random() * year_cum[-1])]
                pool, cum = pools[year]
                picked = []
                for _ in range(rng.choice((1, 1, 1, 1, 1, 2, 2, 3))):
                    r = pool[bisect.bisect(cum, rng.random() * cum[-1])]
                    if r not in picked:
                        picked.append(r)
                cid = self.component_ids[bisect.bisect(self.component_cum, rng.random() * self.component_cum[-1])]
                component = components[cid]
                kinds = rng.sample(vocab.ACTION_TYPES, rng.choice((1, 1, 2, 2, 3)))
                start = date(year, rng.randint(1, 9), rng.randint(1, 28))
                end = start + timedelta(days=rng.randint(30, 330))
                submitted = _at(min(end, date(year, 12, 10)), rng.randint(7, 18))
                roll = rng.random()
                state = "submitted"
                if roll < (0.2 if year == CURRENT_YEAR else 0.01):
                    state = "draft"
                elif roll < (0.25 if year == CURRENT_YEAR else 0.03):
                    state = "returned"
                    self.returned_ids.append(aid)
                locked = False
                slot = self.slots.get((picked[0].id, year))
                if state == "submitted" and slot and len(slot.sources) < 4:
                    slot.sources.append((aid, cid))
                    locked = slot.state == "published"
                phrase = picked[0].phrase
                who = component.acronym or "members"
                reports.append((
                    aid, cid, rng.choice(self.reporters[cid]), ACTION_TITLES[kinds[0]].format(topic=phrase, who=who),
                    f"{component.name} carried out this work to implement {picked[0].code} in {year}. It focused "
                    f"on {phrase} and involved {len(kinds)} kind(s) of action with partners on the ground.",
                    "Completed" if end.year < CURRENT_YEAR and rng.random() < 0.5 else "On-going" if
                    rng.random() < 0.85 else "Planned",
                    start, end, component.region is None,
                    [component.region] if component.region else [],
                    [component.country] if component.country else [],
                    "Local communities; national agencies" if rng.random() < 0.6 else None,
                    f"Work on {phrase} moved forward in {year}.",
                    rng.choice(challenge_texts) if rng.random() < 0.5 else None,
                    "Funding for follow-up work" if rng.random() < 0.2 else None,
                    [f"https://example.org/bench/{aid}"] if rng.random() < 0.3 else [],
                    state, 1, locked, _at(start), submitted, submitted if state != "draft" else None,
                ))
                links += [(aid, r.id) for r in picked]
                types += [(aid, k) for k in kinds]
            self.sink.write("activity_report", columns, reports)
            self.sink.write("activity_report_resolution", ["activity_report_id", "resolution_id"], links)
            self.sink.write("activity_report_action_type", ["activity_report_id", "action_type"], types)
            done += size
            self.log(f"    activity reports {done:>9,}")

    def _progress_reports(self) -> None:
        categories = list(CHALLENGE_WEIGHTS)
        reports, revisions, sources, involved, comments, events = [], [], [], [], [], []
        statuses = vocab.IMPLEMENTATION_STATUSES
        rng = self.rng
        for slot in sorted(self.slots.values(), key=lambda s: s.id):
            weights = [CHALLENGE_WEIGHTS[c] * (8 if c == "Pandemic disruption" and slot.year in (2020, 2021) else 1)
                       for c in categories]
            chosen = []
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
                c = rng.choices(categories, weights)[0]
                if c not in chosen:
                    chosen.append(c)
            phrase = slot.resolution.phrase
            content = {
                "summary": f"In {slot.year}, implementation of {slot.resolution.code} on {phrase} was "
                           f"{slot.status.lower()}. {len(slot.sources)} Activity Report(s) were cited.",
                "results": f"Progress on {phrase} was documented by the components involved.",
                "challenges": " ".join(CHALLENGE_TEXT[c] for c in chosen) or None,
                "solutions": "Continue joint work with Members and Commissions and seek dedicated funding."
                if chosen else None,
            }
            published = slot.state == "published"
            published_at = _at(date(slot.year, 12, 10)) if published else None
            n_revisions = (2 if rng.random() < 0.1 else 1) if published else 0
            reports.append((slot.id, slot.resolution.id, slot.year, slot.author_id, slot.status,
                            content["summary"], content["results"], content["challenges"], content["solutions"],
                            chosen, slot.state, 1 + n_revisions, n_revisions,
                            slot.status if published else None, published_at,
                            _at(date(slot.year, 10, 1)), _at(date(slot.year, 12, 1))))
            for rev in range(1, n_revisions + 1):
                status = slot.status if rev == n_revisions else statuses[max(statuses.index(slot.status) - 1, 0)]
                revisions.append((len(revisions) + 1, slot.id, rev, status,
                                  content | {"challenge_categories": chosen}, self.secretariat_id,
                                  published_at - timedelta(days=n_revisions - rev)))
                events.append((len(events) + 1, published_at - timedelta(days=n_revisions - rev),
                               self.secretariat_id, "publish", "progress_report", str(slot.id), None,
                               {"status": status, "revision": rev}))
            sources += [(slot.id, aid) for aid, _ in slot.sources]
            involved += [(slot.id, cid) for cid in sorted({cid for _, cid in slot.sources})]
            if slot.state == "draft" and rng.random() < 0.15:
                comments.append(("progress_report", slot.id, self.secretariat_id, "returned",
                                 "Please say which components were involved and add the results.",
                                 _at(date(slot.year, 12, 2))))
        self.sink.write("progress_report", [
            "id", "resolution_id", "year", "author_id", "status", "summary", "results", "challenges", "solutions",
            "challenge_categories", "state", "version", "revision", "published_status", "published_at",
            "created_at", "updated_at"], reports)
        self.sink.write("progress_report_revision", ["id", "progress_report_id", "revision", "status", "content",
                                                     "published_by", "published_at"], revisions)
        self.sink.write("progress_report_source", ["progress_report_id", "activity_report_id"], sources)
        self.sink.write("progress_report_component", ["progress_report_id", "component_id"], involved)
        comments += [("activity_report", aid, self.focal_ids[0], "returned",
                      "Thank you. Could you add the number of people trained and the partners?",
                      _at(date(2026, 1, 5))) for aid in self.returned_ids]
        self.sink.write("review_comment", ["id", "target_kind", "target_id", "author_id", "action", "body",
                                           "created_at"], ((i, *c) for i, c in enumerate(comments, start=1)))
        self.sink.write("audit_event", ["id", "at", "user_id", "action", "entity", "entity_id", "before", "after"],
                        events)

    def _extras(self) -> None:
        """The Secretariat's yearly analyses, as the app would hold them."""
        by_code = {c.code: c for c in self.congresses}
        rows = []
        for code, years in (("WCC-2016", range(2017, 2021)), ("WCC-2020", range(2021, 2026)),
                            ("WCC-2025", range(2026, 2027))):
            for year in years:
                published = year < CURRENT_YEAR
                rows.append((len(rows) + 1, by_code[code].id, year,
                             {"summary": f"Benchmark analysis of {code} in {year}."},
                             "published" if published else "draft", 1, self.secretariat_id,
                             _at(date(year, 12, 20)), _at(date(year, 12, 20)) if published else None))
        self.sink.write("yearly_analysis", ["id", "congress_id", "year", "narrative", "state", "version",
                                            "author_id", "updated_at", "published_at"], rows)


# -- entry point ---------------------------------------------------------------------------------
def _reset(url: str) -> None:
    """Start from nothing: delete the SQLite file, or empty the PostgreSQL database's public schema."""
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _finish(engine: Engine) -> None:
    """What a database in service would have: sequences past the rows, statistics, a checkpointed WAL."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in SQLModel.metadata.sorted_tables:
                if "id" in table.c and table.c.id.autoincrement is not False and table.c.id.primary_key:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                      f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{table.name}\"), false)"))
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def generate(url: str, *, activity_reports: int = 100_000, progress_reports: int = 15_000, members: int = 400,
             seed: int = SEED, replace: bool = False, log: Callable[[str], None] = print) -> dict[str, int]:
    """Fill the (empty) database at `url`; returns the rows written per table."""
    if replace:
        _reset(url)
    engine = make_engine(url)
    counts = fill(engine, activity_reports=activity_reports, progress_reports=progress_reports, members=members,
                  seed=seed, log=log)
    engine.dispose()
    return counts


def fill(engine: Engine, *, activity_reports: int, progress_reports: int, members: int = 400, seed: int = SEED,
         log: Callable[[str], None] = print) -> dict[str, int]:
    """Migrate, load the reference data and generate into `engine`'s database, which holds no Resolution."""
    started = time.perf_counter()
    upgrade(engine)
    load_reference_data(engine)
    with engine.connect() as conn:
        if conn.execute(select(func.count()).select_from(Resolution)).scalar():
            raise SystemExit("The database already holds Resolutions: give an empty one (or --replace).")
    counts = Generator(engine, activity_reports=activity_reports, progress_reports=progress_reports,
                       members=members, seed=seed, log=log).run()
    _finish(engine)
    log(f"  total              {time.perf_counter() - started:6.1f} s")
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="database URL (sqlite:////tmp/x.db or postgresql://...)")
    parser.add_argument("--activity-reports", type=int, default=100_000)
    parser.add_argument("--progress-reports", type=int, default=15_000)
    parser.add_argument("--members", type=int, default=400, help="Member organisations to create")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--replace", action="store_true",
                        help="delete the SQLite file or empty the PostgreSQL schema first")
    args = parser.parse_args(argv)
    counts = generate(args.url, activity_reports=args.activity_reports, progress_reports=args.progress_reports,
                      members=args.members, seed=args.seed, replace=args.replace)
    for table, n in counts.items():
        print(f"  {table:<28} {n:>10,}")


if __name__ == "__main__":
    main()
