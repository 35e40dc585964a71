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
        assert list(a.unassigned_resolutions(session=s, congress="WCC-2020")["code"]) == ["WCC-2020-Res-003"]
        counts = a.unassigned_counts(session=s).set_index("congress")
        assert counts.loc["WCC-2020", "active"] == 3 and counts.loc["WCC-2020", "without_focal_point"] == 1
        assert counts.loc["WCC-2016", "without_focal_point"] == 1
        overview = a.assignment_overview(session=s, congress="WCC-2020").set_index("code")
        assert overview.loc["WCC-2020-Res-002", "count"] == 2
        assert sorted(overview.loc["WCC-2020-Res-002", "focal_points"].split("; ")) == ["Fay", "Sam"]
        assert overview.loc["WCC-2020-Res-003", "focal_points"] == ""
        assert list(a.focal_point_candidates(session=s)["username"]) == ["fay", "sam"]

    call(w["engine"], a.unassign, actor=w["sam"], code="WCC-2020-Res-001", username="fay")
    assert ("WCC-2020-Res-001", "fay") not in pairs(w["engine"])
    last = audit(w["engine"])[-1]
    assert (last.action, last.entity_id, last.before["user"]) == ("unassign", "WCC-2020-Res-001:fay", "fay")
    with Session(w["engine"]) as s:
        assert list(a.unassigned_resolutions(session=s, congress="WCC-2020")["code"]) == [
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
