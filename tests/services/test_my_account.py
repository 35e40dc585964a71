"""My account: profile, password change and other sessions, on SQLite and PostgreSQL."""

import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, SignInSession, SignInThrottle, User
from db.security import check_password, hash_password
from db.settings import Settings
from services import my_account, sign_in
from services.errors import PermissionDenied, ValidationFailed
from services.permissions import Actor
from tests import factories as f

OLD = "violet harbour tide 81"
NEW = "lantern river orchid 42"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(my_account, "ROUNDS", 4)


@pytest.fixture
def settings(engine) -> Settings:
    return Settings(database_url=str(engine.url), demo_mode=False, cookie_key="a-test-cookie-key-0123456789")


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        ssc = f.component(s, "Species Survival Commission", kind="Commission")
        member = f.component(s, "Andean Trust")
        users = {
            "rosa": f.user(s, "rosa", ("reporter",), (ssc, member), password=OLD),
            "fay": f.user(s, "fay", ("focal_point", "secretariat"), password=OLD),
            "ada": f.user(s, "ada", ("admin",), password=OLD),
            "lea": f.user(s, "lea", ("leadership",), password=OLD),
        }
        sso = f.user(s, "sso", ("reporter",))
        sso.password_hash = None
        users["sso"] = sso
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, **actors}


def call(engine, fn, **kwargs):
    with Session(engine, expire_on_commit=False) as s:
        result = fn(session=s, **kwargs)
        s.commit()
        return result


def user(engine, username="rosa") -> User:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).one()


