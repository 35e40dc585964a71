"""Access requests: submitted by someone signed in with the identity provider and no account, decided by
an administrator (approval creates the account)."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from db.models import (
    AccessRequest,
    AuditEvent,
    Component,
    OutboxMail,
    User,
    UserComponent,
    UserRole,
)
from db.settings import Settings
from services import access_requests as ar
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f

SETTINGS = Settings(database_url="sqlite://", demo_mode=True, cookie_key="k" * 20,
                    public_url="https://tracker.example.org")


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        member = f.component(s, "Test Member")
        other = f.component(s, "Other Member")
        closed = f.component(s, "Closed Member")
        s.get(Component, closed.id).active = False
        users = {
            "ada": f.user(s, "ada", ("admin",)),
            "alf": f.user(s, "alf", ("admin",)),
            "old": f.user(s, "old", ("admin",)),
            "sam": f.user(s, "sam", ("secretariat",)),
            "rosa": f.user(s, "rosa", ("reporter",), components=(member,)),
        }
        s.get(User, users["old"].id).active = False
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, "member": member.id, "other": other.id, "closed": closed.id, **actors}


def call(engine, fn, **kwargs):
    with Session(engine, expire_on_commit=False) as s:
        result = fn(session=s, **kwargs)
        s.commit()
        return result


def submit(w, email="Jane.Doe@Example.ORG", name="Jane Doe", role="reporter", component="member",
           message="I report for our Member."):
    return call(w["engine"], ar.submit_request, email=email, name=name,
                component_id=w[component] if component else None, role=role, message=message)


def fields(failed: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in failed.errors:
        out.setdefault(e.field, []).append(e.message)
    return out


def outbox(engine) -> list[OutboxMail]:
    with Session(engine) as s:
        return list(s.exec(select(OutboxMail).order_by(OutboxMail.id)))


def events(engine, entity="access_request") -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


# -- submitting -----------------------------------------------------------------------------------------
def test_submit_stores_lower_case_email_audits_and_mails_every_active_admin(world):
    w = world
    request = submit(w, message="  I report for our Member.\r\nThanks\t!  ")
    assert request.email == "jane.doe@example.org"
    assert request.state == "pending" and request.role == "reporter" and request.component_id == w["member"]
    assert request.message == "I report for our Member.\nThanks\t!"
    [event] = events(w["engine"])
    assert (event.user_id, event.action, event.entity_id) == (None, "request_access", str(request.id))
    assert event.after["email"] == "jane.doe@example.org"
    mails = outbox(w["engine"])
    assert sorted(m.to_address for m in mails) == ["ada@example.org", "alf@example.org"]  # not "old"
    assert all("Jane Doe" in m.subject for m in mails)
    assert "jane.doe@example.org" in mails[0].body and "Test Member" in mails[0].body
    assert "Component focal point" in mails[0].body
    with Session(w["engine"]) as s:
        assert ar.pending_for(session=s, email="JANE.DOE@example.org").id == request.id
        assert ar.pending_for(session=s, email="someone@example.org") is None


def test_submit_lists_every_problem_and_writes_nothing(world):
    w = world
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.submit_request, email="x@example.org", name="X", component_id=w["closed"],
             role="admin", message="a" * 2001)
    got = fields(failed.value)
    assert set(got) == {"role", "component_id", "message"}
    assert "2,000" in got["message"][0]
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.submit_request, email="x@example.org", name="X", component_id=None,
             role="reporter", message="bad \x1b[31m escape")
    assert set(fields(failed.value)) == {"component_id", "message"}
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.submit_request, email="x@example.org", name="X", component_id=999_999,
             role="focal_point", message=None)
    assert set(fields(failed.value)) == {"component_id"}
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.submit_request, email="not an address", name="X", component_id=None,
             role="leadership", message=None)
    assert set(fields(failed.value)) == {"email"}
    assert outbox(w["engine"]) == [] and events(w["engine"]) == []
    with Session(w["engine"]) as s:
        assert s.exec(select(AccessRequest)).all() == []


def test_component_is_optional_except_for_reporters(world):
    request = submit(world, role="leadership", component=None, message="")
    assert request.component_id is None and request.message is None


def test_one_pending_request_per_email(world):
    w = world
    first = submit(w)
    with pytest.raises(ValidationFailed) as failed:
        submit(w, email="jane.doe@example.org", role="secretariat", component=None)
    [message] = fields(failed.value)["email"]
    assert message == f"Your request of {first.created_at.strftime('%d %b %Y')} is waiting for an administrator."
    # once decided, the person may ask again
    call(w["engine"], ar.decline, actor=w["ada"], request_id=first.id, note=None, settings=SETTINGS)
    assert submit(w, role="secretariat", component=None).id != first.id


def test_an_address_with_an_account_cannot_request(world):
    with pytest.raises(ValidationFailed) as failed:
        submit(world, email="ROSA@example.org")
    assert "already" in fields(failed.value)["email"][0]


def test_name_from_the_provider_is_cleaned(world):
    assert submit(world, name="  Jane\n\x00 Doe\u200b ").name == "Jane Doe"
    assert submit(world, email="nobody@example.org", name=None).name == "nobody"


# -- listing ----------------------------------------------------------------------------------------------
def test_list_requires_admin_and_shows_pending_then_decided(world):
    w = world
    one = submit(w)
    two = submit(w, email="kim@example.org", name="Kim", role="focal_point", component=None)
    for who in ("sam", "rosa"):
        with pytest.raises(PermissionDenied):
            call(w["engine"], ar.list_requests, actor=w[who])
    with pytest.raises(PermissionDenied):
        call(w["engine"], ar.list_requests, actor=None)
    pending = call(w["engine"], ar.list_requests, actor=w["ada"])
    assert list(pending.columns[:10]) == ["id", "created_at", "name", "email", "component", "role", "message",
                                          "state", "decided_at", "decided_by"]
    assert list(pending["id"]) == [one.id, two.id]
    assert pending.iloc[0]["component"] == "Test Member"
    call(w["engine"], ar.decline, actor=w["ada"], request_id=two.id, note="Not staff", settings=SETTINGS)
    assert list(call(w["engine"], ar.list_requests, actor=w["ada"])["id"]) == [one.id]
    decided = call(w["engine"], ar.list_requests, actor=w["ada"], state="decided")
    assert list(decided["id"]) == [two.id]
    assert decided.iloc[0]["decided_by"] == "Ada" and decided.iloc[0]["decision_note"] == "Not staff"
    assert list(call(w["engine"], ar.list_requests, actor=w["ada"], state="approved")["id"]) == []


# -- approving --------------------------------------------------------------------------------------------
def test_approve_creates_the_account_without_password_mails_and_audits(world):
    w = world
    request = submit(w)
    before = datetime.now(UTC)
    user = call(w["engine"], ar.approve, actor=w["ada"], request_id=request.id, username=" JDoe ",
                roles=["reporter", "focal_point"], component_ids=[w["member"], w["other"]],
                note="Welcome aboard", settings=SETTINGS)
    with Session(w["engine"]) as s:
        row = s.get(User, user.id)
        assert (row.username, row.display_name, row.email) == ("JDoe", "Jane Doe", "jane.doe@example.org")
        assert row.password_hash is None and row.active
        assert set(s.exec(select(UserRole.role).where(UserRole.user_id == row.id))) == {"reporter",
                                                                                       "focal_point"}
        assert set(s.exec(select(UserComponent.component_id).where(UserComponent.user_id == row.id))) == {
            w["member"], w["other"]}
        decided = s.get(AccessRequest, request.id)
        assert decided.state == "approved" and decided.user_id == row.id and decided.decided_by == w["ada"].id
        assert decided.decision_note == "Welcome aboard"
        stamp = decided.decided_at if decided.decided_at.tzinfo else decided.decided_at.replace(tzinfo=UTC)
        assert stamp >= before.replace(microsecond=0)
    [created] = events(w["engine"], "user")
    assert (created.action, created.user_id, created.entity_id) == ("create", w["ada"].id, "JDoe")
    assert created.after["roles"] == ["reporter", "focal_point"]  # in vocabulary order
    assert [e.action for e in events(w["engine"])] == ["request_access", "approve"]
    mail = outbox(w["engine"])[-1]
    assert mail.to_address == "jane.doe@example.org" and "approved" in mail.subject
    assert "Sign in with IUCN Accounts at https://tracker.example.org" in mail.body
    assert "Welcome aboard" in mail.body


def test_approve_refuses_bad_input_listing_every_problem(world):
    w = world
    request = submit(w)
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.approve, actor=w["ada"], request_id=request.id, username="rosa",
             roles=["reporter", "boss"], component_ids=[w["closed"]], note="\x07", settings=SETTINGS)
    assert set(fields(failed.value)) == {"username", "roles", "components", "note"}
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.approve, actor=w["ada"], request_id=request.id, username="-x",
             roles=[], component_ids=[], note=None, settings=SETTINGS)
    assert set(fields(failed.value)) == {"username", "roles"}
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.approve, actor=w["ada"], request_id=request.id, username="jane",
             roles=["reporter"], component_ids=[], note=None, settings=SETTINGS)
    assert set(fields(failed.value)) == {"components"}
    with Session(w["engine"]) as s:
        assert s.get(AccessRequest, request.id).state == "pending"
        assert s.exec(select(User).where(User.username == "jane")).first() is None


def test_approve_refuses_a_decided_request_and_an_email_now_in_use(world):
    w = world
    request = submit(w)
    call(w["engine"], ar.approve, actor=w["ada"], request_id=request.id, username="jane", roles=["leadership"],
         component_ids=[], note=None, settings=SETTINGS)
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.approve, actor=w["alf"], request_id=request.id, username="jane2",
             roles=["leadership"], component_ids=[], note=None, settings=SETTINGS)
    assert any("already been decided" in m for m in fields(failed.value)["request"])
    with pytest.raises(ValidationFailed):
        call(w["engine"], ar.decline, actor=w["alf"], request_id=request.id, note=None, settings=SETTINGS)
    # an account made for the address by other means since the request was sent
    other = submit(w, email="kim@example.org", name="Kim", role="leadership", component=None)
    with Session(w["engine"]) as s:
        s.add(User(username="kim", display_name="Kim", email="kim@example.org"))
        s.commit()
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.approve, actor=w["ada"], request_id=other.id, username="kimberly",
             roles=["leadership"], component_ids=[], note=None, settings=SETTINGS)
    assert "kim@example.org" in fields(failed.value)["request"][0]
    with pytest.raises(NotFound):
        call(w["engine"], ar.approve, actor=w["ada"], request_id=999_999, username="x1", roles=["leadership"],
             component_ids=[], note=None, settings=SETTINGS)


def test_only_admins_decide(world):
    w = world
    request = submit(w)
    for who in ("sam", "rosa"):
        with pytest.raises(PermissionDenied):
            call(w["engine"], ar.approve, actor=w[who], request_id=request.id, username="jane",
                 roles=["reporter"], component_ids=[w["member"]], note=None, settings=SETTINGS)
        with pytest.raises(PermissionDenied):
            call(w["engine"], ar.decline, actor=w[who], request_id=request.id, note=None, settings=SETTINGS)
    with Session(w["engine"]) as s:
        assert s.get(AccessRequest, request.id).state == "pending"


# -- declining --------------------------------------------------------------------------------------------
def test_decline_marks_mails_the_note_and_audits(world):
    w = world
    request = submit(w)
    mails_before = len(outbox(w["engine"]))
    call(w["engine"], ar.decline, actor=w["alf"], request_id=request.id, note="Ask your Member's contact.",
         settings=SETTINGS)
    with Session(w["engine"]) as s:
        row = s.get(AccessRequest, request.id)
        assert (row.state, row.decided_by, row.user_id) == ("declined", w["alf"].id, None)
        assert row.decided_at is not None
    [mail] = outbox(w["engine"])[mails_before:]
    assert mail.to_address == "jane.doe@example.org"
    assert "declined" in mail.body and "Ask your Member's contact." in mail.body
    event = events(w["engine"])[-1]
    assert (event.action, event.user_id, event.after["state"]) == ("decline", w["alf"].id, "declined")
    with pytest.raises(ValidationFailed) as failed:
        call(w["engine"], ar.decline, actor=w["alf"], request_id=submit(w, email="b@example.org").id,
             note="x" * 2001, settings=SETTINGS)
    assert set(fields(failed.value)) == {"note"}


# -- helpers ----------------------------------------------------------------------------------------------
def test_suggest_username_cleans_and_avoids_taken_names(world):
    with Session(world["engine"]) as s:
        assert ar.suggest_username(session=s, email="Jane.Doe+iucn@example.org") == "jane.doeiucn"
        assert ar.suggest_username(session=s, email="Rosa@example.org") == "rosa2"
        assert ar.suggest_username(session=s, email="Émile@example.org") == "emile"
        assert ar.suggest_username(session=s, email="_@example.org") == "user"
        assert ar.suggest_username(session=s, email="Jo@example.org") == "jo1"  # at least 3 characters
        labels = ar.organisations(session=s)
        assert "Closed Member" not in set(labels["label"]) and "Test Member" in set(labels["label"])
