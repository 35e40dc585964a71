"""Time the register import (services/register_file.py) on a generated file of 100,000 rows, and how long it
keeps another writer waiting.

    .venv/bin/python -m bench.register_import                       # SQLite and PostgreSQL (127.0.0.1)
    .venv/bin/python -m bench.register_import --url sqlite:////tmp/bench_register.db --rows 100000

Each database is made afresh (schema and reference data; a PostgreSQL URL names a database that is dropped
and created). The file spreads the rows over the reference Congresses (numbers 1..N of each), with one or
two themes and every tenth row archived. Steps, each timed:
  1. checking the file alone (parse_register: no database writes);
  2. the first import (every row new);
  3. the same file again (every row unchanged: nothing written but the import event);
  4. a file with every tenth title and theme changed (10% updates).
During steps 2-4 another thread writes as a user saving a form would (a one-row UPDATE of an unrelated
table in its own short transaction, every 20 ms) and records how long each write waited: on SQLite that
is how long the import holds the database's single write lock. Prints a table; asserts nothing.
"""

import argparse
import csv
import io
import os
import random
import statistics
import threading
import time
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.models import Congress, Theme, User, UserRole
from db.reference_data import load_reference_data
from services.permissions import Actor
from services.register_file import COLUMNS, import_register, parse_register, resolution_code

DEFAULT_URLS = ("sqlite:////tmp/bench_register_import.db", "postgresql://postgres@127.0.0.1:5432/bench_register_import")
WORDS = ("conservation", "protection", "restoration", "deep ocean", "wetlands", "forests", "species", "rights",
         "Indigenous peoples", "climate", "finance", "seabed mining", "coral reefs", "grasslands", "rivers")


def register_file(rows: int, congresses: list[str], themes: list[str], seed: int = 1, changed: bool = False) -> bytes:
    rng = random.Random(seed)
    per = -(-rows // len(congresses))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for congress in congresses:
        for number in range(1, per + 1):
            if n == rows:
                break
            n += 1
            kind = "Resolution" if number % 5 else "Recommendation"
            title = f"{rng.choice(WORDS).capitalize()} of {rng.choice(WORDS)} and {rng.choice(WORDS)} ({n})"
            chosen = sorted(rng.sample(themes, rng.choice((1, 1, 2))))
            if changed and n % 10 == 0:
                title, chosen = title + " (revised)", sorted(set(chosen) ^ {"Climate"}) or ["Water"]
            archived = n % 10 == 3
            writer.writerow([resolution_code(congress, kind, number), kind, number, title, congress,
                             ";".join(sorted(set(chosen))), "archived" if archived else "active",
                             date(2019, 3, 15).isoformat() if archived else ""])
    return out.getvalue().encode("utf-8")


def fresh_database(url: str):
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(parsed.database + suffix)
            except FileNotFoundError:
                pass
    else:
        admin = make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                            isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    engine = make_engine(url)
    upgrade(engine)
    load_reference_data(engine)
    with Session(engine) as s:
        user = User(username="bench.importer", display_name="Bench importer", email="bench.importer@example.org",
                    password_hash=None)
        s.add(user)
        s.flush()
        s.add(UserRole(user_id=user.id, role="secretariat"))
        s.commit()
        actor = Actor(id=user.id, username=user.username, display_name=user.display_name,
                      roles=frozenset({"secretariat"}))
    return engine, actor


class OtherWriter(threading.Thread):
    """A user saving something every 20 ms while the import runs: how long does each save wait?"""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine, self.waits, self.failures, self.stop = engine, [], [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                with self.engine.begin() as conn:
                    conn.execute(text("UPDATE congress SET city = city WHERE code = 'GA-1948'"))
            except Exception as exc:  # noqa: BLE001 - measured, not handled
                self.failures.append(f"{type(exc).__name__}: {exc}"[:120])
            self.waits.append(time.perf_counter() - started)
            time.sleep(0.02)


def timed(engine, label: str, fn) -> tuple[str, float, float, float, int, object]:
    writer = OtherWriter(engine)
    writer.start()
    time.sleep(0.1)
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    time.sleep(0.1)
    writer.stop.set()
    writer.join()
    if writer.failures:
        print(f"  {label}: other writer failed {len(writer.failures)}x, e.g. {writer.failures[0]}")
    return label, elapsed, cpu, max(writer.waits), len(writer.failures), result


def bench(url: str, rows: int) -> None:
    engine, actor = fresh_database(url)
    with Session(engine) as s:
        congresses = list(s.exec(select(Congress.code).order_by(Congress.year)).all())
        themes = list(s.exec(select(Theme.name)).all())
    first = register_file(rows, congresses, themes)
    second = register_file(rows, congresses, themes, changed=True)
    backend = engine.dialect.name
    print(f"\n{backend}: {rows:,} rows, file {len(first) / 1024 / 1024:.1f} MB")

    started, cpu = time.perf_counter(), time.process_time()
    parse_register(first, congresses=set(congresses), themes=set(themes))
    check, check_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; 'cpu' is this process's own time)")

    results = [
        timed(engine, "import, all new", lambda: import_register(engine=engine, actor=actor, data=first)),
        timed(engine, "same file again", lambda: import_register(engine=engine, actor=actor, data=first)),
        timed(engine, "10% changed", lambda: import_register(engine=engine, actor=actor, data=second)),
    ]
    print(f"  {'step':<18} {'seconds':>8} {'cpu':>6} {'other writer max wait':>22} {'fails':>6}   result")
    print(f"  {'check file only':<18} {check:8.2f} {check_cpu:6.2f} {'-':>22} {'-':>6}")
    for label, elapsed, cpu, wait, fails, result in results:
        print(f"  {label:<18} {elapsed:8.2f} {cpu:6.2f} {wait:21.2f}s {fails:6d}   "
              f"{result.created:,} new, {result.updated:,} updated, {result.unchanged:,} unchanged")
    waits = [w for *_, w, _, _ in results]  # label, seconds, cpu, WAIT, fails, result
    print(f"  longest wait of another writer: {max(waits):.2f} s (median step {statistics.median(waits):.2f} s)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="database (made afresh); repeatable. Default: both")
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    for url in args.url or DEFAULT_URLS:
        bench(url, args.rows)


if __name__ == "__main__":
    main()
