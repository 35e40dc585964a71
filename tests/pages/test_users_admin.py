"""Users page: the administrator only; search and filters, select a row to edit the account, deactivate and
reactivate, send a reset link, create through the form (errors under the field, input kept).
(The CSV upload itself needs a browser; the import is tested in tests/services/test_accounts.py.)"""

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import OutboxMail, SignInSession, User, UserRole
from tests.pages.apptest import open_page, reachable, session_token
from ui.format import escape_md

PAGE = "pages/users_admin.py"


def stored(app_db, username: str) -> User | None:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(User).where(User.username == username)).first()


def roles_of(app_db, username: str) -> set[str]:
    with Session(make_engine(app_db)) as s:
        return set(s.exec(select(UserRole.role).join(User, User.id == UserRole.user_id)
                          .where(User.username == username)))


def mails_to(app_db, address: str) -> list[OutboxMail]:
    with Session(make_engine(app_db)) as s:
        return list(s.exec(select(OutboxMail).where(OutboxMail.to_address == address)))


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def table(at):
    return next(d for d in at.dataframe if d.key and d.key.startswith("users_table_"))


def select_row(at, username: str):
    """Select the table row of an account, as a click would."""
    frame = table(at)
    position = list(frame.value["username"]).index(username)
    at.session_state[frame.key] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    return at


def errors_after(at, key: str) -> list[str]:
    """The error messages shown right under the widget with `key` (in the slot that follows it)."""
    found = _errors_after(at.main, key)
    if found is None:
        raise AssertionError(f"no widget {key}")
    return found


def _errors_after(node, key: str):
    children = list(getattr(node, "children", {}).values())
    for i, child in enumerate(children):
        if getattr(child, "key", None) == key:
            following = children[i + 1] if i + 1 < len(children) else None
            return [e.value for e in following.error] if following is not None else []
        found = _errors_after(child, key)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert reachable(PAGE, user) is False


def test_admin_searches_and_filters(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    usernames = set(table(at).value["username"])
    assert {"reporter", "focal", "secretariat", "leader", "admin"} <= usernames
    at.text_input(key="users_q").set_value("rosa reporter").run()
    assert list(table(at).value["username"]) == ["reporter"]
    row = table(at).value.iloc[0]
    assert row["roles"] == "Component focal point"
    assert row["components"] == "Andean Highlands Conservation Trust; Species Survival Commission"
    at.text_input(key="users_q").set_value("").run()
    at.multiselect(key="users_roles").set_value(["admin"]).run()
    assert list(table(at).value["username"]) == ["admin"]
    at.multiselect(key="users_roles").set_value([]).run()
    at.selectbox(key="users_seen").set_value("recent").run()
    assert list(table(at).value["username"]) == ["admin"]  # the only demo account signed in (by this test)
    at.selectbox(key="users_seen").set_value("never").run()
    assert "admin" not in set(table(at).value["username"]) and "reporter" in set(table(at).value["username"])
    assert [b.label for b in at.get("download_button")] == ["Download CSV"]


def test_admin_creates_a_user_through_the_form(app_db):
    at = open_page(PAGE, "admin")
    assert any("New users receive an activation mail" in i.value for i in at.info)
    at.text_input(key="new_username").set_value("nina.nkosi")
    at.text_input(key="new_display_name").set_value("Nina Nkosi")
    at.text_input(key="new_email").set_value("Nina.Nkosi@Example.org")
    at.multiselect(key="new_roles").set_value(["reporter"])
    button(at, "Create user").click().run()
    assert not at.exception
    user = stored(app_db, "nina.nkosi")
    assert user is not None and user.password_hash is None and user.email == "nina.nkosi@example.org"
    assert roles_of(app_db, "nina.nkosi") == {"reporter"}
    [mail] = mails_to(app_db, "nina.nkosi@example.org")
    assert "set_password=" in mail.body
    assert any(f"Account {escape_md('nina.nkosi')} created" in m.value for m in at.success)  # Markdown-escaped
    assert at.text_input(key="new_username").value == ""  # the form starts again empty
    assert any(t.value.startswith("Nina Nkosi · nina.nkosi") for t in at.text)  # and the new account is open


def test_a_bad_value_is_shown_under_its_field_and_the_input_is_kept(app_db):
    at = open_page(PAGE, "admin")
    at.text_input(key="new_username").set_value("nina nkosi")
    at.text_input(key="new_display_name").set_value("Nina Nkosi")
    at.text_input(key="new_email").set_value("reporter@demo.iucn.invalid")
    button(at, "Create user").click().run()
    assert not at.exception
    assert errors_after(at, "new_username") == [escape_md("use only letters, digits and . _ - (no spaces or accents)")]
    assert errors_after(at, "new_email") == [
        escape_md("another account already has the email reporter@demo.iucn.invalid")]
    assert errors_after(at, "new_roles") == ["choose at least one role"]
    assert errors_after(at, "new_display_name") == []
    assert at.text_input(key="new_username").value == "nina nkosi"
    assert at.text_input(key="new_display_name").value == "Nina Nkosi"
    assert stored(app_db, "nina nkosi") is None


def test_admin_edits_deactivates_and_reactivates_an_account(app_db):
    token = session_token("reporter")  # the reporter is signed in somewhere
    at = open_page(PAGE, "admin")
    select_row(at, "reporter")
    reporter = stored(app_db, "reporter")
    prefix = f"edit_{reporter.id}_0"
    at.text_input(key=f"{prefix}_display_name").set_value("Rosa R.")
    at.multiselect(key=f"{prefix}_roles").set_value(["reporter", "focal_point"])
    button(at, "Save").click().run()
    assert not at.exception
    assert stored(app_db, "reporter").display_name == "Rosa R."
    assert roles_of(app_db, "reporter") == {"reporter", "focal_point"}
    assert any("Account reporter saved" in m.value for m in at.success)

    button(at, "Deactivate").click().run()
    assert not at.exception
    assert not stored(app_db, "reporter").active
    assert any("deactivated" in m.value for m in at.success)
    with Session(make_engine(app_db)) as s:
        open_sessions = s.exec(select(SignInSession).where(SignInSession.user_id == reporter.id,
                                                           SignInSession.ended_at.is_(None))).all()
    assert open_sessions == [] and token
    assert button(at, "Send password-reset link").disabled

    button(at, "Reactivate").click().run()
    assert stored(app_db, "reporter").active
    button(at, "Send password-reset link").click().run()
    assert not at.exception
    assert len(mails_to(app_db, reporter.email)) == 1


def test_an_edit_error_is_shown_under_its_field(app_db):
    at = open_page(PAGE, "admin")
    select_row(at, "reporter")
    prefix = f"edit_{stored(app_db, 'reporter').id}_0"
    at.text_input(key=f"{prefix}_email").set_value("not an address")
    button(at, "Save").click().run()
    assert errors_after(at, f"{prefix}_email") == ["an email address has no spaces"]
    assert at.text_input(key=f"{prefix}_email").value == "not an address"
    assert stored(app_db, "reporter").email != "not an address"


def test_the_admin_cannot_deactivate_themselves(app_db):
    at = open_page(PAGE, "admin")
    select_row(at, "admin")
    assert button(at, "Deactivate").disabled
