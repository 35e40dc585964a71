"""The demo data set: deterministic (same seed, same data), realistic enough for every page and chart.

Real codes and titles come from db/reference/resolutions_sample.csv; every other title is plainly
labelled "[Placeholder]". Members are fictional organisations. All sentences are our own.
"""

import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportParagraph,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    OperativeParagraph,
    ProgressReport,
    ProgressReportComponent,
    ProgressReportParagraph,
    ProgressReportRevision,
    ProgressReportSource,
    ReminderRule,
    ReportingDeadline,
    Resolution,
    ResolutionTarget,
    ResolutionTheme,
    ReviewComment,
    Theme,
    User,
    UserComponent,
    UserRole,
)
from db.reminder_defaults import DEFAULT_RULES, default_wording
from db.security import hash_password

SEED = 2026
CURRENT_YEAR = 2026
REFERENCE = Path(__file__).resolve().parent / "reference"

# username, password, display name, roles, components (by acronym or name)
DEMO_ACCOUNTS = (
    ("reporter", "Demo-Reporter-2026", "Rosa Reporter", ("reporter",),
     ("SSC", "Andean Highlands Conservation Trust")),
    ("focal", "Demo-Focal-2026", "Farid Focal", ("focal_point",), ("PPU",)),
    ("secretariat", "Demo-Secretariat-2026", "Sara Secretariat", ("secretariat",), ("PPU",)),
    ("leader", "Demo-Leader-2026", "Lena Leader", ("leadership",), ("Council",)),
    ("admin", "Demo-Admin-2026", "Adam Admin", ("admin",), ()),
)

# Congress code -> (count, last Resolution number; the rest are Recommendations). The split between
# Resolutions and Recommendations is inferred from the codes seen in the reference data.
DEMO_CONGRESSES = {
    "WCC-2000": (104, 80),
    "WCC-2004": (118, 80),
    "WCC-2012": (183, 137),
    "WCC-2016": (112, 97),
    "WCC-2020": (137, 132),
    "WCC-2025": (148, 120),
}
# Which years each Congress' Resolutions are reported on.
REPORTING_YEARS = {
    "WCC-2016": range(2017, 2021),
    "WCC-2020": range(2021, 2026),
    "WCC-2025": range(2026, 2027),
}

MEMBERS = (
    ("Andean Highlands Conservation Trust", "Meso and South America", "Peru"),
    ("Sahel Drylands Alliance", "Africa", "Niger"),
    ("Great Lakes Wetland Society", "Africa", "Uganda"),
    ("Coral Triangle Reef Guardians", "South and East Asia", "Indonesia"),
    ("Mekong Freshwater Network", "South and East Asia", "Cambodia"),
    ("Nordic Seabird Foundation", "West Europe", "Norway"),
    ("Iberian Lynx Friends", "West Europe", "Spain"),
    ("Carpathian Forest Council", "East Europe, North and Central Asia", "Romania"),
    ("Steppe Wildlife Fund", "East Europe, North and Central Asia", "Kazakhstan"),
    ("Gulf Mangrove Initiative", "West Asia", "Oman"),
    ("Levant Nature Society", "West Asia", "Lebanon"),
    ("Pacific Islands Ocean Trust", "Oceania", "Fiji"),
    ("Outback Rangers Association", "Oceania", "Australia"),
    ("Boreal Watershed Alliance", "North America and the Caribbean", "Canada"),
    ("Caribbean Sea Turtle Network", "North America and the Caribbean", "Jamaica"),
    ("Amazon Indigenous Stewardship Forum", "Meso and South America", "Brazil"),
)
COMMITTEES = (
    ("National Committee", "IUCN National Committee of France", "West Europe", "France"),
    ("National Committee", "IUCN National Committee of the Netherlands", "West Europe", "Netherlands"),
    ("National Committee", "Canadian Committee for IUCN", "North America and the Caribbean", "Canada"),
    ("National Committee", "IUCN National Committee of Kenya", "Africa", "Kenya"),
    ("National Committee", "IUCN National Committee of Japan", "South and East Asia", "Japan"),
    ("Regional Committee", "IUCN Oceania Regional Committee", "Oceania", None),
    ("Regional Committee", "IUCN Mesoamerican Regional Committee", "Meso and South America", None),
    ("Regional Committee", "IUCN West Asia Regional Committee", "West Asia", None),
)
FOCAL_POINTS = (
    ("amina.okafor", "Amina Okafor"), ("bruno.keller", "Bruno Keller"), ("chen.li", "Chen Li"),
    ("diego.ramirez", "Diego Ramírez"), ("eva.lindqvist", "Eva Lindqvist"), ("omar.haddad", "Omar Haddad"),
)

