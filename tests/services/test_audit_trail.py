"""Reading the audit trail: filters in SQL, newest first, Secretariat and admin only, safe CSV."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, User
from services import audit_trail
from services.errors import NotFound, PermissionDenied
from tests import factories


@pytest.fixture
def trail(engine):
    """Four events by sara (Secretariat), alex (admin) and the system, on three days of May 2026."""
    with Session(engine) as s:
        sara = factories.user(s, "sara", ("secretariat",))
        alex = factories.user(s, "alex", ("admin",))
        factories.user(s, "rosa", ("reporter",))
        factories.user(s, "lee", ("leadership",))
        rows = [
            AuditEvent(at=datetime(2026, 5, 1, 8, 0, tzinfo=UTC), user_id=None, action="load",
                       entity="component", entity_id="1", after={"name": "IUCN"}),
            AuditEvent(at=datetime(2026, 5, 2, 23, 59, tzinfo=UTC), user_id=sara.id, action="update",
                       entity="resolution", entity_id="WCC-2020-Res-122",
                       before={"title": "Old", "status": "active", "themes": ["Oceans"]},
                       after={"title": "New", "status": "active", "themes": ["Oceans", "People"]}),
            AuditEvent(at=datetime(2026, 5, 3, 0, 0, tzinfo=UTC), user_id=alex.id, action="create",
                       entity="user", entity_id='=HYPERLINK("http://x.io")', after={"username": "=cmd"}),
            AuditEvent(at=datetime(2026, 5, 3, 12, 0, tzinfo=UTC), user_id=alex.id, action="deactivate",
                       entity="user", entity_id="-7", before={"active": True}, after={"active": False}),
        ]
        s.add_all(rows)
        s.commit()
        ids = [r.id for r in rows]
        actors = {u.username: factories.actor(s, u) for u in s.exec(select(User)).all()}
    return engine, ids, actors


def search(engine, actor, **filters):
    with Session(engine) as s:
        return audit_trail.search_events(session=s, actor=actor, **filters)


def test_newest_first_with_users_and_compact_json(trail):
    engine, ids, actors = trail
    frame = search(engine, actors["sara"])
    assert list(frame.columns) == ["id", "at", "user", "action", "entity", "entity_id", "before", "after"]
    assert list(frame["id"]) == ids[::-1]
    assert list(frame["user"]) == ["alex", "alex", "sara", "system"]
    assert frame["at"].iloc[0] == datetime(2026, 5, 3, 12, 0, tzinfo=UTC)
    update = frame[frame["action"] == "update"].iloc[0]
    assert update["before"] == '{"title":"Old","status":"active","themes":["Oceans"]}'
    assert frame[frame["action"] == "load"].iloc[0]["before"] == ""


@pytest.mark.parametrize(("filters", "expected"), [
    ({"username": "alex"}, [3, 2]),
    ({"username": "system"}, [0]),
    ({"entity": "user"}, [3, 2]),
    ({"action": "update"}, [1]),
    ({"since": date(2026, 5, 2)}, [3, 2, 1]),
    ({"until": date(2026, 5, 2)}, [1, 0]),  # the whole of 2 May, up to 23:59
    ({"since": date(2026, 5, 3), "until": date(2026, 5, 3)}, [3, 2]),
    ({"username": "alex", "action": "create"}, [2]),
    ({"entity": "resolution", "username": "alex"}, []),
    ({"limit": 2}, [3, 2]),
])
def test_each_filter(trail, filters, expected):
    engine, ids, actors = trail
    assert list(search(engine, actors["alex"], **filters)["id"]) == [ids[i] for i in expected]


def test_filter_options(trail):
    engine, _, actors = trail
    with Session(engine) as s:
        options = audit_trail.filter_options(session=s, actor=actors["sara"])
    assert options == {"entities": ["component", "resolution", "user"],
                       "actions": ["create", "deactivate", "load", "update"],
                       "usernames": ["alex", "sara", "system"]}


def test_event_detail_lists_changed_keys_first(trail):
    engine, ids, actors = trail
    with Session(engine) as s:
        detail = audit_trail.event_detail(session=s, actor=actors["alex"], event_id=ids[1])
        created = audit_trail.event_detail(session=s, actor=actors["alex"], event_id=ids[2])
        with pytest.raises(NotFound):
            audit_trail.event_detail(session=s, actor=actors["alex"], event_id=ids[3] + 100)
    assert detail["user"] == "sara" and detail["entity_id"] == "WCC-2020-Res-122"
    assert detail["before"] == {"title": "Old", "status": "active", "themes": ["Oceans"]}
    assert detail["after"]["themes"] == ["Oceans", "People"]
    assert detail["changed"] == ["title", "themes"]
    assert [f["field"] for f in detail["fields"]] == ["title", "themes", "status"]
    assert detail["fields"][1] == {"field": "themes", "before": '["Oceans"]', "after": '["Oceans","People"]',
                                   "changed": True}
    assert detail["fields"][2]["changed"] is False
    assert created["before"] == {} and created["changed"] == ["username"]


@pytest.mark.parametrize("who", ["rosa", "lee"])
def test_refused_to_reporters_and_leadership(trail, who):
    engine, ids, actors = trail
    with Session(engine) as s:
        for call in (
            lambda: audit_trail.search_events(session=s, actor=actors[who]),
            lambda: audit_trail.filter_options(session=s, actor=actors[who]),
            lambda: audit_trail.event_detail(session=s, actor=actors[who], event_id=ids[0]),
            lambda: audit_trail.export_events_csv(session=s, actor=actors[who]),
        ):
            with pytest.raises(PermissionDenied):
                call()


def test_csv_export_is_filtered_and_neutralises_formulas(trail):
    engine, ids, actors = trail
    with Session(engine) as s:
        data = audit_trail.export_events_csv(session=s, actor=actors["sara"], entity="user")
        everything = audit_trail.export_events_csv(session=s, actor=actors["sara"])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["id", "at", "user", "action", "entity", "entity_id", "before", "after"]
    assert [int(r[0]) for r in rows[1:]] == [ids[3], ids[2]]
    deactivated, created = rows[1], rows[2]
    assert deactivated[1] == "2026-05-03T12:00:00+00:00"
    assert deactivated[5] == "'-7"  # a leading minus would be a formula
    assert created[5] == '\'=HYPERLINK("http://x.io")'
    assert created[7] == '{"username":"=cmd"}'  # JSON starts with "{": no formula
    assert len(list(csv.reader(io.StringIO(everything.decode("utf-8-sig"))))) == 1 + 4

