"""Theme names in the reader's language (issue 14): stored by their English name (table theme, the URL, the
filters, the register file, the open-data API), shown translated on every screen, chart, table and the PDF."""

import csv
import json
import os

import pandas as pd
import pytest
from sqlalchemy import text

import locales
from analytics import body_of_policy as bp
from analytics import charts, export_pdf
from db import vocab
from db.engine import make_engine
from db.reference_data import REFERENCE as REFERENCE_DIR
from services import export_tables
from tests.i18n.test_screens import set_language
from tests.pages.apptest import open_page as open_any_page

OFFICIAL = {  # IUCN's Nature 2030 areas as its French and Spanish texts name them
    "fr": {"People": "Personnes", "Land": "Terres", "Water": "Eau", "Oceans": "Océans", "Climate": "Climat"},
    "es": {"People": "Personas", "Land": "Tierras", "Water": "Agua", "Oceans": "Océanos", "Climate": "Clima"},
}


def _reference_themes() -> list[dict]:
    with (REFERENCE_DIR / "themes.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _status_frame(themes: list[str]) -> pd.DataFrame:
    rows = [{"theme": t, "status": s, "count": 1, "share": 1 / len(vocab.STATUS_SCALE)}
            for t in themes for s in vocab.STATUS_SCALE]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_reference_theme_and_framework_has_a_translation(language):
    rows = _reference_themes()
    assert {r["name"] for r in rows} <= set(vocab.THEME_NAMES)
    assert {r["framework"] for r in rows} <= set(vocab.THEME_FRAMEWORKS)
    locales.reload()
    with locales.use(language):
        untranslated = [r["name"] for r in rows if locales._(r["name"]) == r["name"]]
        areas = {name: locales._(name) for name in OFFICIAL[language]}
    assert not untranslated
    assert areas == OFFICIAL[language]


def test_the_theme_chart_names_themes_in_the_language_and_a_click_keeps_the_stored_name():
    with locales.use("fr"):
        fig = charts.status_by_theme_chart(_status_frame(["Land", "Oceans"]))
        heading = charts.describe_segment({"theme": "Land", "status": "Underway"})
    assert list(fig.data[0].y) == ["Terres", "Océans"]
    assert charts.segment_from_point("theme", {"customdata": list(fig.data[0].customdata[1])})["theme"] == "Oceans"
    assert heading == "Bien avancée · Terres"


def test_the_body_of_policy_chart_and_table_name_themes_in_the_language():
    frame = pd.DataFrame([("Water", None, "Nature 2030", "Resolution", 2, 1, 3),
                          ("Fisheries", "Oceans", "Topic", "Recommendation", 1, 0, 1)],
                         columns=["theme", "parent", "framework", "kind", "active", "archived", "total"])
    per_congress = pd.DataFrame(columns=[c.key for c in export_tables.PER_CONGRESS_COLUMNS if c.key != "agrees"]
                                + ["agrees_with_reference"])
    with locales.use("es"):
        fig = bp.by_theme_chart(frame)
        table = export_tables.body_tables(per_congress=per_congress, by_theme=frame)[1]
    assert list(fig.data[0].y) == ["Agua", "Pesca"]
    assert list(table.frame["theme"]) == ["Agua", "Pesca"]
    assert list(table.frame["parent"])[1] == "Océanos" and list(table.frame["framework"]) == ["Naturaleza 2030", "Tema"]
    assert list(frame["theme"]) == ["Water", "Fisheries"]  # the page's own frame keeps the stored names


def test_the_analysis_tables_and_the_pdf_chart_name_themes_in_the_language(monkeypatch):
    frame = _status_frame(["People", "Climate"])
    with locales.use("fr"):
        shown = export_tables._translated("Status by theme", frame)
    assert set(shown["theme"]) == {"Personnes", "Climat"}
    drawn = []
    monkeypatch.setattr(export_pdf, "_png", lambda fig: drawn.append(
        [t.get_text() for t in fig.axes[0].get_yticklabels()]) or b"")
    with locales.use("es"):
        export_pdf.stacked_status_chart(frame, "theme", horizontal=True)
    assert drawn == [["Personas", "Clima"]]


# -- the pages ---------------------------------------------------------------------------------------------------
def _open(page: str, user: str | None, query: dict):
    if user is not None:
        set_language(os.environ["DATABASE_URL"], user, query["lang"])
    at = open_any_page(page, user, query)
    assert not at.exception
    return at


def _tagged_resolution(url: str) -> tuple[str, list[str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as c:
            code = c.execute(text("SELECT r.code FROM resolution r JOIN resolution_theme rt ON rt.resolution_id = r.id "
                                  "ORDER BY r.code LIMIT 1")).scalar_one()
            names = c.execute(text("SELECT t.name FROM theme t JOIN resolution_theme rt ON rt.theme_id = t.id "
                                   "JOIN resolution r ON r.id = rt.resolution_id WHERE r.code = :code"),
                              {"code": code}).scalars().all()
    finally:
        engine.dispose()
    return code, names


def test_the_register_shows_themes_in_french_and_keeps_the_stored_name_in_the_url(app_db):
    at = _open("pages/register.py", "leader", {"lang": "fr", "theme": "Land"})
    theme = at.multiselect(key="theme")
    assert theme.value == ["Land"] and at.query_params["theme"] in ("Land", ["Land"])
    assert "Terres" in theme.options and "Land" not in theme.options
    cells = {name for value in at.dataframe[0].value["themes"] for name in value.split("; ")}
    assert "Terres" in cells and not cells & set(vocab.THEME_NAMES) - {"Nature 2030"}


def test_a_resolution_names_its_themes_in_spanish(app_db):
    code, names = _tagged_resolution(app_db)
    at = _open("pages/resolution.py", "secretariat", {"lang": "es", "code": code})
    with locales.use("es"):
        expected = {locales._(n) for n in names}
    shown = " ".join(t.value for t in at.text)
    assert all(name in shown for name in expected) and expected != set(names)


def test_the_overview_and_the_body_of_policy_draw_themes_in_french(app_db):
    at = _open("pages/overview.py", None, {"lang": "fr", "theme": "Oceans"})
    assert at.multiselect(key="theme").value == ["Oceans"]
    assert "thème : Océans" in " ".join(c.value for c in at.caption)
    bars = _bar_labels(at)
    assert "Océans" in bars and "Oceans" not in bars
    at = _open("pages/body_of_policy.py", None, {"lang": "fr"})
    bars = _bar_labels(at)
    assert {"Personnes", "Terres", "Eau", "Océans", "Climat"} <= bars and not bars & {"People", "Land"}


def _bar_labels(at) -> set:
    """The category labels of every bar of every chart on the page."""
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return {str(v) for spec in specs for trace in spec["data"] for axis in ("x", "y")
            if isinstance(trace.get(axis), list) for v in trace[axis]}  # numbers come encoded, not as lists

