"""User accounts (services/accounts.py), on SQLite and PostgreSQL: create, edit, deactivate and reactivate
with audit events and sessions ended, every validation, create_admin, and the all-or-nothing CSV import
with its export."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from db.models import (
    AccountToken,
    AuditEvent,
    Component,
    OutboxMail,
    SignInSession,
    User,
    UserComponent,
    UserRole,
    utcnow,
)
from db.security import check_password
from db.settings import Settings
from services import accounts, sign_in
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.users import actor_for
from tests import factories as f

LINK = "https://tracker.example.org/?set_password="
HEADER = "username,display_name,email,roles,components\n"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 4)


@pytest.fixture
def settings(engine) -> Settings:
    return Settings(database_url=str(engine.url), demo_mode=False, cookie_key="a-test-cookie-key-0123456789",
                    public_url="https://tracker.example.org")


@pytest.fixture
def world(engine):
    """An admin (boss), a reporter (rosa) in two components, a focal point (fay), a deactivated component."""
    with Session(engine, expire_on_commit=False) as s:
        ssc = f.component(s, "Species Survival Commission", kind="Commission")
        member = f.component(s, "Andean Trust")
        old = f.component(s, "Closed Office", kind="Secretariat")
        old.active = False
        s.add(old)
        boss = f.user(s, "boss", ("admin",))
        rosa = f.user(s, "rosa", ("reporter",), (ssc, member))
        fay = f.user(s, "fay", ("focal_point", "secretariat"))
        s.commit()
        return {"engine": engine, "boss": f.actor(s, boss), "rosa": rosa, "fay": fay,
                "ssc": ssc, "member": member, "old": old, "fay_actor": f.actor(s, fay)}


def _user(engine, username) -> User | None:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).first()


def _roles(engine, username) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(UserRole.role).join(User, User.id == UserRole.user_id)
                             .where(User.username == username)).all())


def _components(engine, username) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(Component.name).join(UserComponent, UserComponent.component_id == Component.id)
                             .join(User, User.id == UserComponent.user_id).where(User.username == username)).all())


def _events(engine, username, action=None) -> list[AuditEvent]:
    with Session(engine) as s:
        query = select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == username)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(s.exec(query.order_by(AuditEvent.id)))


def _count(engine, model) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _mails(engine, to=None) -> list[OutboxMail]:
    with Session(engine) as s:
        query = select(OutboxMail).order_by(OutboxMail.id)
        if to:
            query = query.where(OutboxMail.to_address == to)
        return list(s.exec(query))


def _create(world, settings, **overrides) -> User:
    values = {"username": "nina", "display_name": "Nina Nkosi", "email": "Nina@Example.org",
              "roles": ["reporter"], "components": [world["ssc"].id]} | overrides
    with Session(world["engine"], expire_on_commit=False) as s:
        user = accounts.create_user(session=s, actor=world["boss"], settings=settings, **values)
        s.commit()
        return user


def _failed(call) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as failed:
        call()
    return failed.value


# -- create -----------------------------------------------------------------------------------------

def test_create_user_has_no_password_and_gets_an_activation_mail(world, settings):
    engine = world["engine"]
    user = _create(world, settings)
    stored = _user(engine, "nina")
    assert stored.password_hash is None and stored.active
    assert stored.email == "nina@example.org"  # stored lower-case
    assert _roles(engine, "nina") == ["reporter"]
    assert _components(engine, "nina") == ["Species Survival Commission"]
    [event] = _events(engine, "nina", "create")
    assert event.user_id == world["boss"].id
    assert event.after == {"username": "nina", "display_name": "Nina Nkosi", "email": "nina@example.org",
                           "roles": ["reporter"], "components": ["Species Survival Commission"], "active": True}
    [mail] = _mails(engine)
    assert mail.to_address == "nina@example.org" and mail.sent_at is None
    assert LINK in mail.body and "nina" in mail.body
    with Session(engine) as s:
        [token] = s.exec(select(AccountToken).where(AccountToken.user_id == user.id)).all()
    assert token.purpose == "activate" and token.used_at is None


BAD_VALUES = [
    ("username", {"username": "ab"}, "3 to 60"),
    ("username", {"username": "x" * 61}, "3 to 60"),
    ("username", {"username": "nina nkosi"}, "letters, digits"),
    ("username", {"username": "ninà"}, "letters, digits"),
    ("username", {"username": "ROSA"}, "already taken"),  # case-insensitive
    ("display_name", {"display_name": "   "}, "enter the person's name"),
    ("display_name", {"display_name": "N" * 121}, "at most 120"),
    ("display_name", {"display_name": "Nina\x07Nkosi"}, "control characters"),
    ("display_name", {"display_name": "Nina\nNkosi"}, "control characters"),
    ("email", {"email": "nina.example.org"}, "exactly one @"),
    ("email", {"email": "nina@x@example.org"}, "exactly one @"),
    ("email", {"email": "nina@localhost"}, "needs a dot"),
    ("email", {"email": "nina @example.org"}, "no spaces"),
    ("email", {"email": "n" * 190 + "@example.org"}, "at most 200"),
    ("email", {"email": "ROSA@example.org"}, "already has the email"),
    ("email", {"email": ""}, "enter an email"),
    ("roles", {"roles": []}, "at least one role"),
    ("roles", {"roles": ["reporter", "superuser"]}, "unknown role(s): superuser"),
    ("components", {"components": [999_999]}, "unknown component"),
]


@pytest.mark.parametrize("field, overrides, message", BAD_VALUES)
def test_create_user_refuses_each_bad_value_and_writes_nothing(world, settings, field, overrides, message):
    failed = _failed(lambda: _create(world, settings, **overrides))
    assert [e.field for e in failed.errors] == [field]
    assert message in failed.errors[0].message
    assert _user(world["engine"], overrides.get("username", "nina")) is None or field == "username"
    assert _count(world["engine"], User) == 3 and _mails(world["engine"]) == []


def test_a_deactivated_component_is_refused_for_a_new_user(world, settings):
    failed = _failed(lambda: _create(world, settings, components=[world["old"].id]))
    assert failed.for_field("components") == ["deactivated component(s): Closed Office"]


def test_every_problem_is_reported_at_once(world, settings):
    failed = _failed(lambda: _create(world, settings, username="a b", display_name="", email="bad",
                                     roles=[], components=[424242]))
    assert {e.field for e in failed.errors} == {"username", "display_name", "email", "roles", "components"}


# -- update -----------------------------------------------------------------------------------------

def test_update_user_records_only_changed_fields(world, settings):
    engine, rosa = world["engine"], world["rosa"]
    with Session(engine) as s:
        accounts.update_user(session=s, actor=world["boss"], user_id=rosa.id, display_name="Rosa R.",
                             email="ROSA@example.org", roles=["reporter", "focal_point"],
                             components=[world["ssc"].id])
        s.commit()
    stored = _user(engine, "rosa")
    assert (stored.display_name, stored.email) == ("Rosa R.", "rosa@example.org")
    assert _roles(engine, "rosa") == ["focal_point", "reporter"]
    assert _components(engine, "rosa") == ["Species Survival Commission"]
    [event] = _events(engine, "rosa", "update")
    assert event.before == {"display_name": "Rosa", "roles": ["reporter"],
                            "components": ["Andean Trust", "Species Survival Commission"]}
    assert event.after == {"display_name": "Rosa R.", "roles": ["reporter", "focal_point"],
                           "components": ["Species Survival Commission"]}
    assert "password_hash" not in str(event.before) + str(event.after)
    # The sign-in gate reads roles on every run: the next click sees the new role.
    with Session(engine) as s:
        assert actor_for(session=s, username="rosa").roles == {"reporter", "focal_point"}
        # Saving the same values again changes nothing and records nothing.
        accounts.update_user(session=s, actor=world["boss"], user_id=rosa.id, display_name="Rosa R.",
                             email="rosa@example.org", roles=["focal_point", "reporter"],
                             components=[world["ssc"].id])
        s.commit()
    assert len(_events(engine, "rosa", "update")) == 1


def test_update_user_validates_and_keeps_an_existing_deactivated_component(world, settings):
    engine, rosa = world["engine"], world["rosa"]
    with Session(engine) as s:
        s.add(UserComponent(user_id=rosa.id, component_id=world["old"].id))
        s.commit()
    with Session(engine) as s:
        failed = _failed(lambda: accounts.update_user(
            session=s, actor=world["boss"], user_id=rosa.id, display_name="Rosa", email="fay@example.org",
            roles=[], components=[world["old"].id]))
    assert {e.field for e in failed.errors} == {"email", "roles"}  # the kept component is fine
    with Session(engine) as s:
        accounts.update_user(session=s, actor=world["boss"], user_id=rosa.id, display_name="Rosa",
                             email="rosa@example.org", roles=["reporter"], components=[world["old"].id])
        s.commit()
    assert _components(engine, "rosa") == ["Closed Office"]
    with Session(engine) as s, pytest.raises(NotFound):
        accounts.update_user(session=s, actor=world["boss"], user_id=999_999, display_name="X",
                             email="x@example.org", roles=["reporter"], components=[])


def test_the_last_active_admin_keeps_the_admin_role(world, settings):
    engine, boss = world["engine"], world["boss"]
    with Session(engine) as s:
        failed = _failed(lambda: accounts.update_user(
            session=s, actor=boss, user_id=boss.id, display_name="Boss", email="boss@example.org",
            roles=["secretariat"], components=[]))
    assert "last active administrator" in failed.for_field("roles")[0]
    assert _roles(engine, "boss") == ["admin"]
    # With another active admin, the role may go.
    with Session(engine) as s:
        accounts.update_user(session=s, actor=boss, user_id=world["fay"].id, display_name="Fay",
                             email="fay@example.org", roles=["admin"], components=[])
        accounts.update_user(session=s, actor=boss, user_id=boss.id, display_name="Boss",
                             email="boss@example.org", roles=["secretariat"], components=[])
        s.commit()
    assert _roles(engine, "boss") == ["secretariat"]


# -- deactivate and reactivate ----------------------------------------------------------------------

def test_deactivation_ends_every_session_and_reactivation_lets_the_user_back(world, settings):
    engine, rosa = world["engine"], world["rosa"]
    tokens = []
    for _ in range(2):
        with Session(engine) as s:
            signed = sign_in.password_sign_in(session=s, username="rosa", password="secret-password",
                                              client=None, settings=settings)
            s.commit()
        tokens.append(signed.token)
    with Session(engine) as s:
        accounts.set_active(session=s, actor=world["boss"], user_id=rosa.id, active=False, settings=settings)
        s.commit()
    assert not _user(engine, "rosa").active
    with Session(engine) as s:
        assert all(sign_in.resume(session=s, token=t, settings=settings) is None for t in tokens)
        ended = s.exec(select(SignInSession.ended_reason).where(SignInSession.user_id == rosa.id)).all()
        assert ended == ["deactivated", "deactivated"]
        assert actor_for(session=s, username="rosa") is None
    [event] = _events(engine, "rosa", "deactivate")
    assert (event.before, event.after, event.user_id) == ({"active": True}, {"active": False}, world["boss"].id)
    assert _events(engine, str(rosa.id), "end_sessions")[0].after == {"sessions": 2, "reason": "deactivated"}
    with Session(engine) as s:
        refused = sign_in.password_sign_in(session=s, username="rosa", password="secret-password",
                                           client=None, settings=settings)
    assert refused.message == sign_in.DEACTIVATED

    with Session(engine) as s:
        accounts.set_active(session=s, actor=world["boss"], user_id=rosa.id, active=True)
        s.commit()
    assert _user(engine, "rosa").active
    assert _events(engine, "rosa", "reactivate")[0].after == {"active": True}
    with Session(engine) as s:
        assert isinstance(sign_in.password_sign_in(session=s, username="rosa", password="secret-password",
                                                   client=None, settings=settings), sign_in.SignedIn)
    assert _count(engine, User) == 3  # never deleted


def test_an_admin_may_not_deactivate_themselves(world, settings):
    engine, boss = world["engine"], world["boss"]
    with Session(engine) as s:
        failed = _failed(lambda: accounts.set_active(session=s, actor=boss, user_id=boss.id, active=False))
    assert failed.for_field("active") == ["You cannot deactivate your own account."]
    assert _user(engine, "boss").active and _events(engine, "boss", "deactivate") == []


# -- reset link -------------------------------------------------------------------------------------

def test_send_reset_link_queues_a_mail_and_records_who_sent_it(world, settings):
    engine, rosa = world["engine"], world["rosa"]
    with Session(engine) as s:
        accounts.send_reset_link(session=s, actor=world["boss"], user_id=rosa.id, settings=settings)
        s.commit()
    [mail] = _mails(engine)
    assert mail.to_address == "rosa@example.org" and LINK in mail.body
    with Session(engine) as s:
        assert s.exec(select(AccountToken.purpose).where(AccountToken.user_id == rosa.id)).all() == ["reset"]
    [event] = _events(engine, "rosa", "send_reset_link")
    assert event.user_id == world["boss"].id and event.after == {"email": "rosa@example.org"}
    with Session(engine) as s:
        accounts.set_active(session=s, actor=world["boss"], user_id=rosa.id, active=False)
        failed = _failed(lambda: accounts.send_reset_link(session=s, actor=world["boss"], user_id=rosa.id,
                                                          settings=settings))
    assert "deactivated" in failed.for_field("active")[0]


# -- permissions ------------------------------------------------------------------------------------

def test_only_an_admin_manages_users(world, settings):
    engine, fay = world["engine"], world["fay_actor"]
    with Session(engine) as s:
        for call in (
            lambda: accounts.search_users(session=s, actor=fay),
            lambda: accounts.create_user(session=s, actor=fay, username="x1x", display_name="X",
                                         email="x@example.org", roles=["reporter"], components=[],
                                         settings=settings),
            lambda: accounts.update_user(session=s, actor=fay, user_id=fay.id, display_name="X",
                                         email="x@example.org", roles=["admin"], components=[]),
            lambda: accounts.set_active(session=s, actor=fay, user_id=world["rosa"].id, active=False),
            lambda: accounts.send_reset_link(session=s, actor=fay, user_id=world["rosa"].id, settings=settings),
            lambda: accounts.export_users(session=s, actor=fay),
            lambda: accounts.import_users(engine=engine, actor=fay, data=HEADER.encode(), settings=settings),
        ):
            with pytest.raises(PermissionDenied):
                call()
    assert _roles(engine, "fay") == ["focal_point", "secretariat"] and _user(engine, "rosa").active


# -- search -----------------------------------------------------------------------------------------

def test_search_users_filters_and_aggregates(world, settings):
    engine = world["engine"]
    with Session(engine) as s:
        rosa = s.get(User, world["rosa"].id)
        rosa.last_sign_in_at = utcnow() - timedelta(days=3)
        fay = s.get(User, world["fay"].id)
        fay.last_sign_in_at = utcnow() - timedelta(days=90)
        fay.active = False
        s.commit()

    def names(**filters) -> list[str]:
        with Session(engine) as s:
            return list(accounts.search_users(session=s, actor=world["boss"], **filters)["username"])

    with Session(engine) as s:
        frame = accounts.search_users(session=s, actor=world["boss"])
    assert list(frame.columns) == accounts.SEARCH_COLUMNS
    row = frame.set_index("username").loc["rosa"]
    assert row["components"] == "Andean Trust; Species Survival Commission"
    assert row["roles"] == "reporter" and bool(row["active"])
    assert frame.set_index("username").loc["fay", "roles"] == "focal_point; secretariat"
    assert frame.set_index("username").loc["boss", "components"] == ""
    assert names() == ["boss", "fay", "rosa"]  # by display name
    assert names(text="ROS") == ["rosa"]
    assert names(text="example.org fay") == ["fay"]
    assert names(roles=["secretariat", "admin"]) == ["boss", "fay"]
    assert names(component_id=world["member"].id) == ["rosa"]
    assert names(active=False) == ["fay"] and names(active=True) == ["boss", "rosa"]
    assert names(signed_in_since=utcnow() - timedelta(days=30)) == ["rosa"]
    assert names(never_signed_in=True) == ["boss"]


# -- create_admin -----------------------------------------------------------------------------------

def test_create_admin_sets_a_bcrypt_hash_and_the_admin_role(engine):
    with Session(engine) as s:
        accounts.create_admin(session=s, username="root", email="Root@Example.org", display_name="Root Admin",
                              password="lantern river orchid 42")
        s.commit()
    stored = _user(engine, "root")
    assert stored.email == "root@example.org" and stored.password_hash.startswith("$2b$")
    assert check_password("lantern river orchid 42", stored.password_hash)
    assert _roles(engine, "root") == ["admin"]
    [event] = _events(engine, "root", "create_admin")
    assert event.user_id is None and "password" not in str(event.after)
    assert _mails(engine) == []


@pytest.mark.parametrize("overrides, field", [
    ({"password": "password1234"}, "password"),  # common
    ({"password": "short"}, "password"),
    ({"username": "BOSS"}, "username"),
    ({"email": "boss@EXAMPLE.org"}, "email"),
])
def test_create_admin_refuses_a_weak_password_or_an_existing_account(world, overrides, field):
    engine = world["engine"]
    values = {"username": "root", "email": "root@example.org", "display_name": "Root",
              "password": "lantern river orchid 42"} | overrides
    with Session(engine) as s:
        failed = _failed(lambda: accounts.create_admin(session=s, **values))
    assert [e.field for e in failed.errors] == [field]
    assert _user(engine, "root") is None and _count(engine, User) == 3


# -- import -----------------------------------------------------------------------------------------

def _import(world, settings, text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return accounts.import_users(engine=world["engine"], actor=world["boss"], data=data, settings=settings)


GOOD = HEADER + (
    "nina,Nina Nkosi,Nina@Example.org,reporter,Species Survival Commission\n"
    "omar,Omar Haddad,omar@example.org,focal_point; secretariat,Andean Trust;Species Survival Commission\n"
    "rosa,Rosa Reporter,rosa@example.org,reporter,Andean Trust\n"  # existing: name and component change
    "fay,Fay,fay@example.org,focal_point;secretariat,\n"  # existing, unchanged
)


def test_import_creates_updates_and_mails_the_new_users(world, settings):
    engine = world["engine"]
    result = _import(world, settings, GOOD)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    assert _user(engine, "nina").email == "nina@example.org" and _user(engine, "nina").password_hash is None
    assert _roles(engine, "omar") == ["focal_point", "secretariat"]
    assert _components(engine, "omar") == ["Andean Trust", "Species Survival Commission"]
    assert _user(engine, "rosa").display_name == "Rosa Reporter"
    assert _components(engine, "rosa") == ["Andean Trust"]
    [update] = _events(engine, "rosa", "update")
    assert update.before == {"display_name": "Rosa", "components": ["Andean Trust", "Species Survival Commission"]}
    assert len(_events(engine, "nina", "create")) == 1 and _events(engine, "fay", "update") == []
    mails = _mails(engine)
    assert sorted(m.to_address for m in mails) == ["nina@example.org", "omar@example.org"]
    assert all(LINK in m.body for m in mails)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(AccountToken)
                      .where(AccountToken.purpose == "activate")).one() == 2

    again = _import(world, settings, GOOD)  # idempotent
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert len(_mails(engine)) == 2 and len(_events(engine, "rosa", "update")) == 1


BAD_ROWS = [  # the rows under test start on line 3, after the header and a good row
    ("nina,Nina,nina@example.org,superuser,\n", 3, "roles", "unknown role(s): superuser"),
    ("nina,Nina,nina@example.org,reporter,Nowhere Trust\n", 3, "components", "unknown component(s): Nowhere Trust"),
    ("nina,Nina,nina@example.org,reporter,Closed Office\n", 3, "components", "deactivated component(s)"),
    ("nina,Nina,nina@example.org,reporter,\nNINA,Nina B,ninab@example.org,reporter,\n", 4, "username",
     "duplicate username NINA (first on line 3)"),
    ("nina,Nina,nina@example.org,reporter,\nolga,Olga,NINA@example.org,reporter,\n", 4, "email",
     "duplicate email nina@example.org (first on line 3)"),
    ("nina,Nina,ROSA@example.org,reporter,\n", 3, "email", "another account already has the email rosa@example.org"),
    ("Rosa,Rosa,rosa2@example.org,reporter,\n", 3, "username", "already taken"),
    ("nina,Nina,nina(at)example.org,reporter,\n", 3, "email", "exactly one @"),
    ("nina,Nina,nina@example.org,reporter\n", 3, "row", "expected 5 values, found 4"),
    ("nina,,nina@example.org,,\n", 3, "display_name", "enter the person's name"),
]


@pytest.mark.parametrize("rows, line, field, message", BAD_ROWS)
def test_import_lists_each_bad_row_with_its_line_and_writes_nothing(world, settings, rows, line, field, message):
    engine = world["engine"]
    text = HEADER + "omar,Omar,omar@example.org,reporter,\n" + rows
    failed = _failed(lambda: _import(world, settings, text))
    assert [(e.line, e.field) for e in failed.errors if message in e.message] == [(line, field)], failed
    assert all(e.line == line for e in failed.errors)  # the good rows raise nothing
    assert _user(engine, "omar") is None and _user(engine, "nina") is None
    assert _mails(engine) == [] and _count(engine, User) == 3


def test_import_refuses_a_bad_file_before_reading_rows(world, settings):
    wrong = _failed(lambda: _import(world, settings, "username,name,email\nnina,Nina,nina@example.org\n"))
    assert wrong.errors[0].line == 1 and "columns must be exactly" in wrong.errors[0].message
    latin_file = (HEADER + "nina,Niña,n@example.org,reporter,\n").encode("latin-1")
    latin = _failed(lambda: _import(world, settings, latin_file))
    assert "not UTF-8" in latin.errors[0].message
    big = _failed(lambda: _import(world, settings, HEADER.encode() + b"x" * (accounts.MAX_FILE_BYTES + 1)))
    assert big.errors[0].field == "file" and "at most 5 MB" in big.errors[0].message
    assert _count(world["engine"], User) == 3


def test_import_may_not_take_the_last_admin_role(world, settings):
    failed = _failed(lambda: _import(world, settings, HEADER + "boss,Boss,boss@example.org,secretariat,\n"))
    assert failed.errors[0].line == 2 and "last active administrator" in failed.errors[0].message
    assert _roles(world["engine"], "boss") == ["admin"]


def test_import_can_swap_two_emails(world, settings):
    result = _import(world, settings, HEADER + "rosa,Rosa,fay@example.org,reporter,Andean Trust;"
                     "Species Survival Commission\nfay,Fay,rosa@example.org,focal_point;secretariat,\n")
    assert result.updated == 2
    assert (_user(world["engine"], "rosa").email, _user(world["engine"], "fay").email) == (
        "fay@example.org", "rosa@example.org")


def test_export_round_trips_exactly_with_formula_cells_neutralised(world, settings):
    engine = world["engine"]
    _import(world, settings, HEADER + (
        "'-dash,=SUM(A1:A2),plus+tag@example.org,reporter,Andean Trust\n"  # username "-dash" (quoted)
        "quote,'=kept apostrophe,quote@example.org,leadership,\n"
        "at-sign,@home,at@example.org,reporter,\n"
    ))
    assert _user(engine, "-dash").display_name == "=SUM(A1:A2)"
    assert _user(engine, "quote").display_name == "=kept apostrophe"  # exactly one apostrophe stripped
    with Session(engine) as s:
        s.get(User, _user(engine, "quote").id).display_name = "''=two"
        s.commit()
    with Session(engine) as s:
        data = accounts.export_users(session=s, actor=world["boss"])
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(accounts.COLUMNS)
    assert "'-dash,'=SUM(A1:A2)," in text and ",'@home," in text and ",'''=two," in text
    assert "rosa,Rosa,rosa@example.org,reporter,Andean Trust; Species Survival Commission" in text
    before = _count(engine, AuditEvent)
    result = _import(world, settings, data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 6)
    assert _user(engine, "quote").display_name == "''=two"
    assert _count(engine, AuditEvent) == before + 1  # only the import summary


def test_importing_2000_users_is_fast(world, settings, capsys):
    engine = world["engine"]
    lines = [f"user{i:04d},Person {i},person{i}@example.org,reporter;focal_point,"
             f"{'Andean Trust' if i % 2 else 'Species Survival Commission'}" for i in range(2000)]
    data = (HEADER + "\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    result = _import(world, settings, data)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = _import(world, settings, data)
    second = time.perf_counter() - started
    assert (result.created, again.unchanged) == (2000, 2000)
    assert len(_mails(engine)) == 2000 and _count(engine, User) == 2003
    with capsys.disabled():
        print(f"\n[{engine.dialect.name}] import of 2,000 new users: {first:.2f} s; re-import: {second:.2f} s")
