"""Scoped data versions (issue 13): each kind of write renews exactly the cached reads it can change, on both
databases. A version is services/audit.scoped_version for the scopes a reader names (ui/analytics_readers.py,
ui/coverage_readers.py); the global version (audit.data_version) changes with every write."""

from datetime import date

import pytest
from sqlalchemy import insert
from sqlmodel import Session, select

from db.engine import transaction
from db.models import AuditEvent
from db.scopes import ACCOUNTS, ACTIVITY, PROGRESS, REGISTER, scope_of
from services import activity_reports as ar
from services import audit, register
from services import progress_reports as pr
from services.bulk_write import prepare
from tests import factories as f

A, B = "WCC-2020", "WCC-2016"
FIGURES = (REGISTER, ACTIVITY, PROGRESS)  # ui/analytics_readers.FIGURE_SCOPES
ACTIVITY_FIGURES = (REGISTER, ACTIVITY)  # ui/analytics_readers.ACTIVITY_SCOPES
KEYS = {
    "figures A": (FIGURES, A), "figures B": (FIGURES, B), "figures, every Congress": (FIGURES, None),
    "activity figures A": (ACTIVITY_FIGURES, A), "activity figures B": (ACTIVITY_FIGURES, B),
    "register": ((REGISTER,), None), "accounts": ((ACCOUNTS,), None),
}


@pytest.fixture
def world(engine):
    """A reporter of one component, Resolutions of Congress A (2020) and B (2016), A's first with a focal point."""
    with Session(engine, expire_on_commit=False) as s:
        andes = f.component(s, "Andes Trust")
        a1, a2 = f.resolution(s, 1), f.resolution(s, 2)
        b1 = f.resolution(s, 1, congress_code=B)
        users = {"rosa": f.user(s, "rosa", ("reporter",), (andes,)), "fay": f.user(s, "fay", ("focal_point",)),
                 "sam": f.user(s, "sam", ("secretariat",))}
        f.assign(s, a1, users["fay"])
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, "andes": andes.id, "a1": a1, "a2": a2, "b1": b1, **actors}


def versions(engine) -> dict:
    with Session(engine) as s:
        return {"global": audit.data_version(s)} | {
            name: audit.scoped_version(s, scopes, congress) for name, (scopes, congress) in KEYS.items()}


def changed_by(engine, write) -> set[str]:
    before = versions(engine)
    with transaction(engine) as s:
        write(s)
    after = versions(engine)
    return {name for name in after if after[name] != before[name]}


def activity(w, *resolutions) -> ar.ActivityInput:
    return ar.ActivityInput(component_id=w["andes"], resolution_ids=[r.id for r in resolutions], title="Workshops",
                            description="Three workshops.", action_types=["Capacity-building"],
                            action_status="Completed", period_start=date(2026, 1, 10), period_end=date(2026, 3, 1),
                            scope_global=True)


def test_a_submission_on_congress_a_leaves_congress_b_and_the_register_alone(world):
    w = world
    changed = changed_by(w["engine"], lambda s: ar.submit(session=s, actor=w["rosa"], data=activity(w, w["a1"]),
                                                          today=date(2026, 6, 15)))
    assert changed == {"global", "figures A", "figures, every Congress", "activity figures A"}


def test_a_report_on_both_congresses_renews_both(world):
    w = world
    changed = changed_by(w["engine"], lambda s: ar.submit(
        session=s, actor=w["rosa"], data=activity(w, w["a1"], w["b1"]), today=date(2026, 6, 15)))
    assert changed == {"global", "figures A", "figures B", "figures, every Congress", "activity figures A",
                       "activity figures B"}


def test_a_correction_renews_the_congress_of_the_version_it_replaces(world):
    """The original (on A) stops counting when its correction (on B) is submitted: both Congresses change."""
    w = world
    with transaction(w["engine"]) as s:
        original = f.activity_report(s, _component(s), _user(s, "rosa"), (w["a1"],))

    def correct(s):
        row = f.activity_report(s, _component(s), _user(s, "rosa"), (w["b1"],), supersedes=original)
        audit.record(s, actor=w["rosa"], action="new_version", entity="activity_report", entity_id=row.id)

    assert {"figures A", "figures B"} <= changed_by(w["engine"], correct)


def test_a_progress_report_does_not_renew_the_activity_report_figures(world):
    w = world
    changed = changed_by(w["engine"], lambda s: pr.save_draft(
        session=s, actor=w["fay"], code=w["a1"].code, year=2026,
        data=pr.ProgressInput(status="Underway", summary="Advanced.")))
    assert changed == {"global", "figures A", "figures, every Congress"}


def test_a_register_edit_renews_that_congress_figures_only(world):
    """Archiving a Resolution changes what is in force, so Congress A's Activity Report figures too (they count
    reports on Resolutions in force), never Congress B's."""
    w = world
    changed = changed_by(w["engine"], lambda s: register.set_resolution_status(
        session=s, actor=w["sam"], code=w["a2"].code, status="archived", archived_on=date(2026, 2, 1)))
    assert changed == {"global", "register", "figures A", "figures, every Congress", "activity figures A"}


def test_an_account_write_renews_no_figure(world):
    w = world
    changed = changed_by(w["engine"], lambda s: audit.record(s, actor=w["sam"], action="update", entity="user",
                                                             entity_id=w["rosa"].id, after={"display_name": "R"}))
    assert changed == {"global", "accounts"}


def test_a_write_of_an_unknown_entity_renews_every_read(world):
    """A service this module does not know (a new entity) must never leave a figure stale."""
    w = world
    changed = changed_by(w["engine"], lambda s: audit.record(s, actor=w["sam"], action="create",
                                                             entity="something_new", entity_id="1"))
    assert scope_of("something_new") is None
    assert changed == set(versions(w["engine"]))


def test_bulk_inserts_without_a_scope_count_for_every_read(world):
    """The imports insert their audit events in bulk (services/bulk_write.prepare: COPY, executemany) without
    the column: NULL, which every read counts, so an import renews every figure."""
    w = world
    row = {"at": AuditEvent().at, "user_id": None, "action": "import", "entity": "resolution",
           "entity_id": None, "before": None, "after": None}

    def bulk(s):
        prepare(s.get_bind().dialect, insert(AuditEvent.__table__), {k: [v] for k, v in row.items()}).run(s)

    assert changed_by(w["engine"], bulk) == set(versions(w["engine"]))
    with Session(w["engine"]) as s:
        assert s.exec(select(AuditEvent.scope).order_by(AuditEvent.id.desc())).first() is None


def test_every_write_renews_the_global_version(world):
    w = world
    for write in (lambda s: audit.record(s, actor=None, action="throttle", entity="sign_in", entity_id="x"),
                  lambda s: audit.record(s, actor=None, action="set", entity="reporting_deadline", entity_id=2026)):
        assert "global" in changed_by(w["engine"], write)


def _component(s):
    return f.component(s, "Andes Trust")


def _user(s, name):
    from db.models import User

    return s.exec(select(User).where(User.username == name)).one()
