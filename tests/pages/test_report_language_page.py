"""Issue 14 on the forms and work pages: in French and Spanish every label of them is translated (no English word
left, tests/i18n/test_screens.english_left), the report form offers and records the report's language (the
author's interface language by default), and My reports shows each report's language and filters by it."""

import ast
import re

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

import locales
from db import vocab
from db.engine import make_engine
from db.models import ActivityReport, FocalPointAssignment, Resolution, User
from tests.i18n.test_screens import data_values, english_left, set_language
from tests.pages.apptest import open_page

TITLES = {  # the page, its user, and its title in French and Spanish
    "pages/report_activity.py": ("reporter", "Rendre compte d'une activité", "Informar de una actividad"),
    "pages/my_reports.py": ("reporter", "Mes rapports", "Mis informes"),
    "pages/my_resolutions.py": ("focal", "Mes Résolutions", "Mis Resoluciones"),
    "pages/review_queue.py": ("secretariat", "File de relecture", "Cola de revisión"),
    "pages/my_account.py": ("reporter", "Mon compte", "Mi cuenta"),
    "pages/notifications.py": ("focal", "Notifications", "Notificaciones"),
    "pages/reminders.py": ("secretariat", "Rappels", "Recordatorios"),
}


# The form cuts long Resolution titles ("WCC-2020-Res-123 · Towards … conserv…"): data, though no longer whole.
CUT_TITLE = re.compile(r"option: '[A-Z]+-\d{4}-Re[sc]-\d+ · ")


def english(at, language: str, app_db, where: str) -> list[str]:
    """english_left, less cut Resolution titles and the reminder templates' placeholders ({name}, {days}...)."""
    placeholders = set(vocab.REMINDER_PLACEHOLDERS)
    return [p for p in english_left(at, language, data_values(app_db), where)
            if not CUT_TITLE.search(p) and not set(ast.literal_eval(p[p.rindex("["):])) <= placeholders]


def db(app_db) -> Session:
    return Session(make_engine(app_db), expire_on_commit=False)


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("page", list(TITLES))
def test_the_page_speaks_the_users_language(app_db, page, language):
    user, french, spanish = TITLES[page]
    set_language(app_db, user, language)
    with locales.use(language):  # AppTest formats the widgets' choices again here, in the test's thread
        at = open_page(page, user)
    assert not at.exception
    assert at.title[0].value.endswith(french if language == "fr" else spanish)
    assert english(at, language, app_db, page) == []


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_progress_report_editor_speaks_the_users_language(app_db, language):
    set_language(app_db, "focal", language)
    with db(app_db) as s:
        code = s.exec(select(Resolution.code).join(FocalPointAssignment)
                      .join(User, User.id == FocalPointAssignment.user_id)
                      .where(User.username == "focal").order_by(Resolution.code)).first()
    with locales.use(language):
        at = open_page("pages/progress_report.py", "focal", {"code": code})
    assert not at.exception
    assert at.title[0].value.endswith({"fr": "Rapport d'avancement", "es": "Informe de progreso"}[language] + " "
                                      + at.title[0].value.rsplit(" ", 1)[-1])
    assert english(at, language, app_db, "progress report") == []
    assert at.radio(key=f"pr_{code}_{at.title[0].value.rsplit(' ', 1)[-1]}_language").value in (language, "en")


def test_a_french_reporter_s_draft_is_recorded_in_french_unless_another_language_is_chosen(app_db):
    set_language(app_db, "reporter", "fr")
    with locales.use("fr"):  # AppTest formats the widgets' choices again in the test's thread
        _draft_in_french(app_db)


def _draft_in_french(app_db):
    at = open_page("pages/report_activity.py", "reporter")
    radio = at.radio(key="ar_language")
    assert radio.value == "fr" and radio.label == "Langue du rapport"
    assert list(radio.options) == ["English", "Français", "Español"]  # each language named in itself
    if any(box.key == "ar_component" for box in at.selectbox):  # several components: take the first
        box = at.selectbox(key="ar_component")
        box.set_value(next(iter(box.format_func.__self__)) if hasattr(box.format_func, "__self__") else box.value)
    at.multiselect(key="ar_resolutions").set_value([at.multiselect(key="ar_resolutions").options and
                                                    _first_resolution(app_db)])
    at.text_input(key="ar_title").input("Atelier sur les récifs")
    at.button(key="FormSubmitter:activity_report-Enregistrer le brouillon").click().run()
    assert not at.exception
    with db(app_db) as s:
        row = s.exec(select(ActivityReport).where(ActivityReport.title == "Atelier sur les récifs")).one()
    assert row.language == "fr"
    at.radio(key="ar_language").set_value("es")
    at.button(key="FormSubmitter:activity_report-Enregistrer le brouillon").click().run()
    with db(app_db) as s:
        assert s.get(ActivityReport, row.id).language == "es"


def _first_resolution(app_db) -> int:
    with db(app_db) as s:
        return s.exec(select(Resolution.id).where(Resolution.status == "active").order_by(Resolution.code)).first()


def test_my_reports_shows_each_language_and_keeps_one_when_asked(app_db):
    with db(app_db) as s:
        ids = [i for (i,) in s.exec(text(
            "SELECT ar.id FROM activity_report ar JOIN user_component uc ON uc.component_id = ar.component_id "
            "JOIN app_user u ON u.id = uc.user_id WHERE u.username = 'reporter' ORDER BY ar.id"))]
        s.exec(text(f"UPDATE activity_report SET language = 'es' WHERE id = {ids[0]}"))
        s.commit()
    at = open_page("pages/my_reports.py", "reporter")
    table = at.dataframe[0].value
    assert dict(zip(table["Report"], table["Language"]))[ids[0]] == "Español"
    assert set(table["Language"]) >= {"English", "Español"}
    at.selectbox(key="language").set_value("es").run()
    assert not at.exception
    assert list(at.dataframe[0].value["Report"]) == [ids[0]]
    assert at.query_params["language"] == ["es"] or at.query_params["language"] == "es"
