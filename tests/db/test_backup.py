"""Backup and restore (db/backup.py) on both databases: the demo data round trip SQLite -> target -> SQLite
with every value read back as it was, the refusals (a database holding rows, an archive of a newer schema, a
damaged archive) leaving the target as it was, an older archive upgraded after the restore, sequences past
the restored ids, and the command line."""

import hashlib
import io
import json
import shutil
import zipfile
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import MetaData, func, inspect, select, text, update
from sqlmodel import Session

from db import backup
from db.backup import BackupError
from db.engine import make_engine, transaction
from db.migrate import downgrade, upgrade
from db.models import ActivityReport, AuditEvent, Resolution, as_utc
from db.status import _scripts, head_revision, schema_revision
from tests.conftest import BACKENDS, _scratch_postgres


@pytest.fixture(scope="module")
def demo_archive(demo_file, tmp_path_factory):
    """The demo data set as an archive, with an audit event whose `before` is SQL NULL next to one whose
    `before` is a JSON null, text a CSV or a terminal would trip on, and a report that supersedes a report
    written after it (its row comes first: restored in two steps)."""
    path = tmp_path_factory.mktemp("backup") / "demo.db"
    shutil.copy(demo_file, path)
    engine = make_engine(f"sqlite:///{path}")
    with transaction(engine) as s:
        s.add(AuditEvent(action="update", entity="x", entity_id="1", before=None, after={"a": [1, None, "é"]}))
        s.add(AuditEvent(action="raw", entity="x", before=None))
        s.flush()
        s.execute(text("UPDATE audit_event SET before = NULL WHERE action = 'raw'"))
        first, last = s.execute(select(func.min(ActivityReport.id), func.max(ActivityReport.id))).one()
        s.execute(update(ActivityReport).where(ActivityReport.id == first).values(
            supersedes_id=last, title='Tab\there, "quotes", newline\nand emoji 🌊 =SUM(A1)'))
    archive = path.with_suffix(".zip")
    backup.dump(engine, archive)
    engine.dispose()
    return archive, path


