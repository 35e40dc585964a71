"""Arrows one way: pages -> ui -> services -> analytics / db, read from the import statements themselves.

- Nothing below ui/ (db, services, analytics) imports Streamlit, ui or pages, so it runs under plain
  pytest, from a command line or a job.
- db imports nothing above it; analytics knows no services, ui or pages; services know no ui or pages;
  ui does not import pages.
- api (the open-data API) is a layer beside ui: services, analytics and db; no Streamlit, ui or pages.
- The security helpers (db/security.py: hashing, tokens) import nothing from the project: both db and
  services stand on them.
- Below ui, nothing names a page file: where a page lives is ui's business (ui/navigation.py).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = {"api", "app", "asgi", "analytics", "bench", "db", "locales", "pages", "services", "tests", "ui"}

# package -> the top-level modules it must not import. api (the open-data API, beside ui) stands on services,
# analytics and db, never on Streamlit; nothing below it knows it.
FORBIDDEN = {
    "db": {"streamlit", "services", "analytics", "ui", "pages", "api"},
    "analytics": {"streamlit", "services", "ui", "pages", "api"},
    "services": {"streamlit", "ui", "pages", "api"},
    "ui": {"pages", "api"},
    "api": {"streamlit", "ui", "pages"},
    # the translations (issue 14) stand below everything: every layer calls _(), they know no layer
    "locales": {"streamlit", "db", "services", "analytics", "ui", "pages", "api", "app", "asgi", "bench", "tests"},
}


def imported(source: str, module: str) -> set[str]:
    """The modules `source` (the module `module`, such as "db.demo") imports, anywhere in it: in functions
    too, relative imports resolved, and importlib.import_module / __import__ of a literal name."""
    found = set()
    package = module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            name = ".".join(base + ([node.module] if node.module else []))
            found.add(name)
            if not node.module:  # from . import x
                found |= {f"{name}.{a.name}" for a in node.names}
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(str(node.args[0].value))
    return found


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield name, imported(path.read_text(), name)


def top(name: str) -> str:
    return name.split(".")[0]


def test_the_import_reader_sees_every_kind_of_import():
    source = ("import streamlit as st\nfrom ui.auth import gate\nfrom . import counting\nfrom .vocab import ROLES\n"
              "def later():\n    import services.users\n    importlib.import_module('pages.overview')\n")
    assert imported(source, "db.demo") == {"streamlit", "ui.auth", "db", "db.counting", "db.vocab",
                                           "services.users", "pages.overview"}


def test_imports_point_one_way():
    seen, wrong = 0, []
    for package, forbidden in FORBIDDEN.items():
        for name, imports in modules(package):
            seen += 1
            wrong += [f"{name} imports {i}" for i in sorted(imports) if top(i) in forbidden]
    assert seen > 80  # the packages were read
    assert wrong == []


def test_the_layers_do_import_what_is_below_them():
    """The check above reads real imports: services do use db and analytics, ui uses services."""
    edges = {(top(name), top(i)) for package in FORBIDDEN for name, imports in modules(package) for i in imports}
    assert {("services", "db"), ("services", "analytics"), ("analytics", "db"), ("ui", "services"),
            ("ui", "streamlit"), ("api", "services")} <= edges


def test_security_helpers_stand_on_nothing_of_the_project():
    imports = imported((ROOT / "db" / "security.py").read_text(), "db.security")
    assert "bcrypt" in imports
    assert {i for i in imports if top(i) in PROJECT} == set()
    users = {name for package in ("db", "services") for name, imports in modules(package) if "db.security" in imports}
    assert {"db.demo", "services.accounts"} <= users  # both layers hash with the same helpers


def test_nothing_below_ui_names_a_page_file():
    named = []
    for package in ("db", "services", "analytics", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and "pages/" in node.value:
                    named.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert named == []
