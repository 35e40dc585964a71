"""Command line for the Resolution register, on the database named by DATABASE_URL.

    python -m services.register_cli import FILE --as USERNAME
    python -m services.register_cli export [--congress WCC-2020] [-o FILE] [--as USERNAME]

Import checks every row first and writes nothing if one is bad (each problem is printed with its line
number, exit status 1). It acts as USERNAME, who must be allowed to import (Secretariat or admin), and is
recorded in the audit trail. The file's columns: code,kind,number,title,congress,themes,status,archived_on,
optionally followed by text_url (the link to the official text, http:// or https://; a file without that
column leaves the links already in the register as they are). Export writes the import format, text_url
included, to FILE (or standard output); without --as it reads as the command line itself, since export
changes nothing.
"""

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from db.engine import make_engine
from db.migrate import upgrade
from db.reference_data import load_reference_data
from db.settings import load_settings
from services.errors import PermissionDenied, ValidationFailed
from services.permissions import Actor
from services.register_file import COLUMNS, TEXT_URL, export_register, import_register
from services.users import actor_for

# Export is read-only and open to every role; this stands for whoever runs the command.
COMMAND_LINE = Actor(id=0, username="command-line", display_name="Command line", roles=frozenset({"leadership"}))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.register_cli",
                                     description="Import or export the Resolution register (CSV).")
    commands = parser.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="import a register file (all rows or none)")
    imp.add_argument("file", help=f"CSV file: {','.join(COLUMNS)}[,{TEXT_URL}] ('-': stdin)")
    imp.add_argument("--as", dest="username", required=True, help="the user who imports (Secretariat or admin)")
    exp = commands.add_parser("export", help="export the register in the import format (with text_url)")
    exp.add_argument("--congress", help="only this Congress, by its code (e.g. WCC-2020)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    exp.add_argument("--as", dest="username", help="the user who exports (default: the command line)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    engine = make_engine(load_settings().database_url)
    upgrade(engine)
    load_reference_data(engine)
    try:
        with Session(engine) as session:
            actor = actor_for(session=session, username=args.username) if args.username else COMMAND_LINE
        if actor is None:
            print(f"No active user named {args.username!r}.", file=sys.stderr)
            return 2
        if args.command == "import":
            return _import(engine, actor, args.file)
        return _export(engine, actor, args.congress, args.output)
    except PermissionDenied as denied:
        print(f"Refused: {denied}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _import(engine, actor: Actor, file: str) -> int:
    data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        result = import_register(engine=engine, actor=actor, data=data)
    except ValidationFailed as failed:
        print(f"Nothing was imported: {len(failed.errors)} problem(s) in {file}:", file=sys.stderr)
        for error in failed.errors:
            print(f"  line {error.line}: {error.field}: {error.message}", file=sys.stderr)
        return 1
    print(f"Imported {file}: {result.created} new, {result.updated} updated, {result.unchanged} unchanged.")
    return 0


def _export(engine, actor: Actor, congress: str | None, output: str | None) -> int:
    with Session(engine) as session:
        data = export_register(session=session, actor=actor, congress=congress)
    if output:
        Path(output).write_bytes(data)
        rows = data.count(b"\n") - 1  # minus the header
        print(f"Wrote {rows} Resolution(s) to {output}.", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
