"""Focal point assignments (one by one and bulk CSV) and the reporting calendar."""

from datetime import date

import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, FocalPointAssignment, ReportingDeadline, Resolution, User
from services import assignments as a
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        for n in (1, 2, 3):
            f.resolution(s, n)
        f.resolution(s, 4, status="archived", archived_on=date(2024, 1, 1))
        f.resolution(s, 1, congress_code="WCC-2016")
        users = {
            "fay": f.user(s, "fay", ("focal_point",)),
            "sam": f.user(s, "sam", ("secretariat",)),
            "rosa": f.user(s, "rosa", ("reporter",)),
            "lea": f.user(s, "lea", ("leadership",)),
            "ada": f.user(s, "ada", ("admin",)),
            "gone": f.user(s, "gone", ("focal_point",)),
        }
        s.get(User, users["gone"].id).active = False
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, **actors}


def call(engine, fn, **kwargs):
    with Session(engine, expire_on_commit=False) as s:
        result = fn(session=s, **kwargs)
        s.commit()
        return result


def pairs(engine) -> set[tuple[str, str]]:
    with Session(engine) as s:
        return set(s.exec(select(Resolution.code, User.username)
                          .join(FocalPointAssignment, FocalPointAssignment.resolution_id == Resolution.id)
                          .join(User, User.id == FocalPointAssignment.user_id)).all())


def audit(engine, entity=a.ENTITY) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


def csv_bytes(*rows: str, header: str = "code,username") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


# -- one by one -----------------------------------------------------------------------------------------
def test_assign_focal_point_and_secretariat_users_with_audit(world):
    w = world
    result = call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-001", usernames=["fay", "sam"],
                  since=date(2026, 3, 1))
    assert (result.created, result.unchanged) == (2, 0)
    assert pairs(w["engine"]) == {("WCC-2020-Res-001", "fay"), ("WCC-2020-Res-001", "sam")}
    events = audit(w["engine"])
    assert [(e.action, e.entity_id, e.user_id) for e in events] == [
        ("assign", "WCC-2020-Res-001:fay", w["sam"].id), ("assign", "WCC-2020-Res-001:sam", w["sam"].id)]
    assert events[0].after == {"resolution": "WCC-2020-Res-001", "user": "fay", "since": "2026-03-01"}

    again = call(w["engine"], a.assign, actor=w["ada"], code="WCC-2020-Res-001", usernames=["fay"])
    assert (again.created, again.unchanged) == (0, 1)
    assert len(audit(w["engine"])) == 2


def test_assign_refuses_users_without_the_role_listing_all(world):
    w = world
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-001",
             usernames=["rosa", "lea", "nobody", "gone", "fay"])
    messages = caught.value.for_field("users")
    assert len(messages) == 4
    assert any("'rosa' is neither" in m for m in messages) and any("'lea' is neither" in m for m in messages)
    assert any("unknown user 'nobody'" in m for m in messages) and any("not active" in m for m in messages)
    assert pairs(w["engine"]) == set()
    with pytest.raises(ValidationFailed):
        call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-001", usernames=[])
    with pytest.raises(NotFound):
        call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-999", usernames=["fay"])


@pytest.mark.parametrize("who", ["fay", "rosa", "lea"])
def test_only_secretariat_and_admin_assign(world, who):
    w = world
    with pytest.raises(PermissionDenied):
        call(w["engine"], a.assign, actor=w[who], code="WCC-2020-Res-001", usernames=["fay"])
    with pytest.raises(PermissionDenied):
        call(w["engine"], a.unassign, actor=w[who], code="WCC-2020-Res-001", username="fay")
    with pytest.raises(PermissionDenied):
        a.import_assignments(engine=w["engine"], actor=w[who], data=csv_bytes("WCC-2020-Res-001,fay"))
    with pytest.raises(PermissionDenied):
        call(w["engine"], a.set_deadline, actor=w[who], year=2026, due_on=date(2026, 12, 15))


