"""Every form's service fed every control-character payload and 1 MB of text in each of its text fields, on
SQLite and PostgreSQL (issue 12, "characters that crash"): ValidationFailed on that very field, and nothing
written, not even flushed: the row counts of every table, audit_event included, are the same inside the
service's own transaction right after the refusal. On PostgreSQL this proves no raw DataError ("cannot
contain NUL", "value too long for type character varying") gets through. Look-ups and searches given the
same values answer "not found" or an empty result. Ordinary text (accents, right-to-left text with its
direction marks, tabs and line breaks in multi-line fields) is stored exactly as typed.

Each refusal test asserts how many inputs it tried; the module's total is TOTAL_TRIED."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from db.models import ActivityReport, Component, ProgressReport, User, YearlyAnalysis
from db.settings import Settings
from services import (
    access_requests,
    accounts,
    activity_reports,
    components,
    my_account,
    progress_reports,
    register,
    yearly_analysis,
)
from services import assignments as assignments_svc
from services.errors import NotFound, ValidationFailed
from tests import factories as f
from tests.payloads import CONTROL, HUGE_TEXT, ORDINARY

HOSTILE = CONTROL + (HUGE_TEXT,)
ONE_LINE_ORDINARY = tuple(p for p in ORDINARY if "\n" not in p and "\t" not in p)
CODE = "WCC-2020-Res-001"
TODAY = date(2026, 6, 15)
YEAR = date.today().year
SETTINGS = Settings(database_url="sqlite://", demo_mode=True, cookie_key="k" * 20,
                    public_url="https://tracker.example.org")


def counts(session: Session) -> dict[str, int]:
    """Rows in every table, as this session sees them (its own flushed writes included), in one query."""
    tables = SQLModel.metadata.sorted_tables
    row = session.exec(select(*[select(func.count()).select_from(t).scalar_subquery() for t in tables])).one()
    return dict(zip((t.name for t in tables), row))


def refused(engine, call, field: str) -> None:
    """`call(session)` raises ValidationFailed with a message on `field`, having written nothing."""
    with Session(engine, expire_on_commit=False) as s:
        before = counts(s)
        with pytest.raises(ValidationFailed) as caught:
            call(s)
        assert caught.value.for_field(field), (field, str(caught.value)[:300])
        long = [(e.field, e.message[:120]) for e in caught.value.errors if len(e.message) >= 400]
        assert not long, long  # a message, not the value echoed back
        assert counts(s) == before  # not even flushed: no row, no audit event
        s.rollback()


def accepted(engine, call):
    """`call(session)` succeeds and writes at least one audit event (the harness really reaches the write)."""
    with Session(engine, expire_on_commit=False) as s:
        before = counts(s)
        result = call(s)
        after = counts(s)
        s.commit()
    assert after["audit_event"] > before["audit_event"]
    return result


def sets(name: str, as_list: bool = False):
    """The change putting a payload in field `name` (in a one-item list for a multiple choice)."""
    return lambda value: {name: [value] if as_list else value}


def run(engine, fields: dict, make_call) -> int:
    """Every hostile payload in every field; returns how many inputs were tried."""
    tried = 0
    for field, changes in fields.items():
        for payload in HOSTILE:
            refused(engine, make_call(changes(payload)), field)
            tried += 1
    return tried


# -- the world ------------------------------------------------------------------------------------------
@pytest.fixture
def w(engine):
    with Session(engine, expire_on_commit=False) as s:
        mine = f.component(s, "Andes Trust")
        res1 = f.resolution(s, 1, title="Protecting coral reefs")
        users = {
            "rosa": f.user(s, "rosa", ("reporter",), (mine,)),
            "fay": f.user(s, "fay", ("focal_point",)),
            "sam": f.user(s, "sam", ("secretariat",)),
            "ada": f.user(s, "ada", ("admin",)),
        }
        f.assign(s, res1, users["fay"])
        draft = f.activity_report(s, mine, users["rosa"], (res1,), state="draft", title="A draft")
        sent = f.activity_report(s, mine, users["rosa"], (res1,), title="A submitted one")
        in_review = f.progress_report(s, res1, users["fay"], year=2025, state="in_review")
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    with Session(engine, expire_on_commit=False) as s:
        request = access_requests.submit_request(session=s, email="jane@example.org", name="Jane Doe",
                                                 component_id=mine.id, role="reporter", message="Please")
        s.commit()
    return {"engine": engine, "mine": mine.id, "res1": res1.id, "draft": draft.id, "sent": sent.id,
            "in_review": in_review.id, "request": request.id, **actors}


# -- Activity Reports -----------------------------------------------------------------------------------
def activity_input(w, **changes) -> activity_reports.ActivityInput:
    data = activity_reports.ActivityInput(
        component_id=w["mine"], resolution_ids=[w["res1"]], title="Reef workshops",
        description="Three workshops.", action_types=["Capacity-building"], action_status="Completed",
        period_start=date(2026, 1, 10), period_end=date(2026, 3, 1), scope_countries=["Peru"],
        partners="Ministry", results="60 trained", challenges="Funding", support_needed="Trainers",
        links=["https://example.org/reefs"])
    return replace(data, **changes)


ACTIVITY_FIELDS = {
    **{name: sets(name) for name in activity_reports.TEXT_FIELDS},
    "links": lambda v: {"links": ["https://example.org/" + v]},
    "scope": lambda v: {"scope_countries": [v], "scope_regions": [v]},
    "action_types": sets("action_types", as_list=True),
    "action_status": sets("action_status"),
}


@pytest.mark.parametrize("how", ["new draft", "submit", "change a draft"])
def test_activity_report_forms_refuse_every_hostile_value(w, how):
    fn = activity_reports.submit if how == "submit" else activity_reports.save_draft
    where = {"report_id": w["draft"], "version": 1} if how == "change a draft" else {}

    def make_call(changes):
        return lambda s: fn(session=s, actor=w["rosa"], data=activity_input(w, **changes), today=TODAY, **where)

    assert run(w["engine"], ACTIVITY_FIELDS, make_call) == 10 * len(HOSTILE)
    accepted(w["engine"], make_call({}))


def test_returning_an_activity_report_refuses_a_hostile_comment(w):
    for payload in HOSTILE:
        refused(w["engine"], lambda s, p=payload: activity_reports.return_report(
            session=s, actor=w["sam"], report_id=w["sent"], comment=p, version=1), "comment")
    accepted(w["engine"], lambda s: activity_reports.return_report(
        session=s, actor=w["sam"], report_id=w["sent"], comment="Please add\tthe figures.\nThanks", version=1))


def test_activity_report_keeps_ordinary_text_exactly(w):
    for title, text in zip(ONE_LINE_ORDINARY * 2, ORDINARY + ORDINARY[:3]):
        data = activity_input(w, title=title, description=text, partners=text, results=text, challenges=text,
                              support_needed=text)
        report = accepted(w["engine"], lambda s, d=data: activity_reports.save_draft(session=s, actor=w["rosa"],
                                                                                     data=d))
        with Session(w["engine"]) as s:
            row = s.get(ActivityReport, report.id)
            assert row.title == title
            assert (row.description, row.partners, row.results, row.challenges, row.support_needed) == (text,) * 5


# -- Progress Reports -----------------------------------------------------------------------------------
def progress_input(**changes) -> progress_reports.ProgressInput:
    data = progress_reports.ProgressInput(status="Underway", summary="Work under way.", results="Two laws.",
                                          challenges="Funding.", solutions="A donor round.",
                                          challenge_categories=["Funding"])
    return replace(data, **changes)


PROGRESS_FIELDS = {
    **{name: sets(name) for name in progress_reports.TEXT_FIELDS},
    "status": sets("status"),
    "challenge_categories": sets("challenge_categories", as_list=True),
}


@pytest.mark.parametrize("submit", [False, True], ids=["save draft", "submit for review"])
def test_progress_report_forms_refuse_every_hostile_value(w, submit):
    fn = progress_reports.submit_for_review if submit else progress_reports.save_draft

    def make_call(changes):
        return lambda s: fn(session=s, actor=w["fay"], code=CODE, year=YEAR, data=progress_input(**changes))

    assert run(w["engine"], PROGRESS_FIELDS, make_call) == 6 * len(HOSTILE)
    accepted(w["engine"], make_call({}))


def test_returning_a_progress_report_refuses_a_hostile_comment(w):
    for payload in HOSTILE:
        refused(w["engine"], lambda s, p=payload: progress_reports.return_to_draft(
            session=s, actor=w["sam"], report_id=w["in_review"], version=1, comment=p), "comment")
    accepted(w["engine"], lambda s: progress_reports.return_to_draft(
        session=s, actor=w["sam"], report_id=w["in_review"], version=1, comment="Add the\tsources.\nThanks"))


def test_progress_report_keeps_ordinary_text_exactly(w):
    text = "\n\n".join(ORDINARY)
    accepted(w["engine"], lambda s: progress_reports.save_draft(
        session=s, actor=w["fay"], code=CODE, year=YEAR, data=progress_input(summary=text, solutions=ORDINARY[2])))
    with Session(w["engine"]) as s:
        row = s.exec(select(ProgressReport).where(ProgressReport.year == YEAR)).one()
        assert (row.summary, row.solutions) == (text, ORDINARY[2])


# -- the yearly analysis --------------------------------------------------------------------------------
GOOD_NARRATIVE = {"key_messages": "Most Resolutions are underway.", "recommendations": "Fund the follow-up."}


@pytest.mark.parametrize("publish", [False, True], ids=["save draft", "publish"])
def test_yearly_analysis_refuses_every_hostile_section(w, publish):
    fn = yearly_analysis.publish if publish else yearly_analysis.save_draft
    fields = {key: sets(key) for key in yearly_analysis.FIELD_KEYS}

    def make_call(changes):
        return lambda s: fn(session=s, actor=w["sam"], congress="WCC-2020", year=2024,
                            narrative=GOOD_NARRATIVE | changes, version=None)

    assert run(w["engine"], fields, make_call) == 7 * len(HOSTILE)
    for payload in HOSTILE:  # the Congress code, as a URL could carry it
        refused(w["engine"], lambda s, p=payload: fn(session=s, actor=w["sam"], congress=p, year=2024,
                                                     narrative=GOOD_NARRATIVE, version=None), "congress")
    accepted(w["engine"], make_call({"status": ORDINARY[4]}))
    with Session(w["engine"]) as s:
        assert s.exec(select(YearlyAnalysis)).one().narrative["draft"]["status"] == ORDINARY[4]


# -- access requests ------------------------------------------------------------------------------------
def test_access_request_forms_refuse_every_hostile_value(w):
    def submit(changes):
        values = {"email": "lee@example.org", "name": "Lee", "component_id": w["mine"], "role": "reporter",
                  "message": "I report for the Andes Trust."} | changes
        return lambda s: access_requests.submit_request(session=s, **values)

    tried = run(w["engine"], {"message": sets("message"), "email": sets("email"), "role": sets("role")}, submit)

    def approve(changes):
        values = {"username": "jane", "roles": ["reporter"], "component_ids": [w["mine"]], "note": "Welcome"} | changes
        return lambda s: access_requests.approve(session=s, actor=w["ada"], request_id=w["request"],
                                                 settings=SETTINGS, **values)

    tried += run(w["engine"], {"note": sets("note"), "username": sets("username"),
                               "roles": sets("roles", as_list=True)}, approve)
    tried += run(w["engine"], {"note": sets("note")}, lambda changes: lambda s: access_requests.decline(
        session=s, actor=w["ada"], request_id=w["request"], settings=SETTINGS, **changes))
    assert tried == 7 * len(HOSTILE)
    accepted(w["engine"], submit({"message": ORDINARY[4]}))
    accepted(w["engine"], approve({"note": ORDINARY[2]}))


# -- my account -----------------------------------------------------------------------------------------
def test_my_account_refuses_every_hostile_value_and_keeps_a_right_to_left_name(w):
    def make_call(changes):
        values = {"display_name": "Rosa Ruiz", "email": "rosa.ruiz@example.org", "language": "en"} | changes
        return lambda s: my_account.update_profile(session=s, actor=w["rosa"], **values)

    fields = {name: sets(name) for name in ("display_name", "email", "language")}
    assert run(w["engine"], fields, make_call) == 3 * len(HOSTILE)
    accepted(w["engine"], make_call({"display_name": ORDINARY[2]}))
    with Session(w["engine"]) as s:
        assert s.get(User, w["rosa"].id).display_name == ORDINARY[2]


# -- organisations and users ----------------------------------------------------------------------------
COMPONENT = {"kind": "Member", "name": "Coral Alliance", "acronym": "CA", "region": "Oceania", "country": "Fiji"}


@pytest.mark.parametrize("how", ["create", "update"])
def test_organisation_forms_refuse_every_hostile_value(w, how):
    def make_call(changes):
        values = COMPONENT | changes
        if how == "create":
            return lambda s: components.create_component(session=s, actor=w["ada"], **values)
        return lambda s: components.update_component(session=s, actor=w["ada"], component_id=w["mine"], **values)

    fields = {name: sets(name) for name in COMPONENT}
    assert run(w["engine"], fields, make_call) == 5 * len(HOSTILE)
    row = accepted(w["engine"], make_call({"name": ONE_LINE_ORDINARY[1], "country": "Côte d’Ivoire"}))
    with Session(w["engine"]) as s:
        assert (s.get(Component, row.id).name, s.get(Component, row.id).country) == (ONE_LINE_ORDINARY[1],
                                                                                       "Côte d’Ivoire")


@pytest.mark.parametrize("how", ["create", "update"])
def test_user_forms_refuse_every_hostile_value(w, how, monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 4)

    def make_call(changes):
        values = {"username": "nina", "display_name": "Nina Nkosi", "email": "nina@example.org",
                  "roles": ["reporter"], "components": [w["mine"]]} | changes
        if how == "create":
            return lambda s: accounts.create_user(session=s, actor=w["ada"], settings=SETTINGS, **values)
        values.pop("username")
        return lambda s: accounts.update_user(session=s, actor=w["ada"], user_id=w["rosa"].id, **values)

    names = ("username", "display_name", "email", "roles") if how == "create" else ("display_name", "email", "roles")
    fields = {name: sets(name, as_list=name == "roles") for name in names}
    assert run(w["engine"], fields, make_call) == len(names) * len(HOSTILE)
    user = accepted(w["engine"], make_call({"display_name": ORDINARY[2]}))  # direction marks are not control
    with Session(w["engine"]) as s:
        assert s.get(User, user.id).display_name == ORDINARY[2]


# -- focal point assignments (the page's part; the file import is tested with the imports) ----------------
def test_assigning_a_focal_point_refuses_every_hostile_username(w):
    for payload in HOSTILE:
        refused(w["engine"], lambda s, p=payload: assignments_svc.assign(session=s, actor=w["sam"], code=CODE,
                                                                         usernames=[p]), "users")
    with Session(w["engine"]) as s:
        for payload in HOSTILE:  # the Resolution, as a URL could carry it
            with pytest.raises(NotFound):
                assignments_svc.assign(session=s, actor=w["sam"], code=payload, usernames=["sam"])


# -- look-ups and searches ------------------------------------------------------------------------------
def test_look_ups_and_searches_never_crash_on_hostile_values(w):
    """A code, username or search text with a NUL (or 1 MB) is "not found" or matches nothing."""
    not_found = {
        "resolution detail": lambda s, p: register.resolution_detail(session=s, code=p),
        "archive a Resolution": lambda s, p: register.set_resolution_status(session=s, actor=w["sam"], code=p,
                                                                             status="active"),
        "open a Progress Report": lambda s, p: progress_reports.open_report(session=s, actor=w["fay"], code=p,
                                                                            year=YEAR),
        "save a Progress Report": lambda s, p: progress_reports.save_draft(session=s, actor=w["fay"], code=p,
                                                                           year=YEAR, data=progress_input()),
        "unassign": lambda s, p: assignments_svc.unassign(session=s, actor=w["sam"], code=CODE, username=p),
        "read an analysis": lambda s, p: yearly_analysis.read_analysis(session=s, actor=w["sam"], congress=p,
                                                                       year=2024),
    }
    searches = {
        "register search": lambda s, p: register.search_resolutions(session=s, flt=register.RegisterFilter(q=p)),
        "Resolution picker": lambda s, p: activity_reports.resolution_options(session=s, q=p),
        "users search": lambda s, p: accounts.search_users(session=s, actor=w["ada"], text=p),
        "organisations search": lambda s, p: components.search_components(session=s, actor=w["ada"], text=p),
    }
    tried = 0
    with Session(w["engine"]) as s:
        for payload in HOSTILE:
            for call in not_found.values():
                with pytest.raises(NotFound):
                    call(s, payload)
                tried += 1
            for name, call in searches.items():
                assert len(call(s, payload)) == 0, name
                tried += 1
            assert access_requests.pending_for(session=s, email=payload) is None
            tried += 1
        # the same searches do find with ordinary words, so the check above is not empty by construction
        assert len(register.search_resolutions(session=s, flt=register.RegisterFilter(q="coral\x00"))) == 1
        assert len(activity_reports.resolution_options(session=s, q="coral")) == 1
    assert tried == 11 * len(HOSTILE)


# Every input tried by the refusal and look-up tests above, on each database (for the note).
TOTAL_TRIED = len(HOSTILE) * (
    10 * 3 + 1  # Activity Report: new draft, submit, change a draft; return comment
    + 6 * 2 + 1  # Progress Report: save, submit; return comment
    + (7 + 1) * 2  # yearly analysis: seven sections and the Congress, save and publish
    + 7  # access request: submit, approve, decline
    + 3  # my account
    + 5 * 2  # organisation: create, update
    + 4 + 3  # user: create, update
    + 2  # focal point assignment: username, Resolution code
    + 11  # look-ups and searches
)
