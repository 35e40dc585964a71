"""The health check behind /api/health (db/status.py) on both databases: ok only when the database answers
and has the schema this code expects; a database going down and back is followed."""

from sqlalchemy import text

from db import status
from tests.pages.test_fault_screens import Proxy


def test_health_is_ok_on_a_database_at_the_expected_schema(engine):
    report = status.check(engine)
    assert report.ok
    assert report.as_json() == {"status": "ok", "database": "reachable", "schema_revision": status.head_revision(),
                                "expected_revision": status.head_revision(), "app_version": status.app_version()}


def test_health_is_not_ok_without_the_schema(empty_engine):
    report = status.check(empty_engine)
    assert not report.ok
    assert report.as_json()["database"] == "reachable" and report.schema_revision is None
    assert report.as_json()["status"] == "unavailable"


def test_health_is_not_ok_on_another_revision(engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'someone_elses'"))
    try:
        assert not status.check(engine).ok
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": status.head_revision()})


def test_health_follows_a_database_going_down_and_back(engine, caplog):
    """Through a TCP proxy the test stops and starts; SQLite has no server to lose, so on SQLite the
    proxy stands for nothing and the database is one nobody listens for (refused)."""
    if engine.dialect.name == "sqlite":
        dead = status.health_engine("postgresql://postgres@127.0.0.1:1/nothing")
        with caplog.at_level("WARNING", logger="resolutions_tracker.health"):
            report = status.check(dead)
        assert not report.ok and report.as_json()["database"] == "unreachable"
        assert [r.error_type for r in caplog.records] == ["OperationalError"]
        dead.dispose()
        return
    url = engine.url
    proxy = Proxy((url.host, url.port or 5432))
    proxy.start()
    proxied = status.health_engine(url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    try:
        assert status.check(proxied).ok
        proxy.stop()
        down = status.check(proxied)
        assert not down.ok and down.as_json()["database"] == "unreachable"
        proxy.start()
        assert status.check(proxied).ok
    finally:
        proxy.stop()
        proxied.dispose()


def test_a_fresh_sqlite_file_is_not_healthy_and_the_check_creates_no_schema(tmp_path):
    engine = status.health_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert not status.check(engine).ok
    assert status.check(engine).schema_revision is None  # the check never prepares the database
    engine.dispose()


def test_the_one_shot_preparation_before_the_app_servers_start(tmp_path, monkeypatch, demo_file, capsys):
    """`python -m db.bootstrap` (compose.yaml's migrate job): an empty database comes out healthy; a demo
    database outside demo mode is refused, as the app refuses it."""
    from db import bootstrap

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RT_DEMO", "0")
    assert bootstrap.main() == 0
    assert f"ready at schema revision {status.head_revision()}" in capsys.readouterr().out
    engine = status.health_engine(url)
    assert status.check(engine).ok
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{demo_file}")
    assert bootstrap.main() == 1
    assert "Refused: This database holds the demo data set" in capsys.readouterr().out
