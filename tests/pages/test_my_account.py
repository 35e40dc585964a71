"""My account (every role), driven with AppTest on a copy of the demo data."""

import pytest
from sqlmodel import Session, select

from db import vocab
from db.engine import make_engine, transaction
from db.models import User
from db.security import check_password
from db.settings import load_settings
from services import mail_preferences, my_account, sign_in
from services.errors import ValidationFailed
from tests.factories import actor
from tests.pages.apptest import PASSWORDS, open_page, session_token
from ui.format import escape_md

# the one summary above a form (ui/write.py), then each message under its field (Markdown-escaped)
CORRECT_ONE = "Please correct this problem (shown next to the field). Nothing you typed was lost."
CORRECT_TWO = "Please correct these 2 problems (shown next to each field). Nothing you typed was lost."

PAGE = "pages/my_account.py"
NEW = "lantern river orchid 42"


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(my_account, "ROUNDS", 4)


def stored(app_db, username: str) -> User:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(User).where(User.username == username)).one()


def still_open(app_db, token: str) -> bool:
    with transaction(make_engine(app_db)) as s:
        return sign_in.resume(session=s, token=token, settings=load_settings()) is not None


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def errors(at) -> list[str]:
    return [e.value for e in at.error]


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_role_changes_its_display_name_and_sees_field_errors(app_db, user):
    at = open_page(PAGE, user)  # switch_page raises ValueError when the page is not in the navigation
    assert not at.exception
    before = stored(app_db, user)
    assert at.text_input(key="account_display_name").value == before.display_name
    assert at.text_input(key="account_email").value == before.email
    assert at.selectbox(key="account_language").value == "en"
    assert [t.value for t in at.text_input if t.label == "Username"] == [user]

    at.text_input(key="account_display_name").set_value("  A New Name ")
    button(at, "Save").click().run()
    assert not at.exception
    assert stored(app_db, user).display_name == "A New Name"
    assert "Your profile is saved." in [m.value for m in at.success]
    assert at.text_input(key="account_display_name").value == "A New Name"

    # every problem at once, under its field, with what was typed kept
    at.text_input(key="account_display_name").set_value("")
    at.text_input(key="account_email").set_value("not an address")
    at.selectbox(key="account_language").set_value("fr")
    button(at, "Save").click().run()
    assert not at.exception
    assert errors(at) == [CORRECT_TWO, "Enter the name others see",
                          escape_md("This is not an email address (for example: name@iucn.org)")]
    assert at.text_input(key="account_display_name").value == ""
    assert at.text_input(key="account_email").value == "not an address"
    assert at.selectbox(key="account_language").value == "fr"
    after = stored(app_db, user)
    assert (after.display_name, after.email, after.language) == ("A New Name", before.email, "en")


def test_an_email_of_another_account_is_refused_on_the_page(app_db):
    at = open_page(PAGE, "leader")
    at.text_input(key="account_email").set_value(stored(app_db, "focal").email.upper())
    button(at, "Save").click().run()
    assert errors(at) == [CORRECT_ONE, "Another account already uses this email address"]
    assert stored(app_db, "leader").email == stored(app_db, "leader").email.lower() != stored(app_db, "focal").email


def test_change_password_through_the_form(app_db):
    elsewhere = session_token("reporter")  # the same account in another browser
    at = open_page(PAGE, "reporter")
    here = at.session_state["_rt_session"]
    assert "You are also signed in on **1 other browser or device**" in " ".join(m.value for m in at.markdown)
    assert at.text_input(key="account_new").proto.help == my_account.passwords.RULE

    # a wrong current password and two different new ones: both said, under their fields, input kept
    at.text_input(key="account_current").set_value("not my password")
    at.text_input(key="account_new").set_value(NEW)
    at.text_input(key="account_confirm").set_value(NEW + "?")
    button(at, "Change password").click().run()
    assert not at.exception
    assert errors(at) == [CORRECT_TWO, "This is not your current password", "the two passwords differ"]
    assert at.text_input(key="account_new").value == NEW
    assert check_password(PASSWORDS["reporter"], stored(app_db, "reporter").password_hash)
    assert still_open(app_db, elsewhere)

    at.text_input(key="account_current").set_value(PASSWORDS["reporter"])
    at.text_input(key="account_confirm").set_value(NEW)
    button(at, "Change password").click().run()
    assert not at.exception
    assert any("other session of your account was signed out" in m.value for m in at.success)
    assert check_password(NEW, stored(app_db, "reporter").password_hash)
    assert not still_open(app_db, elsewhere)
    assert still_open(app_db, here) and at.session_state["actor"].username == "reporter"
    assert [t.value for t in at.text_input if t.key in ("account_current", "account_new", "account_confirm")] \
        == ["", "", ""]
    assert "You are signed in on this browser only." in [m.value for m in at.markdown]
    assert button(at, "Sign out everywhere else").disabled


