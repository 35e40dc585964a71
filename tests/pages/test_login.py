"""The sign-in gate through the real form: good and bad passwords, throttling, deactivated accounts, sign-out
and copied session ids, changes that take effect at the next click, and the refusal to start with a bad
configuration. (The re-login cookie in a real browser: tests/e2e/test_sessions_e2e.py.)"""

from datetime import timedelta

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, transaction
from db.models import SignInSession, SignInThrottle, User, UserRole, utcnow
from db.settings import DEMO_COOKIE_KEY
from services import sign_in
from tests.pages.apptest import APP, PASSWORDS, session_token
from ui.auth import ENDED, SESSION_KEY, SIGNED_OUT


def login_form() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def sign_in_through_form(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    return at


def signed_in_as(at: AppTest) -> str | None:
    for caption in at.sidebar.caption:
        if caption.value.startswith("Signed in as"):
            return caption.value
    return None


def db(app_db):
    return make_engine(app_db)


def user_row(app_db, username: str) -> User:
    with Session(db(app_db)) as s:
        return s.exec(select(User).where(User.username == username)).one()


def test_sign_in_screen(app_db):
    at = login_form()
    assert "Resolutions Tracker" in at.title[0].value
    assert [t.label for t in at.text_input] == ["Username", "Password", "Email or username"]
    assert signed_in_as(at) is None and "actor" not in at.session_state
    assert {e.label for e in at.expander} >= {"Demo accounts", "Forgot your password?"}
    demo = next(e for e in at.expander if e.label == "Demo accounts")
    assert set(demo.dataframe[0].value["Username"]) == set(PASSWORDS)
    assert not [b for b in at.button if b.label == "Sign in with IUCN Accounts"]  # no [auth] configured


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_good_sign_in_through_the_form(app_db, user):
    at = sign_in_through_form(login_form(), user, PASSWORDS[user])
    assert signed_in_as(at).startswith(f"Signed in as **{user_row(app_db, user).display_name}**")
    assert at.session_state["actor"].username == user
    assert not at.error
    assert at.session_state["sign_in_password"] == ""  # the password is not kept in the session
    assert not [t for t in at.text_input if t.label == "Password"]  # the form is gone in the same run
    with Session(db(app_db)) as s:
        row = s.exec(select(SignInSession).join(User).where(User.username == user)).one()
        assert row.ended_at is None and row.method == "password"


def test_bad_password_gives_a_clear_message(app_db):
    at = sign_in_through_form(login_form(), "reporter", "not-the-password")
    assert at.error[0].value == sign_in.WRONG
    assert signed_in_as(at) is None and "actor" not in at.session_state
    assert at.text_input(key="sign_in_username").value == "reporter"  # kept for the next try
    with Session(db(app_db)) as s:
        assert s.get(SignInThrottle, "user:reporter").failures == 1


def test_unknown_user_gives_the_same_message(app_db):
    at = sign_in_through_form(login_form(), "nobody", "whatever-it-is")
    assert at.error[0].value == sign_in.WRONG


def test_repeated_failures_slow_down_without_locking_the_owner_out(app_db):
    at = login_form()
    for _ in range(sign_in.FREE_FAILURES + 1):
        sign_in_through_form(at, "leader", "wrong-password")
        assert at.error[0].value == sign_in.WRONG
    sign_in_through_form(at, "leader", PASSWORDS["leader"])  # too soon, even with the right password
    assert at.error[0].value.startswith("Too many failed sign-ins. Wait")
    assert signed_in_as(at) is None
    with transaction(db(app_db)) as s:  # the wait is over
        s.get(SignInThrottle, "user:leader").blocked_until = utcnow() - timedelta(seconds=1)
    sign_in_through_form(at, "leader", PASSWORDS["leader"])
    assert signed_in_as(at)


def test_a_deactivated_account_cannot_sign_in(app_db):
    with transaction(db(app_db)) as s:
        s.exec(select(User).where(User.username == "reporter")).one().active = False
    at = sign_in_through_form(login_form(), "reporter", PASSWORDS["reporter"])
    assert signed_in_as(at) is None
    assert at.error[0].value == sign_in.DEACTIVATED


def test_sign_out_ends_the_session_and_the_copied_id_no_longer_works(app_db):
    at = sign_in_through_form(login_form(), "focal", PASSWORDS["focal"])
    token = at.session_state[SESSION_KEY]
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert not at.exception
    assert signed_in_as(at) is None and at.text_input(key="sign_in_username")
    assert [i.value for i in at.info] == [SIGNED_OUT]
    with Session(db(app_db)) as s:
        assert s.exec(select(SignInSession).where(SignInSession.ended_at.is_(None))).all() == []
    copied = AppTest.from_file(APP, default_timeout=30)  # another browser holding the same id
    copied.session_state[SESSION_KEY] = token
    copied.run()
    assert signed_in_as(copied) is None and "actor" not in copied.session_state


def test_deactivation_and_a_role_change_take_effect_at_the_next_click(app_db):
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state[SESSION_KEY] = session_token("secretariat")
    at.run()
    assert at.session_state["actor"].roles == {"secretariat"}
    with transaction(db(app_db)) as s:
        user = s.exec(select(User).where(User.username == "secretariat")).one()
        s.add(UserRole(user_id=user.id, role="leadership"))
    at.run()
    assert at.session_state["actor"].roles == {"secretariat", "leadership"}
    with transaction(db(app_db)) as s:
        s.exec(select(User).where(User.username == "secretariat")).one().active = False
    at.run()
    assert not at.exception
    assert signed_in_as(at) is None and "actor" not in at.session_state
    assert at.text_input(key="sign_in_username")
    assert [i.value for i in at.info] == [ENDED]  # the user is told why


def test_password_sign_in_can_be_switched_off(app_db, monkeypatch):
    monkeypatch.setenv("RT_PASSWORD_LOGIN", "0")
    at = login_form()
    assert not at.text_input
    assert "No way to sign in is configured" in at.error[0].value


def test_refuses_to_start_without_a_cookie_key_outside_demo_mode(app_db, monkeypatch):
    monkeypatch.setenv("RT_DEMO", "0")
    monkeypatch.delenv("RT_COOKIE_KEY", raising=False)
    at = login_form()
    assert "The app cannot start: RT_COOKIE_KEY is not set" in at.error[0].value
    assert not at.text_input


def test_refuses_the_demo_key_outside_demo_mode(app_db, monkeypatch):
    monkeypatch.setenv("RT_DEMO", "0")
    monkeypatch.setenv("RT_COOKIE_KEY", DEMO_COOKIE_KEY)
    at = login_form()
    assert "demo key" in at.error[0].value
    assert not at.text_input


def test_refuses_demo_accounts_outside_demo_mode(app_db, monkeypatch):
    monkeypatch.setenv("RT_DEMO", "0")
    monkeypatch.setenv("RT_COOKIE_KEY", "a-real-secret-key-for-this-test-only")
    at = login_form()
    assert "The app cannot start" in at.error[0].value and "demo accounts" in at.error[0].value
    assert not at.text_input


def cookie_scripts(at: AppTest) -> list[str]:
    return [element.proto.body for element in at.get("html")]


@pytest.mark.parametrize("public_url, secure", [("https://tracker.example.org", True),
                                                ("http://localhost:8501", False)])
def test_the_cookie_holds_only_the_session_id_and_is_secure_over_https(app_db, monkeypatch, public_url, secure):
    monkeypatch.setenv("RT_PUBLIC_URL", public_url)
    at = sign_in_through_form(login_form(), "leader", PASSWORDS["leader"])
    [script] = cookie_scripts(at)
    token = at.session_state[SESSION_KEY]
    assert f"resolutions_tracker_session={token}; Path=/; SameSite=Lax" in script
    assert ("; Secure" in script) is secure
    assert "leader" not in script  # nothing but the random id
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    [cleared] = cookie_scripts(at)
    assert "resolutions_tracker_session=; Path=/" in cleared and "Max-Age=0" in cleared
    at.run()
    assert cookie_scripts(at) == []  # written once, not on every run
