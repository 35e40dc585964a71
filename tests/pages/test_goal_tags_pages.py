"""The global goals on the pages (issue 18), on the demo data: the Overview's target filter from the URL and
its "Resolutions by target" chart, for every role and signed out; tagging on the Resolution page (the
Secretariat and the administrator only); the bulk tag import on the register import page."""

import pytest
from sqlmodel import Session, select

from analytics import progress
from analytics.filters import ProgressFilter
from db.engine import make_engine
from db.models import AuditEvent, Resolution, ResolutionTarget
from services import goal_tags
from tests.pages.apptest import open_page
from tests.pages.test_overview import open_page as open_overview

OVERVIEW = "pages/overview.py"
RESOLUTION = "pages/resolution.py"
CODE = "WCC-2020-Res-001"


def _read(app_db, fn, **kw):
    engine = make_engine(app_db)
    try:
        with Session(engine) as s:
            return fn(session=s, **kw)
    finally:
        engine.dispose()


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader", "admin", None])
def test_the_overview_filters_by_target_from_the_url(app_db, user):
    query = {"congress": "WCC-2020", "year": "2023", "target": "KMGBF-T3"}
    at = open_overview(OVERVIEW, user, query) if user else open_page(OVERVIEW, None, query)
    assert not at.exception
    assert at.multiselect(key="target").value == ["KMGBF-T3"]
    flt = ProgressFilter(congress="WCC-2020", year=2023, targets=("KMGBF-T3",), public=user is None)
    head = _read(app_db, progress.headline, flt=flt)
    everything = _read(app_db, progress.headline, flt=ProgressFilter(congress="WCC-2020", year=2023,
                                                                      public=user is None))
    assert 0 < head["resolutions_in_force"] < everything["resolutions_in_force"]  # the demo has an answer
    assert {m.label: m.value for m in at.metric}["Resolutions in force"] == f"{head['resolutions_in_force']:,}"
    assert "Filtered by global goals: KMGBF-T3." in [c.value for c in at.caption]
    by_target = _read(app_db, progress.status_by_target, flt=flt)
    assert list(dict.fromkeys(by_target["target"])) == ["KMGBF-T3"]
    assert any("Resolutions by target of the Global Biodiversity Framework, 2023" in m.value for m in at.markdown)


def test_an_sdg_goal_in_the_url_takes_its_targets_and_an_unknown_code_is_dropped(app_db):
    at = open_overview(OVERVIEW, "leader", {"congress": "WCC-2020", "year": "2023", "target": ["SDG-14", "XX-1"]})
    assert not at.exception
    assert at.multiselect(key="target").value == ["SDG-14"]
    head = _read(app_db, progress.headline, flt=ProgressFilter(congress="WCC-2020", year=2023, targets=("SDG-14",)))
    assert {m.label: m.value for m in at.metric}["Resolutions in force"] == f"{head['resolutions_in_force']:,}"


def _tags(app_db) -> list[str]:
    return _read(app_db, goal_tags.targets_of, code=CODE)


@pytest.mark.parametrize("user", ["secretariat", "admin"])
def test_the_secretariat_tags_a_resolution_on_its_page(app_db, user):
    before = _tags(app_db)
    at = open_page(RESOLUTION, user, {"code": CODE})
    assert not at.exception
    assert at.multiselect(key=f"goal_tags_KMGBF_{CODE}").value == [t for t in before if t.startswith("KMGBF")]
    at.multiselect(key=f"goal_tags_KMGBF_{CODE}").set_value(["KMGBF-T3", "KMGBF-T23"])
    at.multiselect(key=f"goal_tags_SDG_{CODE}").set_value(["SDG-14.a"])
    at.multiselect(key=f"goal_tags_NATURE2030_{CODE}").set_value([])
    next(b for b in at.button if b.label == "Save the tags").click().run()
    assert not at.exception
    assert _tags(app_db) == ["KMGBF-T3", "KMGBF-T23", "SDG-14.a"]
    assert "Saved: 3 goals and targets." in [s.value for s in at.success]
    text = "\n".join(t.value for t in at.text)
    assert "KMGBF 23 · Ensure gender equality" in text and "SDG 14.a · Increase scientific knowledge" in text


@pytest.mark.parametrize("user", ["reporter", "focal", "leader", None])
def test_others_see_the_targets_but_no_tagging_form(app_db, user):
    at = open_page(RESOLUTION, user, {"code": CODE})
    assert not at.exception
    assert not [m for m in at.multiselect if str(m.key).startswith("goal_tags_")]
    assert "Save the tags" not in [b.label for b in at.button]
    labels = _read(app_db, goal_tags.target_labels)
    text = "\n".join(t.value for t in at.text)
    assert all(labels[t] in text for t in _tags(app_db))


def test_the_bulk_tag_import_on_the_register_import_page(app_db):
    at = open_page("pages/register_admin.py", "secretariat")
    assert not at.exception
    data = b"code,target\nWCC-2020-Res-001,KMGBF-T17\nWCC-2020-Res-002,SDG-17.19\n"
    at.file_uploader[1].set_value(("tags.csv", data, "text/csv"))
    next(b for b in at.button if b.label == "Check and import the tags").click().run()
    assert not at.exception
    assert at.success[0].value == "Tags imported: 2 added to 2 Resolutions, 0 already there."
    assert "KMGBF-T17" in _tags(app_db)
    bad = b"code,target\nWCC-2020-Res-001,KMGBF-T18\nWCC-2020-Res-002,SDG-18.1\n"
    at.file_uploader[1].set_value(("tags.csv", bad, "text/csv"))
    next(b for b in at.button if b.label == "Check and import the tags").click().run()
    assert not at.exception
    assert "KMGBF-T18" not in _tags(app_db)  # all or nothing
    engine = make_engine(app_db)
    with Session(engine) as s:
        res2 = s.exec(select(Resolution.id).where(Resolution.code == "WCC-2020-Res-002")).one()
        assert s.exec(select(ResolutionTarget).where(ResolutionTarget.resolution_id == res2,
                                                     ResolutionTarget.target_code == "SDG-17.19")).one()
        assert s.exec(select(AuditEvent).where(AuditEvent.entity == "register", AuditEvent.action == "import")).one()
    engine.dispose()


def test_the_register_filters_by_target_from_the_url(app_db):
    from services.register import RegisterFilter, search_resolutions

    at = open_page("pages/register.py", "reporter", {"target": "KMGBF-T3", "congress": "WCC-2020"})
    assert not at.exception
    assert at.multiselect(key="target").value == ["KMGBF-T3"]
    expected = _read(app_db, search_resolutions, flt=RegisterFilter(targets=["KMGBF-T3"], congresses=["WCC-2020"]))
    assert 0 < len(expected) and list(at.dataframe[0].value["code"]) == list(expected["code"])
    at.multiselect(key="target").select("SDG-14").run()
    assert sorted(at.query_params["target"]) == ["KMGBF-T3", "SDG-14"]  # the URL keeps both
