"""Hostile files through every CSV import (register, assignments, users, organisations), on both databases.

Each payload of tests/payloads.py that a file could carry (control characters and NUL, a 1 MB cell, numbers
beyond 64 bits and digits that are not ASCII, a code longer than its column, formulas) goes into each column
of a row on line 3, after a good row on line 2: the import must answer with that line and that column, and
write nothing at all (every table keeps its row count). A file over the size limit is refused before it is
decoded. Formulas as register titles import as plain text, export inert, and round-trip byte for byte.
"""

import csv
import io

import pytest
from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, SQLModel, select

from db.models import Resolution
from db.settings import Settings
from services import accounts, components
from services import assignments as assignments_service
from services import register_file as register
from services.csv_file import CELL_MAX, MAX_FILE_BYTES, control_character
from services.errors import ValidationFailed
from services.tabular import FORMULA_START, CsvRows, safe_cell
from tests import factories as f
from tests.payloads import ALL_TEXT, CONTROL, FORMULAS, HUGE_NUMBERS, HUGE_TEXT


@pytest.fixture(autouse=True)
def cheap_bcrypt(monkeypatch):
    monkeypatch.setattr(accounts, "ROUNDS", 4)


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        f.resolution(s, 1, themes=("Oceans",))
        f.component(s, "Andean Trust")
        f.user(s, "fay", ("focal_point",))
        people = {role: f.actor(s, f.user(s, f"{role}.user", (role,))) for role in ("secretariat", "admin")}
        s.commit()
    settings = Settings(database_url=str(engine.url), demo_mode=False, cookie_key="a-test-cookie-key-0123456789",
                        public_url="https://tracker.example.org")
    return {"engine": engine, "settings": settings, **people}


# Each import: its columns, a good row (line 2), a hostile row's other values (line 3), and how to call it.
IMPORTS = {
    "register": (
        register.COLUMNS,
        ["WCC-2020-Res-002", "Resolution", "2", "A good title", "WCC-2020", "Oceans", "active", ""],
        ["WCC-2020-Res-003", "Resolution", "3", "Another title", "WCC-2020", "Land", "active", ""],
        lambda w, data: register.import_register(engine=w["engine"], actor=w["secretariat"], data=data),
    ),
    "assignments": (
        assignments_service.CSV_COLUMNS,
        ["WCC-2020-Res-001", "fay"],
        ["WCC-2020-Res-001", "secretariat.user"],
        lambda w, data: assignments_service.import_assignments(engine=w["engine"], actor=w["secretariat"], data=data),
    ),
    "users": (
        accounts.COLUMNS,
        ["nina", "Nina Nkosi", "nina@example.org", "reporter", "Andean Trust"],
        ["omar", "Omar Haddad", "omar@example.org", "focal_point", ""],
        lambda w, data: accounts.import_users(engine=w["engine"], actor=w["admin"], data=data,
                                              settings=w["settings"]),
    ),
    "components": (
        components.COLUMNS,
        ["Member", "Friends of the Earth Ghana", "FoE-GH", "Africa", "Ghana"],
        ["Member", "Another Member", "AM", "Africa", "Kenya"],
        lambda w, data: components.import_components(engine=w["engine"], actor=w["admin"], data=data),
    ),
}
SIZE_LIMITS = {"register": register.MAX_FILE_BYTES, "assignments": MAX_FILE_BYTES,
               "users": accounts.MAX_FILE_BYTES, "components": components.FILE_MAX_BYTES}


def csv_file(columns, *rows) -> bytes:
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # as the exports write: a carriage return in a value is quoted
    for row in (columns, *rows):
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.name: s.execute(core_select(func.count()).select_from(t)).scalar()
                for t in SQLModel.metadata.sorted_tables}


def refused(world, name: str, data: bytes) -> list[tuple[int | None, str, str]]:
    """The import's problems, as (line, field, message); asserts that nothing at all was written."""
    before = counts(world["engine"])
    with pytest.raises(ValidationFailed) as failed:
        IMPORTS[name][3](world, data)
    assert counts(world["engine"]) == before
    return [(e.line, e.field, e.message) for e in failed.value.errors]


