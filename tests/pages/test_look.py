"""The product header (logo and product name, configurable) and the guide's promises to the administrator.
The logo itself and the title's place on the page are checked in Chromium (tests/e2e/test_look_e2e.py)."""

import base64

import pytest

from db.settings import load_settings
from tests.pages.apptest import open_page, reachable
from ui import look

GUIDE = "pages/guide.py"


def _svg(data_url: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert data_url.startswith(prefix)
    return base64.b64decode(data_url[len(prefix):]).decode("utf-8")


def test_the_header_draws_the_apps_own_logo_beside_the_product_name(monkeypatch):
    monkeypatch.delenv("RT_LOGO_PATH", raising=False)
    monkeypatch.delenv("RT_PRODUCT_NAME", raising=False)
    settings = load_settings()
    assert (settings.product_name, look.logo_file(settings)) == ("Resolutions Tracker", look.DEFAULT_LOGO)
    svg = _svg(look.wordmark(settings.product_name, look.DEFAULT_LOGO, 0))
    assert ">Resolutions Tracker</text>" in svg
    own = base64.b64encode(look.DEFAULT_LOGO.read_bytes()).decode("ascii")
    assert f'href="data:image/svg+xml;base64,{own}"' in svg


def test_logo_and_name_come_from_the_configuration(monkeypatch, tmp_path):
    logo = tmp_path / "our-logo.png"
    logo.write_bytes(b"\x89PNG\r\n\x1a\n not a real picture, only its bytes matter here")
    monkeypatch.setenv("RT_LOGO_PATH", str(logo))
    monkeypatch.setenv("RT_PRODUCT_NAME", "Suivi <des> Résolutions & co")
    monkeypatch.setenv("RT_DEMO", "1")
    settings = load_settings()
    settings.check()  # accepted
    assert look.logo_file(settings) == logo
    svg = _svg(look.wordmark(settings.product_name, logo, logo.stat().st_mtime))
    assert ">Suivi &lt;des&gt; Résolutions &amp; co</text>" in svg  # configuration, escaped all the same
    assert f'href="data:image/png;base64,{base64.b64encode(logo.read_bytes()).decode()}"' in svg


def test_the_sign_in_screen_and_the_tab_carry_the_configured_name(app_db, monkeypatch):
    monkeypatch.setenv("RT_PRODUCT_NAME", "Resolutions *Tracker* Test")
    at = open_page(None, None)
    assert not at.exception
    assert at.title[0].value == r":material/fact_check: Resolutions \*Tracker\* Test"  # no Markdown from it
    assert at.text_input(key="sign_in_username")


@pytest.mark.parametrize("path", ["/nowhere/logo.svg", "README.md"])
def test_a_logo_that_cannot_be_shown_stops_the_app_with_the_reason(app_db, monkeypatch, path):
    monkeypatch.setenv("RT_LOGO_PATH", path)
    at = open_page(None, None)
    assert not at.exception
    assert at.error[0].value.startswith("The app cannot start: RT_LOGO_PATH must name an existing .svg, .png")
    assert not at.text_input  # no sign-in form


# What the guide promises the administrator, and the page of the admin's navigation that keeps each promise.
ADMIN_PROMISES = {
    "the user accounts (Administration: Users": "pages/users_admin.py",
    "Organisations)": "pages/components_admin.py",
    "approve or decline access requests": "pages/access_requests.py",
    "read the audit trail": "pages/audit_trail.py",
    "the sent mail": "pages/sent_mail.py",
}


def test_the_guide_promises_the_administrator_only_what_the_app_offers(app_db):
    at = open_page(GUIDE, "admin", {"year": "2026"})
    assert not at.exception
    [admin] = [m.value for m in at.markdown if m.value.startswith("**Administrator (you).**")]
    for promise, page in ADMIN_PROMISES.items():
        assert promise in admin
        assert reachable(page, "admin"), page
    users = open_page("pages/users_admin.py", "admin")
    assert not users.exception
    assert {"Create user", "Check and import"} <= {b.label for b in users.button}  # accounts are managed there
