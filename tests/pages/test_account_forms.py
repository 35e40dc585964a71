"""The sign-in screen's pieces for passwords set by mail (ui/account_forms.py), through AppTest."""

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, transaction
from db.models import OutboxMail, User
from db.security import check_password
from db.settings import load_settings
from services import account_tokens
from services.passwords import RULE
from tests.pages.apptest import APP
from ui.format import escape_md

GOOD = "lantern river orchid 42"


def forgot_script():
    from db.settings import load_settings
    from ui.account_forms import forgot_password_form

    forgot_password_form(load_settings())


def set_password_script():
    import streamlit as st

    from db.settings import load_settings
    from ui.account_forms import set_password_form

    token = st.query_params.get("set_password")
    if token:
        st.session_state["replaced"] = set_password_form(token, load_settings())
    else:
        st.session_state["replaced"] = None
        st.text("The sign-in form")


@pytest.fixture(autouse=True)
def _cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(account_tokens, "ROUNDS", 4)


@pytest.fixture
def nudges(monkeypatch) -> list:
    calls = []
    monkeypatch.setattr("ui.mail_worker.nudge", lambda: calls.append(1))
    return calls


def outbox(app_db) -> list[OutboxMail]:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(OutboxMail).order_by(OutboxMail.id)).all()


def reset_link(app_db, username: str = "reporter") -> str:
    with transaction(make_engine(app_db)) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        link = account_tokens.issue(s, user=user, purpose="reset", settings=load_settings())
    return link.split("set_password=", 1)[1]


def password_of(app_db, username: str = "reporter") -> str:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(User.password_hash).where(User.username == username)).one()


def field(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def ask(at: AppTest, who: str) -> AppTest:
    field(at, "Email or username").input(who)
    next(b for b in at.button if b.label == "Send me a link").click().run()
    assert not at.exception
    return at


# -- forgot password ----------------------------------------------------------------------------------

def test_forgot_password_says_the_same_whether_or_not_an_account_matches(app_db, nudges):
    at = AppTest.from_function(forgot_script, default_timeout=30).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Send me a link"]
    ask(at, "Reporter@Demo.IUCN.invalid")
    known = at.success[0].value
    assert known.startswith("If an account matches, a link")
    [sent] = outbox(app_db)
    assert sent.to_address == "reporter@demo.iucn.invalid"
    assert "set_password=" in sent.body
    assert nudges  # delivered right away, by the mail thread

    other = AppTest.from_function(forgot_script, default_timeout=30).run()
    ask(other, "nobody@example.org")
    assert [s.value for s in other.success] == [known]
    assert not other.error
    assert len(outbox(app_db)) == 1


def test_forgot_password_needs_something_to_look_for(app_db, nudges):
    at = AppTest.from_function(forgot_script, default_timeout=30).run()
    ask(at, "   ")
    assert at.error[0].value == "Enter your email address or username."
    assert not at.success
    assert outbox(app_db) == []


# -- set a password from a link ---------------------------------------------------------------------

def open_link(token: str) -> AppTest:
    at = AppTest.from_function(set_password_script, default_timeout=30)
    at.query_params["set_password"] = token
    at.run()
    assert not at.exception
    return at


def submit(at: AppTest, password: str, repeat: str) -> AppTest:
    field(at, "New password").input(password)
    field(at, "Repeat the new password").input(repeat)
    next(b for b in at.button if b.label == "Set my password").click().run()
    assert not at.exception
    return at


def test_a_valid_link_sets_the_password_once(app_db):
    token = reset_link(app_db)
    before = password_of(app_db)
    at = open_link(token)
    assert at.session_state["replaced"] is True
    assert "Set your password" in [h.value for h in at.subheader]
    assert at.text[0].value == "Username: reporter"
    new = field(at, "New password")
    assert new.proto.type == new.proto.PASSWORD and new.help == RULE

    submit(at, "short", "other")
    assert [e.value for e in at.error] == [
        "Please correct these 2 problems (shown next to each field). Nothing you typed was lost.",  # ui/write.py
        escape_md("use at least 12 characters (this one has 5)"), "the two passwords differ"]
    assert field(at, "New password").value == "short"  # input kept
    assert field(at, "Repeat the new password").value == "other"
    assert password_of(app_db) == before

    submit(at, GOOD, GOOD)
    assert at.success[0].value == "Your password is set. Sign in with it now."
    assert at.session_state["replaced"] is True
    assert check_password(GOOD, password_of(app_db))
    assert "set_password_new" not in at.session_state  # not kept once set

    next(b for b in at.button if b.label == "Go to sign in").click().run()
    assert "set_password" not in at.query_params
    assert at.text[0].value == "The sign-in form"

    again = open_link(token)  # the same link, another time
    assert again.session_state["replaced"] is True
    assert "already used" in again.error[0].value
    assert [b.label for b in again.button] == ["Send me a link", "Back to sign in"]
    assert not any(t.label == "New password" for t in again.text_input)


def test_a_link_used_meanwhile_is_refused_with_the_forgot_form(app_db):
    token = reset_link(app_db)
    at = open_link(token)
    with transaction(make_engine(app_db)) as s:  # used in another tab
        account_tokens.set_password(s, token=token, password=GOOD, confirm=GOOD)
    submit(at, "another good password 9", "another good password 9")
    assert "already used" in at.error[0].value
    assert [b.label for b in at.button] == ["Send me a link", "Back to sign in"]
    assert check_password(GOOD, password_of(app_db))


def test_an_unknown_link_says_so(app_db):
    at = open_link("not-a-real-token")
    assert at.session_state["replaced"] is True
    assert at.error[0].value == account_tokens.BAD_LINK
    assert "Forgot your password?" in [h.value for h in at.subheader]
    next(b for b in at.button if b.label == "Back to sign in").click().run()
    assert "set_password" not in at.query_params
    assert at.text[0].value == "The sign-in form"


def test_the_sign_in_screen_with_a_dead_link_draws_each_form_once(app_db):
    """Through app.py and ui/auth.py: the link screen replaces the sign-in form (one forgot form only)."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["set_password"] = "not-a-real-token"
    at.run()
    assert not at.exception
    assert at.error[0].value == account_tokens.BAD_LINK
    assert [b.label for b in at.button].count("Send me a link") == 1
    ask(at, "reporter")
    assert at.success[0].value.startswith("If an account matches")
    assert [m.to_address for m in outbox(app_db)] == ["reporter@demo.iucn.invalid"]
    next(b for b in at.button if b.label == "Back to sign in").click().run()
    assert not at.exception
    assert "Sign in" in [b.label for b in at.button]


def test_the_sign_in_screen_offers_forgot_password(app_db, nudges):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "Forgot your password?" in [e.label for e in at.expander]
    ask(at, "reporter@demo.iucn.invalid")
    assert at.success[0].value.startswith("If an account matches")
    assert len(outbox(app_db)) == 1 and nudges
