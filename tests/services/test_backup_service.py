"""Backups from the app (services/backup.py) and the structured logs (services/logs.py, the write lines of
services/audit.py), on both databases."""

import io
import json
import logging
import tomllib

import pytest
from sqlmodel import Session, select

from db import backup as db_backup
from db import status
from db.engine import transaction
from db.models import AuditEvent
from services import audit, backup, logs
from services.errors import PermissionDenied
from tests import factories as f


def _actors(engine):
    with transaction(engine) as s:
        admin = f.actor(s, f.user(s, "ada", roles=("admin",)))
        others = [f.actor(s, f.user(s, role, roles=(role,)))
                  for role in ("reporter", "focal_point", "secretariat", "leadership")]
    return admin, others


def test_an_administrator_downloads_an_archive_and_it_is_recorded(engine):
    admin, _ = _actors(engine)
    with Session(engine) as s:
        assert backup.last_backup(session=s, actor=admin) is None
    data = backup.make_archive(engine=engine, actor=admin)
    archive = db_backup.open_archive(io.BytesIO(data))  # a whole, checked archive
    assert archive.revision == status.head_revision()
    users = next(e for e in archive.manifest["tables"] if e["name"] == "app_user")
    assert users["rows"] == 5
    with Session(engine) as s:
        last = backup.last_backup(session=s, actor=admin)
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "backup.made")).one()
    assert last["by"] == "ada" and last["bytes"] == len(data) and last["at"].tzinfo is not None
    assert last["rows"] == sum(e["rows"] for e in archive.manifest["tables"])
    assert event.user_id == admin.id and event.after["via"] == "admin page"
    # the event is not in the archive it describes
    events = next(e for e in archive.manifest["tables"] if e["name"] == "audit_event")
    assert events["rows"] == 0


def test_only_administrators_may_back_up(engine):
    _, others = _actors(engine)
    for actor in others:
        with pytest.raises(PermissionDenied, match="may not backup manage"):
            backup.make_archive(engine=engine, actor=actor)
        with Session(engine) as s, pytest.raises(PermissionDenied):
            backup.last_backup(session=s, actor=actor)
    with Session(engine) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "backup.made")).all() == []


def test_about_says_what_is_running(engine):
    with Session(engine) as s:
        about = backup.about(session=s)
    version = tomllib.loads((status.ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert about == {"app_version": version, "schema_revision": status.head_revision(),
                     "newest_revision": status.head_revision(), "database": engine.dialect.name}


# -- structured logs -------------------------------------------------------------------------------------

@pytest.fixture
def json_lines(capsys):
    """The app's log lines as the JSON handler writes them to standard error."""
    logs.configure("INFO")

    def read() -> list[dict]:
        return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]

    read()
    return read


def test_each_committed_write_is_one_json_line_and_a_rolled_back_one_none(engine, json_lines):
    admin, _ = _actors(engine)
    json_lines()
    with transaction(engine) as s:
        audit.record(s, actor=admin, action="update", entity="thing", entity_id=7, after={"x": 1})
        audit.record(s, actor=admin, action="create", entity="thing", entity_id=8)
    lines = json_lines()
    assert [(ln["action"], ln["entity_id"], ln["user_id"], ln["event"]) for ln in lines] == [
        ("update", "7", admin.id, "write"), ("create", "8", admin.id, "write")]
    with Session(engine) as s:
        ids = s.exec(select(AuditEvent.id).where(AuditEvent.entity == "thing").order_by(AuditEvent.id)).all()
    assert [ln["audit_id"] for ln in lines] == ids
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "resolutions_tracker.audit"

    with pytest.raises(RuntimeError), transaction(engine) as s:
        audit.record(s, actor=admin, action="delete", entity="thing", entity_id=9)
        raise RuntimeError("the write fails after its event")
    assert json_lines() == []
    with transaction(engine) as s:  # and the next write's line is not joined by the failed one
        audit.record(s, actor=admin, action="update", entity="thing", entity_id=10)
    assert [ln["entity_id"] for ln in json_lines()] == ["10"]


def test_an_error_is_one_json_line_with_its_id_and_traceback(json_lines):
    log = logging.getLogger("resolutions_tracker.errors")
    try:
        raise ValueError("boom\nsecond line")
    except ValueError as error:
        log.error("error id %s: unexpected error", "abc12345", exc_info=error,
                  extra={"event": "request_error", "error_id": "abc12345"})
    [line] = json_lines()
    assert line["error_id"] == "abc12345" and line["event"] == "request_error"
    assert line["error_type"] == "ValueError" and "boom" in line["traceback"]
    assert line["message"] == "error id abc12345: unexpected error" and line["level"] == "ERROR"


def test_the_level_comes_from_the_environment(monkeypatch, json_lines):
    monkeypatch.setenv("RT_LOG_LEVEL", "warning")
    logs.configure()
    logging.getLogger("resolutions_tracker.audit").info("not shown")
    logging.getLogger("resolutions_tracker.audit").warning("shown")
    assert [ln["message"] for ln in json_lines()] == ["shown"]
    monkeypatch.setenv("RT_LOG_LEVEL", "LOUD")
    logs.configure()
    [line] = json_lines()
    assert "RT_LOG_LEVEL 'LOUD' is not one of" in line["message"]
    assert logging.getLogger("resolutions_tracker").level == logging.INFO
    logs.configure("INFO")
