"""Operations end to end, on the production start (`streamlit run asgi.py`):

- /api/health answers 200 with the schema revision while the database answers, 503 when it does not (and
  again 200 when PostgreSQL comes back), with the security headers of every response;
- the administrator downloads a backup in Chromium, a whole archive, and the page then says when it was made;
- two app servers on two ports against one PostgreSQL database (the demo data restored there from a backup):
  a write through one is shown by the other at its next run, its cached reads included."""

import json
import re
import urllib.error
import urllib.request
from contextlib import ExitStack

import pytest
from sqlalchemy.engine import make_url

from db import backup, status
from db.engine import make_engine, normalise_url
from tests.conftest import BACKENDS, _scratch_postgres
from tests.e2e.conftest import running_app, sign_in, wait_idle
from tests.pages.test_fault_screens import Proxy

pytestmark = pytest.mark.e2e
POSTGRESQL = [b for b in BACKENDS if b == "postgresql"]  # these need a server: collected with TEST_DATABASE_URL


def health(base_url: str) -> tuple[int, dict, dict]:
    """Status, JSON body and headers (names in lower case) of GET /api/health."""
    try:
        with urllib.request.urlopen(f"{base_url}/api/health", timeout=20) as answer:
            return answer.status, json.loads(answer.read()), {k.lower(): v for k, v in answer.headers.items()}
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), {k.lower(): v for k, v in refused.headers.items()}


def production(url: str):
    return running_app({"DATABASE_URL": url, "RT_DEMO": "1"}, script="asgi.py")


def new_page(browser):
    page = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True).new_page()
    page.set_default_timeout(90_000)  # patient: two app servers and a browser on a busy machine
    return page


def open_in_sidebar(page, title: str) -> None:
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True).click()
    page.get_by_role("heading", name=title).wait_for()
    wait_idle(page)


def test_health_and_the_backup_download_on_the_production_start(demo_file, tmp_path, browser):
    copy = tmp_path / "ops.db"
    copy.write_bytes(demo_file.read_bytes())
    with production(f"sqlite:///{copy}") as base:
        code, body, headers = health(base)
        assert code == 200
        assert body == {"status": "ok", "database": "reachable", "schema_revision": status.head_revision(),
                        "expected_revision": status.head_revision(), "app_version": status.app_version()}
        assert headers["x-content-type-options"] == "nosniff" and headers["cache-control"] == "no-store"
        assert headers["content-type"] == "application/json"

        page = new_page(browser)
        sign_in(page, base, "admin", "Demo-Admin-2026")
        open_in_sidebar(page, "Backup")
        page.get_by_text("No backup has been made yet.").wait_for()
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name="Download a backup").click()
        assert re.fullmatch(r"resolutions-tracker-backup-\d{4}-\d\d-\d\d-\d{4}\.zip", download.value.suggested_filename)
        saved = tmp_path / "downloaded.zip"
        download.value.save_as(saved)
        archive = backup.open_archive(saved)  # whole: every checksum matches
        assert archive.revision == status.head_revision()
        page.reload()
        wait_idle(page)
        page.get_by_text(re.compile(r"^Last backup: .* UTC by admin \([\d,]+ rows in \d+ tables")).wait_for()

    with production("postgresql://postgres@127.0.0.1:1/nobody_listens") as base:
        code, body, _ = health(base)
        assert code == 503
        assert body["status"] == "unavailable" and body["database"] == "unreachable"
        assert body["schema_revision"] is None


@pytest.fixture
def demo_on_postgresql(demo_file, tmp_path):
    """A scratch PostgreSQL database holding the demo data, moved there from SQLite with a backup."""
    archive = tmp_path / "demo.zip"
    source = make_engine(f"sqlite:///{demo_file}")
    backup.dump(source, archive)
    source.dispose()
    url, drop = _scratch_postgres()
    target = make_engine(url)
    backup.restore(target, archive)
    target.dispose()
    yield url
    drop()


@pytest.mark.parametrize("backend", POSTGRESQL)
def test_health_follows_postgresql_down_and_back(backend, demo_on_postgresql):
    real = make_url(normalise_url(demo_on_postgresql))
    proxy = Proxy((real.host, real.port or 5432))
    proxy.start()
    through = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with production(through) as base:
            assert health(base)[0] == 200
            proxy.stop()
            code, body, _ = health(base)
            assert (code, body["database"]) == (503, "unreachable")
            proxy.start()
            code, body, _ = health(base)
            assert (code, body["schema_revision"]) == (200, status.head_revision())
    finally:
        proxy.stop()


@pytest.mark.parametrize("backend", POSTGRESQL)
def test_two_app_servers_on_one_postgresql_never_show_stale_data(backend, demo_on_postgresql, browser):
    with ExitStack() as servers:
        first = servers.enter_context(production(demo_on_postgresql))
        second = servers.enter_context(production(demo_on_postgresql))
        assert first != second and health(first)[0] == health(second)[0] == 200

        reader = new_page(browser)  # the administrator, on the first server
        sign_in(reader, first, "admin", "Demo-Admin-2026")
        writer = new_page(browser)  # the Secretariat, on the second
        sign_in(writer, second, "secretariat", "Demo-Secretariat-2026")

        open_in_sidebar(reader, "Audit trail")  # its reads are cached in the first server's process
        assert cell(reader, "update_profile").count() == 0
        before = _events_shown(reader)

        open_in_sidebar(writer, "My account")
        writer.get_by_label("Display name", exact=True).fill("Sara Secretariat-Moved")
        writer.get_by_role("button", name="Save", exact=True).click()
        writer.get_by_text("Your profile is saved.").wait_for()

        open_in_sidebar(reader, "Audit trail")  # the first server's next run
        assert _events_shown(reader) == before + 1
        action = cell(reader, "update_profile")
        action.wait_for(state="attached")  # the grid mirrors its cells for screen readers once drawn
        row = action.get_attribute("id").rsplit("-", 1)[1]
        event = [reader.locator(f"#glide-cell-{column}-{row}").inner_text() for column in range(1, 9)]
        assert event[2:6] == ["secretariat", "update_profile", "user", "secretariat"]  # by, action, what, which
        assert json.loads(event[7]) == {"display_name": "Sara Secretariat-Moved"}  # after


def cell(page, text: str):
    """A cell of a data table (the grid draws on a canvas and mirrors its cells for screen readers)."""
    return page.locator("[role=gridcell]").filter(has_text=re.compile("^" + re.escape(text) + "$"))


def _events_shown(page) -> int:
    """The count in the caption above the audit trail ("3 events: ..."), 0 when none matches."""
    if page.get_by_text("No event matches these filters.").count():
        return 0
    caption = page.get_by_text(re.compile(r"^\d[\d,]* events?: ")).inner_text()
    return int(caption.split()[0].replace(",", ""))
