"""The one rule for user text (services/text_rules.py) on every payload of tests/payloads.py: control characters
refused with the field named, ordinary text (accents, right-to-left text and its direction marks, tabs and
line breaks where the text is multi-line) unchanged, 1 MB refused with the limit."""

import time

import pytest

from services import text_rules
from services.errors import FieldError
from tests.payloads import ALL_TEXT, CONTROL, FORMULAS, HUGE_TEXT, MARKUP, ORDINARY

ONE_LINE_ORDINARY = tuple(p for p in ORDINARY if "\n" not in p and "\t" not in p)


def check(value, *, multiline, max_len=1000, required=False, **messages) -> tuple[str, list[FieldError]]:
    errors: list[FieldError] = []
    cleaned = text_rules.check_text(value, field="summary", label="The summary", max_len=max_len,
                                    multiline=multiline, required=required, errors=errors, **messages)
    return cleaned, errors


@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "multi-line"])
@pytest.mark.parametrize("payload", CONTROL)
def test_every_control_payload_is_refused_on_its_field_and_named(payload, multiline):
    _, errors = check(payload, multiline=multiline)
    assert [e.field for e in errors] == ["summary"]
    message = errors[0].message
    assert message.startswith("The summary contains a control character (")
    bad = next(c for c in payload if c in "\x00\x0b\x1b\x07\x0c")
    assert text_rules.describe([bad]) in message
    assert text_rules.has_control(payload, multiline=multiline)


def test_the_refused_characters_are_named_so_a_user_can_find_them():
    _, errors = check("a\x00b\x0bc\x1bd\x00", multiline=True)
    assert "(NUL, vertical tab, escape)" in errors[0].message
    assert text_rules.describe(["\x85", "\x01", "\x02", "\x03"]) == "U+0085, U+0001, U+0002, ..."


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x80", "\x85",
                                  "\x9f", "\u2028", "\u2029", "\ud800"])
@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "multi-line"])
def test_c0_c1_separators_and_lone_surrogates_are_refused_even_in_multi_line_text(char, multiline):
    _, errors = check(f"before{char}after", multiline=multiline)
    assert len(errors) == 1 and "control character" in errors[0].message


@pytest.mark.parametrize("payload", ONE_LINE_ORDINARY)
@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "multi-line"])
def test_ordinary_text_passes_unchanged_with_accents_and_direction_marks(payload, multiline):
    cleaned, errors = check(payload, multiline=multiline)
    assert errors == []
    assert cleaned == payload


def test_right_to_left_marks_are_kept_exactly():
    rtl = "مرحبا بالعالم \u200f(right-to-left)\u200e done"
    cleaned, errors = check(rtl, multiline=False)
    assert errors == [] and cleaned == rtl and "\u200f" in cleaned and "\u200e" in cleaned


def test_tabs_and_line_breaks_are_kept_in_multi_line_text_and_refused_in_one_line_text():
    text = "line one\nline two\ttabbed"
    cleaned, errors = check(text, multiline=True)
    assert (cleaned, errors) == (text, [])
    _, errors = check(text, multiline=False)
    assert len(errors) == 1
    assert "(line break, tab)" in errors[0].message and "one line" in errors[0].message


def test_windows_line_ends_become_line_breaks_and_ends_are_trimmed():
    cleaned, errors = check("  first\r\nsecond\rthird \n", multiline=True)
    assert (cleaned, errors) == ("first\nsecond\nthird", [])
    assert text_rules.tidy("  a\r\nb  ", multiline=True) == "a\nb"
    assert text_rules.tidy(None) == ""
    # one-line: a carriage return inside the text is a control character, not a line end
    _, errors = check("first\r\nsecond", multiline=False)
    assert "carriage return" in errors[0].message


@pytest.mark.parametrize("multiline", [False, True], ids=["one-line", "multi-line"])
def test_huge_text_is_refused_with_the_limit_and_its_length(multiline):
    started = time.perf_counter()
    _, errors = check(HUGE_TEXT, multiline=multiline, max_len=20_000)
    assert time.perf_counter() - started < 0.5  # 1 MB is scanned, not walked character by character
    assert [(e.field, e.message) for e in errors] == [
        ("summary", "The summary: use at most 20,000 characters (this one has 1,000,000).")]


def test_exactly_the_limit_passes_and_one_more_is_refused():
    assert check("x" * 200, multiline=False, max_len=200)[1] == []
    assert "at most 200 characters (this one has 201)" in check("x" * 201, multiline=False, max_len=200)[1][0].message
    # the length is counted after trimming
    assert check("  " + "x" * 200 + "  ", multiline=False, max_len=200)[1] == []


def test_control_characters_and_length_are_both_reported():
    _, errors = check("\x00" + "x" * 300, multiline=True, max_len=200)
    assert len(errors) == 2 and all(e.field == "summary" for e in errors)


def test_required_and_empty_values():
    assert check("   ", multiline=True, required=True)[1][0].message == "The summary: this is required."
    assert check(None, multiline=True) == ("", [])
    assert check("", multiline=False, required=False) == ("", [])


def test_a_service_may_keep_its_own_wording():
    _, errors = check("x" * 3001, multiline=True, max_len=3000,
                      too_long="Too long: {length} characters, at most {max_len}. Please shorten it.")
    assert errors[0].message == "Too long: 3,001 characters, at most 3,000. Please shorten it."
    _, errors = check("a\x07", multiline=True, control="remove {chars}")
    assert errors[0].message == "remove bell"
    _, errors = check("", multiline=True, required=True, missing="Write {label}")
    assert errors[0].message == "Write The summary"


def test_clean_one_line_is_check_text_without_line_breaks():
    errors: list[FieldError] = []
    assert text_rules.clean_one_line("  Côte d’Ivoire ", field="country", max_len=80, errors=errors) == "Côte d’Ivoire"
    assert errors == []
    text_rules.clean_one_line("two\nlines", field="country", max_len=80, errors=errors)
    assert [e.field for e in errors] == ["country"]
    assert errors[0].message.startswith("Country contains a control character (line break)")


@pytest.mark.parametrize("payload", MARKUP + FORMULAS)
def test_markup_and_formulas_are_not_this_rules_business(payload):
    """They are legal text: escaping on display and neutralising on export deal with them (issue 12, 1 and 2).
    Only the tab and carriage return some formulas start with are trimmed away as white space."""
    cleaned, errors = check(payload, multiline=True)
    assert errors == []
    assert cleaned == payload.strip()


@pytest.mark.parametrize("payload", ALL_TEXT + (HUGE_TEXT,))
def test_search_text_never_holds_a_refused_character_and_is_short(payload):
    searched = text_rules.search_text(payload)
    assert not text_rules.has_control(searched)
    assert len(searched) <= text_rules.SEARCH_MAX
    if payload in ONE_LINE_ORDINARY:
        assert searched == payload


@pytest.mark.parametrize("payload", CONTROL + (HUGE_TEXT,))
def test_lookup_key_is_none_for_what_no_stored_row_can_hold(payload):
    assert text_rules.lookup_key(payload, max_len=32) is None


def test_lookup_key_trims_an_ordinary_code():
    assert text_rules.lookup_key("  WCC-2020-Res-001 ", max_len=32) == "WCC-2020-Res-001"
    assert text_rules.lookup_key(None, max_len=32) == ""
