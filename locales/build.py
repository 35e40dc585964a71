"""python -m locales.build: the catalogues brought up to date with the code, in one safe step (anyone, any time).

1. Extract every msgid from the code with Babel (keywords _, N_, ngettext) -> locales/messages.pot; the same
   extraction as `pybabel extract -F babel.cfg ...` (README "Languages").
2. Update locales/fr and locales/es messages.po from it: translations kept, texts gone from the code dropped.
3. Fill msgstr from every locales/incoming/*.json, {"<English msgid>": {"fr": "...", "es": "..."}} and for
   plurals {"<singular>|<plural>": {"fr": ["...", "..."], "es": [...]}}; an incoming translation wins over the
   catalogue's and clears a fuzzy flag (it is the one helpers and translators write).
4. Write each file atomically (a temporary file renamed over it) and print, per language, the counts translated,
   missing and fuzzy, the first missing msgids with the file they come from, placeholders that differ from the
   msgid, and incoming entries the code no longer has.

--check: exit 1 when anything is missing, fuzzy or has wrong placeholders.
"""

import argparse
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from locales import DIRECTORY, LANGUAGES, po_path

ROOT = DIRECTORY.parent
SOURCES = ("app.py", "asgi.py", "pages", "ui", "services", "analytics", "db", "api")
SKIP = ("db/migrations",)  # Alembic's history: nothing in it reaches a screen
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
TRANSLATED = [language for language in LANGUAGES if language != "en"]
INCOMING = DIRECTORY / "incoming"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
SHOW = 30


def source_files() -> list[Path]:
    files = []
    for name in SOURCES:
        path = ROOT / name
        found = [path] if path.is_file() else sorted(path.rglob("*.py"))
        files += [f for f in found if not any(f.relative_to(ROOT).as_posix().startswith(s) for s in SKIP)]
    return files


def extract() -> Catalog:
    """The template: every msgid the code marks, with where it comes from."""
    template = Catalog(project="resolutions-tracker", fuzzy=False)
    for path in source_files():
        relative = path.relative_to(ROOT).as_posix()
        for lineno, message, comments, context in extract_from_file(
                "python", str(path), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            if (isinstance(message, tuple) and not message[0]) or not message:
                continue
            template.add(message, None, [(relative, lineno)], auto_comments=comments, context=context)
    return template


def incoming() -> dict[str, dict[str, object]]:
    """Every helper's / translator's file merged; a key given twice keeps the later file's (sorted by name)."""
    merged: dict[str, dict[str, object]] = {}
    for path in sorted(INCOMING.glob("*.json")):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"!! {path.relative_to(ROOT)} is not valid JSON, skipped: {e}")
            continue
        for key, by_language in entries.items():
            if isinstance(by_language, dict):
                merged.setdefault(key, {}).update(by_language)
    return merged


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text or ""))


def key_of(message) -> str:
    return "|".join(message.id) if isinstance(message.id, (tuple, list)) else message.id


def read_catalog(language: str) -> Catalog:
    path = po_path(language)
    if path.exists():
        with path.open("rb") as f:
            return read_po(f, locale=language)
    return Catalog(locale=language, project="resolutions-tracker", fuzzy=False)


def fill(catalog: Catalog, language: str, merged: dict[str, dict[str, object]]) -> None:
    for message in catalog:
        if not message.id:
            continue
        given = merged.get(key_of(message), {}).get(language)
        if not given:
            continue
        if isinstance(message.id, (tuple, list)):
            forms = [given] if isinstance(given, str) else list(given)
            count = catalog.num_plurals
            message.string = tuple((forms + [forms[-1]] * count)[:count])
        else:
            message.string = given if isinstance(given, str) else given[0]
        message.flags.discard("fuzzy")


def write_atomically(catalog: Catalog, path: Path, **options) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".messages.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as f:
            write_po(f, catalog, width=0, include_lineno=False, **options)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def problems(catalog: Catalog) -> tuple[list, list, list]:
    """(missing, fuzzy, wrong placeholders) messages of one language's catalogue."""
    missing, fuzzy, wrong = [], [], []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        if not all(strings):
            missing.append(message)
        elif message.fuzzy:
            fuzzy.append(message)
        else:
            ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
            # Each plural form may leave {n} out ("un rapport"), but no form may bring a placeholder of its own.
            expected = set(placeholders(" ".join(ids)))
            if any(set(placeholders(s)) - expected for s in strings) or (
                    len(ids) == 1 and placeholders(strings[0]) != placeholders(ids[0])):
                wrong.append(message)
    return missing, fuzzy, wrong


def where(message) -> str:
    return message.locations[0][0] if message.locations else "?"


def report(language: str, catalog: Catalog, shown: int) -> bool:
    missing, fuzzy, wrong = problems(catalog)
    total = sum(1 for m in catalog if m.id)
    print(f"{language}: {total - len(missing) - len(fuzzy)} translated, {len(missing)} missing, {len(fuzzy)} fuzzy"
          f" (of {total} messages){f', {len(wrong)} with other placeholders than the msgid' if wrong else ''}")
    by_file: dict[str, int] = {}
    for message in missing:
        by_file[where(message)] = by_file.get(where(message), 0) + 1
    if by_file:
        print("   missing per file: " + ", ".join(f"{f} {n}" for f, n in sorted(by_file.items())))
    for label, messages in (("missing", missing), ("fuzzy", fuzzy), ("placeholders differ", wrong)):
        for message in messages[:shown]:
            print(f"   {label}: {where(message)}: {key_of(message)!r}")
        if len(messages) > shown:
            print(f"   ... and {len(messages) - shown} more {label}")
    return not (missing or fuzzy or wrong)


def unused(template: Catalog, merged: dict[str, dict[str, object]]) -> Iterable[str]:
    known = {key_of(m) for m in template if m.id}
    return sorted(k for k in merged if k not in known)


def build(shown: int = SHOW) -> bool:
    template = extract()
    write_atomically(template, DIRECTORY / "messages.pot", omit_header=False)
    merged = incoming()
    complete = True
    for language in TRANSLATED:
        catalog = read_catalog(language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        fill(catalog, language, merged)
        write_atomically(catalog, po_path(language), ignore_obsolete=True)
        complete = report(language, catalog, shown) and complete
    stale = list(unused(template, merged))
    if stale:
        print(f"incoming entries the code does not have ({len(stale)}): "
              + "; ".join(repr(k) for k in stale[:shown]) + (" ..." if len(stale) > shown else ""))
    return complete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m locales.build", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if anything is missing, fuzzy or wrong")
    parser.add_argument("--all", action="store_true", help="list every missing msgid, not the first 30")
    args = parser.parse_args(argv)
    complete = build(shown=10**9 if args.all else SHOW)
    return 1 if args.check and not complete else 0


if __name__ == "__main__":
    sys.exit(main())
