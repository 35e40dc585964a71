"""Service messages that used to glue English around translated parts (issue 14): a ValidationFailed read as one
text ("line 3: ..."), the names of control characters, file sizes and a Progress Report's history."""

import pandas as pd
import pytest

import locales
from services import csv_file, export_tables, text_rules
from services import progress_reports as pr
from services.errors import FieldError, ValidationFailed


@pytest.mark.parametrize("language, expected", [
    ("en", "line 3: code: duplicate; choose one"),
    ("fr", "ligne 3 : code : duplicate; choose one"),
    ("es", "línea 3: code: duplicate; choose one"),
])
def test_a_validation_failure_reads_in_the_language_without_code_names(language, expected):
    failed = ValidationFailed([FieldError("code", "duplicate", line=3), FieldError("status", "choose one")])
    with locales.use(language):
        assert str(failed) == expected  # the messages themselves come translated from the services


@pytest.mark.parametrize("language, named, position, size", [
    ("en", "NUL, vertical tab, tab", "tab (U+0009) at position 2", "6.2 MB"),
    ("fr", "NUL, tabulation verticale, tabulation", "tabulation (U+0009) à la position 2", "6,2 Mo"),
    ("es", "NUL, tabulador vertical, tabulador", "tabulador (U+0009) en la posición 2", "6,2 MB"),
])
def test_control_characters_and_sizes_are_named_in_the_language(language, named, position, size):
    with locales.use(language):
        assert text_rules.describe(["\x00", "\x0b", "\t"]) == named
        assert csv_file.control_character("a\tb") == position
        assert csv_file.size_text(int(6.2 * 1024 * 1024)) == size
        problem = csv_file.cell_problem("title", "a\x0bb")
    assert named.split(", ")[1] + " (U+000B)" in problem


def test_a_progress_reports_history_says_what_happened_in_the_language():
    with locales.use("fr"):
        published = pr._describe("publish", None, {"revision": 2, "published_status": "Underway"})
        changed = pr._describe("update", None, {"summary": "x", "status": "Initiated"})
        what = locales._(pr.ACTION_LABELS["submit"])
    assert published == "Révision 2 : Bien avancée"
    assert changed.startswith("Modifié : ") and "summary" not in changed and "status" not in changed
    assert what == "Soumis pour relecture"
    with locales.use("es"):  # the published versions' "what changed" says it the same way
        assert pr._changed(["summary"]).startswith("Cambiado: ")


def test_the_status_change_matrix_names_statuses_in_its_headers_too():
    matrix = pd.DataFrame([["Underway", 1, 2]], columns=["Status in 2025 \\ in 2026", "Underway", "Completed"])
    with locales.use("es"):
        shown = export_tables._translated("Status change", matrix)
    assert list(shown.columns[1:]) == ["En marcha", "Completada"] and shown.iloc[0, 0] == "En marcha"
