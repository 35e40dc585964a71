"""Audit trail page: Secretariat and admin only; filters (kept in the URL), one event side by side, CSV."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AuditEvent, User
from tests.pages.apptest import deferred_downloads, open_page, reachable

PAGE = "pages/audit_trail.py"


@pytest.fixture
def events(app_db) -> list[int]:
    """Three events in the demo database: two by admin on users, one by secretariat on a Resolution."""
    engine = make_engine(app_db)
    with Session(engine) as s:
        ids = dict(s.exec(select(User.username, User.id)).all())
        rows = [
            AuditEvent(at=datetime(2026, 4, 30, 9, 0, tzinfo=UTC), user_id=ids["secretariat"], action="update",
                       entity="resolution", entity_id="WCC-2020-Res-122",
                       before={"title": "**Old** title", "status": "active"},
                       after={"title": "<b>New</b> title", "status": "active"}),
            AuditEvent(at=datetime(2026, 5, 2, 9, 0, tzinfo=UTC), user_id=ids["admin"], action="create",
                       entity="user", entity_id='=HYPERLINK("http://x.io")', after={"username": "newbie"}),
            AuditEvent(at=datetime(2026, 5, 3, 9, 0, tzinfo=UTC), user_id=ids["admin"], action="deactivate",
                       entity="user", entity_id="12", before={"active": True}, after={"active": False}),
        ]
        s.add_all(rows)
        s.commit()
        event_ids = [r.id for r in rows]
    engine.dispose()
    return event_ids


def shown_ids(at) -> list[int]:
    return [int(i) for i in at.dataframe[0].value["id"]]


def select_row(at, position: int):
    at.session_state["audit_events"] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    return at.run()


@pytest.mark.parametrize("user", ["reporter", "focal", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert not reachable(PAGE, user)


@pytest.mark.parametrize("user", ["secretariat", "admin"])
def test_events_newest_first_and_filters(events, user):
    at = open_page(PAGE, user)
    assert not at.exception
    everything = shown_ids(at)
    assert [i for i in everything if i in events] == events[::-1]  # signing in added newer events
    assert at.caption[1].value.startswith(f"{len(everything)} event")

    at.date_input(key="until").set_value(date(2026, 5, 31)).run()
    assert shown_ids(at) == events[::-1]
    at.selectbox(key="user").set_value("admin").run()
    assert shown_ids(at) == [events[2], events[1]]
    assert at.query_params["user"] == "admin" and at.query_params["until"] == "2026-05-31"
    at.selectbox(key="action").set_value("create").run()
    assert shown_ids(at) == [events[1]]
    at.selectbox(key="user").set_value("").run()
    at.selectbox(key="action").set_value("").run()
    at.selectbox(key="entity").set_value("resolution").run()
    assert shown_ids(at) == [events[0]]
    assert "user" not in at.query_params
    at.selectbox(key="entity").set_value("").run()
    at.date_input(key="since").set_value(date(2026, 5, 1)).run()
    at.date_input(key="until").set_value(date(2026, 5, 2)).run()
    assert shown_ids(at) == [events[1]]
    assert at.query_params["since"] == "2026-05-01" and at.query_params["until"] == "2026-05-02"
    at.date_input(key="since").set_value(date(2026, 5, 3)).run()
    assert not at.dataframe
    assert at.error[0].value == "The end date is before the start date."
    assert at.info[0].value == "No event matches these filters."
    assert not at.exception and not at.warning


def test_filters_are_read_from_the_address(events):
    at = open_page(PAGE, "secretariat", query={"user": "admin", "since": "2026-05-03", "until": "2026-05-31",
                                                  "entity": "nonsense"})
    assert not at.exception
    assert shown_ids(at) == [events[2]]
    assert at.selectbox(key="entity").value == ""  # not an entity of the trail: ignored


def test_selected_event_before_and_after_side_by_side(events):
    at = open_page(PAGE, "admin", query={"entity": "resolution"})
    position = shown_ids(at).index(events[0])
    select_row(at, position)
    assert not at.exception
    assert at.subheader[0].value == f"Event {events[0]}"
    fields = at.dataframe[1].value
    assert list(fields["field"]) == ["title", "status"]  # the changed field first
    assert list(fields["before"]) == ['"**Old** title"', '"active"']
    assert list(fields["changed"]) == [True, False]
    before, after = (json.loads(j.proto.body) for j in at.json)
    assert before == {"title": "**Old** title", "status": "active"}
    assert after["title"] == "<b>New</b> title"
    assert not [m for m in at.markdown if "Old" in m.value or "New" in m.value]  # never Markdown


def test_csv_download_of_the_filtered_events(events, monkeypatch):
    built = deferred_downloads(monkeypatch)  # built on the click
    at = open_page(PAGE, "secretariat", query={"user": "admin", "until": "2026-05-31"})
    button = at.download_button[0]
    assert button.label == "Download CSV"
    data = built[button.proto.deferred_file_id]()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "at", "user"]
    assert [int(r[0]) for r in rows[1:]] == [events[2], events[1]]
    assert rows[2][5] == '\'=HYPERLINK("http://x.io")'
