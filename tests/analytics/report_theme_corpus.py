"""A hand-made corpus whose groups are known: challenges about funding, about staff and about political will,
in English and in French (issue 18's test of the mining)."""

import pandas as pd

from analytics.report_themes import CORPUS_COLUMNS

FUNDING_EN = ["Funding was not available and the budget was cut by donors.",
 "No dedicated funding: the budget depended on short donor grants.",
 "Donors reduced the funding, so the budget could not cover field costs.",
 "Lack of funding and an uncertain budget from donors delayed the work."]
STAFF_EN = ["Too few staff were available to follow up; staff turnover was high.",
 "Staff capacity was limited and the staff had other duties.",
 "The office lost two staff members and could not recruit new staff.",
 "Limited staff time: staff were assigned to other projects."]
POLITICAL_EN = ["Political will was lacking: the government gave the issue low priority.",
 "Governments showed little political will and changed priorities.",
 "Elections changed the government and political support faded.",
 "Weak political commitment from the government slowed adoption."]
FUNDING_FR = ["Le financement manquait et le budget des bailleurs a été réduit.",
 "Pas de financement dédié : le budget dépendait de petits dons des bailleurs.",
 "Les bailleurs ont réduit le financement et le budget ne couvrait pas le terrain.",
 "Le manque de financement et un budget incertain ont retardé le travail."]
STAFF_FR = ["Trop peu de personnel disponible ; la rotation du personnel était forte.",
 "Le personnel était limité et avait d'autres tâches.",
 "Le bureau a perdu deux membres du personnel et n'a pas pu recruter de personnel.",
 "Peu de temps du personnel : le personnel était affecté à d'autres projets."]
POLITICAL_FR = ["La volonté politique manquait : le gouvernement n'en a pas fait une priorité.",
 "Les gouvernements ont montré peu de volonté politique et changé de priorités.",
 "Les élections ont changé le gouvernement et le soutien politique a faibli.",
 "Un faible engagement politique du gouvernement a ralenti l'adoption."]


TOPICS = {"funding": (FUNDING_EN, FUNDING_FR), "staff": (STAFF_EN, STAFF_FR), "political": (POLITICAL_EN, POLITICAL_FR)}


def frame() -> pd.DataFrame:
    """The corpus as analytics/report_themes.corpus() returns it, plus the column topic (the known group)."""
    rows = []
    for topic, (english, french) in TOPICS.items():
        for language, texts in (("en", english), ("fr", french)):
            for text in texts:
                rows.append(("activity", len(rows) + 1, "challenges", text, ("WCC-2020-Res-001",), 2025, ("Land",),
                             ("Africa",), language, topic))
    return pd.DataFrame(rows, columns=[*CORPUS_COLUMNS, "topic"])
