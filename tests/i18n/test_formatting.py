"""Numbers, dates and percentages in the reader's locale (Babel, CLDR), and the translation functions."""

from datetime import date, datetime

import pytest

import locales
from locales import _, ngettext

NNBSP, NBSP = "\u202f", "\xa0"  # CLDR's French group separator; the space before % in French and Spanish


@pytest.mark.parametrize("language, number, decimal, one_digit, percent, long_date, short_date", [
    ("en", "1,234", "1,234.5", "45.6%", "46%", "December 1, 2026", "01 Dec 2026"),
    ("fr", f"1{NNBSP}234", f"1{NNBSP}234,5", f"45,6{NBSP}%", f"46{NBSP}%", "1 décembre 2026", "1 déc. 2026"),
    ("es", "1.234", "1.234,5", f"45,6{NBSP}%", f"46{NBSP}%", "1 de diciembre de 2026", "1 dic 2026"),
])
def test_numbers_dates_and_percentages_follow_the_language(language, number, decimal, one_digit, percent,
                                                           long_date, short_date):
    with locales.use(language):
        assert locales.format_number(1234) == number
        assert locales.format_decimal(1234.5) == decimal
        assert locales.format_percent(0.456, digits=1) == one_digit
        assert locales.format_percent(0.456) == percent
        assert locales.format_date(date(2026, 12, 1)) == long_date
        assert locales.format_date(datetime(2026, 12, 1, 23, 59)) == long_date
        assert locales.format_short_date(date(2026, 12, 1)) == short_date
        assert locales.format_decimal(2.0, digits=2) == {"en": "2.00", "fr": "2,00", "es": "2,00"}[language]
    assert locales.current() == "en"  # use() restores the language it found


def test_missing_values_show_a_dash_in_every_language():
    for language in locales.LANGUAGES:
        with locales.use(language):
            assert {locales.format_number(None), locales.format_decimal(None), locales.format_percent(None),
                    locales.format_date(None), locales.format_short_date(None)} == {"—"}


def test_language_codes_are_read_leniently_and_unknown_ones_fall_back_to_english():
    assert [locales.valid(v) for v in ("fr", "fr-FR", "es_419", "EN", "de", "", None, 3)] == [
        "fr", "fr", "es", "en", None, None, None, None]
    locales.set_language("de")
    assert locales.current() == "en"
    with locales.use("fr-CA"):
        assert locales.current() == "fr"


def test_translations_come_from_the_catalogues_and_english_is_the_msgid():
    assert _("Sign in") == "Sign in"
    with locales.use("fr"):
        assert _("Sign in") == "Se connecter"
        assert _("A text no catalogue has") == "A text no catalogue has"  # falls back to English
        assert _("") == ""
    with locales.use("es"):
        assert _("Sign in") == "Iniciar sesión"


def test_plurals_follow_each_languages_rule():
    one = "Please correct this problem (shown next to the field). Nothing you typed was lost."
    many = "Please correct these {n} problems (shown next to each field). Nothing you typed was lost."
    assert ngettext(one, many, 1) == one and ngettext(one, many, 2) == many
    with locales.use("fr"):  # French: 0 and 1 are singular
        assert ngettext(one, many, 0).startswith("Veuillez corriger ce problème")
        assert ngettext(one, many, 2).format(n=2).startswith("Veuillez corriger ces 2 problèmes")
    with locales.use("es"):  # Spanish: 0 is plural
        assert ngettext(one, many, 0).format(n=0).startswith("Corrija estos 0 problemas")
        assert ngettext(one, many, 1).startswith("Corrija este problema")


def test_a_fuzzy_or_empty_entry_falls_back_to_english(tmp_path, monkeypatch):
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
                  '#, fuzzy\nmsgid "Save"\nmsgstr "Enregistrer"\n\nmsgid "Cancel"\nmsgstr ""\n\n'
                  'msgid "Close"\nmsgstr "Fermer"\n', encoding="utf-8")
    monkeypatch.setattr(locales, "DIRECTORY", tmp_path)
    locales.reload()
    try:
        with locales.use("fr"):
            assert (_("Save"), _("Cancel"), _("Close")) == ("Save", "Cancel", "Fermer")
    finally:
        monkeypatch.undo()
        locales.reload()
