"""Sign-in and sessions: bcrypt only, the same answer for unknown users, throttling that cannot lock the owner
out for long, and server-side sessions that really end (sign-out, expiry, deactivation, other sessions)."""

from datetime import timedelta

import bcrypt
import pytest
from sqlmodel import Session, select

from db import security
from db.engine import transaction
from db.models import AuditEvent, SignInSession, SignInThrottle, User, UserRole, as_utc, utcnow
from db.settings import Settings
from services import sign_in, users
from tests import factories

SETTINGS = Settings(database_url="", demo_mode=False, cookie_key="a-test-cookie-key-0123456789")
PASSWORD = "Correct-Horse-Battery-1"


@pytest.fixture
def rosa(engine):
    with Session(engine) as s:
        member = factories.component(s)
        factories.user(s, "rosa", ("reporter", "focal_point"), (member,), password=PASSWORD)
        s.commit()
    return engine


def attempt(engine, password=PASSWORD, username="rosa", client=None, settings=SETTINGS):
    with transaction(engine) as s:
        return sign_in.password_sign_in(session=s, username=username, password=password, client=client,
                                        settings=settings)


def resume(engine, token, settings=SETTINGS):
    with transaction(engine) as s:
        return sign_in.resume(session=s, token=token, settings=settings)


def user_row(engine, username="rosa") -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).one()


def test_a_good_password_opens_a_session_whose_id_is_not_stored(rosa):
    result = attempt(rosa)
    assert isinstance(result, sign_in.SignedIn)
    assert result.actor.username == "rosa" and result.actor.roles == {"reporter", "focal_point"}
    with Session(rosa) as s:
        row = s.exec(select(SignInSession)).one()
        assert row.token_hash == security.token_digest(result.token, SETTINGS.cookie_key)
        assert result.token not in row.token_hash and row.method == "password" and row.ended_at is None
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "sign_in")).one().entity_id == "rosa"
    assert user_row(rosa).last_sign_in_at is not None
    assert resume(rosa, result.token).username == "rosa"


@pytest.mark.parametrize("username, password", [
    ("rosa", "wrong-password-here"), ("nobody", PASSWORD), ("", PASSWORD), ("rosa", ""),
])
def test_wrong_password_and_unknown_user_get_the_same_answer(rosa, username, password):
    result = attempt(rosa, password=password, username=username)
    assert result == sign_in.Refused(sign_in.WRONG)


def test_unknown_users_cost_a_bcrypt_check_like_known_ones(rosa, monkeypatch):
    calls = []
    real = bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "checkpw", lambda pw, h: calls.append(h) or real(pw, h))
    attempt(rosa, password="wrong-password-here")
    attempt(rosa, username="nobody")
    assert len(calls) == 2


def test_an_account_without_a_password_cannot_sign_in_with_one(rosa):
    with transaction(rosa) as s:
        s.exec(select(User).where(User.username == "rosa")).one().password_hash = None
    assert attempt(rosa, password="") == sign_in.Refused(sign_in.WRONG)
    assert attempt(rosa) == sign_in.Refused(sign_in.WRONG)


def test_a_deactivated_account_is_told_so_only_with_its_right_password(rosa):
    with transaction(rosa) as s:
        s.exec(select(User).where(User.username == "rosa")).one().active = False
    assert attempt(rosa, password="wrong-password-here") == sign_in.Refused(sign_in.WRONG)
    assert attempt(rosa) == sign_in.Refused(sign_in.DEACTIVATED)


def test_failures_make_the_next_attempt_wait_longer_but_never_long(rosa):
    for _ in range(sign_in.FREE_FAILURES):
        assert attempt(rosa, password="wrong-password-here").wait_seconds == 0
    assert attempt(rosa, password="wrong-password-here") == sign_in.Refused(sign_in.WRONG)  # the 4th counts
    refused = attempt(rosa)  # the right password must wait too
    assert isinstance(refused, sign_in.Refused) and 0 < refused.wait_seconds <= 3
    assert "Wait" in refused.message and "Forgot your password" in refused.message
    with transaction(rosa) as s:  # very many failures: the wait is capped
        row = s.get(SignInThrottle, "user:rosa")
        row.failures, row.blocked_until = 40, None
    attempt(rosa, password="wrong-password-here")
    with Session(rosa) as s:
        row = s.get(SignInThrottle, "user:rosa")
        wait = as_utc(row.blocked_until) - utcnow()
    assert timedelta(minutes=4) < wait <= sign_in.MAX_WAIT["user"]
    with Session(rosa) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "throttle")).first() is not None


def test_the_owner_signs_in_once_the_wait_is_over_and_that_clears_the_count(rosa):
    for _ in range(sign_in.FREE_FAILURES + 2):
        attempt(rosa, password="wrong-password-here")
    with transaction(rosa) as s:
        s.get(SignInThrottle, "user:rosa").blocked_until = utcnow() - timedelta(seconds=1)
    assert isinstance(attempt(rosa), sign_in.SignedIn)
    with Session(rosa) as s:
        assert s.get(SignInThrottle, "user:rosa") is None


def test_unknown_usernames_are_throttled_the_same_way(rosa):
    for _ in range(sign_in.FREE_FAILURES + 1):
        attempt(rosa, username="nobody")
    assert attempt(rosa, username="nobody").wait_seconds > 0