# Placeholder topics: (theme, topic under it, phrase)
TOPICS = (
    ("Oceans", "Marine and coastal ecosystems", "coral reefs"),
    ("Oceans", "Marine and coastal ecosystems", "mangroves and coastal wetlands"),
    ("Oceans", "Fisheries", "small-scale fisheries"),
    ("Oceans", "Marine and coastal ecosystems", "marine protected areas on the high seas"),
    ("Land", "Species conservation", "migratory birds"),
    ("Land", "Species conservation", "great apes"),
    ("Land", "Species conservation", "wildlife trade"),
    ("Land", "Protected and conserved areas", "protected area effectiveness"),
    ("Land", "Forests", "primary forests"),
    ("Land", "Forests", "forest landscape restoration"),
    ("Water", "Freshwater and wetlands", "river basins"),
    ("Water", "Freshwater and wetlands", "peatlands"),
    ("Water", "Freshwater and wetlands", "freshwater species"),
    ("Climate", "Nature-based solutions", "nature-based solutions to climate change"),
    ("Climate", "Nature-based solutions", "climate adaptation of ecosystems"),
    ("Climate", None, "carbon-rich ecosystems"),
    ("People", "Rights and equity", "the rights of indigenous peoples"),
    ("People", "Rights and equity", "gender equality in conservation"),
    ("People", "IUCN governance", "the motions process"),
    ("People", "IUCN governance", "National and Regional Committees"),
    ("People", None, "environmental education for young people"),
)
# The global goals a demo Resolution is tagged with (issue 18), by its words (title or placeholder phrase) and
# its topic; every one also gets its Nature 2030 area. Rules, not chance, so the rest of the data set is unchanged.
GOALS_BY_WORD = (
    ("protected area", ("KMGBF-T3", "SDG-15.1")), ("high seas", ("KMGBF-T3", "SDG-14.5")),
    ("conserved area", ("KMGBF-T3",)), ("restor", ("KMGBF-T2", "SDG-15.3")),
    ("species", ("KMGBF-T4", "SDG-15.5")), ("birds", ("KMGBF-T4", "SDG-15.5")),
    ("great apes", ("KMGBF-T4", "SDG-15.5")), ("trade", ("KMGBF-T5", "SDG-15.7")),
    ("invasive", ("KMGBF-T6", "SDG-15.8")), ("pollution", ("KMGBF-T7", "SDG-14.1")),
    ("plastic", ("KMGBF-T7", "SDG-14.1")), ("climate", ("KMGBF-T8", "SDG-13.1")),
    ("carbon", ("KMGBF-T8", "SDG-13.2")), ("fisher", ("KMGBF-T10", "SDG-14.4")),
    ("forest", ("KMGBF-T10", "SDG-15.2")), ("coral", ("KMGBF-T8", "SDG-14.2")),
    ("mangrove", ("KMGBF-T2", "SDG-14.2")), ("ocean", ("SDG-14",)), ("marine", ("SDG-14.2",)),
    ("deep-sea", ("KMGBF-T1", "SDG-14.2")), ("mining", ("KMGBF-T15",)), ("river", ("KMGBF-T11", "SDG-6.6")),
    ("wetland", ("KMGBF-T2", "SDG-6.6")), ("peatland", ("KMGBF-T8", "SDG-15.1")),
    ("freshwater", ("KMGBF-T11", "SDG-6.6")), ("nature-based", ("KMGBF-T11", "SDG-13.1")),
    ("indigenous", ("KMGBF-T22",)), ("gender", ("KMGBF-T23", "SDG-5.5")), ("education", ("KMGBF-T21", "SDG-4.7")),
    ("young people", ("KMGBF-T22",)), ("urban", ("KMGBF-T12", "SDG-11.7")), ("cities", ("KMGBF-T12", "SDG-11.7")),
    ("finance", ("KMGBF-T19", "SDG-15.a")), ("business", ("KMGBF-T15", "SDG-12.6")),
)
GOALS_BY_TOPIC = {
    "Protected and conserved areas": ("KMGBF-T3", "SDG-15.1"), "Species conservation": ("KMGBF-T4", "SDG-15"),
    "Forests": ("SDG-15.2",), "Marine and coastal ecosystems": ("SDG-14",), "Fisheries": ("SDG-14.4",),
    "Freshwater and wetlands": ("SDG-6.6",), "Nature-based solutions": ("KMGBF-T8", "SDG-13"),
    "Rights and equity": ("KMGBF-T22",), "IUCN governance": ("SDG-17.17",),
}
VERBS = ("Strengthening the conservation of", "Protecting", "Restoring", "Halting the loss of",
         "Securing long-term funding for", "Improving the governance of", "Monitoring")
