"""Administration from the command line, on the database named by DATABASE_URL (migrated first).

    python -m services.admin create-admin USERNAME --email EMAIL [--name "Display name"]
    python -m services.admin import-components FILE --as USERNAME
    python -m services.admin import-users FILE --as USERNAME
    python -m services.admin export-components [-o FILE] [--as USERNAME]
    python -m services.admin export-users [-o FILE] [--as USERNAME]
    python -m services.admin deactivate USERNAME --as USERNAME

create-admin makes an administrator with a password, for the first sign-in of a new installation: the
password is read from standard input (one line) when it is not a terminal, so it can be piped from a secret
store, and asked twice otherwise. Imports check every row first and write nothing if one is bad (each problem
is printed with its line, exit status 1). --as names the active user the command acts as, who must be
allowed to do it and is recorded in the audit trail (exit status 2 when refused or unknown). Exports write
nothing, so without --as they read as the command line itself. FILE may be '-' for standard input.
"""

import argparse
import getpass
import sys
import time
from pathlib import Path
from typing import TextIO

from sqlmodel import Session

from db.engine import make_engine, transaction
from db.migrate import upgrade
from db.reference_data import load_reference_data
from db.settings import load_settings
from services.accounts import (
    create_admin,
    export_users,
    import_users,
    search_users,
    set_active,
)
from services.components import export_components, import_components
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.permissions import Actor
from services.users import actor_for

# Exports are read-only: this stands for whoever runs the command. It never writes (no account has id 0,
# and audit events refer to accounts), so every write needs --as a real user.
COMMAND_LINE = Actor(id=0, username="command-line", display_name="Command line", roles=frozenset({"admin"}))


class Refused(Exception):
    """The command may not run as asked (exit status 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.admin",
                                     description="Accounts and organisations from the command line.")
    commands = parser.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create-admin", help="create an administrator with a password")
    create.add_argument("username")
    create.add_argument("--email", required=True)
    create.add_argument("--name", help="display name (default: the username)")

    for name, what in (("import-components", "organisations"), ("import-users", "user accounts")):
        sub = commands.add_parser(name, help=f"import {what} from CSV (all rows or none)")
        sub.add_argument("file", help="the CSV file ('-': standard input)")
        sub.add_argument("--as", dest="as_user", required=True, help="the administrator who imports")

    for name, what in (("export-components", "organisations"), ("export-users", "user accounts")):
        sub = commands.add_parser(name, help=f"export {what} in the import format")
        sub.add_argument("-o", "--output", help="file to write (default: standard output)")
        sub.add_argument("--as", dest="as_user", help="the user who exports (default: the command line)")

    deactivate = commands.add_parser("deactivate", help="deactivate an account (its sessions end at once)")
    deactivate.add_argument("username")
    deactivate.add_argument("--as", dest="as_user", required=True, help="the administrator who deactivates")
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None) -> int:
    args = _parser().parse_args(argv)
    stdin = stdin if stdin is not None else sys.stdin
    engine = make_engine(load_settings().database_url)
    try:
        upgrade(engine)
        load_reference_data(engine)
        if args.command == "create-admin":
            return _create_admin(engine, args, stdin)
        actor = _actor(engine, args.as_user)
        if args.command == "import-components":
            return _import(args.file, stdin, lambda data: import_components(engine=engine, actor=actor, data=data))
        if args.command == "import-users":
            return _import(args.file, stdin, lambda data: import_users(engine=engine, actor=actor, data=data,
                                                                       settings=load_settings()))
        if args.command == "export-components":
            return _export(engine, actor, export_components, args.output, "organisation(s)")
        if args.command == "export-users":
            return _export(engine, actor, export_users, args.output, "account(s)")
        return _deactivate(engine, actor, args.username)
    except (Refused, PermissionDenied) as refused:
        print(f"Refused: {refused}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _actor(engine, username: str | None) -> Actor:
    if not username:
        return COMMAND_LINE
    with Session(engine) as session:
        actor = actor_for(session=session, username=username)
    if actor is None:
        raise Refused(f"there is no active user named {username!r} to act as.")
    return actor


def _problems(failed: ValidationFailed, heading: str) -> int:
    print(heading, file=sys.stderr)
    for error in failed.errors:
        where = f"line {error.line}: " if error.line else ""
        print(f"  {where}{error.field}: {error.message}", file=sys.stderr)
    return 1


# -- create-admin -------------------------------------------------------------------------------------------

def _read_password(stdin: TextIO) -> str | None:
    """One line from a pipe, or asked twice on a terminal; None when the two typed differ."""
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != password:
        return None
    return password


def _create_admin(engine, args, stdin: TextIO) -> int:
    password = _read_password(stdin)
    if password is None:
        print("The two passwords differ: nothing was created.", file=sys.stderr)
        return 1
    if not password:
        print("No password given (send it as one line on standard input): nothing was created.",
              file=sys.stderr)
        return 1
    try:
        with transaction(engine) as session:
            user = create_admin(session=session, username=args.username, email=args.email,
                                display_name=args.name or args.username, password=password)
            username = user.username
    except ValidationFailed as failed:
        return _problems(failed, f"Nothing was created: {len(failed.errors)} problem(s):")
    print(f"Created administrator {username}.")
    return 0


# -- imports and exports ------------------------------------------------------------------------------------

def _read(file: str, stdin: TextIO) -> bytes:
    if file != "-":
        return Path(file).read_bytes()
    buffer = getattr(stdin, "buffer", None)
    return buffer.read() if buffer is not None else stdin.read().encode("utf-8")


def _import(file: str, stdin: TextIO, run) -> int:
    try:
        data = _read(file, stdin)
    except OSError as problem:
        print(f"Cannot read {file}: {problem.strerror or problem}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        result = run(data)
    except ValidationFailed as failed:
        return _problems(failed, f"Nothing was imported: {len(failed.errors)} problem(s) in {file}:")
    print(f"Imported {file}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged "
          f"in {time.perf_counter() - started:.1f} s.")
    return 0


def _export(engine, actor: Actor, export, output: str | None, what: str) -> int:
    started = time.perf_counter()
    with Session(engine) as session:
        data = export(session=session, actor=actor)
    if output:
        Path(output).write_bytes(data)
        rows = data.count(b"\n") - 1  # minus the header
        print(f"Wrote {rows} {what} to {output} in {time.perf_counter() - started:.1f} s.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


# -- deactivate ---------------------------------------------------------------------------------------------

def _deactivate(engine, actor: Actor, username: str) -> int:
    try:
        with transaction(engine) as session:
            found = search_users(session=session, actor=actor, text=username)
            found = found[found["username"] == username]
            if found.empty:
                raise NotFound(f"There is no user named {username!r}.")
            if not bool(found["active"].iloc[0]):
                print(f"{username} is already deactivated.")
                return 0
            set_active(session=session, actor=actor, user_id=int(found["id"].iloc[0]), active=False)
    except NotFound as missing:
        print(str(missing), file=sys.stderr)
        return 1
    except ValidationFailed as failed:
        return _problems(failed, f"{username} was not deactivated:")
    print(f"Deactivated {username}: their sessions have ended.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
