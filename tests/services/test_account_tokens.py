"""Single-use set-password links (activation and reset), on SQLite and PostgreSQL."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text, update
from sqlmodel import Session, SQLModel, select

from db.engine import transaction
from db.models import (
    AccountToken,
    AuditEvent,
    OutboxMail,
    SignInSession,
    SignInThrottle,
    User,
    utcnow,
)
from db.security import check_password, token_digest
from db.settings import Settings, Smtp
from services import account_tokens, mail, sign_in
from services.errors import ValidationFailed
from tests import factories as f
from tests.e2e import smtp

smtp_server = smtp.smtp_server  # the fixture: a real SMTP server on a free port
NEW = "lantern river orchid 42"


@pytest.fixture(autouse=True)
def _cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(account_tokens, "ROUNDS", 4)


def settings_for(server=None) -> Settings:
    smtp = Smtp(host=server.host, port=server.port, starttls=False) if server else Smtp()
    return Settings(database_url="", demo_mode=True, cookie_key="k" * 20, public_url="https://rt.example.org",
                    smtp=smtp)


SETTINGS = settings_for()


def token_of(link: str) -> str:
    assert link.startswith("https://rt.example.org/?set_password=")
    return parse_qs(urlsplit(link).query)["set_password"][0]


@pytest.fixture
def ana(engine) -> int:
    with transaction(engine) as s:
        row = f.user(s, "ana", password="old password 123")
        row.display_name, row.email = "Ana Lima", "ana.lima@example.org"
        s.add(row)
        return row.id


def get_user(s, user_id) -> User:
    return s.get(User, user_id)


def issue(engine, user_id, purpose="reset") -> str:
    with transaction(engine) as s:
        return token_of(account_tokens.issue(s, user=get_user(s, user_id), purpose=purpose, settings=SETTINGS))


def mails(engine) -> list[OutboxMail]:
    with Session(engine) as s:
        return s.exec(select(OutboxMail).order_by(OutboxMail.id)).all()


def events(engine, action) -> list[AuditEvent]:
    with Session(engine) as s:
        return s.exec(select(AuditEvent).where(AuditEvent.action == action)).all()


def everything_stored(engine) -> str:
    """Every value of every table, as text."""
    with engine.connect() as conn:
        return "\n".join(repr(tuple(r)) for table in SQLModel.metadata.sorted_tables
                         for r in conn.execute(text(f'SELECT * FROM "{table.name}"')))


# -- issuing ------------------------------------------------------------------------------------------

def test_a_link_is_stored_hashed_and_works_until_it_expires(engine, ana):
    token = issue(engine, ana)
    with Session(engine) as s:
        [row] = s.exec(select(AccountToken)).all()
        assert row.token_hash == token_digest(token, "") and row.purpose == "reset"
        lifetime = row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None)
        assert lifetime == timedelta(minutes=60)
        assert account_tokens.check(s, token=token).id == ana
    assert token not in everything_stored(engine)

    with transaction(engine) as s:
        s.execute(update(AccountToken).values(created_at=utcnow() - timedelta(minutes=61),
                                              expires_at=utcnow() - timedelta(minutes=1)))
    with transaction(engine) as s:
        assert account_tokens.check(s, token=token) is None
        with pytest.raises(ValidationFailed) as caught:
            account_tokens.set_password(s, token=token, password=NEW, confirm=NEW)
        assert "expired" in caught.value.for_field("token")[0]


def test_activation_links_last_longer_and_a_new_link_voids_the_older_one(engine, ana):
    activate = issue(engine, ana, "activate")
    first = issue(engine, ana, "reset")
    second = issue(engine, ana, "reset")
    with Session(engine) as s:
        row = s.exec(select(AccountToken).where(AccountToken.purpose == "activate")).one()
        assert row.expires_at.replace(tzinfo=None) - row.created_at.replace(tzinfo=None) == timedelta(days=14)
        assert account_tokens.check(s, token=first) is None
        assert account_tokens.check(s, token=second).id == ana
        assert account_tokens.check(s, token=activate).id == ana  # another purpose: still good
        for unknown in ("", None, "not-a-token", second + "x", "x" * 500):
            assert account_tokens.check(s, token=unknown) is None


def test_activation_mail(engine, ana):
    with transaction(engine) as s:
        account_tokens.send_activation(s, user=get_user(s, ana), settings=SETTINGS)
    [sent] = mails(engine)
    assert sent.to_address == "ana.lima@example.org"
    assert "Hello Ana Lima," in sent.body
    assert "Your username: ana" in sent.body
    assert "works once and expires in 14 days" in sent.body
    link = next(w for w in sent.body.split() if w.startswith("https://"))
    with Session(engine) as s:
        assert account_tokens.check(s, token=token_of(link)).id == ana
    [event] = events(engine, "activation_sent")
    assert (event.entity, event.entity_id) == ("user", "ana")
    assert token_of(link) not in repr(event.after)


# -- forgot password ----------------------------------------------------------------------------------

def test_reset_is_found_by_email_in_any_case_or_by_username(engine, ana):
    with transaction(engine) as s:
        assert account_tokens.request_reset(s, email_or_username=" ANA.Lima@Example.org ",
                                            settings=SETTINGS) is None
        account_tokens.request_reset(s, email_or_username="ana", settings=SETTINGS)
    sent = mails(engine)
    assert [m.to_address for m in sent] == ["ana.lima@example.org"] * 2
    assert "works once and expires in one hour" in sent[0].body
    assert "Your username: ana" in sent[0].body
    assert len(events(engine, "reset_sent")) == 2


def test_reset_for_no_account_does_nothing_and_says_the_same(engine, ana):
    with transaction(engine) as s:
        f.user(s, "gone").active = False
    before = everything_stored(engine)
    with transaction(engine) as s:
        for who in ("nobody@example.org", "nobody", "gone", "gone@example.org", "", "   "):
            assert account_tokens.request_reset(s, email_or_username=who, settings=SETTINGS) is None
    assert everything_stored(engine) == before  # no mail, no token, no audit event
    assert "If an account matches" in account_tokens.sent_sentence(SETTINGS)


def test_at_most_three_reset_mails_per_user_and_hour(engine, ana):
    with transaction(engine) as s:
        for _ in range(5):
            account_tokens.request_reset(s, email_or_username="ana", settings=SETTINGS)
    assert len(mails(engine)) == 3
    with transaction(engine) as s:  # an hour later, one more may go
        s.execute(update(AccountToken).values(created_at=utcnow() - timedelta(minutes=61)))
        account_tokens.request_reset(s, email_or_username="ana", settings=SETTINGS)
    assert len(mails(engine)) == 4


# -- setting the password -----------------------------------------------------------------------------

def test_set_password_once_ends_sessions_and_clears_the_throttle(engine, ana):
    with transaction(engine) as s:
        signed = sign_in.password_sign_in(session=s, username="ana", password="old password 123", client=None,
                                          settings=SETTINGS)
        for _ in range(5):
            sign_in.password_sign_in(session=s, username="ana", password="wrong", client=None, settings=SETTINGS)
    assert isinstance(signed, sign_in.SignedIn)
    with Session(engine) as s:
        assert s.get(SignInThrottle, "user:ana") is not None
    token = issue(engine, ana)

    with transaction(engine) as s:
        user = account_tokens.set_password(s, token=token, password=NEW, confirm=NEW)
        assert user.id == ana
    with transaction(engine) as s:
        user = get_user(s, ana)
        assert check_password(NEW, user.password_hash)
        assert not check_password("old password 123", user.password_hash)
        assert s.exec(select(AccountToken)).one().used_at is not None
        assert s.exec(select(SignInSession)).one().ended_reason == "password_reset"
        assert sign_in.resume(session=s, token=signed.token, settings=SETTINGS) is None
        assert s.get(SignInThrottle, "user:ana") is None
        assert sign_in.wait_seconds(session=s, username="ana", client=None) == 0
    [event] = events(engine, "password_set")
    assert (event.entity_id, event.after["by"]) == ("ana", "reset")
    assert token not in everything_stored(engine)

    with transaction(engine) as s:  # single use
        assert account_tokens.check(s, token=token) is None
        with pytest.raises(ValidationFailed) as caught:
            account_tokens.set_password(s, token=token, password="another good one 77", confirm="another good one 77")
        assert caught.value.for_field("token")
    with transaction(engine) as s:
        assert sign_in.password_sign_in(session=s, username="ana", password=NEW, client=None,
                                        settings=SETTINGS).actor.username == "ana"


def test_a_refused_password_changes_nothing(engine, ana):
    token = issue(engine, ana)
    with transaction(engine) as s:
        with pytest.raises(ValidationFailed) as caught:
            account_tokens.set_password(s, token=token, password="short", confirm="other")
        assert caught.value.for_field("password") and caught.value.for_field("confirm")
        with pytest.raises(ValidationFailed) as caught:
            account_tokens.set_password(s, token=token, password="ana.lima@example.org",
                                        confirm="ana.lima@example.org")
        assert "email" in caught.value.for_field("password")[0]
    with Session(engine) as s:
        assert account_tokens.check(s, token=token).id == ana  # still usable
        assert check_password("old password 123", get_user(s, ana).password_hash)


def test_an_activation_link_sets_the_first_password(engine):
    with transaction(engine) as s:
        row = f.user(s, "newbie")
        row.password_hash = None
        account_tokens.send_activation(s, user=row, settings=SETTINGS)
        user_id = row.id
    link = next(w for w in mails(engine)[0].body.split() if w.startswith("https://"))
    with transaction(engine) as s:
        account_tokens.set_password(s, token=token_of(link), password=NEW, confirm=NEW)
    with Session(engine) as s:
        assert check_password(NEW, get_user(s, user_id).password_hash)


def test_a_deactivated_user_cannot_use_a_link(engine, ana):
    token = issue(engine, ana)
    with transaction(engine) as s:
        get_user(s, ana).active = False
    with transaction(engine) as s:
        assert account_tokens.check(s, token=token) is None
        with pytest.raises(ValidationFailed):
            account_tokens.set_password(s, token=token, password=NEW, confirm=NEW)


def test_the_link_in_a_sent_mail_is_removed_from_the_outbox(engine, ana, smtp_server):
    with transaction(engine) as s:
        account_tokens.request_reset(s, email_or_username="ana", settings=SETTINGS)
    [waiting] = mails(engine)
    token = token_of(next(w for w in waiting.body.split() if w.startswith("https://")))
    assert mail.deliver_pending(engine, settings_for(smtp_server)) == (1, 0)
    [received] = smtp_server.wait_for(1)
    assert f"?set_password={token}" in received.get_content()
    assert token not in everything_stored(engine)
    assert "?set_password=(removed once sent)" in mails(engine)[0].body
    with Session(engine) as s:
        assert account_tokens.check(s, token=token).id == ana  # the mailed link still works
