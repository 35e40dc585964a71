"""ui.cached with scopes (issue 13): a read naming the scopes (and the Congress) it depends on is renewed by the
writes of those scopes and of that Congress only, and by any write of no known scope; on both databases."""

import pytest
import streamlit as st
from sqlmodel import Session

from analytics.filters import ProgressFilter
from db.engine import transaction
from db.scopes import ACTIVITY
from services import audit
from tests import factories as f
from ui.cached import cached

CALLS: list = []


def count(*, session: Session, congress: str | None = None, flt: ProgressFilter | None = None) -> int:
    CALLS.append(congress or flt.congress)
    return len(CALLS)


@pytest.fixture
def world(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("RT_DEMO", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    CALLS.clear()
    with transaction(engine) as s:
        ids = {"A": f.resolution(s, 1).code, "B": f.resolution(s, 1, congress_code="WCC-2016").code}
        report = f.activity_report(s, f.component(s), f.user(s, "rosa"), (f.resolution(s, 2),))
        ids["report on A"] = report.id
    yield engine, ids
    st.cache_data.clear()
    st.cache_resource.clear()


def write(engine, entity: str, entity_id) -> None:
    with transaction(engine) as s:
        audit.record(s, actor=None, action="test", entity=entity, entity_id=entity_id)


def test_only_writes_of_its_scope_and_congress_renew_a_read(world):
    engine, ids = world
    read = cached(count, scopes=(ACTIVITY,), by_congress=True)
    assert read(congress="WCC-2020") == 1
    write(engine, "user", 1)  # another scope
    write(engine, "resolution", ids["B"])  # another scope and Congress
    assert read(congress="WCC-2020") == 1
    write(engine, "activity_report", ids["report on A"])
    assert read(congress="WCC-2020") == 2
    assert read(flt=ProgressFilter(congress="WCC-2020")) == 3  # the filter's Congress: keyed the same way
    write(engine, "something_new", 1)  # no known scope: every read
    assert read(congress="WCC-2020") == 4
    assert read(flt=ProgressFilter(congress="WCC-2020")) == 5


def test_without_scopes_any_write_renews_a_read(world):
    engine, _ = world
    read = cached(count)
    assert read(congress="WCC-2020") == 1
    write(engine, "user", 1)
    assert read(congress="WCC-2020") == 2


class _Run:
    """A stand-in for Streamlit's ScriptRunContext: a new `cursors` dict marks a new run."""

    def __init__(self):
        self.cursors = {}


def test_a_run_reads_each_version_once_and_sees_its_own_writes(world, monkeypatch):
    import ui.data

    engine, ids = world
    run = _Run()
    monkeypatch.setattr(ui.data, "get_script_run_ctx", lambda suppress_warning=False: run)
    first = ui.data.data_version()
    write(engine, "user", 1)  # through a transaction of this run: forgotten at its commit
    assert ui.data.data_version() != first
    seen = ui.data.data_version()
    with Session(engine) as s:  # another process' write (no commit in this run): seen at the next run
        s.connection().exec_driver_sql(
            "INSERT INTO audit_event (at, action, entity) VALUES (CURRENT_TIMESTAMP, 'x', 'user')")
        s.connection().commit()
    assert ui.data.data_version() == seen
    run.cursors = {}  # the next run
    assert ui.data.data_version() != seen