def events(engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def sign_in_as(engine, settings, username="rosa", password=OLD) -> str:
    result = call(engine, sign_in.password_sign_in, username=username, password=password, client=None,
                  settings=settings)
    assert isinstance(result, sign_in.SignedIn), result
    return result.token


def alive(engine, settings, token) -> bool:
    return call(engine, sign_in.resume, token=token, settings=settings) is not None


def fields(failed: ValidationFailed) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in failed.errors:
        out.setdefault(e.field, []).append(e.message)
    return out


# -- profile --------------------------------------------------------------------------------------------

def test_profile_lists_what_the_page_shows(world, settings):
    engine = world["engine"]
    here = sign_in_as(engine, settings)
    sign_in_as(engine, settings)
    got = call(engine, my_account.profile, actor=world["rosa"], keep_token=here, settings=settings)
    assert (got["username"], got["display_name"], got["email"]) == ("rosa", "Rosa", "rosa@example.org")
    assert got["language"] == "en" and got["roles"] == ["reporter"]
    assert got["components"] == ["Andean Trust", "Species Survival Commission"]
    assert got["has_password"] is True and got["last_sign_in_at"] is not None and got["created_at"]
    assert (got["open_sessions"], got["other_sessions"]) == (2, 1)
    sso = call(engine, my_account.profile, actor=world["sso"])
    assert sso["has_password"] is False and sso["last_sign_in_at"] is None
    assert (sso["open_sessions"], sso["other_sessions"], sso["components"]) == (0, 0, [])


def test_roles_without_account_edit_are_refused(world):
    nobody = Actor(id=world["rosa"].id, username="rosa", display_name="Rosa", roles=frozenset())
    with pytest.raises(PermissionDenied):
        call(world["engine"], my_account.profile, actor=nobody)
    with pytest.raises(PermissionDenied):
        call(world["engine"], my_account.update_profile, actor=nobody, display_name="X", email="x@y.org",
             language="en")


# -- update_profile -------------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["rosa", "fay", "ada", "lea"])
def test_every_role_updates_its_own_profile(world, who):
    engine = world["engine"]
    call(engine, my_account.update_profile, actor=world[who], display_name="  Nouveau Nom ",
         email=" New.Address@Example.ORG ", language="fr")
    row = user(engine, who)
    assert (row.display_name, row.email, row.language) == ("Nouveau Nom", "new.address@example.org", "fr")
    [event] = events(engine, "update_profile")
    assert event.entity_id == who and event.user_id == world[who].id
    assert event.after == {"display_name": "Nouveau Nom", "email": "new.address@example.org", "language": "fr"}
    assert event.before == {"display_name": who.title(), "email": f"{who}@example.org", "language": "en"}


def test_only_changed_fields_are_audited_and_no_change_writes_nothing(world):
    engine = world["engine"]
    call(engine, my_account.update_profile, actor=world["rosa"], display_name="Rosa", email="rosa@example.org",
         language="en")
    assert events(engine, "update_profile") == []
    call(engine, my_account.update_profile, actor=world["rosa"], display_name="Rosa", email="rosa@example.org",
         language="es")
    [event] = events(engine, "update_profile")
    assert (event.before, event.after) == ({"language": "en"}, {"language": "es"})


@pytest.mark.parametrize(("name", "email", "language", "expected"), [
    ("", "rosa@example.org", "en", {"display_name"}),
    ("   ", "rosa@example.org", "en", {"display_name"}),
    ("x" * 121, "rosa@example.org", "en", {"display_name"}),
    ("Rosa\nReporter", "rosa@example.org", "en", {"display_name"}),
    ("Rosa\x00", "rosa@example.org", "en", {"display_name"}),
    ("Rosa", "", "en", {"email"}),
    ("Rosa", "not-an-address", "en", {"email"}),
    ("Rosa", "two@@example.org", "en", {"email"}),
    ("Rosa", "rosa@localhost", "en", {"email"}),
    ("Rosa", "ro sa@example.org", "en", {"email"}),
    ("Rosa", "r" * 190 + "@example.org", "en", {"email"}),
    ("Rosa", "rosa@example.org", "de", {"language"}),
    ("", "nope", "xx", {"display_name", "email", "language"}),
])
def test_invalid_profiles_are_refused_with_every_problem(world, name, email, language, expected):
    engine = world["engine"]
    with pytest.raises(ValidationFailed) as caught:
        call(engine, my_account.update_profile, actor=world["rosa"], display_name=name, email=email,
             language=language)
    assert set(fields(caught.value)) == expected
    row = user(engine)
    assert (row.display_name, row.email, row.language) == ("Rosa", "rosa@example.org", "en")
    assert events(engine, "update_profile") == []


def test_the_longest_name_is_accepted(world):
    call(world["engine"], my_account.update_profile, actor=world["rosa"], display_name="é" * 120,
         email="rosa@example.org", language="en")
    assert user(world["engine"]).display_name == "é" * 120


def test_an_email_used_by_another_account_is_refused_in_any_case(world):
    engine = world["engine"]
    with pytest.raises(ValidationFailed) as caught:
        call(engine, my_account.update_profile, actor=world["rosa"], display_name="Rosa",
             email="FAY@example.org", language="en")
    assert fields(caught.value) == {"email": ["Another account already uses this email address"]}
    assert user(engine).email == "rosa@example.org"
    # one's own address, typed differently, is not "taken"
    call(engine, my_account.update_profile, actor=world["rosa"], display_name="Rosa R",
         email="ROSA@example.org", language="en")
    assert (user(engine).display_name, user(engine).email) == ("Rosa R", "rosa@example.org")


# -- change_password ------------------------------------------------------------------------------------

def test_change_password_ends_other_sessions_and_keeps_this_one(world, settings):
    engine = world["engine"]
    here, elsewhere, third = (sign_in_as(engine, settings) for _ in range(3))
    fay = sign_in_as(engine, settings, "fay")
    with Session(engine) as s:  # a stale failure count for the username
        s.add(SignInThrottle(key="user:rosa", failures=2))
        s.commit()
    call(engine, my_account.change_password, actor=world["rosa"], current=OLD, new=NEW, confirm=NEW,
         keep_token=here, settings=settings)
    stored = user(engine).password_hash
    assert stored.startswith("$2b$04$") and check_password(NEW, stored) and not check_password(OLD, stored)
    assert alive(engine, settings, here)
    assert not alive(engine, settings, elsewhere) and not alive(engine, settings, third)
    assert alive(engine, settings, fay)  # another user's sessions are untouched
    with Session(engine) as s:
        reasons = set(s.exec(select(SignInSession.ended_reason).where(SignInSession.ended_at.is_not(None))))
        assert reasons == {"password_change"}
        assert s.get(SignInThrottle, "user:rosa") is None
    [event] = events(engine, "change_password")
    assert event.after == {"had_password": True, "other_sessions_ended": 2}
    assert stored not in str(event.before) + str(event.after) and NEW not in str(event.after)
    assert events(engine, "end_sessions")[0].after == {"sessions": 2, "reason": "password_change"}
    # the new password signs in, the old one does not
    assert isinstance(call(engine, sign_in.password_sign_in, username="rosa", password=NEW, client=None,
                           settings=settings), sign_in.SignedIn)
    assert isinstance(call(engine, sign_in.password_sign_in, username="rosa", password=OLD, client=None,
                           settings=settings), sign_in.Refused)


def _refused(world, settings, **kwargs) -> dict[str, list[str]]:
    engine = world["engine"]
    here, elsewhere = sign_in_as(engine, settings), sign_in_as(engine, settings)
    before = user(engine).password_hash
    with pytest.raises(ValidationFailed) as caught:
        call(engine, my_account.change_password, actor=world["rosa"], keep_token=here, settings=settings,
             **kwargs)
    assert user(engine).password_hash == before
    assert alive(engine, settings, here) and alive(engine, settings, elsewhere)
    assert events(engine, "change_password") == []
    return fields(caught.value)


def test_a_wrong_current_password_is_refused(world, settings):
    got = _refused(world, settings, current="not my password at all", new=NEW, confirm=NEW)
    assert got == {"current": [my_account.WRONG_CURRENT]}


def test_a_missing_current_password_is_refused(world, settings):
    assert set(_refused(world, settings, current="", new=NEW, confirm=NEW)) == {"current"}


def test_a_weak_password_is_refused(world, settings):
    assert set(_refused(world, settings, current=OLD, new="short", confirm="short")) == {"new"}
    assert set(_refused(world, settings, current=OLD, new="password1234", confirm="password1234")) == {"new"}
    assert set(_refused(world, settings, current=OLD, new="rosa@example.org",
                        confirm="rosa@example.org")) == {"new"}


def test_two_different_new_passwords_are_refused(world, settings):
    assert _refused(world, settings, current=OLD, new=NEW, confirm=NEW + "!") == {
        "confirm": ["the two passwords differ"]}


def test_the_same_password_again_is_refused(world, settings):
    assert set(_refused(world, settings, current=OLD, new=OLD, confirm=OLD)) == {"new"}


def test_every_password_problem_at_once(world, settings):
    got = _refused(world, settings, current="wrong", new="short", confirm="other")
    assert set(got) == {"current", "new", "confirm"}


def test_an_account_without_password_sets_its_first_one(world, settings):
    engine = world["engine"]
    call(engine, my_account.change_password, actor=world["sso"], current=None, new=NEW, confirm=NEW,
         keep_token=None, settings=settings)
    assert check_password(NEW, user(engine, "sso").password_hash)
    [event] = events(engine, "set_password")
    assert event.after == {"had_password": False, "other_sessions_ended": 0}
    # once it has one, the current password is required
    with pytest.raises(ValidationFailed) as caught:
        call(engine, my_account.change_password, actor=world["sso"], current=None, new=OLD, confirm=OLD,
             keep_token=None, settings=settings)
    assert set(fields(caught.value)) == {"current"}


def test_bcrypt_hashes_from_elsewhere_still_check(world, settings):
    """The current password is checked against whatever bcrypt hash is stored (any cost)."""
    engine = world["engine"]
    with Session(engine) as s:
        s.get(User, world["lea"].id).password_hash = hash_password("an older phrase 1999", rounds=5)
        s.commit()
    call(engine, my_account.change_password, actor=world["lea"], current="an older phrase 1999", new=NEW,
         confirm=NEW, keep_token=None, settings=settings)
    assert check_password(NEW, user(engine, "lea").password_hash)


# -- end_other_sessions ---------------------------------------------------------------------------------

def test_sign_out_everywhere_else(world, settings):
    engine = world["engine"]
    here, one, two = (sign_in_as(engine, settings) for _ in range(3))
    fay = sign_in_as(engine, settings, "fay")
    assert call(engine, my_account.end_other_sessions, actor=world["rosa"], keep_token=here,
                settings=settings) == 2
    assert alive(engine, settings, here) and alive(engine, settings, fay)
    assert not alive(engine, settings, one) and not alive(engine, settings, two)
    assert call(engine, my_account.profile, actor=world["rosa"], keep_token=here,
                settings=settings)["other_sessions"] == 0
    [event] = events(engine, "end_sessions")
    assert event.after == {"sessions": 2, "reason": "sign_out_others"} and event.user_id == world["rosa"].id
    # nothing left to end: no event
    assert call(engine, my_account.end_other_sessions, actor=world["rosa"], keep_token=here,
                settings=settings) == 0
    assert len(events(engine, "end_sessions")) == 1
