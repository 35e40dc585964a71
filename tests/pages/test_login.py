"""Sign-in through the real form: good and bad passwords, the temporary lock, inactive accounts, and the
refusal to start with a bad configuration. (Sign-out and the re-login cookie need a browser: tests/e2e.)"""

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine
from db.models import User
from db.settings import DEMO_COOKIE_KEY
from tests.pages.apptest import APP, PASSWORDS

MAX_FAILURES = 5  # db.settings.Settings.max_failed_logins


def login_form() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    return at


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.label == "Sign in").click().run()
    assert not at.exception
    return at


def signed_in_as(at: AppTest) -> str | None:
    for caption in at.sidebar.caption:
        if caption.value.startswith("Signed in as"):
            return caption.value
    return None


def user_row(app_db, username: str) -> User:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(User).where(User.username == username)).one()


def test_login_page(app_db):
    at = login_form()
    assert "Resolutions Tracker" in at.title[0].value
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert signed_in_as(at) is None
    assert "actor" not in at.session_state
    demo = next(e for e in at.expander if e.label == "Demo accounts")
    assert set(demo.dataframe[0].value["Username"]) == set(PASSWORDS)


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_good_login_through_the_form(app_db, user):
    at = sign_in(login_form(), user, PASSWORDS[user])
    assert at.session_state["authentication_status"] is True
    assert signed_in_as(at).startswith(f"Signed in as **{user_row(app_db, user).display_name}**")
    assert at.session_state["actor"].username == user
    assert not at.error


def test_bad_password_gives_a_clear_message(app_db):
    at = sign_in(login_form(), "reporter", "not-the-password")
    assert at.error[0].value == "Wrong username or password. Check both and try again."
    assert signed_in_as(at) is None and "actor" not in at.session_state
    assert user_row(app_db, "reporter").failed_logins == 1


def test_unknown_user_gives_the_same_message(app_db):
    at = sign_in(login_form(), "nobody", "whatever")
    assert at.error[0].value == "Wrong username or password. Check both and try again."


def test_repeated_failures_lock_the_account(app_db):
    at = login_form()
    for _ in range(MAX_FAILURES - 1):
        sign_in(at, "leader", "wrong")
        assert "Wrong username or password" in at.error[0].value
    sign_in(at, "leader", "wrong")
    assert "locked" in at.error[0].value
    assert user_row(app_db, "leader").locked_until is not None
    # Even the right password is refused while the lock lasts, in a fresh session too.
    at = sign_in(login_form(), "leader", PASSWORDS["leader"])
    assert "locked" in at.error[0].value
    assert signed_in_as(at) is None


def test_a_good_sign_in_resets_the_failure_count(app_db):
    at = login_form()
    sign_in(at, "focal", "wrong")
    sign_in(at, "focal", PASSWORDS["focal"])
    assert signed_in_as(at)
    assert user_row(app_db, "focal").failed_logins == 0


def test_inactive_account_cannot_sign_in(app_db):
    with Session(make_engine(app_db)) as s:
        user = s.exec(select(User).where(User.username == "reporter")).one()
        user.active = False
        s.add(user)
        s.commit()
    at = sign_in(login_form(), "reporter", PASSWORDS["reporter"])
    assert signed_in_as(at) is None
    assert at.error


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
