"""The dashboards in French and Spanish (issue 14): the Overview, Coverage, the register, a Resolution and the body
of policy speak the reader's language (titles, metrics, axis titles, legend names, hover texts, vocabulary labels,
numbers), while the URL, the filters and a chart click keep the stored values. The chart builders are checked
alone with locales.use(); the pages with AppTest and ?lang= (ui/language.py)."""

import json
import os
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import String, select
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import AutoString

import locales
from analytics import body_of_policy as bp
from analytics import charts, progress
from analytics.coverage import Deadline, state_bar
from analytics.filters import ProgressFilter
from analytics.timeline import timeline_figure
from db import vocab
from db.engine import make_engine
from tests.i18n.test_screens import a_resolution_code, english_left, set_language
from tests.pages.apptest import open_page as open_any_page
from ui.public_readers import without_work_in_preparation

SCALE = list(vocab.STATUS_SCALE)


def _status_frame(by: str, values: dict) -> pd.DataFrame:
    rows = []
    for group, counts in values.items():
        total = sum(counts.values())
        rows += [{by: group, "status": s, "count": counts.get(s, 0), "share": counts.get(s, 0) / total}
                 for s in SCALE]
    return pd.DataFrame(rows)


# -- the chart builders ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("language, underway, share_axis, hover", [
    ("fr", "Bien avancée", "Part des Résolutions", "Bien avancée : %{customdata[2]} Résolutions (%{customdata[3]})"),
    ("es", "En marcha", "Proporción de Resoluciones", "En marcha: %{customdata[2]} Resoluciones (%{customdata[3]})"),
])
def test_status_bars_speak_the_language_and_a_click_maps_back_to_the_stored_status(language, underway, share_axis,
                                                                                    hover):
    with locales.use(language):
        fig = charts.status_over_years_chart(_status_frame("year", {2023: {"Underway": 3, "Completed": 1}}))
        hundred = locales.format_percent(1.0)
    trace = fig.data[SCALE.index("Underway")]
    assert trace.name == underway and hover in trace.hovertemplate
    assert fig.layout.yaxis.title.text == share_axis
    assert fig.layout.xaxis.title.text == {"fr": "Année de rapport", "es": "Año de informe"}[language]
    assert fig.layout.yaxis.ticktext[-1] == hundred and hundred != "100%"  # 100 % in both
    assert list(trace.customdata[0][:2]) == [2023, "Underway"]  # the stored status, not the shown one
    assert charts.segment_from_point("years", {"customdata": list(trace.customdata[0])}) == {
        "year": 2023, "status": "Underway"}


def test_count_bars_show_translated_labels_and_keep_the_stored_ones_for_the_click():
    frame = pd.DataFrame({"label": ["Member", "Commission", progress.NO_REGION], "count": [1234, 2, 0]})
    with locales.use("fr"):
        fig = charts.count_bars(frame, chart="component_kind")
        challenges = charts.challenges_chart(pd.DataFrame({"challenge": ["Funding"], "count": [2], "share": [0.5]}))
        thousands = locales.format_number(1234)
    bars = fig.data[0]
    assert list(bars.y) == ["Membre", "Commission", "Aucune région (organes mondiaux)"]
    assert list(bars.text) == [thousands, "2", "0"] and thousands != "1,234"
    assert fig.layout.xaxis.title.text == "Rapports d'activité"
    assert "%{x} Rapports d'activité" in bars.hovertemplate
    assert charts.segment_from_point("component_kind", {"customdata": list(bars.customdata[0])}) == {
        "component_kind": "Member"}
    assert challenges.data[0].y == ("Financement",) and challenges.data[0].customdata[0][0] == "Funding"
    assert challenges.layout.xaxis.title.text == "Rapports d'avancement qui la citent"


def test_the_coverage_chart_and_the_state_bar_name_the_states_in_the_language():
    frame = pd.DataFrame([(2022, vocab.PUBLISHED, 3), (2022, vocab.NO_PROGRESS_REPORT, 2)],
                         columns=["year", "category", "count"])
    with locales.use("es"):
        fig = charts.coverage_chart(frame)
        bar = state_bar({"published": 3, "in_preparation": 1, "none": 4})
    assert [t.name for t in fig.data][:1] == ["Publicado"]
    assert fig.layout.yaxis.title.text == "Resoluciones vigentes"
    assert fig.data[0].customdata[0][1] == vocab.PUBLISHED  # the click still names the stored label
    assert charts.segment_from_point("coverage", {"customdata": list(fig.data[0].customdata[0])}) == {
        "year": 2022, "category": vocab.PUBLISHED}
    assert [t.name for t in bar.data] == ["Publicado", "Nada que informar", "En preparación",
                                         "Ningún Informe de progreso"]
    assert bar.data[0].text[0] == "Publicado: 3 (38\u00a0%)"