def test_unassign_and_unassigned_list(world):
    w = world
    call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-001", usernames=["fay"])
    call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-002", usernames=["fay", "sam"])
    with Session(w["engine"]) as s:
        # archived Resolutions need no focal point; other Congresses are counted apart
        assert list(a.unassigned_resolutions(session=s, actor=w["sam"], congress="WCC-2020")["code"]) == [
            "WCC-2020-Res-003"]
        counts = a.unassigned_counts(session=s, actor=w["sam"]).set_index("congress")
        assert counts.loc["WCC-2020", "active"] == 3 and counts.loc["WCC-2020", "without_focal_point"] == 1
        assert counts.loc["WCC-2016", "without_focal_point"] == 1
        overview = a.assignment_overview(session=s, actor=w["sam"], congress="WCC-2020").set_index("code")
        assert overview.loc["WCC-2020-Res-002", "count"] == 2
        assert sorted(overview.loc["WCC-2020-Res-002", "focal_points"].split("; ")) == ["Fay", "Sam"]
        assert overview.loc["WCC-2020-Res-003", "focal_points"] == ""
        assert list(a.focal_point_candidates(session=s, actor=w["sam"])["username"]) == ["fay", "sam"]

    call(w["engine"], a.unassign, actor=w["sam"], code="WCC-2020-Res-001", username="fay")
    assert ("WCC-2020-Res-001", "fay") not in pairs(w["engine"])
    last = audit(w["engine"])[-1]
    assert (last.action, last.entity_id, last.before["user"]) == ("unassign", "WCC-2020-Res-001:fay", "fay")
    with Session(w["engine"]) as s:
        assert list(a.unassigned_resolutions(session=s, actor=w["sam"], congress="WCC-2020")["code"]) == [
            "WCC-2020-Res-001", "WCC-2020-Res-003"]
    with pytest.raises(NotFound):
        call(w["engine"], a.unassign, actor=w["sam"], code="WCC-2020-Res-001", username="fay")


# -- bulk import ----------------------------------------------------------------------------------------
def test_good_file_is_imported_and_reimport_changes_nothing(world):
    w = world
    data = csv_bytes("WCC-2020-Res-001,fay", " WCC-2020-Res-002 , sam ", "", "WCC-2016-Res-001,fay")
    result = a.import_assignments(engine=w["engine"], actor=w["sam"], data=data)
    assert (result.created, result.unchanged) == (3, 0)
    assert pairs(w["engine"]) == {("WCC-2020-Res-001", "fay"), ("WCC-2020-Res-002", "sam"),
                                  ("WCC-2016-Res-001", "fay")}
    events = audit(w["engine"])
    assert [e.action for e in events] == ["assign"] * 3 + ["import"]
    assert events[-1].after == {"created": 3, "unchanged": 0}

    again = a.import_assignments(engine=w["engine"], actor=w["sam"], data=data)
    assert (again.created, again.unchanged) == (0, 3)
    assert len(pairs(w["engine"])) == 3


def test_bad_file_writes_nothing_and_lists_every_bad_row(world):
    w = world
    data = csv_bytes(
        "WCC-2020-Res-001,fay",       # 2 good
        "WCC-2020-Res-999,fay",       # 3 unknown code
        "WCC-2020-Res-002,nobody",    # 4 unknown user
        "WCC-2020-Res-002,rosa",      # 5 reporter only
        "WCC-2020-Res-001,fay",       # 6 duplicate of line 2
        "WCC-2020-Res-003",           # 7 wrong number of values
        "WCC-2020-Res-003,gone",      # 8 inactive
        "XX,lea",                     # 9 two problems
    )
    with pytest.raises(ValidationFailed) as caught:
        a.import_assignments(engine=w["engine"], actor=w["sam"], data=data)
    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(3, "code"), (4, "username"), (5, "username"), (6, "row"), (7, "row"), (8, "username"),
                     (9, "code"), (9, "username")]
    messages = {e.line: e.message for e in caught.value.errors}
    assert "duplicate of line 2" in messages[6] and "expected 2 values, found 1" in messages[7]
    assert "unknown user 'nobody'" in messages[4] and "'rosa' is neither" in messages[5]
    assert pairs(w["engine"]) == set() and audit(w["engine"]) == []


