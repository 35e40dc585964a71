"""Single sign-on end to end: the app (demo data) signs in through a real OpenID Connect provider on
localhost with Streamlit's st.login; an address with an account lands signed in, an unknown one may
request access, which an administrator approves; signing out ends both the app's session and st.user."""

import re
import shutil

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AccessRequest, SignInSession, User
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, running_app, wait_idle
from tests.e2e.oidc import auth_args, free_port, oidc_provider, write_auth_secrets  # noqa: F401 (fixture)
from tests.pages.apptest import open_page
from ui.format import escape_md

pytestmark = pytest.mark.e2e

SSO_BUTTON = "Sign in with IUCN Accounts"


@pytest.fixture
def sso_app(request, demo_file, tmp_path):
    """(app URL, provider, database URL): the app on a private copy of the demo data, with an [auth]
    section pointing at a fresh provider."""
    provider = request.getfixturevalue("oidc_provider")
    copy = tmp_path / "sso.db"
    shutil.copy(demo_file, copy)
    database_url = f"sqlite:///{copy}"
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    secrets = write_auth_secrets(tmp_path / "secrets.toml", app_url, provider)
    with running_app({"DATABASE_URL": database_url, "RT_DEMO": "1"}, args=auth_args(secrets), port=port):
        yield app_url, provider, database_url


@pytest.fixture
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        yield pg
        context.close()
        browser.close()


def sso_sign_in(page, app_url: str, provider, sub: str) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("button", name=SSO_BUTTON).click()
    provider.authorize(page, sub)
    page.wait_for_url(re.compile(re.escape(app_url) + r"/.*"))
    wait_idle(page)


def open_sessions(database_url: str, username: str) -> int:
    with Session(make_engine(database_url)) as s:
        return len(s.exec(select(SignInSession).join(User, User.id == SignInSession.user_id).where(
            User.username == username, SignInSession.ended_at.is_(None))).all())


def test_a_known_address_lands_signed_in_and_sign_out_ends_both_sessions(sso_app, browser_page):
    app_url, provider, database_url = sso_app
    page = browser_page
    provider.set_user("secretariat@demo.iucn.invalid", name="Sara at IUCN Accounts", email_verified=True)
    sso_sign_in(page, app_url, provider, "secretariat@demo.iucn.invalid")

    page.get_by_test_id("stSidebar").get_by_text("Signed in as").wait_for()
    assert "Sara Secretariat" in page.get_by_test_id("stSidebar").inner_text()  # the account's name
    page.get_by_role("heading", name=re.compile("Overview")).first.wait_for()  # the Secretariat's landing page
    assert page.get_by_role("button", name=SSO_BUTTON).count() == 0
    assert open_sessions(database_url, "secretariat") == 1

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    provider.end_session(page)  # st.logout ends the provider's session too; the mock asks to confirm
    page.wait_for_url(re.compile(re.escape(app_url) + r"/.*"))
    wait_idle(page)
    page.get_by_role("button", name=SSO_BUTTON).wait_for()
    assert open_sessions(database_url, "secretariat") == 0

    page.reload()
    wait_idle(page)
    page.get_by_role("button", name=SSO_BUTTON).wait_for()
    page.wait_for_timeout(1000)
    wait_idle(page)
    assert page.get_by_test_id("stSidebar").get_by_text("Signed in as").count() == 0
    assert page.get_by_label("Username", exact=True).count() >= 1  # the sign-in screen, not the app


def test_an_unknown_address_requests_access_and_signs_in_once_approved(sso_app, browser_page, monkeypatch):
    app_url, provider, database_url = sso_app
    page = browser_page
    provider.set_user("nora.newcomer@example.org", name="Nora Newcomer", email_verified=True)
    sso_sign_in(page, app_url, provider, "nora.newcomer@example.org")

    page.get_by_text("You are signed in as nora.newcomer@example.org with IUCN Accounts, but the Resolutions "
                     "Tracker has no account for this address yet.").wait_for()
    assert page.get_by_test_id("stSidebar").get_by_text("Signed in as").count() == 0  # not in the app
    organisation = page.get_by_role("combobox", name="Organisation")
    organisation.click()
    organisation.fill("Species Survival")
    page.get_by_role("option", name=re.compile("Species Survival Commission")).click()
    page.get_by_label("Message").fill("I coordinate the SSC reports.")
    page.get_by_role("button", name="Send request").click()
    wait_idle(page)
    page.get_by_text("Your request was sent").wait_for()
    page.get_by_text(re.compile("is waiting for an administrator")).wait_for()

    with Session(make_engine(database_url)) as s:
        request = s.exec(select(AccessRequest).where(AccessRequest.email == "nora.newcomer@example.org")).one()
        assert (request.state, request.role, request.name) == ("pending", "reporter", "Nora Newcomer")

    # The administrator sees it on Access requests and approves it (AppTest, on the same database).
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("RT_DEMO", "1")
    admin = open_page("pages/access_requests.py", "admin")
    assert not admin.exception
    assert list(admin.dataframe[0].value["email"]) == ["nora.newcomer@example.org"]
    admin.selectbox(key="access_request_id").set_value(request.id).run()
    assert admin.text_input(key=f"approve_username_{request.id}").value == "nora.newcomer"
    next(b for b in admin.button if b.label == "Approve and create the account").click().run()
    assert not admin.exception
    assert any(f"Account {escape_md('nora.newcomer')} created" in m.value for m in admin.success)

    # Nora signs out of IUCN Accounts on the request screen, signs in again, and is in.
    page.get_by_role("button", name="Sign out").click()
    provider.end_session(page)
    page.wait_for_url(re.compile(re.escape(app_url) + r"/.*"))
    wait_idle(page)
    sso_sign_in(page, app_url, provider, "nora.newcomer@example.org")
    page.get_by_test_id("stSidebar").get_by_text("Signed in as").wait_for()
    assert "Nora Newcomer" in page.get_by_test_id("stSidebar").inner_text()
    assert open_sessions(database_url, "nora.newcomer") == 1