def test_the_timeline_translates_its_scale_and_the_public_site_still_drops_in_preparation():
    frame = pd.DataFrame({"year": [2022, 2023, 2024], "status": [vocab.IN_PREPARATION, "Initiated", "Completed"]})
    with locales.use("fr"):
        fig = without_work_in_preparation(timeline_figure(frame))
    steps = list(fig.layout.yaxis.categoryarray)
    assert "Initiée" in steps and "Achevée" in steps and "Initiated" not in steps
    assert "En préparation" not in steps and vocab.IN_PREPARATION not in steps
    assert list(fig.data[1].y) == ["En préparation", "Initiée", "Achevée"]
    assert fig.data[1].marker.color[2] == vocab.STATUS_COLOURS["Completed"]  # colours keyed on the stored status


@pytest.mark.parametrize("language, expected", [
    ("en", ["14 days left", "1 day left", "Due today", "Overdue by 1 day", "Overdue by 5 days",
            "No deadline set for 2030"]),
    ("fr", ["14 jours restants", "1 jour restant", "Échéance aujourd'hui", "En retard de 1 jour",
            "En retard de 5 jours", "Aucune échéance fixée pour 2030"]),
    ("es", ["Quedan 14 días", "Queda 1 día", "Vence hoy", "Con 1 día de retraso", "Con 5 días de retraso",
            "Ningún plazo fijado para 2030"]),
])
def test_deadlines_are_described_with_the_languages_plurals(language, expected):
    due = date(2026, 12, 15)
    deadlines = [Deadline(2026, due, 14), Deadline(2026, due, 1), Deadline(2026, due, 0), Deadline(2026, due, -1),
                 Deadline(2026, due, -5), Deadline(2030, None, None)]
    with locales.use(language):
        assert [d.describe() for d in deadlines] == expected


def test_body_of_policy_labels_and_series():
    with locales.use("fr"):
        assert bp.congress_label("World Conservation Congress", 7, "Marseille", 2020) == "Marseille 2020 (CMN 7)"
        assert bp.congress_label("General Assembly", 1, "Fontainebleau, France", 1948) == "Fontainebleau 1948 (AG 1)"
    assert bp.congress_label("World Conservation Congress", 7, "Marseille", 2020) == "Marseille 2020 (WCC 7)"


# -- the pages ---------------------------------------------------------------------------------------------------
def open_page(page: str, user: str | None, query: dict) -> object:
    """The page as `user` (None: signed out, the public site) in the language of query["lang"]: a signed-in user's
    preference decides (ui/language.py), so it is set first; signed out, ?lang= decides."""
    if user is not None:
        set_language(os.environ["DATABASE_URL"], user, query["lang"])
    return open_any_page(page, user, query)


def _charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _names(spec: dict) -> list[str]:
    return [t.get("name") for t in spec["data"] if t.get("name")]


def data_values(url: str) -> list[str]:
    """Every text stored in the database, longest first: data, shown as written (theme names, titles, names).
    SQLModel's str columns are AutoString, a TypeDecorator and no String: both are read."""
    engine = make_engine(url)
    values = set()
    try:
        with engine.connect() as c:
            for table in SQLModel.metadata.sorted_tables:
                for column in table.columns:
                    if isinstance(column.type, String | AutoString):
                        values |= {v for (v,) in c.execute(select(column).distinct())
                                   if isinstance(v, str) and len(v) >= 3}
    finally:
        engine.dispose()
    return sorted(values, key=len, reverse=True)


def _no_english(at, app_db, language, where):
    """What the page draws, in its body and the sidebar, holds no English; the sidebar's links (navigation, the
    notification bell: other modules') are left to tests/i18n/test_screens.py."""
    data = data_values(app_db)
    problems = english_left(SimpleNamespace(_tree=at.main), language, data, where)
    problems += [p for p in english_left(SimpleNamespace(_tree=at.sidebar), language, data, f"{where} sidebar")
                 if "· page_link" not in p]
    assert not problems, "\n".join(problems)


