"""Users and sign-in: bcrypt hashes only, a temporary lock after repeated failures, inactive users shut out."""

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, User, utcnow
from services import users
from tests import factories

MAX, LOCK = 5, 15


@pytest.fixture
def rosa(engine):
    with Session(engine) as s:
        member = factories.component(s)
        factories.user(s, "rosa", ("reporter", "focal_point"), (member,), password="Correct-Horse-1")
        s.commit()
    return engine


def _user(engine, username="rosa") -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).one()


def _fail(engine, times=1, username="rosa") -> int:
    locked = 0
    for _ in range(times):
        with Session(engine) as s:
            locked = users.record_failed_login(session=s, username=username, max_failed_logins=MAX,
                                               lock_minutes=LOCK)
            s.commit()
    return locked


def _entry(engine, username="rosa") -> dict | None:
    with Session(engine) as s:
        return users.credentials(session=s, max_failed_logins=MAX)["usernames"].get(username)


def test_passwords_are_stored_as_bcrypt_hashes_only(rosa):
    stored = _user(rosa).password_hash
    assert stored.startswith("$2b$") and "Correct-Horse-1" not in stored
    assert bcrypt.checkpw(b"Correct-Horse-1", stored.encode())
    assert users.check_password("Correct-Horse-1", stored)
    assert not users.check_password("correct-horse-1", stored)
    assert users.hash_password("same", rounds=4) != users.hash_password("same", rounds=4)  # salted


def test_credentials_hand_over_the_hash_roles_and_no_password(rosa):
    entry = _entry(rosa)
    assert entry["password"] == _user(rosa).password_hash
    assert sorted(entry["roles"]) == ["focal_point", "reporter"]
    assert (entry["name"], entry["email"]) == ("Rosa", "rosa@example.org")
    assert (entry["failed_login_attempts"], entry["locked"]) == (0, False)


def test_account_locks_after_repeated_failures(rosa):
    assert _fail(rosa, MAX - 1) == 0
    assert _entry(rosa)["locked"] is False
    assert _fail(rosa) == LOCK
    user = _user(rosa)
    assert user.failed_logins == MAX
    assert user.locked_until is not None
    entry = _entry(rosa)
    assert entry["locked"] is True and entry["failed_login_attempts"] == MAX  # the authenticator refuses it
    with Session(rosa) as s:
        assert 0 < users.lock_remaining_minutes(session=s, username="rosa") <= LOCK
        lock = s.exec(select(AuditEvent).where(AuditEvent.action == "lock")).one()
    assert lock.entity_id == "rosa"


def test_lock_ends_after_its_time(rosa):
    _fail(rosa, MAX)
    with Session(rosa) as s:  # the lock time has passed
        user = s.exec(select(User).where(User.username == "rosa")).one()
        user.locked_until = utcnow() - timedelta(seconds=1)
        s.add(user)
        s.commit()
        assert users.lock_remaining_minutes(session=s, username="rosa") == 0
    assert _entry(rosa)["locked"] is False
    assert _fail(rosa) == 0  # a new failure starts counting again from one
    assert _user(rosa).failed_logins == 1 and _user(rosa).locked_until is None


def test_successful_sign_in_resets_the_count(rosa):
    _fail(rosa, MAX - 1)
    with Session(rosa) as s:
        users.record_successful_login(session=s, username="rosa")
        s.commit()
    assert _user(rosa).failed_logins == 0
    assert _fail(rosa, MAX - 1) == 0  # the count starts again


def test_unknown_user_failures_are_ignored(rosa):
    assert _fail(rosa, MAX, username="nobody") == 0
    with Session(rosa) as s:
        assert users.lock_remaining_minutes(session=s, username="nobody") == 0


def test_inactive_user_cannot_sign_in(rosa):
    with Session(rosa) as s:
        user = s.exec(select(User).where(User.username == "rosa")).one()
        user.active = False
        s.add(user)
        s.commit()
        assert users.actor_for(session=s, username="rosa") is None
    assert _entry(rosa) is None


def test_actor_for_an_active_user(rosa):
    with Session(rosa) as s:
        actor = users.actor_for(session=s, username="rosa")
        member = factories.component(s)
    assert actor.username == "rosa" and actor.display_name == "Rosa"
    assert actor.roles == frozenset({"reporter", "focal_point"})
    assert actor.component_ids == frozenset({member.id})