KEYWORDS = {  # real titles -> Nature 2030 area
    "ocean": "Oceans", "marine": "Oceans", "seabed": "Oceans", "fisher": "Oceans", "porpoise": "Oceans",
    "eel": "Water", "freshwater": "Water", "wetland": "Water", "amazon": "Land", "forest": "Land",
    "tiger": "Land", "hornbill": "Land", "giraff": "Land", "ivory": "Land", "birds": "Land",
    "island": "Land", "climate": "Climate", "indigenous": "People", "resolutions": "People",
    "committee": "People", "synthetic": "People", "unesco": "Land", "haenyeo": "Oceans",
    "gotjawal": "Land", "crater": "Land", "hubs": "People", "precautionary": "People",
    "pacific": "Oceans", "gender": "People", "ceesp": "People",
}
CHALLENGE_TEXT = {
    "Funding": "Dedicated funding was not available, so activities depended on short project grants.",
    "Staff capacity": "Too few staff could be assigned to follow up the Resolution alongside other work.",
    "Political will": "Several governments gave the issue low priority in the period.",
    "Data and knowledge gaps": "Baseline data to measure change were missing in several countries.",
    "Coordination between components": "Commissions, Members and the Secretariat worked in parallel "
                                       "with little exchange.",
    "Legal and policy framework": "National laws did not yet provide the tools the Resolution calls for.",
    "Conflicting economic interests": "Competing land and sea uses slowed agreement with key sectors.",
    "Security and access": "Insecurity limited access to some field sites.",
    "Pandemic disruption": "Travel restrictions postponed meetings and field work.",
}
SOLUTION_TEXT = {  # what a focal point proposes for each kind of obstacle (the yearly analysis gathers them)
    "Funding": "Include the Resolution in project proposals to the main donors.",
    "Staff capacity": "Share the follow-up between the regional offices and the Commission.",
    "Political will": "Brief the national delegations ahead of the next intergovernmental meeting.",
    "Data and knowledge gaps": "Agree a common baseline and indicator set with the Commission experts.",
    "Coordination between components": "Set up a working group of the components involved, meeting twice a year.",
    "Legal and policy framework": "Offer technical support to governments drafting the relevant laws.",
    "Conflicting economic interests": "Open a dialogue with the sectors concerned through the business programme.",
    "Security and access": "Work through local partners and remote sensing where sites cannot be reached.",
    "Pandemic disruption": "Move meetings online and reschedule field work.",
}
# Operative paragraphs of a few demo Resolutions (issue 18), in our own words (not the official texts): number,
# addressee, text. Marseille's Resolution 122 first, so "which of its paragraphs has nobody acted on" has an
# answer; the others get the generic set.
PARAGRAPHS_122 = (
    ("1", "Members", "Calls on Members to support a moratorium on deep-seabed mining until its environmental, "
                     "social and economic risks are understood and the marine environment is effectively "
                     "protected."),
    ("2", "States", "Urges States to adopt rules for the deep ocean founded on the precautionary principle."),
    ("3", "Third parties", "Calls on companies and financial institutions not to fund or undertake deep-seabed "
                           "mining while the moratorium lasts."),
    ("4a", "Director General", "Asks the Director General to share IUCN's science on deep-sea ecosystems with "
                               "the International Seabed Authority and its members."),
    ("4b", "Commissions", "Asks the Commissions to assess what is not yet known about deep-sea biodiversity and "
                          "how mining would affect it."),
)
PARAGRAPHS_GENERIC = (
    ("1", "Director General", "Requests the Director General to lead IUCN's work under this Resolution and to "
                              "report on it to each Congress."),
    ("2", "Commissions", "Asks the Commissions to bring together the best available science on the subject of "
                         "this Resolution."),
    ("3", "Members", "Calls on Members to take part in this work in their own countries and regions."),
    ("4", "States", "Urges States to reflect this Resolution in their national policies and plans."),
)
PARAGRAPH_RESOLUTIONS = ("WCC-2020-Res-122", "WCC-2020-Res-001", "WCC-2020-Res-002", "WCC-2020-Res-010",
                         "WCC-2025-Res-001", "WCC-2016-Res-001")