def test_a_weak_new_password_is_refused_on_the_page(app_db):
    at = open_page(PAGE, "admin")
    at.text_input(key="account_current").set_value(PASSWORDS["admin"])
    at.text_input(key="account_new").set_value("short")
    at.text_input(key="account_confirm").set_value("short")
    button(at, "Change password").click().run()
    assert errors(at) == [CORRECT_ONE, escape_md("use at least 12 characters (this one has 5)")]
    assert check_password(PASSWORDS["admin"], stored(app_db, "admin").password_hash)


def test_sign_out_everywhere_else(app_db):
    others = [session_token("focal"), session_token("focal")]
    at = open_page(PAGE, "focal")
    assert "You are also signed in on **2 other browsers or devices**" in " ".join(m.value for m in at.markdown)
    button(at, "Sign out everywhere else").click().run()
    assert not at.exception
    assert "Signed out of 2 other sessions; this browser stays signed in." in [m.value for m in at.success]
    assert not any(still_open(app_db, t) for t in others)
    assert still_open(app_db, at.session_state["_rt_session"])
    assert button(at, "Sign out everywhere else").disabled


# -- mail choices (issue 15) -----------------------------------------------------------------------------
MAIL_KINDS_SHOWN = {
    "reporter": ["reminders", "activity_returned", "activity_cited"],
    "focal": ["reminders", "activity_returned", "activity_cited", "progress_returned", "progress_published"],
    "secretariat": ["reminders", "activity_returned", "activity_cited", "progress_returned", "progress_published",
                    "progress_in_review", "weekly_digest"],
    "leader": ["weekly_digest"],
    "admin": list(vocab.MAIL_KINDS),
}


def delivery(app_db, username: str, kind: str) -> str:
    with Session(make_engine(app_db)) as s:
        return mail_preferences.delivery(s, stored(app_db, username).id, kind)


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_each_role_chooses_the_mail_that_concerns_it(app_db, user):
    at = open_page(PAGE, user)
    assert not at.exception
    shown = [b.key.removeprefix("mail_") for b in at.selectbox if b.key and b.key.startswith("mail_")]
    assert shown == MAIL_KINDS_SHOWN[user]
    for kind in shown:  # each as stored: by default all on, the weekly digest for its readers only
        assert at.selectbox(key=f"mail_{kind}").value == delivery(app_db, user, kind)
    if "weekly_digest" in shown:
        assert delivery(app_db, user, "weekly_digest") == ("immediate" if user in ("secretariat", "leader") else "off")
    kind = shown[-1]
    wanted = "off" if kind in ("reminders", "weekly_digest") and user != "admin" else "digest"
    if kind == "weekly_digest" and user == "admin":
        wanted = "immediate"  # the administrator may choose it (off by default)
    at.selectbox(key=f"mail_{kind}").set_value(wanted)
    button(at, "Save mail choices").click().run()
    assert not at.exception
    assert delivery(app_db, user, kind) == wanted
    assert "Your mail choices are saved." in [m.value for m in at.success]
    assert at.selectbox(key=f"mail_{kind}").value == wanted


def test_reminders_and_the_weekly_digest_are_on_or_off_and_the_others_have_a_daily_digest(app_db):
    at = open_page(PAGE, "secretariat")
    assert at.selectbox(key="mail_weekly_digest").options == ["Off", "On"]
    assert at.selectbox(key="mail_reminders").options == ["Off", "On"]
    assert at.selectbox(key="mail_progress_in_review").options == ["Off", "Immediately", "In a daily digest"]
    button(at, "Save mail choices").click().run()
    assert "Nothing changed in your mail choices." in [m.value for m in at.success]


def test_a_choice_not_offered_is_refused_by_the_service(app_db):
    with pytest.raises(ValidationFailed) as refused, transaction(make_engine(app_db)) as s:
        me = actor(s, stored(app_db, "reporter"))
        my_account.set_mail_choices(session=s, actor=me, choices={"weekly_digest": "immediate", "reminders": "digest"})
    assert {e.field for e in refused.value.errors} == {"mail_weekly_digest", "mail_reminders"}
    assert delivery(app_db, "reporter", "weekly_digest") == "off"