def test_one_address_trying_many_usernames_is_slowed_down(rosa):
    for n in range(sign_in.FREE_FAILURES + 1):
        attempt(rosa, username=f"guess{n}", client="203.0.113.9")
    assert attempt(rosa, client="203.0.113.9").wait_seconds > 0  # even rosa's right password, from there
    assert isinstance(attempt(rosa, client="198.51.100.1"), sign_in.SignedIn)  # elsewhere: fine
    # A good sign-in does not clear the address's count (one's own account must not reset guessing).
    with Session(rosa) as s:
        assert s.get(SignInThrottle, "ip:203.0.113.9").failures == sign_in.FREE_FAILURES + 1


def test_a_session_never_clears_a_throttle(rosa):
    token = attempt(rosa).token
    for _ in range(sign_in.FREE_FAILURES + 1):
        attempt(rosa, password="wrong-password-here")
    assert resume(rosa, token).username == "rosa"  # the open session goes on...
    with Session(rosa) as s:
        assert s.get(SignInThrottle, "user:rosa").failures == sign_in.FREE_FAILURES + 1  # ...and clears nothing
    assert attempt(rosa).wait_seconds > 0


def test_sign_out_ends_the_session_and_a_copied_id_is_refused(rosa):
    token = attempt(rosa).token
    with transaction(rosa) as s:
        sign_in.sign_out(session=s, token=token, settings=SETTINGS)
    assert resume(rosa, token) is None
    with Session(rosa) as s:
        row = s.exec(select(SignInSession)).one()
        assert row.ended_reason == "sign_out"
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "sign_out")).one()


def test_an_unknown_or_forged_id_is_refused(rosa):
    token = attempt(rosa).token
    assert resume(rosa, security.new_token()) is None
    other_key = Settings(database_url="", demo_mode=False, cookie_key="another-key-entirely-0123")
    assert resume(rosa, token, other_key) is None  # a new cookie key ends every session


def test_sessions_end_after_the_idle_and_the_absolute_lifetimes(rosa):
    idle, old = attempt(rosa).token, attempt(rosa).token
    with transaction(rosa) as s:
        rows = {r.token_hash: r for r in s.exec(select(SignInSession))}
        rows[security.token_digest(idle, SETTINGS.cookie_key)].last_seen_at = utcnow() - timedelta(days=8)
        rows[security.token_digest(old, SETTINGS.cookie_key)].expires_at = utcnow() - timedelta(seconds=1)
    assert resume(rosa, idle) is None and resume(rosa, old) is None
    with Session(rosa) as s:
        assert {r.ended_reason for r in s.exec(select(SignInSession))} == {"expired"}


def test_use_keeps_a_session_alive(rosa):
    token = attempt(rosa).token
    with transaction(rosa) as s:
        s.exec(select(SignInSession)).one().last_seen_at = utcnow() - timedelta(days=6)
    assert resume(rosa, token) is not None
    with Session(rosa) as s:
        assert utcnow() - as_utc(s.exec(select(SignInSession)).one().last_seen_at) < timedelta(minutes=1)


def test_deactivation_and_role_changes_take_effect_at_the_next_run(rosa):
    token = attempt(rosa).token
    with transaction(rosa) as s:
        user = s.exec(select(User).where(User.username == "rosa")).one()
        s.delete(s.get(UserRole, (user.id, "focal_point")))
    assert resume(rosa, token).roles == {"reporter"}
    with transaction(rosa) as s:
        s.exec(select(User).where(User.username == "rosa")).one().active = False
    assert resume(rosa, token) is None


def test_end_sessions_ends_every_session_but_the_one_kept(rosa):
    here, there, elsewhere = (attempt(rosa).token for _ in range(3))
    with transaction(rosa) as s:
        user_id = user_row(rosa).id
        ended = sign_in.end_sessions(session=s, user_id=user_id, reason="password_change", actor=None,
                                     keep_token=here, settings=SETTINGS)
    assert ended == 2
    assert resume(rosa, here) is not None
    assert resume(rosa, there) is None and resume(rosa, elsewhere) is None
    with transaction(rosa) as s:
        assert sign_in.end_sessions(session=s, user_id=user_id, reason="deactivated", actor=None) == 1
    assert resume(rosa, here) is None


def test_single_sign_on_matches_the_email_case_insensitively(rosa):
    with transaction(rosa) as s:
        result = sign_in.sso_sign_in(session=s, email="  ROSA@Example.org ", client=None, settings=SETTINGS)
    assert isinstance(result, sign_in.SignedIn) and result.actor.username == "rosa"
    with Session(rosa) as s:
        assert s.exec(select(SignInSession)).one().method == "sso"
    with transaction(rosa) as s:
        assert sign_in.sso_sign_in(session=s, email="someone@else.org", client=None, settings=SETTINGS) is None
        s.exec(select(User).where(User.username == "rosa")).one().active = False
    with transaction(rosa) as s:
        refused = sign_in.sso_sign_in(session=s, email="rosa@example.org", client=None, settings=SETTINGS)
    assert refused == sign_in.Refused(sign_in.DEACTIVATED)


def test_actor_for_an_active_user(rosa):
    with Session(rosa) as s:
        actor = users.actor_for(session=s, username="rosa")
        member = factories.component(s)
    assert actor.username == "rosa" and actor.display_name == "Rosa"
    assert actor.roles == frozenset({"reporter", "focal_point"})
    assert actor.component_ids == frozenset({member.id})


@pytest.mark.parametrize("username", ["ro\x00sa", "ro\x0bsa", "r" * 10_000])
def test_a_username_no_account_can_have_is_just_wrong(rosa, username):
    assert attempt(rosa, username=username) == sign_in.Refused(sign_in.WRONG)  # no DataError on PostgreSQL