def hostile(name: str, column: str, value: str) -> bytes:
    columns, good, other, _ = IMPORTS[name]
    row = list(other)
    row[columns.index(column)] = value
    return csv_file(columns, good, row)


CELL_CASES = [(name, column) for name, (columns, *_) in IMPORTS.items() for column in columns]


@pytest.mark.parametrize("name, column", CELL_CASES)
@pytest.mark.parametrize("payload", CONTROL, ids=["nul", "vertical-tab", "escape", "bell", "form-feed"])
def test_a_control_character_in_any_cell_is_a_problem_on_its_line_and_column(world, name, column, payload):
    [(line, field, message)] = refused(world, name, hostile(name, column, payload))
    assert (line, field) == (3, column)
    assert "control character" in message and "U+00" in message and "position" in message


@pytest.mark.parametrize("name, column", CELL_CASES)
def test_a_1_mb_cell_is_a_problem_on_its_line_and_column(world, name, column):
    [(line, field, message)] = refused(world, name, hostile(name, column, HUGE_TEXT))
    assert (line, field) == (3, column)
    assert "longer than" in message and "(1,000,000)" in message and len(message) < 200


@pytest.mark.parametrize("number", [*HUGE_NUMBERS, "0", "-1", "1.5", "10000", "7" * 5000, "+7", "0x10", "٣"])
def test_a_register_number_must_be_ascii_digits_in_range(world, number):
    [(line, field, message)] = refused(world, "register", hostile("register", "number", number))
    assert (line, field) == (3, "number")
    assert "from 1 to 9999" in message and len(message) < 200


@pytest.mark.parametrize("name, column, limit", [("register", "code", "longer than 32 characters"),
                                                 ("register", "title", "longer than 500 characters"),
                                                 ("assignments", "code", "unknown Resolution code"),
                                                 ("assignments", "username", "unknown user"),
                                                 ("users", "username", "60 characters"),
                                                 ("components", "name", "longer than 200 characters")])
def test_a_value_longer_than_its_column_is_a_problem_not_a_database_error(world, name, column, limit):
    value = "T" * 501 if column == "title" else "W" * 201  # a code of 201 characters, a name of 201...
    [(line, field, message)] = refused(world, name, hostile(name, column, value))
    assert (line, field) == (3, column)
    assert limit in message and len(message) < 200  # the value itself is not repeated in full


@pytest.mark.parametrize("value", ["2019-W11-5", "20190315", "２０１９-03-15", "2019-02-30", "9" * 40])
def test_a_register_date_must_be_yyyy_mm_dd(world, value):
    columns, good, other, _ = IMPORTS["register"]
    row = [*other[:6], "archived", value]
    [(line, field, message)] = refused(world, "register", csv_file(columns, good, row))
    assert (line, field) == (3, "archived_on") and "use YYYY-MM-DD" in message


def test_many_unknown_themes_give_one_short_message(world):
    [(line, field, message)] = refused(world, "register", hostile("register", "themes", ";".join(
        f"Theme {n}" for n in range(900))))
    assert (line, field) == (3, "themes")
    assert message.startswith("unknown theme(s): Theme 0, Theme 1") and message.endswith("…") and len(message) < 300


@pytest.mark.parametrize("name", IMPORTS)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(world, name):
    limit = SIZE_LIMITS[name]
    data = b"\xff" * (limit + 1)  # not UTF-8 either: the size is checked first
    [(line, field, message)] = refused(world, name, data)
    assert (line, field) == (1, "file") and "MB" in message and "UTF-8" not in message


def test_every_row_of_a_hostile_file_is_answered_at_once(world):
    columns, good, other, _ = IMPORTS["register"]
    rows = [good]
    for n, payload in enumerate([*CONTROL, HUGE_TEXT, "²", HUGE_NUMBERS[0], "W" * 200], start=3):
        row = [f"WCC-2020-Res-{n:03d}", "Resolution", str(n), "Title", "WCC-2020", "", "active", ""]
        row[{"²": 2, HUGE_NUMBERS[0]: 2, "W" * 200: 0}.get(payload, 3)] = payload
        rows.append(row)
    problems = refused(world, "register", csv_file(columns, *rows))
    assert [(line, field) for line, field, _ in problems] == [
        (3, "title"), (4, "title"), (5, "title"), (6, "title"), (7, "title"), (8, "title"), (9, "number"),
        (10, "number"), (11, "code")]
    assert CELL_MAX == 10_000


