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
  4. a file with every tenth title and theme changed (10% updates);
  5. the same with a text_url column (every row gets a link: 100% updates);
  6. a focal point assignments file (services/assignments.py) of --assignment-rows rows, then again.
During each step another thread writes as a user saving a form would (a one-row UPDATE of an unrelated
table in its own short transaction, every 20 ms) and records how long each write waited; and the import's
write transaction itself is timed from its first statement to its commit ("write txn"): on SQLite that is
how long the import holds the database's single write lock. The load average (1 minute) is printed before
and after each step: other work on the machine slows every figure. Prints a table; asserts nothing.
"""

import argparse
import csv
import io
import os
import random
import statistics
import threading
import time
from contextlib import contextmanager
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from db.engine import make_engine, normalise_url
from db.migrate import upgrade
from db.models import Congress, Resolution, Theme, User, UserRole
from db.reference_data import load_reference_data
from services import assignments, register_file
from services.assignments import import_assignments
from services.bulk_write import gc_paused
from services.permissions import Actor
from services.register_file import COLUMNS, TEXT_URL, import_register, parse_register, resolution_code

DEFAULT_URLS = ("sqlite:////tmp/bench_register_import.db", "postgresql://postgres@127.0.0.1:5432/bench_register_import")
WORDS = ("conservation", "protection", "restoration", "deep ocean", "wetlands", "forests", "species", "rights",
         "Indigenous peoples", "climate", "finance", "seabed mining", "coral reefs", "grasslands", "rivers")


def register_csv(rows: int, congresses: list[str], themes: list[str], seed: int = 1, changed: bool = False,
                 links: bool = False) -> bytes:
    rng = random.Random(seed)
    per = -(-rows // len(congresses))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, TEXT_URL) if links else COLUMNS)
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
            code = resolution_code(congress, kind, number)
            writer.writerow([code, kind, number, title, congress, ";".join(sorted(set(chosen))),
                             "archived" if archived else "active", date(2019, 3, 15).isoformat() if archived else "",
                             *([f"https://portals.iucn.org/library/resolutions/{code}.pdf"] if links else [])])
    return out.getvalue().encode("utf-8")


def assignments_csv(codes: list[str], usernames: list[str], rows: int) -> bytes:
    """code,username rows: each Resolution in turn with each focal point in turn."""
    lines = ["code,username"] + [f"{codes[i // len(usernames) % len(codes)]},{usernames[i % len(usernames)]}"
                                 for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


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


WRITES: list[float] = []  # seconds of each write transaction of the imports, from first statement to commit


@contextmanager
def timed_transaction(engine):
    """db.engine.transaction, timed from its first statement (BEGIN IMMEDIATE on SQLite: the lock) to the
    end of its commit or rollback."""
    started = None
    try:
        with real_transaction(engine) as session:
            session.connection()  # the transaction (and on SQLite the write lock) begins here
            started = time.perf_counter()
            yield session
    finally:
        if started is not None:
            WRITES.append(time.perf_counter() - started)


real_transaction = register_file.transaction
register_file.transaction = assignments.transaction = timed_transaction


def load() -> float:
    return os.getloadavg()[0]


def timed(engine, label: str, fn) -> dict:
    writer = OtherWriter(engine)
    writer.start()
    time.sleep(0.1)
    WRITES.clear()
    load_before = load()
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    time.sleep(0.1)
    writer.stop.set()
    writer.join()
    if writer.failures:
        print(f"  {label}: other writer failed {len(writer.failures)}x, e.g. {writer.failures[0]}")
    return {"label": label, "seconds": elapsed, "cpu": cpu, "write": max(WRITES, default=0.0),
            "wait": max(writer.waits), "fails": len(writer.failures), "result": result,
            "load": f"{load_before:.1f}-{load():.1f}"}


def bench(url: str, rows: int, assignment_rows: int) -> None:
    engine, actor = fresh_database(url)
    with Session(engine) as s:
        congresses = list(s.exec(select(Congress.code).order_by(Congress.year)).all())
        themes = list(s.exec(select(Theme.name)).all())
    first = register_csv(rows, congresses, themes)
    second = register_csv(rows, congresses, themes, changed=True)
    linked = register_csv(rows, congresses, themes, changed=True, links=True)
    backend = engine.dialect.name
    print(f"\n{backend}: {rows:,} rows, file {len(first) / 1024 / 1024:.1f} MB; {os.cpu_count()} cores; "
          "'cpu' is this process's own time, 'load' the load average before-after the step")

    load_before = load()
    started, cpu = time.perf_counter(), time.process_time()
    with gc_paused():  # as import_register checks it
        parse_register(first, congresses=set(congresses), themes=set(themes))
    check = {"label": "check file only", "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
             "load": f"{load_before:.1f}-{load():.1f}"}

    results = [
        timed(engine, "import, all new", lambda: import_register(engine=engine, actor=actor, data=first)),
        timed(engine, "same file again", lambda: import_register(engine=engine, actor=actor, data=first)),
        timed(engine, "10% changed", lambda: import_register(engine=engine, actor=actor, data=second)),
        timed(engine, "text_url added", lambda: import_register(engine=engine, actor=actor, data=linked)),
    ]
    with Session(engine) as s:
        focal = []
        for k in range(4):
            user = User(username=f"bench.focal{k}", display_name=f"Bench focal point {k}",
                        email=f"bench.focal{k}@example.org", password_hash=None)
            s.add(user)
            s.flush()
            s.add(UserRole(user_id=user.id, role="focal_point"))
            focal.append(user.username)
        s.commit()
        codes = list(s.exec(select(Resolution.code).order_by(Resolution.id)).all())
    assigned = assignments_csv(codes, focal, assignment_rows)
    print(f"  assignments file: {assignment_rows:,} rows, {len(assigned) / 1024 / 1024:.1f} MB")
    results += [
        timed(engine, "assignments new", lambda: import_assignments(engine=engine, actor=actor, data=assigned)),
        timed(engine, "assignments again", lambda: import_assignments(engine=engine, actor=actor, data=assigned)),
    ]
    print(f"  {'step':<18} {'seconds':>8} {'cpu':>6} {'write txn':>10} {'other writer max wait':>22} {'fails':>6} "
          f"{'load':>9}   result")
    print(f"  {check['label']:<18} {check['seconds']:8.2f} {check['cpu']:6.2f} {'-':>10} {'-':>22} {'-':>6} "
          f"{check['load']:>9}")
    for r in results:
        result = r["result"]
        counts = f"{result.created:,} new, " + (f"{result.updated:,} updated, " if hasattr(result, "updated") else "")
        print(f"  {r['label']:<18} {r['seconds']:8.2f} {r['cpu']:6.2f} {r['write']:9.2f}s {r['wait']:21.2f}s "
              f"{r['fails']:6d} {r['load']:>9}   {counts}{result.unchanged:,} unchanged")
    waits = [r["wait"] for r in results]
    print(f"  longest write transaction: {max(r['write'] for r in results):.2f} s; longest wait of another "
          f"writer: {max(waits):.2f} s (median step {statistics.median(waits):.2f} s)")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", help="database (made afresh); repeatable. Default: both")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--assignment-rows", type=int, default=100_000)
    args = parser.parse_args()
    for url in args.url or DEFAULT_URLS:
        bench(url, args.rows, args.assignment_rows)


if __name__ == "__main__":
    main()
