"""Shared fixtures.

- `engine`: an empty, migrated database with the reference data, once on SQLite and once on
  PostgreSQL (when TEST_DATABASE_URL is set). Each test starts from that state: rows written by the
  previous test are deleted.
- `demo_url`: a SQLite file holding the full demo data set, built once per run; `app_db` gives each
  page test its own copy, so tests that write do not see each other.
"""

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel
from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import app_test

import db.models  # noqa: F401  (registers the tables)
from db.demo import load_demo_data
from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.reference_data import load_reference_data

# Tests see a page's bug as an exception (at.exception), as a developer would; outside development the
# project's .streamlit/config.toml shows only the plain error screen (ui/errors.py, tests/pages/test_fault_screens.py).
st_config.set_option("client.showErrorDetails", "full")


class _RunningServerPagesManager(PagesManager):
    """AppTest forgets before every run that st.navigation has ever run, so with a pages/ folder each run
    would be a fresh server's first run (Streamlit's old page-folder mode, which ui.auth.leave_pages_folder_mode
    leaves with a rerun that drops the click being tested). Tests drive a server that is already running;
    the first run of a fresh server is driven in Chromium (tests/e2e/test_sign_in_flow_e2e.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False  # the flag the script runner reads


app_test.PagesManager = _RunningServerPagesManager

PG_ADMIN_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_ADMIN_URL else [])


def _scratch_postgres() -> tuple[str, callable]:
    """A database of its own on the test server, so parallel runs never meet."""
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"rt_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(PG_ADMIN_URL)).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def _migrated(request, tmp_path_factory):
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}", (lambda: None)
    else:
        url, drop = _scratch_postgres()
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    drop()


def wipe(engine) -> None:
    with engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            conn.execute(table.delete())
    load_reference_data(engine)


@pytest.fixture
def engine(_migrated):
    """A migrated database holding only the reference data, on each backend."""
    wipe(_migrated)
    return _migrated


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory) -> Path:
    """The demo data set in a SQLite file, built once (low bcrypt cost except the demo accounts)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    load_reference_data(engine)
    load_demo_data(engine, password_rounds=4)
    engine.dispose()
    return path


@pytest.fixture
def app_db(demo_file, tmp_path, monkeypatch) -> str:
    """A private copy of the demo database, chosen by DATABASE_URL for the app under test."""
    copy = tmp_path / "app.db"
    shutil.copy(demo_file, copy)
    url = f"sqlite:///{copy}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RT_DEMO", "1")
    return url
