"""Moving a database of 100,000 Activity Reports (bench/generate.py) SQLite -> PostgreSQL -> SQLite (SQLite ->
SQLite -> SQLite without TEST_DATABASE_URL): each restored database dumps to the same rows, table by table.
Each step's time is printed (pytest -s) and kept in the test's report properties."""

import time

from sqlalchemy import func, select
from sqlmodel import Session

from bench.generate import generate
from db import backup
from db.engine import make_engine
from db.models import ActivityReport
from tests.conftest import BACKENDS, _scratch_postgres

REPORTS = 100_000


def test_100k_reports_round_trip_sqlite_to_postgresql_and_back(tmp_path, record_property):
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    generate(source_url, activity_reports=REPORTS, progress_reports=15_000, log=lambda _: None)
    middle_url, drop = (_scratch_postgres() if "postgresql" in BACKENDS
                        else (f"sqlite:///{tmp_path / 'middle.db'}", lambda: None))
    times: dict[str, float] = {}

    def timed(step: str, work):
        started = time.perf_counter()
        result = work()
        times[step] = round(time.perf_counter() - started, 1)
        return result

    source, middle, back = make_engine(source_url), make_engine(middle_url), make_engine(
        f"sqlite:///{tmp_path / 'back.db'}")
    kind = middle.dialect.name
    try:
        first, second, third = (tmp_path / f"{n}.zip" for n in ("first", "second", "third"))
        manifest = timed("dump sqlite", lambda: backup.dump(source, first))
        timed(f"restore {kind}", lambda: backup.restore(middle, first))
        timed(f"dump {kind}", lambda: backup.dump(middle, second))
        timed("restore sqlite", lambda: backup.restore(back, second))
        timed("dump sqlite again", lambda: backup.dump(back, third))
        assert next(e["rows"] for e in manifest["tables"] if e["name"] == "activity_report") == REPORTS
        with Session(middle) as s:
            assert s.scalar(select(func.count()).select_from(ActivityReport)) == REPORTS
        assert backup.differences(first, second) == []
        assert backup.differences(second, third) == []
    finally:
        for engine in (source, middle, back):
            engine.dispose()
        drop()
    print(f"\n100k round trip ({sum(e['rows'] for e in manifest['tables']):,} rows): {times}")
    for step, seconds in times.items():
        record_property(step, seconds)