# Of each set, the paragraphs the demo's Activity Reports address in turn (the others: nobody is working on them).
ADDRESSED = {"WCC-2020-Res-122": ("1", "4a")}
ADDRESSED_GENERIC = ("1", "2", "3")

# Other wordings of each obstacle, as different reporters write it, so "What the reports say" (issue 18) finds
# groups of varied texts rather than nine repeated sentences.
CHALLENGE_VARIANTS = {
    "Funding": ("Our grant ended mid-year and no donor has yet committed funding to continue.",
                "The budget for field work was cut; we relied on volunteers and small donations."),
    "Staff capacity": ("The project officer left and the post stayed vacant for six months.",
                       "Our small team could not cover the workload alongside its other projects."),
    "Political will": ("After the elections the new government put the issue aside.",
                       "Ministries showed little interest and the policy dialogue stalled."),
    "Data and knowledge gaps": ("There is no monitoring system, so we cannot show what changed.",
                                "Species and habitat data are out of date in most of the region."),
    "Coordination between components": ("Several partners ran similar activities without knowing of each other.",
                                        "We had no forum to share plans with the Commission and regional offices."),
    "Legal and policy framework": ("The draft law has been waiting for parliament's approval for two years.",
                                   "Regulations are weakly enforced, so protected areas exist mostly on paper."),
    "Conflicting economic interests": ("Mining and agriculture concessions overlap the areas to be protected.",
                                       "Fishing companies opposed the proposed closures."),
    "Security and access": ("Armed conflict made the field sites unsafe for our teams.",
                            "Road access to the sites was cut during the rainy season."),
    "Pandemic disruption": ("Lockdowns stopped community meetings for most of the year.",
                            "Field missions were cancelled because of the pandemic restrictions."),
}


def challenge_wording(category: str, turn: int) -> str:
    """One of the wordings of an obstacle (CHALLENGE_TEXT's, then its variants), chosen by `turn`."""
    wordings = (CHALLENGE_TEXT[category], *CHALLENGE_VARIANTS[category])
    return wordings[turn % len(wordings)]


ACTION_TITLES = {
    "Capacity-building": "Training workshop for {who} on {topic}",
    "Convene stakeholders/Networking": "Stakeholder dialogue on {topic}",
    "Education/Communication/Raising awareness": "Public awareness campaign on {topic}",
    "Field activities": "Field surveys and restoration work on {topic}",
    "Fundraising": "Funding proposal to scale up work on {topic}",
    "Policy influencing/advocacy": "Policy brief and advocacy with governments on {topic}",
    "Scientific/technical activities": "Technical assessment of {topic}",
}


@dataclass
class _Meta:
    area: str
    topic: str | None
    phrase: str
    congress: str


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _sample_titles() -> dict[str, str]:
    with open(REFERENCE / "resolutions_sample.csv", encoding="utf-8", newline="") as handle:
        return {r["code"]: r["title"] for r in csv.DictReader(handle)}


def has_demo_accounts(session: Session) -> bool:
    names = [a[0] for a in DEMO_ACCOUNTS]
    return session.exec(select(User.id).where(User.username.in_(names))).first() is not None


