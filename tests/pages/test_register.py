"""The Resolution register page on the demo data: search, each filter, filters from and to the URL."""

from urllib.parse import parse_qs

import pytest
from sqlmodel import Session

from db.engine import make_engine
from services.register import RegisterFilter, search_resolutions
from tests.pages.apptest import PASSWORDS, open_page

PAGE = "pages/register.py"
DEMO_TOTAL = 802  # every Resolution of the demo data set


def shown(at) -> list[str]:
    return list(at.dataframe[0].value["code"])


def expected(app_db, **kwargs) -> list[str]:
    with Session(make_engine(app_db)) as s:
        return list(search_resolutions(session=s, flt=RegisterFilter(**kwargs))["code"])


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def params(at) -> dict[str, list[str]]:
    """The URL's query parameters, each as a list of values."""
    out = {}
    for key in at.query_params:
        value = at.query_params[key]
        out[key] = list(value) if isinstance(value, list) else [value]
    return out


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_role_sees_the_whole_register(app_db, user):
    at = open_page(PAGE, user)
    assert not at.exception
    assert at.title[0].value.endswith("Resolution register")
    assert shown(at) == expected(app_db)
    numbers = metrics(at)
    assert numbers["Matching"] == f"{DEMO_TOTAL:,}"
    assert int(numbers["Resolutions"].replace(",", "")) + int(numbers["Recommendations"].replace(",", "")) == DEMO_TOTAL
    assert params(at) == {}


def test_rows_show_themes_and_latest_status(app_db):
    at = open_page(PAGE, "reporter", {"q": "WCC-2016-Res-001"})
    row = at.dataframe[0].value.iloc[0]
    assert row["code"] == "WCC-2016-Res-001"
    assert row["title"].startswith("Identifying and archiving obsolete Resolutions")
    assert row["year"] == 2016 and row["status"] in ("Active", "Archived")
    assert row["themes"] and "nan" not in row["latest"]
    never_reported = open_page(PAGE, "reporter", {"congress": "WCC-2000"}).dataframe[0].value
    assert set(never_reported["latest"]) == {"Not published yet"}  # the demo reports on 2016 onwards only


def test_search_words_narrow_the_table_and_go_to_the_url(app_db):
    at = open_page(PAGE, "reporter")
    at.text_input(key="q").input("obsolete resolutions").run()
    assert not at.exception
    assert shown(at) == expected(app_db, q="obsolete resolutions")
    assert "WCC-2016-Res-001" in shown(at) and len(shown(at)) < 5
    assert params(at) == {"q": ["obsolete resolutions"]}


def test_search_by_code(app_db):
    at = open_page(PAGE, "leader")
    at.text_input(key="q").input("WCC-2025-Rec").run()
    assert shown(at) == expected(app_db, q="WCC-2025-Rec")
    assert len(shown(at)) == 148 - 120 and all(c.startswith("WCC-2025-Rec-") for c in shown(at))


def test_filter_by_congress(app_db):
    at = open_page(PAGE, "focal")
    at.multiselect(key="congress").set_value(["WCC-2016"]).run()
    assert len(shown(at)) == 112 and all(c.startswith("WCC-2016-") for c in shown(at))
    assert metrics(at)["Matching"] == "112"
    at.multiselect(key="congress").set_value(["WCC-2016", "WCC-2020"]).run()
    assert len(shown(at)) == 112 + 137
    assert params(at) == {"congress": ["WCC-2016", "WCC-2020"]}


def test_filter_by_kind(app_db):
    at = open_page(PAGE, "secretariat")
    at.multiselect(key="kind").set_value(["Recommendation"]).run()
    assert shown(at) == expected(app_db, kinds=["Recommendation"])
    assert all("-Rec-" in c for c in shown(at))
    assert metrics(at)["Resolutions"] == "0"
    assert params(at) == {"kind": ["Recommendation"]}


def test_filter_by_theme(app_db):
    at = open_page(PAGE, "secretariat")
    at.multiselect(key="theme").set_value(["Oceans"]).run()
    table = at.dataframe[0].value
    assert list(table["code"]) == expected(app_db, themes=["Oceans"])
    assert 0 < len(table) < DEMO_TOTAL and all("Oceans" in t for t in table["themes"])
    assert params(at) == {"theme": ["Oceans"]}


