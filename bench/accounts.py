"""Time the production set-up of README "Production" at IUCN's scale: create the first administrator, then
import 1,500 organisations and 2,000 users through the real command line, on an empty database.

    .venv/bin/python -m bench.accounts --url postgresql://postgres@127.0.0.1:5432/bench_accounts
    .venv/bin/python -m bench.accounts --url sqlite:////tmp/bench_accounts.db

The files are made here (deterministic): about 1,400 Members and 70 National and 7 Regional Committees
spread over the statutory regions, and 2,000 users, mostly component focal points of those organisations.
Each command runs as its own process, as an administrator would run it, and is timed from outside.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from db import vocab

ROOT = Path(__file__).resolve().parent.parent
ADMIN, ADMIN_PASSWORD = "bench.boss", "Bench-Boss-Password-2026"


def organisations(count: int, rng: random.Random) -> list[list[str]]:
    rows = [["Regional Committee", f"IUCN Regional Committee for {region}", "", region, ""]
            for region in vocab.IUCN_REGIONS[:7]]
    rows += [["National Committee", f"IUCN National Committee {n:02d}", "", rng.choice(vocab.IUCN_REGIONS),
              f"Country {n:02d}"] for n in range(1, 71)]
    n = 0
    while len(rows) < count:
        n += 1
        rows.append(["Member", f"Member organisation {n:04d}", f"MO{n:04d}", rng.choice(vocab.IUCN_REGIONS),
                     f"Country {rng.randint(1, 160):03d}"])
    return rows


def users(count: int, names: list[str], rng: random.Random) -> list[list[str]]:
    rows = []
    for n in range(1, count + 1):
        role = "reporter" if n % 20 else rng.choice(("focal_point", "secretariat", "leadership"))
        components = "Policy and Programme Unit" if role != "reporter" else ";".join(
            rng.sample(names, 1 if n % 7 else 2))
        rows.append([f"user.{n:04d}", f"User {n:04d}", f"user.{n:04d}@bench.example.org", role, components])
    return rows


def write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)


def timed(args: list[str], env: dict, stdin: str | None = None) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, input=stdin, text=True,
                          capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    print(f"  {' '.join(args[:2])}: {elapsed:.2f} s   {done.stdout.strip().splitlines()[-1] if done.stdout else ''}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="an EMPTY database (its schema is created)")
    parser.add_argument("--organisations", type=int, default=1500)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(2026)
    orgs = organisations(args.organisations, rng)
    people = users(args.users, [r[1] for r in orgs], rng)
    env = os.environ | {"DATABASE_URL": args.url}
    env.pop("RT_SMTP_HOST", None)  # mail waits in the outbox: the import must not depend on a mail server
    with tempfile.TemporaryDirectory() as tmp:
        org_file, user_file = Path(tmp) / "organisations.csv", Path(tmp) / "users.csv"
        write(org_file, ("kind", "name", "acronym", "region", "country"), orgs)
        write(user_file, ("username", "display_name", "email", "roles", "components"), people)
        print(f"{args.url}: {len(orgs)} organisations, {len(people)} users")
        timed(["services.admin", "create-admin", ADMIN, "--email", "boss@bench.example.org"], env,
              ADMIN_PASSWORD + "\n")
        timed(["services.admin", "import-components", str(org_file), "--as", ADMIN], env)
        timed(["services.admin", "import-users", str(user_file), "--as", ADMIN], env)
        timed(["services.admin", "import-users", str(user_file), "--as", ADMIN], env)  # again: changes nothing


if __name__ == "__main__":
    main()