def test_overview_in_french_and_a_click_on_a_translated_chart_lists_the_right_resolutions(app_db):
    at = open_page("pages/overview.py", "leader", {"lang": "fr", "congress": "WCC-2020", "year": "2023"})
    assert not at.exception
    assert at.title[0].value.endswith("Vue d'ensemble")
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"Résolutions en vigueur", "Rapport d'avancement publié",
                            "Rapports d'activité reçus", "Composantes impliquées"}
    assert metrics["Rapport d'avancement publié"].endswith("\u00a0%")  # 45 %, not 45%
    assert "Marseille 2020 (WCC-2020), année de rapport 2023" in "\n".join(m.value for m in at.markdown)
    assert at.multiselect(key="kind").options == ["Résolution", "Recommandation"]
    specs = _charts(at)
    assert "Bien avancée" in _names(specs[0]) and "Underway" not in _names(specs[0])
    years = next(s for s in specs if s["layout"].get("meta", {}).get("chart") == "years")
    assert years["layout"]["xaxis"]["title"]["text"] == "Année de rapport"
    regions = next(s for s in specs if s["layout"].get("meta", {}).get("chart") == "region")
    assert "Afrique" in regions["data"][0]["y"] and "Africa" not in regions["data"][0]["y"]
    _no_english(at, app_db, "fr", "overview")

    # A click on the French theme chart's "Bien avancée" segment: its customdata names the stored status.
    theme = next(s for s in specs if s["layout"].get("meta", {}).get("chart") == "theme")
    trace = next(t for t in theme["data"] if t["name"] == "Bien avancée")
    point = next(c for c in trace["customdata"] if c[2])  # a segment with Resolutions in it
    segment = charts.segment_from_point("theme", {"customdata": point})
    assert segment["status"] == "Underway"
    at.session_state["drill"] = ("theme", segment)  # what the chart's selection callback stores
    at.run()
    assert not at.exception
    engine = make_engine(app_db)
    try:
        with Session(engine) as s:
            expected = progress.resolutions_behind(session=s, flt=ProgressFilter(congress="WCC-2020", year=2023),
                                                   **segment)
    finally:
        engine.dispose()
    table = at.dataframe[0].value
    assert list(table["code"]) == list(expected["code"]) and set(table["status"]) == {"Bien avancée"}
    with locales.use("fr"):  # the theme named in French too (stored English, shown translated)
        theme = locales._(segment["theme"])
    assert theme != segment["theme"] and any(f"Bien avancée · {theme}" in m.value for m in at.markdown)
    _no_english(at, app_db, "fr", "overview drill-down")


def test_overview_signed_out_in_spanish(app_db):
    at = open_page("pages/overview.py", None, {"lang": "es"})
    assert not at.exception
    assert at.title[0].value.endswith("Panorama")
    assert "Informes de actividad públicos" in [m.label for m in at.metric]
    assert all("En preparación" not in _names(s) for s in _charts(at))  # the public site names no work in hand
    _no_english(at, app_db, "es", "public overview")


@pytest.mark.parametrize("language, published, deadline", [
    ("fr", "Publié", "Échéance 2026"),
    ("es", "Publicado", "Plazo 2026"),
])
def test_coverage_in_french_and_spanish(app_db, language, published, deadline):
    at = open_page("pages/coverage.py", "secretariat", {"lang": language, "year": "2026", "congress": "WCC-2025"})
    assert not at.exception
    with locales.use(language):
        title = locales._("Reporting coverage")
    assert title != "Reporting coverage" and at.title[0].value.endswith(title)
    metrics = {m.label: m.value for m in at.metric}
    assert published in metrics and deadline in metrics
    assert metrics[deadline] == {"fr": "15 déc.", "es": "15 dic"}[language]
    assert _names(_charts(at)[0])[0] == published
    with locales.use(language):
        shown_labels = {locales._(label) for label in vocab.REPORTING_STATE_LABELS.values()}
    states = set(at.dataframe[0].value["state"])
    assert states and states <= shown_labels and not states & set(vocab.REPORTING_STATE_LABELS.values())
    _no_english(at, app_db, language, "coverage")


def test_coverage_state_filter_keeps_the_stored_states_in_the_url(app_db):
    at = open_page("pages/coverage.py", "secretariat",
                   {"lang": "es", "year": "2026", "congress": "WCC-2025", "state": ["none"]})
    assert not at.exception
    assert at.segmented_control(key="state").value == ["none"]
    with locales.use("es"):
        assert set(at.dataframe[0].value["state"]) == {locales._(vocab.NO_PROGRESS_REPORT)}


def test_register_in_french(app_db):
    at = open_page("pages/register.py", "leader", {"lang": "fr", "status": "archived"})
    assert not at.exception
    assert at.title[0].value.endswith("Registre des Résolutions")
    assert at.segmented_control(key="status").value == "archived"
    assert set(at.dataframe[0].value["status"]) == {"Archivée"}
    assert at.query_params["status"] in ("archived", ["archived"])
    _no_english(at, app_db, "fr", "register")


def test_a_resolution_in_spanish(app_db):
    code = a_resolution_code(app_db)
    at = open_page("pages/resolution.py", "secretariat", {"lang": "es", "code": code})
    assert not at.exception
    assert "Volver al registro" in [link.label for link in at.get("page_link")]
    assert "Último estado de implementación" in "\n".join(m.value for m in at.markdown)
    _no_english(at, app_db, "es", "resolution")


def test_body_of_policy_in_spanish(app_db):
    at = open_page("pages/body_of_policy.py", None, {"lang": "es"})
    assert not at.exception
    assert at.title[0].value.endswith("Cuerpo de políticas")
    per_congress = _charts(at)[0]
    assert "Resoluciones, vigentes" in _names(per_congress)
    assert per_congress["layout"]["yaxis"]["title"]["text"] == "Textos adoptados"
    assert any("(CMN " in x for x in per_congress["data"][0]["x"])
    # A click still names the Congress by its code.
    custom = next(c for c in per_congress["data"][0]["customdata"] if c[0])
    assert bp.congress_of_point({"customdata": custom}).startswith(("WCC-", "GA-"))
    _no_english(at, app_db, "es", "body of policy")