def test_filter_by_status(app_db):
    at = open_page(PAGE, "admin")
    at.segmented_control(key="status").set_value("archived").run()
    table = at.dataframe[0].value
    assert list(table["code"]) == expected(app_db, status="archived")
    assert set(table["status"]) == {"Archived"}
    assert metrics(at)["Active"] == "0"
    assert params(at) == {"status": ["archived"]}


def test_filter_by_year_range(app_db):
    at = open_page(PAGE, "reporter")
    at.slider(key="register_years").set_value((2016, 2020)).run()
    table = at.dataframe[0].value
    assert list(table["code"]) == expected(app_db, year_from=2016, year_to=2020)
    assert set(table["year"]) == {2016, 2020}
    assert params(at) == {"from": ["2016"], "to": ["2020"]}


def test_filters_are_read_from_the_url(app_db):
    query = {"q": "placeholder", "congress": ["WCC-2016", "WCC-2020"], "kind": "Resolution", "theme": "Land",
             "status": "active", "from": "2016", "to": "2020"}
    at = open_page(PAGE, "reporter", query)
    assert not at.exception
    assert at.text_input(key="q").value == "placeholder"
    assert at.multiselect(key="congress").value == ["WCC-2016", "WCC-2020"]
    assert at.multiselect(key="kind").value == ["Resolution"]
    assert at.multiselect(key="theme").value == ["Land"]
    assert at.segmented_control(key="status").value == "active"
    assert at.slider(key="register_years").value == (2016, 2020)
    codes = expected(app_db, q="placeholder", congresses=["WCC-2016", "WCC-2020"], kinds=["Resolution"],
                     themes=["Land"], status="active", year_from=2016, year_to=2020)
    assert shown(at) == codes and 0 < len(codes) < 112
    assert params(at)["congress"] == ["WCC-2016", "WCC-2020"]


def test_unknown_values_in_the_url_are_ignored(app_db):
    at = open_page(PAGE, "reporter", {"congress": "WCC-1999", "status": "retired", "kind": "Decision",
                                      "from": "soon"})
    assert not at.exception
    assert len(shown(at)) == DEMO_TOTAL
    assert params(at) == {}


def test_clear_filters(app_db):
    at = open_page(PAGE, "reporter", {"q": "ocean", "congress": "WCC-2020", "status": "active", "from": "2000"})
    assert len(shown(at)) < DEMO_TOTAL
    next(b for b in at.button if b.label == "Clear filters").click().run()
    assert not at.exception
    assert len(shown(at)) == DEMO_TOTAL
    assert at.text_input(key="q").value == "" and at.multiselect(key="congress").value == []
    assert params(at) == {}


def test_nothing_found(app_db):
    at = open_page(PAGE, "reporter", {"q": "no-such-words-anywhere"})
    assert not at.exception
    assert not at.dataframe
    assert "No Resolution matches" in at.info[0].value
    assert metrics(at)["Matching"] == "0"


def test_back_to_the_register_from_a_resolution_keeps_the_filters(app_db):
    """Issue 11, item 16: the Resolution page's "Back to the register" opens the register as the user left it."""
    query = {"q": "ocean", "congress": ["WCC-2016", "WCC-2020"], "kind": "Resolution", "from": "2016"}
    at = open_page(PAGE, "reporter", query)
    code = shown(at)[0]
    at.switch_page("pages/resolution.py")
    at.query_params.clear()
    at.query_params["code"] = code
    at.run()
    assert not at.exception
    [back] = [link for link in at.get("page_link") if link.proto.label == "Back to the register"]
    assert parse_qs(back.proto.query_string) == {"q": ["ocean"], "congress": ["WCC-2016", "WCC-2020"],
                                                 "kind": ["Resolution"], "from": ["2016"]}
    at.switch_page(PAGE)  # following the link: the register reads the same filters from its URL
    at.query_params.clear()
    for key, values in parse_qs(back.proto.query_string).items():
        at.query_params[key] = values
    at.run()
    assert at.text_input(key="q").value == "ocean"
    assert at.multiselect(key="congress").value == ["WCC-2016", "WCC-2020"]
