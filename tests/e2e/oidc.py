"""A real OpenID Connect provider on localhost for the single sign-on tests (oidc-provider-mock), and the
Streamlit secrets that point st.login at it.

- The provider runs in a thread of the test process on a free port of 127.0.0.1. It accepts any client id
  and secret (no registration) and any redirect URI. Its authorization page has a text field `sub`: the
  subject typed there signs in, with the claims set beforehand by `set_user` (or just {"email": sub}).
- The app under test gets the secrets through Streamlit's `secrets.files` option on its command line
  (`auth_args`), so nothing is written into the repository's `.streamlit/` folder.
"""

import json
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

CLIENT_ID = "resolutions-tracker-tests"
CLIENT_SECRET = "test-client-secret"
COOKIE_SECRET = "test-only-streamlit-auth-cookie-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Provider:
    url: str  # http://127.0.0.1:<port>, also the issuer

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims: object) -> None:
        """The claims (email, name, email_verified, ...) the provider gives when `sub` signs in."""
        request = urllib.request.Request(
            f"{self.url}/users/{quote(sub, safe='@')}", method="PUT",
            data=json.dumps({"email": sub, **claims}).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204

    def authorize(self, page, sub: str) -> None:
        """On the provider's authorization page (Playwright `page`), sign in as `sub`."""
        page.wait_for_url(f"{self.url}/oauth2/authorize**")
        page.locator("input[name=sub]").fill(sub)
        page.get_by_role("button", name="Authorize", exact=True).click()

    def end_session(self, page) -> None:
        """On the provider's end-session page (st.logout goes there), confirm."""
        page.wait_for_url(f"{self.url}/oauth2/end_session**")
        page.get_by_role("button", name="End session").click()


@contextmanager
def running_provider() -> Iterator[Provider]:
    import werkzeug.serving
    from oidc_provider_mock import app

    server = werkzeug.serving.make_server("127.0.0.1", 0, app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def oidc_provider() -> Iterator[Provider]:
    """A fresh provider (no users, no tokens) for one test."""
    with running_provider() as provider:
        yield provider


def write_auth_secrets(path: Path, app_url: str, provider: Provider) -> Path:
    """Write a secrets.toml whose [auth] section signs in to the app at `app_url` through `provider`."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n',
        encoding="utf-8",
    )
    return path


def auth_args(secrets_file: Path) -> tuple[str, ...]:
    """The command-line arguments of `streamlit run` that make it read `secrets_file` (and no other)."""
    return ("--secrets.files", str(secrets_file))
