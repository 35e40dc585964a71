"""Backup page (admin only): what is running, when the last backup was made, and a download built when
clicked (a deferred download: the archive is made by the callable the button holds, not on every run)."""

import io

import pytest
from sqlmodel import Session, select

from db import backup as db_backup
from db import status
from db.engine import make_engine
from db.models import AuditEvent
from tests.pages.apptest import deferred_downloads, open_page, reachable

PAGE = "pages/backup.py"


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert not reachable(PAGE, user)


def test_admin_sees_what_runs_and_downloads_a_fresh_archive(app_db, monkeypatch):
    built = deferred_downloads(monkeypatch)
    assert reachable(PAGE, "admin")
    at = open_page(PAGE, "admin")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"App version": status.app_version(), "Schema revision": status.head_revision(),
                       "Database": "SQLite"}
    assert at.info[0].value == "No backup has been made yet."
    [button] = at.get("download_button")
    assert button.proto.label == "Download a backup"
    assert button.proto.deferred_file_id  # made when clicked
    engine = make_engine(app_db)
    with Session(engine) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "backup.made")).all() == []

    data = built[button.proto.deferred_file_id]()  # what the browser receives when the admin clicks
    archive = db_backup.open_archive(io.BytesIO(data))
    assert archive.revision == status.head_revision()
    assert {e["name"] for e in archive.manifest["tables"]} >= {"activity_report", "resolution", "app_user"}

    at.run()  # the next visit says when
    assert not at.exception
    assert not at.info
    [line] = [t.value for t in at.text if t.value.startswith("Last backup: ")]
    rows = sum(e["rows"] for e in archive.manifest["tables"])
    assert f"UTC by admin ({rows:,} rows in {len(archive.manifest['tables'])} tables" in line
    engine.dispose()
