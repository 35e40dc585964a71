"""Access requests: the admin's page (pending, approve, decline, decided), and the request form shown by
the sign-in gate to someone signed in with IUCN Accounts who has no account (AppTest.from_function)."""

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from db.engine import make_engine, transaction
from db.models import (
    AccessRequest,
    Component,
    OutboxMail,
    User,
    UserComponent,
    UserRole,
)
from services import access_requests
from tests.pages.apptest import open_page, reachable

PAGE = "pages/access_requests.py"


def component_id(app_db, name="Species Survival Commission") -> int:
    with Session(make_engine(app_db)) as s:
        row = s.exec(select(Component).where(Component.name == name)).first() \
            or s.exec(select(Component).where(Component.active).order_by(Component.name)).first()
        return row.id


def ask(app_db, email="Jane.Doe@example.org", name="Jane <b>Doe</b>", role="reporter", message="*hello*"):
    with transaction(make_engine(app_db)) as s:
        return access_requests.submit_request(session=s, email=email, name=name, component_id=component_id(app_db),
                                              role=role, message=message).id


def request_row(app_db, request_id: int) -> AccessRequest:
    with Session(make_engine(app_db)) as s:
        return s.get(AccessRequest, request_id)


def mails_to(app_db, address: str) -> list[OutboxMail]:
    with Session(make_engine(app_db)) as s:
        return list(s.exec(select(OutboxMail).where(OutboxMail.to_address == address)))


def button(at, label):
    return next(b for b in at.button if b.label == label)


# -- the admin page -------------------------------------------------------------------------------------
def test_only_the_admin_reaches_the_page(app_db):
    for user in ("reporter", "focal", "secretariat", "leader"):
        assert reachable(PAGE, user) is False, user
    assert reachable(PAGE, "admin") is True


def test_admin_approves_a_request_which_creates_the_account(app_db):
    rid = ask(app_db)
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert at.tabs[0].label.endswith("Pending (1)")
    table = at.dataframe[0].value
    assert list(table["email"]) == ["jane.doe@example.org"]
    at.selectbox(key="access_request_id").set_value(rid).run()
    texts = [t.value for t in at.text]
    assert any("Name: Jane <b>Doe</b>" in t and "jane.doe@example.org" in t for t in texts)  # as plain text
    assert "*hello*" in texts
    assert at.text_input(key=f"approve_username_{rid}").value == "jane.doe"
    assert at.multiselect(key=f"approve_roles_{rid}").value == ["reporter"]
    assert at.multiselect(key=f"approve_components_{rid}").value == [component_id(app_db)]
    at.text_input(key=f"approve_username_{rid}").set_value("jdoe")
    at.text_area(key=f"approve_note_{rid}").set_value("Welcome")
    button(at, "Approve and create the account").click().run()
    assert not at.exception
    assert any("Account jdoe created" in s.value for s in at.success)
    assert at.tabs[0].label.endswith("Pending (0)")
    row = request_row(app_db, rid)
    assert row.state == "approved" and row.decision_note == "Welcome"
    with Session(make_engine(app_db)) as s:
        user = s.exec(select(User).where(User.username == "jdoe")).one()
        assert user.email == "jane.doe@example.org" and user.password_hash is None
        assert set(s.exec(select(UserRole.role).where(UserRole.user_id == user.id))) == {"reporter"}
        assert set(s.exec(select(UserComponent.component_id).where(UserComponent.user_id == user.id))) == {
            component_id(app_db)}
    [mail] = mails_to(app_db, "jane.doe@example.org")
    assert "Sign in with IUCN Accounts" in mail.body
    decided = at.dataframe[-1].value
    assert list(decided["email"]) == ["jane.doe@example.org"] and list(decided["state"]) == ["Approved"]
    assert list(decided["decided_by"]) == ["Adam Admin"]


