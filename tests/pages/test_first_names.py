"""ui.tables.first_names: Coverage's long lists of components cut to a few names and how many more (issue 13)."""

import locales
from ui.tables import first_names


def test_short_lists_are_kept_and_long_ones_say_how_many_more():
    assert first_names("") == ""
    assert first_names("A; B; C") == "A; B; C"
    assert first_names("A; B; C; D", keep=2) == "A; B and 2 more"
    assert first_names("A; B; C", keep=2) == "A; B and 1 more"
    with locales.use("fr"):
        assert first_names("A; B; C; D", keep=2) == "A; B et 2 autres"