def test_a_quoted_value_over_several_lines_gives_the_line_where_its_row_starts(world):
    columns, good, other, _ = IMPORTS["register"]
    data = csv_file(columns, good, [*other[:3], "two\nlines", *other[4:]], [*other[:2], "x", *other[3:]])
    problems = refused(world, "register", data)
    assert [(line, field) for line, field, _ in problems] == [(3, "title"), (5, "number")]


# -- formulas: inert on export, exact on the round trip ------------------------------------------------

ONE_LINE = [p for p in ALL_TEXT if control_character(p) is None and p == p.strip()]


def register_rows(titles) -> list[list[str]]:
    return [[f"WCC-2020-Res-{n:03d}", "Resolution", str(n), title, "WCC-2020", "", "active", ""]
            for n, title in enumerate(titles, start=10)]


def test_formula_titles_import_as_text_export_inert_and_round_trip_exactly(world):
    engine = world["engine"]
    exported_form = csv_file(register.EXPORT_COLUMNS,  # as the export writes it: text_url last, empty here
                             *[[safe_cell(c) for c in row] + [""] for row in register_rows(ONE_LINE)])
    result = register.import_register(engine=engine, actor=world["secretariat"], data=exported_form)
    assert result.created == len(ONE_LINE)
    with Session(engine) as s:
        stored = dict(s.exec(select(Resolution.code, Resolution.title).where(Resolution.number >= 10)).all())
        exported = register.export_register(session=s, actor=world["secretariat"], congress="WCC-2020")
    assert sorted(stored.values()) == sorted(ONE_LINE)  # the apostrophes of the file are gone, nothing else
    cells = [cell for row in csv.reader(io.StringIO(exported.decode("utf-8"))) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]  # nothing a spreadsheet would run
    assert f"'{FORMULAS[0]}" in cells and "'-1" in cells
    ours = [line for line in exported.decode("utf-8").split("\n") if line.startswith("WCC-2020-Res-0") and
            not line.startswith("WCC-2020-Res-00")]
    assert "\n".join(ours).encode() + b"\n" == exported_form.split(b"\n", 1)[1]  # byte for byte
    again = register.import_register(engine=engine, actor=world["secretariat"], data=exported)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(ONE_LINE) + 1)


def test_a_formula_typed_by_hand_imports_as_the_same_text(world):
    raw = csv_file(register.COLUMNS, *register_rows([p for p in FORMULAS if p == p.strip()]))
    register.import_register(engine=world["engine"], actor=world["secretariat"], data=raw)
    with Session(world["engine"]) as s:
        titles = set(s.exec(select(Resolution.title).where(Resolution.number >= 10)).all())
    assert titles == {p for p in FORMULAS if p == p.strip()}


@pytest.mark.parametrize("payload", [p for p in FORMULAS if p != p.strip()], ids=["tab", "carriage-return"])
def test_a_formula_behind_a_tab_or_carriage_return_is_refused_in_its_export_form(world, payload):
    [(line, field, message)] = refused(world, "register", hostile("register", "title", safe_cell(payload)))
    assert (line, field) == (3, "title") and "control character" in message


@pytest.mark.parametrize("name, column", [("users", "display_name"), ("components", "name")])
def test_formula_names_import_as_plain_text(world, name, column):
    columns, _good, other, call = IMPORTS[name]
    formulas = [p for p in FORMULAS if p == p.strip()]
    rows = []
    for n, formula in enumerate(formulas):
        row = list(other)
        row[columns.index(column)] = formula
        if name == "users":
            row[0], row[2] = f"person{n}", f"person{n}@example.org"
        rows.append(row)
    result = call(world, csv_file(columns, *rows))
    assert result.created == len(formulas)
