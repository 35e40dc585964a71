"""The catalogues are complete (issue 14): every text the code marks (extracted afresh, as pybabel extract
would) has a translation in French and in Spanish, not fuzzy, with the placeholders of its msgid and every
plural form. Fails with the missing msgids and their files: run `python -m locales.build` after adding
translations to locales/incoming/*.json (README "Languages")."""

import json

import pytest

from locales import build

TEMPLATE = build.extract()


def test_the_code_marks_texts_for_translation():
    ids = {build.key_of(m) for m in TEMPLATE if m.id}
    assert {"Sign in", "Overview", "Not started", "Resolutions"} <= ids  # the shell, the navigation, vocab


@pytest.mark.parametrize("language", build.TRANSLATED)
def test_every_message_of_the_code_is_translated(language):
    catalog = build.read_catalog(language)  # the committed file, as the app reads it
    catalog.update(TEMPLATE, no_fuzzy_matching=True, update_header_comment=False)  # in memory only
    missing, fuzzy, wrong = build.problems(catalog)
    listed = {label: [f"{build.where(m)}: {build.key_of(m)!r}" for m in messages]
              for label, messages in (("missing", missing), ("fuzzy", fuzzy), ("placeholders differ", wrong))
              if messages}
    assert not listed, f"{language}: " + json.dumps({k: (len(v), v[:40]) for k, v in listed.items()},
                                                    ensure_ascii=False, indent=1)


def test_the_placeholder_check_catches_a_changed_placeholder():
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="fr")
    catalog.add("{n} reports", "{count} rapports")
    catalog.add("Year {year}", "Année {year}")
    catalog.add(("{n} report", "{n} reports"), ("{n} rapport", "{total} rapports"))
    catalog.add(("one report", "{n} reports"), ("un rapport", "{n} rapports"))  # a form may leave {n} out
    catalog.add("Save", "Enregistrer", flags=["fuzzy"])
    catalog.add("Cancel", "")
    missing, fuzzy, wrong = build.problems(catalog)
    assert [build.key_of(m) for m in wrong] == ["{n} reports", "{n} report|{n} reports"]
    assert [m.id for m in fuzzy] == ["Save"] and [m.id for m in missing] == ["Cancel"]