@pytest.mark.parametrize("data, words", [
    ("code,username\nWCC-2020-Res-001,fay\n".encode("utf-16"), "not UTF-8"),
    (b"", "empty"),
    (b"resolution,user\nWCC-2020-Res-001,fay\n", "columns must be exactly code,username"),
    (b"code,username,since\nWCC-2020-Res-001,fay,2020\n", "columns must be exactly"),
    (b"code,username\n", "no rows"),
])
def test_unreadable_files_are_refused(world, data, words):
    with pytest.raises(ValidationFailed) as caught:
        a.import_assignments(engine=world["engine"], actor=world["sam"], data=data)
    assert words in str(caught.value)
    assert pairs(world["engine"]) == set()


def test_utf8_with_bom_is_accepted(world):
    data = "\ufeffcode,username\nWCC-2020-Res-001,fay\n".encode("utf-8")
    assert a.import_assignments(engine=world["engine"], actor=world["ada"], data=data).created == 1


def test_bulk_audit_events_are_those_assign_writes_one_by_one(world):
    w = world
    a.import_assignments(engine=w["engine"], actor=w["sam"], data=csv_bytes("WCC-2020-Res-002,fay"),
                         since=date(2026, 2, 3))
    call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-003", usernames=["fay"], since=date(2026, 2, 3))
    bulk, single = [e for e in audit(w["engine"]) if e.action == "assign"]
    assert (bulk.user_id, bulk.entity, bulk.before) == (single.user_id, single.entity, single.before)
    assert bulk.entity_id == "WCC-2020-Res-002:fay"
    assert bulk.after == {**single.after, "resolution": "WCC-2020-Res-002"} == {
        "resolution": "WCC-2020-Res-002", "user": "fay", "since": "2026-02-03"}
    with Session(w["engine"]) as s:
        row = s.exec(select(FocalPointAssignment).join(Resolution)
                     .where(Resolution.code == "WCC-2020-Res-002")).one()
    assert (row.user_id, row.since) == (w["fay"].id, date(2026, 2, 3))


def test_a_user_deactivated_between_the_check_and_the_write_is_reported_and_nothing_written(world, monkeypatch):
    """The file is checked and its writes prepared with no lock held; under the write lock the users are
    looked at again."""
    w = world
    real_people, calls = a._people, []

    def people_then_deactivate(session):
        found = real_people(session)
        calls.append(1)
        if len(calls) == 2:  # the file checked, the writes prepared: now fay leaves
            with Session(w["engine"]) as other:
                other.get(User, w["fay"].id).active = False
                other.commit()
        return found

    monkeypatch.setattr(a, "_people", people_then_deactivate)
    with pytest.raises(ValidationFailed) as caught:
        a.import_assignments(engine=w["engine"], actor=w["sam"],
                             data=csv_bytes("WCC-2020-Res-002,sam", "WCC-2020-Res-001,fay"))
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "username")]
    assert "'fay' is not active" in caught.value.errors[0].message
    assert len(calls) == 3  # checked, prepared, and looked at again under the lock
    assert pairs(w["engine"]) == set() and audit(w["engine"]) == []


def test_a_busy_database_is_tried_again_and_nothing_is_written_twice(world, monkeypatch):
    from contextlib import contextmanager

    from sqlalchemy.exc import OperationalError

    w = world
    real_transaction, calls = a.transaction, []

    @contextmanager
    def commit_fails_once(engine):
        with real_transaction(engine) as session:
            calls.append(1)
            yield session  # everything written, then the commit "fails": all rolled back
            if len(calls) == 1:
                raise OperationalError("COMMIT", {}, Exception("database is locked"))

    monkeypatch.setattr(a, "transaction", commit_fails_once)
    monkeypatch.setattr(a.time, "sleep", lambda _s: None)
    result = a.import_assignments(engine=w["engine"], actor=w["sam"],
                                  data=csv_bytes("WCC-2020-Res-001,fay", "WCC-2020-Res-002,sam"))
    assert len(calls) == 2 and (result.created, result.unchanged) == (2, 0)
    assert pairs(w["engine"]) == {("WCC-2020-Res-001", "fay"), ("WCC-2020-Res-002", "sam")}
    assert [e.action for e in audit(w["engine"])] == ["assign", "assign", "import"]