def load_demo_data(engine: Engine, *, password_rounds: int = 12) -> None:
    """Fill an empty database (reference data already loaded) with the demo data set."""
    with transaction(engine) as session:
        if has_demo_accounts(session):
            return
        _Demo(session, password_rounds).build()


class _Demo:
    def __init__(self, session: Session, password_rounds: int):
        self.s = session
        self.rng = random.Random(SEED)
        self.rounds = password_rounds
        self.themes = {t.name: t for t in session.exec(select(Theme))}
        self.congresses = {c.code: c for c in session.exec(select(Congress))}
        self.meta: dict[str, _Meta] = {}
        # Nothing is dated after the build (issue 11, item 9): on a clock earlier than the data's own dates,
        # those stamps become this hour (a clock past CURRENT_YEAR keeps the data set as it is).
        self.latest = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)

    def _at(self, day: date, days_later: int = 0) -> datetime:
        return min(_at(day) + timedelta(days=days_later), self.latest)

    def build(self) -> None:
        self.components = self._components()
        self.users, self.reporters_by_component = self._users()
        self.resolutions = self._resolutions()
        self._goal_tags()
        self._assignments()
        self._deadlines()
        self._reports()
        self._returned_example()
        self._paragraphs()

    # -- components and people -----------------------------------------------------------------
    def _components(self) -> dict[str, Component]:
        for name, region, country in MEMBERS:
            self.s.add(Component(kind="Member", name=name, region=region, country=country))
        for kind, name, region, country in COMMITTEES:
            self.s.add(Component(kind=kind, name=name, region=region, country=country))
        self.s.flush()
        components = {}
        for c in self.s.exec(select(Component)):
            components[c.name] = c
            if c.acronym:
                components[c.acronym] = c
        return components

    def _user(self, username, name, roles, components, password=None) -> User:
        if not password:
            self.rng.random()  # once drew an unusable password: keeps the demo data set as it was
        user = User(username=username, display_name=name, email=f"{username}@demo.iucn.invalid",
                    password_hash=hash_password(password, self.rounds) if password else None)
        self.s.add(user)
        self.s.flush()
        for role in roles:
            self.s.add(UserRole(user_id=user.id, role=role))
        for key in components:
            self.s.add(UserComponent(user_id=user.id, component_id=self.components[key].id))
        return user

    def _users(self):
        users = {}
        for username, password, name, roles, components in DEMO_ACCOUNTS:
            users[username] = self._user(username, name, roles, components, password)
        for username, name in FOCAL_POINTS:
            users[username] = self._user(username, name, ("focal_point",), ("PPU",))
        reporters: dict[int, list[User]] = {}
        for acronym in ("SSC", "Andean Highlands Conservation Trust"):
            reporters.setdefault(self.components[acronym].id, []).append(users["reporter"])
        seen = set()
        for key, component in self.components.items():
            if component.id in seen or component.kind == "Council":
                continue
            seen.add(component.id)
            if component.id in reporters:
                continue
            slug = (component.acronym or component.name.split()[0]).lower()
            user = self._user(f"fp.{slug}.{component.id}", f"Focal point, {component.acronym or component.name}",
                              ("reporter",), (key,))
            reporters[component.id] = [user]
        return users, reporters

    # -- the register ----------------------------------------------------------------------------
    def _resolutions(self) -> list[Resolution]:
        real = _sample_titles()
        resolutions = []
        for code, (count, last_res) in DEMO_CONGRESSES.items():
            congress = self.congresses[code]
            for number in range(1, count + 1):
                kind = "Resolution" if number <= last_res else "Recommendation"
                rcode = f"{code}-{vocab.RESOLUTION_KIND_CODES[kind]}-{number:03d}"
                area, topic, phrase = self.rng.choice(TOPICS)
                title = real.get(rcode)
                if title:
                    lowered = title.lower()
                    area = next((a for k, a in KEYWORDS.items() if k in lowered), area)
                    topic = None
                else:
                    title = f"[Placeholder] {self.rng.choice(VERBS)} {phrase}"
                status, archived_on = "active", None
                if congress.year <= 2012 and self.rng.random() < 0.7:
                    status, archived_on = "archived", date(2019, 3, 15)
                elif congress.year == 2016 and self.rng.random() < 0.08:
                    status, archived_on = "archived", date(2024, 3, 20)
                resolution = Resolution(code=rcode, number=number, kind=kind, title=title,
                                        congress_id=congress.id, status=status, archived_on=archived_on,
                                        updated_at=self._at(congress.end_date or date(congress.year, 12, 31)))
                self.meta[rcode] = _Meta(area, topic, phrase, code)
                resolutions.append(resolution)
        self.s.add_all(resolutions)
        self.s.flush()
        for r in resolutions:
            m = self.meta[r.code]
            names = {m.area} | ({m.topic} if m.topic else set())
            if self.rng.random() < 0.2:
                names.add(self.rng.choice(("People", "Climate")))
            for name in sorted(names):
                self.s.add(ResolutionTheme(resolution_id=r.id, theme_id=self.themes[name].id))
        return resolutions

    def _goal_tags(self) -> None:
        for r in self.resolutions:
            m = self.meta[r.code]
            words = r.title.lower()  # a placeholder title holds its phrase
            codes = {f"N2030-{m.area.upper()}", *GOALS_BY_TOPIC.get(m.topic or "", ())}
            for word, targets in GOALS_BY_WORD:
                if word in words:
                    codes.update(targets)
            self.s.add_all(ResolutionTarget(resolution_id=r.id, target_code=c) for c in sorted(codes))

    def _assignments(self) -> None:
        focal_users = [self.users["focal"]] + [self.users[u] for u, _ in FOCAL_POINTS]
        self.focal_of: dict[int, User] = {}
        for r in self.resolutions:
            if self.meta[r.code].congress not in REPORTING_YEARS:
                continue
            mine = self.meta[r.code].congress in ("WCC-2025", "WCC-2020") and r.number % 9 == 1
            if not mine and self.rng.random() < 0.04:
                continue  # left unassigned: the Secretariat sees it flagged
            chosen = [self.users["focal"]] if mine else [self.rng.choice(focal_users[1:])]
            if self.rng.random() < 0.12:
                extra = self.rng.choice(focal_users[1:])
                if extra not in chosen:
                    chosen.append(extra)
            since = self.congresses[self.meta[r.code].congress].end_date + timedelta(days=60)
            for user in chosen:
                self.s.add(FocalPointAssignment(resolution_id=r.id, user_id=user.id, since=since))
            self.focal_of[r.id] = chosen[0]

    def _deadlines(self) -> None:
        for year in range(2017, CURRENT_YEAR + 1):
            self.s.add(ReportingDeadline(year=year, due_on=date(year, 12, 15)))
        # The default reminder rules (issue 15); production adds them with `python -m services.reminders
        # install-defaults`.
        for audience, days in DEFAULT_RULES:
            self.s.add(ReminderRule(days=days, audience=audience, wording=default_wording(audience, days),
                                    updated_at=self._at(date(CURRENT_YEAR, 1, 15))))

    # -- reports -------------------------------------------------------------------------------
    def _reports(self) -> None:
        statuses = vocab.IMPLEMENTATION_STATUSES
        secretariat = self.users["secretariat"]
        component_ids = sorted(self.reporters_by_component)
        weights = [self._weight(cid) for cid in component_ids]
        for r in self.resolutions:
            years = REPORTING_YEARS.get(self.meta[r.code].congress)
            if not years:
                continue
            level = self.rng.choice((0, 1, 1, 1, 2))
            for year in years:
                activities = self._activities(r, year, component_ids, weights)
                level = min(level + (self.rng.random() < 0.45), len(statuses) - 1)
                if r.status == "archived" and year >= 2020:
                    level = len(statuses) - 1
                author = self.focal_of.get(r.id)
                if author is None:
                    continue
                current = year == CURRENT_YEAR
                roll = self.rng.random()
                if not current and roll < (0.25 if year < 2019 else 0.15):
                    continue  # no Progress Report that year
                if current and roll < 0.3:
                    continue
                state = "published"
                if current:
                    state = "draft" if roll < 0.5 else "in_review" if roll < 0.65 else "published"
                self._progress_report(r, year, statuses[level], state, author, secretariat, activities)

    def _returned_example(self) -> None:
        """The demo reporter finds one report sent back with a comment."""
        mine = self.s.exec(
            select(ActivityReport)
            .where(ActivityReport.author_id == self.users["reporter"].id, ActivityReport.state == "submitted",
                   ActivityReport.locked == False)  # noqa: E712
            .order_by(ActivityReport.submitted_at.desc())
        ).first()
        if mine is None:
            return
        mine.state = "returned"
        self.s.add(ReviewComment(
            target_kind="activity_report", target_id=mine.id, author_id=self.users["focal"].id,
            action="returned", created_at=min(mine.updated_at + timedelta(days=3), self.latest),
            body="Thank you. Could you add the number of people trained and the partner organisations?",
        ))

    def _paragraphs(self) -> None:
        """A few Resolutions' operative paragraphs; their submitted Activity Reports address some of them in
        turn, and their published Progress Reports give the addressed ones the report's status (no random draw:
        the rest of the data set stays as it was)."""
        by_code = {r.code: r for r in self.resolutions}
        for code in PARAGRAPH_RESOLUTIONS:
            r = by_code.get(code)
            if r is None:
                continue
            texts = PARAGRAPHS_122 if code == "WCC-2020-Res-122" else PARAGRAPHS_GENERIC
            rows = {number: OperativeParagraph(resolution_id=r.id, number=number, position=i, addressee=addressee,
                                               text=text, updated_at=r.updated_at)
                    for i, (number, addressee, text) in enumerate(texts, start=1)}
            self.s.add_all(rows.values())
            self.s.flush()
            addressed = ADDRESSED.get(code, ADDRESSED_GENERIC)
            reports = self.s.exec(
                select(ActivityReport.id).join(ActivityReportResolution)
                .where(ActivityReportResolution.resolution_id == r.id, ActivityReport.state == "submitted")
                .order_by(ActivityReport.id)).all()
            for i, report_id in enumerate(reports):
                self.s.add(ActivityReportParagraph(activity_report_id=report_id,
                                                   paragraph_id=rows[addressed[i % len(addressed)]].id))
            if not reports:
                continue
            published = self.s.exec(select(ProgressReport).where(ProgressReport.resolution_id == r.id,
                                                                 ProgressReport.state == "published")).all()
            for report in published:
                statuses = {rows[n].id: report.published_status for n in addressed}
                self.s.add_all(ProgressReportParagraph(progress_report_id=report.id, paragraph_id=pid, status=st)
                               for pid, st in statuses.items())
                revision = self.s.exec(select(ProgressReportRevision).where(
                    ProgressReportRevision.progress_report_id == report.id,
                    ProgressReportRevision.revision == report.revision)).one()
                revision.content = {**revision.content,
                                    "paragraph_statuses": {str(pid): st for pid, st in sorted(statuses.items())}}
                self.s.add(revision)
        self.s.flush()

    def _weight(self, component_id: int) -> float:
        kind = next(c.kind for c in self.components.values() if c.id == component_id)
        return {"Commission": 4, "Secretariat": 3, "Member": 2}.get(kind, 1)

    def _activities(self, r, year, component_ids, weights) -> list[ActivityReport]:
        made = []
        for _ in range(self.rng.choice((0, 1, 1, 2, 2, 3, 4))):
            component_id = self.rng.choices(component_ids, weights)[0]
            author = self.rng.choice(self.reporters_by_component[component_id])
            types = self.rng.sample(vocab.ACTION_TYPES, self.rng.choice((1, 1, 2, 3)))
            start = date(year, self.rng.randint(1, 9), 1)
            end = start + timedelta(days=self.rng.randint(60, 300))
            completed = self.rng.random() < 0.45
            component = next(c for c in self.components.values() if c.id == component_id)
            submitted = self._at(min(end, date(year, 11, 20)))
            state = "submitted"
            if year == CURRENT_YEAR and self.rng.random() < 0.2:
                state = "draft"
            report = ActivityReport(
                component_id=component_id, author_id=author.id,
                title=ACTION_TITLES[types[0]].format(topic=self.meta[r.code].phrase,
                                                     who=component.acronym or "members"),
                description=f"{component.name} carried out this work to implement {r.code} in {year}. "
                            f"It focused on {self.meta[r.code].phrase} and involved {len(types)} kind(s) of action.",
                action_status="Completed" if completed and end < date(CURRENT_YEAR, 11, 1) else "On-going",
                period_start=start, period_end=end,
                scope_global=component.region is None,
                scope_regions=[component.region] if component.region else [],
                scope_countries=[component.country] if component.country else [],
                partners="Local communities; national agencies" if self.rng.random() < 0.6 else None,
                results=f"Work on {self.meta[r.code].phrase} moved forward in {year}.",
                # the same draw as one of CHALLENGE_TEXT, worded as one of its variants (no extra draw: the data stay)
                challenges=challenge_wording(self.rng.choice(list(CHALLENGE_TEXT)), r.number + year)
                if self.rng.random() < 0.5 else None,
                links=[f"https://example.org/reports/{r.code.lower()}-{year}"] if self.rng.random() < 0.3 else [],
                state=state,
                # the Commissions agree to show their reports on the public site (no draw: the data stay the same)
                shown_publicly=component.kind == "Commission",
                created_at=self._at(start), updated_at=submitted,
                submitted_at=submitted if state == "submitted" else None,
            )
            self.s.add(report)
            self.s.flush()
            self.s.add(ActivityReportResolution(activity_report_id=report.id, resolution_id=r.id))
            for t in types:
                self.s.add(ActivityReportActionType(activity_report_id=report.id, action_type=t))
            if state == "submitted":
                made.append(report)
        return made

    def _progress_report(self, r, year, status, state, author, secretariat, activities) -> None:
        categories = self.rng.sample(vocab.CHALLENGE_CATEGORIES, self.rng.choice((0, 1, 1, 2, 3)))
        if year in (2020, 2021) and self.rng.random() < 0.5 and "Pandemic disruption" not in categories:
            categories.append("Pandemic disruption")
        content = {
            "summary": f"In {year}, implementation of {r.code} on {self.meta[r.code].phrase} was {status.lower()}. "
                       f"{len(activities)} Activity Report(s) were received.",
            "results": f"Progress on {self.meta[r.code].phrase} was documented by the components involved.",
            "challenges": " ".join(CHALLENGE_TEXT[c] for c in categories) or None,
            "solutions": " ".join(SOLUTION_TEXT[c] for c in categories) or None,
        }
        # Past years: written by 1 December, published on the 10th. This year's were sent in over the last
        # days of November, after their sources (received by the 20th), on different days so the review
        # queue has an oldest, and published two days later: all before 1 December 2026.
        day, published_day = (date(year, 11, 21) + timedelta(days=r.number % 8), 2) if year == CURRENT_YEAR else \
            (date(year, 12, 1), 9)
        updated, published_on = self._at(day), self._at(day, published_day)
        published = state == "published"
        report = ProgressReport(
            resolution_id=r.id, year=year, author_id=author.id, status=status,
            challenge_categories=categories, state=state, revision=1 if published else 0,
            published_status=status if published else None,
            published_at=published_on if published else None,
            created_at=self._at(date(year, 10, 1)), updated_at=updated, **content,
        )
        self.s.add(report)
        self.s.flush()
        for a in activities:
            self.s.add(ProgressReportSource(progress_report_id=report.id, activity_report_id=a.id))
            if published:
                a.locked = True
        for cid in sorted({a.component_id for a in activities}):
            self.s.add(ProgressReportComponent(progress_report_id=report.id, component_id=cid))
        if published:
            self.s.add(ProgressReportRevision(
                progress_report_id=report.id, revision=1, status=status,
                content=content | {"challenge_categories": categories},
                published_by=secretariat.id, published_at=report.published_at,
            ))
        elif state == "draft" and self.rng.random() < 0.15:
            self.s.add(ReviewComment(
                target_kind="progress_report", target_id=report.id, author_id=secretariat.id,
                action="returned", created_at=updated,
                body="Please say which components were involved and add the results of the field work.",
            ))