def _all_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table, read through SQLAlchemy's types (so read as the app reads them), stamps
    with their zone, and JSON columns as their stored text too (SQL NULL and JSON null told apart)."""
    rows = {}
    with engine.connect() as conn:
        meta = MetaData()
        meta.reflect(conn)
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            order = list(table.primary_key.columns)
            raw = [text(f'CAST("{c.name}" AS TEXT)') for c in table.columns if backup.kind_of(c.type) == "json"]
            values = conn.execute(select(*table.columns, *raw).order_by(*order)).all()
            rows[table.name] = [tuple(as_utc(v) if isinstance(v, datetime) else v for v in row) for row in values]
    return rows


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'target.db'}"
    else:
        url, drop = _scratch_postgres()
        yield url
        drop()


def test_demo_data_round_trip_sqlite_to_each_database_and_back(demo_archive, empty_url, tmp_path):
    archive, source_path = demo_archive
    source = make_engine(f"sqlite:///{source_path}")
    target = make_engine(empty_url)
    manifest = backup.restore(target, archive)
    assert manifest["schema_revision"] == head_revision()
    with target.connect() as conn:
        assert schema_revision(conn) == head_revision()

    # Every value as it was, read through the app's types on both databases.
    before, after = _all_rows(source), _all_rows(target)
    assert before.keys() == after.keys() and len(before) == len(manifest["tables"])
    for name in before:
        assert after[name] == before[name], name
    assert sum(len(r) for r in after.values()) == sum(e["rows"] for e in manifest["tables"]) > 10_000
    with Session(target) as s:
        nulls = dict(s.execute(text("SELECT action, before IS NULL FROM audit_event WHERE entity = 'x'")).all())
        assert nulls == {"update": False, "raw": True}  # a JSON null stays JSON, an SQL NULL stays NULL
        ids = [r[0] for r in after["activity_report"]]
        first = s.get(ActivityReport, min(ids))
        assert first.title.startswith("Tab\there") and first.supersedes_id == max(ids)
        assert first.created_at.tzinfo is not None or target.dialect.name == "sqlite"

    # The dump of the restored database equals the first dump, and so does a dump of it restored to SQLite.
    second = tmp_path / "second.zip"
    backup.dump(target, second)
    assert backup.differences(archive, second) == []
    back = make_engine(f"sqlite:///{tmp_path / 'back.db'}")
    backup.restore(back, second)
    third = tmp_path / "third.zip"
    backup.dump(back, third)
    assert backup.differences(archive, third) == []
    for engine in (source, target, back):
        engine.dispose()


def test_differences_name_the_table_and_row_that_differ(demo_archive, tmp_path):
    archive, source_path = demo_archive
    copy = tmp_path / "changed.db"
    shutil.copy(source_path, copy)
    engine = make_engine(f"sqlite:///{copy}")
    with transaction(engine) as s:
        s.execute(update(Resolution).where(Resolution.id == 5).values(title="Changed"))
        s.execute(text("DELETE FROM review_comment WHERE id = (SELECT MAX(id) FROM review_comment)"))
    changed = tmp_path / "changed.zip"
    backup.dump(engine, changed)
    engine.dispose()
    found = backup.differences(archive, changed)
    assert any(f.startswith("resolution: row 5 differs") and "Changed" in f for f in found)
    assert any(f.startswith("review_comment:") and "rows" in f for f in found)


def test_sequences_continue_after_the_restored_ids(demo_archive, empty_url):
    archive, _ = demo_archive
    target = make_engine(empty_url)
    backup.restore(target, archive)
    with Session(target) as s:
        largest = s.scalar(select(func.max(AuditEvent.id)))
    with transaction(target) as s:
        event = AuditEvent(action="after_restore", entity="x")
        s.add(event)
        s.flush()
        assert event.id == largest + 1
    target.dispose()


def _source_state(engine) -> tuple:
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        counts = {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() for n in names}
        return schema_revision(conn), counts


def test_a_database_holding_rows_is_refused_unless_replace(demo_archive, engine):
    """`engine`: a migrated database holding the reference data, on each backend."""
    archive, _ = demo_archive
    state = _source_state(engine)
    with pytest.raises(BackupError, match=r"not empty \(\d+ tables hold rows: .*--replace"):
        backup.restore(engine, archive)
    assert _source_state(engine) == state  # nothing touched
    backup.restore(engine, archive, replace=True)
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ActivityReport)) == _rows_in(archive, "activity_report")


def _rows_in(archive, table: str) -> int:
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    return next(e["rows"] for e in manifest["tables"] if e["name"] == table)


def _rewritten(archive, tmp_path, *, manifest=None, member=None, keep_checksum=False):
    """A copy of `archive` with its manifest changed (`manifest(m)`) or one table file changed
    (`member=(name, change(bytes))`), checksums recomputed unless keep_checksum."""
    source = zipfile.ZipFile(archive)
    m = json.loads(source.read("manifest.json"))
    out = tmp_path / "rewritten.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in m["tables"]:
            data = source.read(entry["file"])
            if member and member[0] == entry["file"]:
                data = member[1](data)
                if not keep_checksum:
                    entry["sha256"] = hashlib.sha256(data).hexdigest()
            z.writestr(entry["file"], data)
        if manifest:
            manifest(m)
        z.writestr("manifest.json", json.dumps(m))
    return out


def test_an_archive_from_a_newer_schema_is_refused(demo_archive, empty_engine, tmp_path):
    archive, _ = demo_archive
    newer = _rewritten(archive, tmp_path, manifest=lambda m: m.update(schema_revision="9999_from_the_future"))
    with pytest.raises(BackupError, match="9999_from_the_future, which this version of the app does not know"):
        backup.restore(empty_engine, newer)
    with empty_engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # nothing written


@pytest.mark.parametrize("change, message", [
    (lambda data: data.replace(b"Resolution", b"Resolutiom", 1), "checksum of tables/resolution.jsonl does not match"),
    (lambda data: data[: len(data) // 2], "checksum of tables/resolution.jsonl does not match"),
])
def test_a_damaged_archive_is_refused_before_anything_is_written(demo_archive, empty_engine, tmp_path, change,
                                                                  message):
    archive, _ = demo_archive
    damaged = _rewritten(archive, tmp_path, member=("tables/resolution.jsonl", change), keep_checksum=True)
    with pytest.raises(BackupError, match=message):
        backup.restore(empty_engine, damaged)
    with empty_engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_a_row_count_that_does_not_match_is_refused(demo_archive, empty_engine, tmp_path):
    archive, _ = demo_archive
    wrong = _rewritten(archive, tmp_path, member=("tables/theme.jsonl", lambda d: d + d.splitlines(True)[0]))
    rows = _rows_in(archive, "theme")
    with pytest.raises(BackupError, match=f"theme.jsonl holds {rows + 1} rows, its manifest says {rows}"):
        backup.restore(empty_engine, wrong)


def test_a_file_that_is_no_archive_is_refused(empty_engine, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BackupError, match="not a backup archive"):
        backup.restore(empty_engine, junk)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("manifest.json", json.dumps({"format": "something else"}))
    with pytest.raises(BackupError, match="not a backup archive"):
        backup.restore(empty_engine, other)


def test_a_failure_half_way_rolls_everything_back(demo_archive, empty_engine, tmp_path):
    """A row the database refuses (a report naming a component that does not exist), after many tables were
    loaded: the one transaction is rolled back, the database holds nothing."""
    archive, _ = demo_archive

    def orphan(data: bytes) -> bytes:
        row = json.loads(data.splitlines()[0])
        row["component_id"] = 999_999
        return json.dumps(row).encode() + b"\n" + b"\n".join(data.splitlines()[1:]) + b"\n"

    bad = _rewritten(archive, tmp_path, member=("tables/activity_report.jsonl", orphan))
    with pytest.raises(BackupError, match="(?i)the database refused .*foreign key"):
        backup.restore(empty_engine, bad)
    with empty_engine.connect() as conn:
        assert inspect(conn).get_table_names() == []


def test_an_older_archive_is_restored_at_its_revision_then_upgraded(demo_file, empty_engine, tmp_path):
    previous = _scripts().get_revision(head_revision()).down_revision
    old = tmp_path / "old.db"
    shutil.copy(demo_file, old)
    source = make_engine(f"sqlite:///{old}")
    downgrade(source, previous)
    archive = tmp_path / "old.zip"
    manifest = backup.dump(source, archive)
    assert manifest["schema_revision"] == previous
    backup.restore(empty_engine, archive)
    with empty_engine.connect() as conn:
        assert schema_revision(conn) == head_revision()
        for entry in manifest["tables"]:
            assert conn.execute(text(f'SELECT COUNT(*) FROM "{entry["name"]}"')).scalar() == entry["rows"]
    # and the restored database is the app's database of today: the old one upgraded has the same rows
    upgrade(source)
    today, restored = tmp_path / "today.zip", tmp_path / "restored.zip"
    backup.dump(source, today)
    backup.dump(empty_engine, restored)
    assert backup.differences(today, restored) == []
    source.dispose()


def test_a_database_without_schema_has_nothing_to_dump(empty_engine):
    with pytest.raises(BackupError, match="no schema yet"):
        backup.dump(empty_engine, io.BytesIO())


@pytest.mark.parametrize("kind, value, written", [
    ("datetime", datetime(2024, 2, 29, 23, 59, 59, 123456), "2024-02-29T23:59:59.123456+00:00"),  # naive: UTC
    ("datetime", datetime(2024, 3, 1, 1, 0, tzinfo=UTC), "2024-03-01T01:00:00+00:00"),
    ("date", date(1948, 10, 5), "1948-10-05"),
    ("time", time(8, 30, 15), "08:30:15"),
    ("bytes", b"\x00\xffbinary", "AP9iaW5hcnk="),
    ("decimal", Decimal("12.3400"), "12.3400"),
])
def test_values_are_written_by_kind_and_read_back_exactly(kind, value, written):
    assert backup.ENCODE[kind](value) == written
    back = backup.DECODE[kind](json.loads(json.dumps(written)))
    expected = value.replace(tzinfo=UTC) if isinstance(value, datetime) and value.tzinfo is None else value
    assert back == expected and type(back) is type(expected)


def test_command_line_dump_restore_and_compare(demo_archive, tmp_path, monkeypatch, capsys):
    archive, source_path = demo_archive
    copy = tmp_path / "cli-source.db"
    shutil.copy(source_path, copy)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}")
    out = tmp_path / "cli.zip"
    assert backup.main(["dump", "-o", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    assert not out.with_name(out.name + ".partial").exists()
    reader = make_engine(f"sqlite:///{copy}")
    with Session(reader) as s:  # recorded: the admin page shows the last backup
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == backup.BACKUP_ACTION)).one()
        assert event.user_id is None and event.after["via"] == "command line"
        assert event.after["rows"] == sum(e["rows"] for e in json.loads(zipfile.ZipFile(out).read("manifest.json"))
                                          ["tables"])
    reader.dispose()

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli-target.db'}")
    assert backup.main(["restore", str(out)]) == 0
    assert "Restored" in capsys.readouterr().out
    assert backup.main(["restore", str(out)]) == 1  # now it holds rows
    assert "Refused: The database is not empty" in capsys.readouterr().err
    assert backup.main(["restore", str(out), "--replace"]) == 0
    capsys.readouterr()

    assert backup.main(["compare", str(archive), str(out)]) == 0
    assert "The archives hold the same data." in capsys.readouterr().out
    shutil.copy(copy, tmp_path / "cli-target.db")  # the source now holds the backup's own audit event
    assert backup.main(["dump", "-o", str(tmp_path / "later.zip")]) == 0
    assert backup.main(["compare", str(archive), str(tmp_path / "later.zip")]) == 1
    assert "audit_event:" in capsys.readouterr().out
