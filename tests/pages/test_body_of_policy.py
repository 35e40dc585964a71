"""The body of policy page on the demo data, for every role, with filters through the URL."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import Congress, Resolution, ResolutionTheme, Theme
from tests.pages.apptest import deferred_downloads, open_page, reachable

PAGE = "pages/body_of_policy.py"


def _count(app_db, *conditions) -> int:
    engine = make_engine(app_db)
    with Session(engine) as s:
        n = s.exec(select(func.count(func.distinct(Resolution.id)))
                   .select_from(Resolution).join(Congress, Congress.id == Resolution.congress_id)
                   .outerjoin(ResolutionTheme, ResolutionTheme.resolution_id == Resolution.id)
                   .outerjoin(Theme, Theme.id == ResolutionTheme.theme_id)
                   .where(*conditions)).one()
    engine.dispose()
    return n


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at):
    return at.dataframe[-1].value


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader", "admin"])
def test_every_role_sees_the_whole_body_of_policy(app_db, user):
    assert reachable(PAGE, user)
    at = open_page(PAGE, user)
    assert not at.exception
    metrics = _metrics(at)
    assert metrics["In the register"] == f"{_count(app_db):,}"
    assert metrics["Active"] == f"{_count(app_db, Resolution.status == 'active'):,}"
    assert metrics["Archived"] == f"{_count(app_db, Resolution.status == 'archived'):,}"
    assert metrics["Resolutions · Recommendations"] == (
        f"{_count(app_db, Resolution.kind == 'Resolution'):,} · "
        f"{_count(app_db, Resolution.kind == 'Recommendation'):,}")
    table = _table(at)
    assert len(table) == 27 and table.iloc[-1]["code"] == "GA-1948" and table.iloc[0]["code"] == "WCC-2025"
    held = table[table["register_total"] > 0]
    assert (held["agrees"] == "Yes").all()  # the demo register agrees with the published figures
    assert len(at.get("plotly_chart")) == 2
    assert not at.warning
    assert any("IUCN reports 1,466 texts adopted from 1948 to Marseille 2020" in c.value for c in at.caption)


def test_filters_from_the_url(app_db):
    at = open_page(PAGE, "leader", {"kind": "Recommendation", "theme": "Oceans", "from": "2010"})
    assert not at.exception
    assert at.multiselect(key="kind").value == ["Recommendation"]
    assert at.multiselect(key="theme").value == ["Oceans"]
    expected = _count(app_db, Resolution.kind == "Recommendation", Theme.name == "Oceans", Congress.year >= 2010)
    assert _metrics(at)["In the register"] == f"{expected:,}"
    table = _table(at)
    assert table["year"].min() >= 2010 and len(table) == 4  # 2012, 2016, 2020, 2025
    assert table["register_total"].sum() == expected
    assert (table["agrees"] == "—").all()  # a filtered count is not compared with the published figure


def test_selecting_a_congress_opens_its_texts_in_the_register(app_db):
    at = open_page(PAGE, "reporter")
    table = _table(at)
    position = list(table["code"]).index("WCC-2016")
    at.session_state["congress_table"] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert any(t.value.endswith("Resolution register") for t in at.title)
    assert at.multiselect(key="congress").value == ["WCC-2016"]  # the register, filtered on that Congress


def test_the_workbook_says_its_filters_and_carries_the_headers_shown(app_db, monkeypatch):
    import io
    import json

    from openpyxl import load_workbook

    offered = deferred_downloads(monkeypatch)
    at = open_page(PAGE, "leader", {"kind": "Recommendation", "theme": "Oceans", "from": "2010"})
    assert not at.exception
    book = load_workbook(io.BytesIO(offered["body_of_policy.xlsx"]()))
    sheet = book["Adopted per Congress"]
    assert sheet["A1"].value.startswith("Body of policy") and sheet["A2"].value.startswith("Generated on ")
    assert sheet["A3"].value == "Filters: Kind: Recommendation; Themes: Oceans; Congresses held between 2010 and 2025"
    header = [c.value for c in sheet[5]]
    config = json.loads(at.dataframe[-1].proto.columns)
    shown = [config[key]["label"] for key in _table(at).columns]
    assert shown == [h for h in header if h in shown] and len(shown) == 11  # the same headers, in the same order
    rows = list(sheet.iter_rows(min_row=6, values_only=True))
    in_register = header.index("In the register")
    assert sum(r[in_register] for r in rows) == int(_table(at)["register_total"].sum())  # numbers, not text
    csv_header = offered["adopted_per_congress.csv"]().decode("utf-8-sig").splitlines()[0].split(",")
    assert csv_header == header


def test_clicking_a_congress_in_the_chart_opens_its_texts_in_the_register(app_db):
    """As on the Overview, the chart's selection callback stores what was clicked and the next run acts on it."""
    at = open_page(PAGE, "leader")
    assert "Click a bar to see that Congress’ texts in the register." in [c.value for c in at.caption]
    at.session_state["bop_open"] = "WCC-2016"  # what the callback stores for a click on Honolulu's column
    at.run()
    assert not at.exception
    assert any(t.value.endswith("Resolution register") for t in at.title)
    assert at.multiselect(key="congress").value == ["WCC-2016"]


def test_the_chart_marks_congresses_with_no_known_count(app_db):
    at = open_page(PAGE, "leader")
    assert not at.exception
    assert any("For 21 Congresses no count is known" in c.value and "count not known" in c.value
               for c in at.caption)