def test_assignments_made_meanwhile_are_seen_under_the_lock(world, monkeypatch):
    """Someone assigns one of the file's pairs after the import prepared its writes: the import sees the
    change under the lock, prepares again and counts that pair as already there."""
    w = world
    real_plan, plans = a._plan, []

    def plan_then_someone_assigns(session, *args):
        plans.append(real_plan(session, *args))
        if len(plans) == 1:
            call(w["engine"], a.assign, actor=w["sam"], code="WCC-2020-Res-001", usernames=["fay"])
        return plans[-1]

    monkeypatch.setattr(a, "_plan", plan_then_someone_assigns)
    result = a.import_assignments(engine=w["engine"], actor=w["sam"],
                                  data=csv_bytes("WCC-2020-Res-001,fay", "WCC-2020-Res-002,sam"))
    assert len(plans) == 2 and (result.created, result.unchanged) == (1, 1)
    assert pairs(w["engine"]) == {("WCC-2020-Res-001", "fay"), ("WCC-2020-Res-002", "sam")}


def test_a_large_file_imports_whole_and_again_changes_nothing(world):
    """Every Resolution x every focal user: a few thousand rows in one go, then nothing new."""
    w = world
    with Session(w["engine"]) as s:
        for n in range(5, 1005):
            f.resolution(s, n, congress_code="WCC-2016")
        people = [f.user(s, f"fp{k}", ("focal_point",)).username for k in range(3)]
        s.commit()
        codes = list(s.exec(select(Resolution.code).where(Resolution.status == "active")))
    rows = [f"{code},{person}" for code in codes for person in people]
    result = a.import_assignments(engine=w["engine"], actor=w["sam"], data=csv_bytes(*rows))
    assert (result.created, result.unchanged) == (len(rows), 0) and len(rows) > 3000
    assert len(pairs(w["engine"])) == len(rows)
    events = audit(w["engine"])
    assert len(events) == len(rows) + 1 and events[-1].after == {"created": len(rows), "unchanged": 0}
    again = a.import_assignments(engine=w["engine"], actor=w["sam"], data=csv_bytes(*rows))
    assert (again.created, again.unchanged) == (0, len(rows))
    assert len(pairs(w["engine"])) == len(rows)


# -- reporting calendar ---------------------------------------------------------------------------------
def test_set_deadline_creates_updates_and_audits(world):
    w = world
    call(w["engine"], a.set_deadline, actor=w["sam"], year=2026, due_on=date(2026, 12, 15))
    call(w["engine"], a.set_deadline, actor=w["sam"], year=2026, due_on=date(2027, 1, 31))
    call(w["engine"], a.set_deadline, actor=w["sam"], year=2026, due_on=date(2027, 1, 31))  # no change
    with Session(w["engine"]) as s:
        assert s.get(ReportingDeadline, 2026).due_on == date(2027, 1, 31)
        assert a.deadline_for(session=s, year=2026) == date(2027, 1, 31)
        assert a.deadline_for(session=s, year=2025) is None
        assert list(a.deadlines(session=s)["year"]) == [2026]
    events = audit(w["engine"], "reporting_deadline")
    assert [(e.before, e.after) for e in events] == [
        (None, {"due_on": "2026-12-15"}), ({"due_on": "2026-12-15"}, {"due_on": "2027-01-31"})]


def test_deadline_validation(world):
    w = world
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], a.set_deadline, actor=w["sam"], year=2026, due_on=date(2025, 12, 1))
    assert "must fall in 2026 or 2027" in caught.value.for_field("due_on")[0]
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], a.set_deadline, actor=w["sam"], year=1800, due_on=None)
    assert {e.field for e in caught.value.errors} == {"year", "due_on"}