def test_approve_errors_show_under_the_fields_and_keep_the_input(app_db):
    rid = ask(app_db)
    at = open_page(PAGE, "admin")
    at.selectbox(key="access_request_id").set_value(rid).run()
    at.text_input(key=f"approve_username_{rid}").set_value("secretariat")
    at.multiselect(key=f"approve_roles_{rid}").set_value([])
    button(at, "Approve and create the account").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "the username secretariat is already taken" in errors
    assert "choose at least one role" in errors
    assert at.text_input(key=f"approve_username_{rid}").value == "secretariat"
    assert request_row(app_db, rid).state == "pending"


def test_admin_declines_with_a_note(app_db):
    rid = ask(app_db, email="kim@example.org", name="Kim", role="leadership")
    at = open_page(PAGE, "admin")
    at.selectbox(key="access_request_id").set_value(rid).run()
    at.text_area(key=f"decline_note_{rid}").set_value("Ask your Regional Office.")
    button(at, "Decline").click().run()
    assert not at.exception
    assert any("declined" in s.value for s in at.success)
    row = request_row(app_db, rid)
    assert row.state == "declined" and row.decision_note == "Ask your Regional Office."
    [mail] = mails_to(app_db, "kim@example.org")
    assert "Ask your Regional Office." in mail.body
    with Session(make_engine(app_db)) as s:
        assert s.exec(select(User).where(User.email == "kim@example.org")).first() is None


def test_no_pending_request(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert "No request is waiting." in [s.value for s in at.success]


# -- the request form -----------------------------------------------------------------------------------
def _screen(email, name):
    from db.settings import load_settings
    from ui.access_request import request_access_form

    request_access_form(email=email, name=name, settings=load_settings())


@pytest.fixture
def form(app_db):
    def make(email="Newcomer@Example.org", name="New *Comer*"):
        at = AppTest.from_function(_screen, kwargs={"email": email, "name": name}, default_timeout=30)
        return at.run()
    return make


def test_form_sends_a_request_and_then_shows_it_waiting(app_db, form):
    at = form()
    assert not at.exception
    assert any("You are signed in as Newcomer@Example.org with IUCN Accounts, but the Resolutions Tracker has "
               "no account for this address yet." in t.value for t in at.text)
    assert "Name: New *Comer*" in [t.value for t in at.text]  # provider's text, never Markdown
    roles = at.selectbox(key="access_request_role")
    assert "admin" not in roles.options and "Administrator" not in roles.options
    at.selectbox(key="access_request_component").set_value(component_id(app_db))
    at.text_area(key="access_request_message").set_value("I report for SSC.")
    button(at, "Send request").click().run()
    assert not at.exception
    assert any("Your request was sent" in s.value for s in at.success)
    assert any("is waiting for an administrator" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Send request"]
    with Session(make_engine(app_db)) as s:
        row = s.exec(select(AccessRequest).where(AccessRequest.email == "newcomer@example.org")).one()
        assert (row.role, row.component_id, row.message, row.name) == (
            "reporter", component_id(app_db), "I report for SSC.", "New *Comer*")
    admin_mail = mails_to(app_db, "admin@demo.iucn.invalid")
    assert [m.subject for m in admin_mail] == ["Access request from New *Comer*"]

    again = form()  # a later visit: the waiting request instead of the form
    assert any("is waiting for an administrator" in i.value for i in again.info)
    assert not again.success and "Sign out" in [b.label for b in again.button]


def test_form_shows_errors_next_to_the_fields(app_db, form):
    at = form()
    at.text_area(key="access_request_message").set_value("bad \x1b escape")
    button(at, "Send request").click().run()  # a component focal point must name the organisation
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "choose the organisation you report for" in errors
    assert any("control characters" in e for e in errors)
    assert at.text_area(key="access_request_message").value == "bad \x1b escape"
    with Session(make_engine(app_db)) as s:
        assert s.exec(select(AccessRequest)).all() == []


def test_form_for_an_address_that_already_has_an_account_refuses(app_db, form):
    at = form(email="secretariat@demo.iucn.invalid", name="Sara")
    at.selectbox(key="access_request_role").set_value("secretariat")
    button(at, "Send request").click().run()
    assert any("an account already uses this address" in e.value for e in at.error)
