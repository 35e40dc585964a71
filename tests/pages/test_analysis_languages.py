"""The yearly analysis page in French and Spanish (issue 14): a reader whose language has no published text reads
the English one under a note; the Secretariat writes a text per language; the page's own words are translated."""

from sqlmodel import Session, select

import locales
from db.engine import make_engine
from db.models import User, YearlyAnalysisText
from services import yearly_analysis as service
from services.permissions import Actor
from tests.pages.apptest import open_page

PAGE = "pages/analysis.py"
WHERE = {"congress": "WCC-2020", "year": "2024"}
ENGLISH = {"key_messages": "Most Resolutions moved forward.", "recommendations": "Fund the follow-up."}


def _publish(app_db, texts: dict, language: str) -> None:
    engine = make_engine(app_db)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.username == "secretariat")).one()
        actor = Actor(id=user.id, username=user.username, display_name=user.display_name,
                      roles=frozenset({"secretariat"}))
        version = service.read_analysis(session=s, actor=actor, congress="WCC-2020", year=2024).version
        service.publish(session=s, actor=actor, congress="WCC-2020", year=2024, narrative=texts, version=version,
                        language=language)
        s.commit()
    engine.dispose()


def _speaks(app_db, username: str, language: str) -> None:
    """The user's preferred language (My account): it wins over ?lang=."""
    engine = make_engine(app_db)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        user.language = language
        s.add(user)
        s.commit()
    engine.dispose()


def _french(message: str) -> str:
    locales.reload()
    with locales.use("fr"):
        return locales._(message)


def test_a_french_reader_reads_the_english_text_under_a_note_until_the_french_one_is_published(app_db):
    _publish(app_db, ENGLISH, "en")
    _speaks(app_db, "leader", "fr")
    at = open_page(PAGE, "leader", WHERE)
    assert not at.exception
    assert [i.value for i in at.info] == ["Pas encore disponible en français : texte affiché en anglais."]
    assert ENGLISH["key_messages"] in [t.value for t in at.text]
    assert [h.value for h in at.subheader][0] == "1. " + _french("Key messages") == "1. Messages clés"
    assert "Résolutions en vigueur" in {m.label for m in at.metric}

    _publish(app_db, {"key_messages": "La plupart des Résolutions avancent.", "recommendations": "Financer."}, "fr")
    at = open_page(PAGE, "leader", WHERE)
    assert not at.exception and not at.info
    texts = [t.value for t in at.text]
    assert "La plupart des Résolutions avancent." in texts and ENGLISH["key_messages"] not in texts
    # the English reader still reads the English text
    _speaks(app_db, "leader", "en")
    at = open_page(PAGE, "leader", WHERE)
    assert ENGLISH["key_messages"] in [t.value for t in at.text] and not at.info


def test_the_secretariat_writes_the_spanish_text_from_a_french_interface(app_db):
    _publish(app_db, ENGLISH, "en")
    _speaks(app_db, "secretariat", "fr")
    at = open_page(PAGE, "secretariat", WHERE)
    assert not at.exception
    assert at.button_group(key="analysis_language").value == "fr"
    assert at.text_area(key="analysis_key_messages").value == ""  # no French draft yet
    at.button_group(key="analysis_language").set_value("es").run()
    assert at.text_area(key="analysis_key_messages").value == ""
    at.text_area(key="analysis_key_messages").input("La mayoría de las Resoluciones avanzan.")
    at.text_area(key="analysis_recommendations").input("Financiar el seguimiento.")
    next(b for b in at.button if b.label == "Publier").click()
    at = at.run()
    assert not at.exception
    engine = make_engine(app_db)
    with Session(engine) as s:
        row = s.exec(select(YearlyAnalysisText)).one()
    engine.dispose()
    assert (row.language, row.state) == ("es", "published")
    assert row.narrative["published"]["key_messages"] == "La mayoría de las Resoluciones avanzan."
    _speaks(app_db, "focal", "es")
    reader = open_page(PAGE, "focal", WHERE)
    assert "La mayoría de las Resoluciones avanzan." in [t.value for t in reader.text] and not reader.info
