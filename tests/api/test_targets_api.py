"""The global goals in the open-data API (issue 18): the reference list, the target filter on the register and
on the status figures (the public Overview's numbers), and the targets of one Resolution. The world:
tests/public_world.py, with Res-001 tagged KMGBF-T3 and SDG-14.2, Rec-004 tagged SDG-14 and Res-002 KMGBF-T3."""

import pytest
from sqlmodel import Session, select

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from db.models import Resolution, ResolutionTarget
from tests import public_world as world

V1 = "/api/v1"
TAGS = {"WCC-2020-Res-001": ("KMGBF-T3", "SDG-14.2"), "WCC-2020-Rec-004": ("SDG-14",),
        "WCC-2020-Res-002": ("KMGBF-T3",)}


@pytest.fixture
def tagged(engine, built):
    with Session(engine) as s:
        ids = dict(s.exec(select(Resolution.code, Resolution.id)).all())
        for code, targets in TAGS.items():
            s.add_all(ResolutionTarget(resolution_id=ids[code], target_code=t) for t in targets)
        s.commit()


def ok(client, url: str, **params):
    answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_reference_list_and_its_framework_filter(client):
    every = ok(client, f"{V1}/targets")
    assert len(every) == 4 + 23 + 17 + 169 + 5
    kmgbf = ok(client, f"{V1}/targets", framework="KMGBF")
    assert [t["code"] for t in kmgbf if t["level"] == "target"] == [f"KMGBF-T{i}" for i in range(1, 24)]
    t3 = next(t for t in kmgbf if t["code"] == "KMGBF-T3")
    assert t3 == {"code": "KMGBF-T3", "framework": "KMGBF", "level": "target", "parent": None, "number": "3",
                  "name": "Conserve 30% of land, waters and seas",
                  "name_fr": "Conserver 30 % des terres, des eaux et des mers",
                  "name_es": "Conservar el 30 % de las tierras, las aguas y los mares"}
    sdg = ok(client, f"{V1}/targets", framework="SDG")
    assert sum(t["level"] == "target" for t in sdg) == 169
    assert next(t for t in sdg if t["code"] == "SDG-14.a")["parent"] == "SDG-14"
    assert [t["name"] for t in ok(client, f"{V1}/targets", framework="NATURE2030")] == [
        "People", "Land", "Water", "Oceans", "Climate"]
    assert client.get(f"{V1}/targets", params={"framework": "CBD"}).status_code == 400


def test_the_register_filter_by_target(client, tagged):
    def codes(**params):
        return [r["code"] for r in ok(client, f"{V1}/resolutions", **params)["items"]]

    assert codes(target="KMGBF-T3") == ["WCC-2020-Res-001", "WCC-2020-Res-002"]
    assert codes(target="SDG-14") == ["WCC-2020-Res-001", "WCC-2020-Rec-004"]  # the goal takes SDG-14.2
    assert codes(target=["SDG-14.2", "KMGBF-T3"], kind="Resolution") == ["WCC-2020-Res-001", "WCC-2020-Res-002"]
    assert codes(target="KMGBF-T23") == []
    bad = client.get(f"{V1}/resolutions", params={"target": "KMGBF-T99"})
    assert bad.status_code == 400 and bad.json()["fields"][0]["field"] == "target"


def test_one_resolution_lists_its_targets(client, tagged):
    assert ok(client, f"{V1}/resolutions/WCC-2020-Res-001")["targets"] == ["KMGBF-T3", "SDG-14.2"]
    assert ok(client, f"{V1}/resolutions/WCC-2020-Res-003")["targets"] == []


def test_the_status_figures_by_target_are_the_public_overviews(client, engine, tagged):
    stats = ok(client, f"{V1}/stats/status", congress="WCC-2020", year=world.YEAR, target="SDG-14")
    with Session(engine) as s:
        shown = progress.status_counts(session=s, flt=ProgressFilter("WCC-2020", world.YEAR, public=True,
                                                                     targets=("SDG-14",)))
    assert stats["statuses"] == shown[shown["status"] != vocab.IN_PREPARATION].to_dict("records")
    counts = {r["status"]: r["count"] for r in stats["statuses"] if r["count"]}
    assert counts == {"Underway": 1, "Completed": 1} and stats["total"] == 2
    t3 = ok(client, f"{V1}/stats/status", congress="WCC-2020", year=world.YEAR, target="KMGBF-T3")
    assert {r["status"]: r["count"] for r in t3["statuses"] if r["count"]} == {
        "Underway": 1, vocab.NO_PROGRESS_REPORT: 1}  # Res-002 is in review: not published
    assert client.get(f"{V1}/stats/status", params={"target": "nope"}).status_code == 400


def test_the_bulk_downloads_carry_the_tags(client, tagged):
    rows = ok(client, f"{V1}/downloads/resolution_targets.json")
    assert [(r["resolution"], r["target"]) for r in rows] == [
        ("WCC-2020-Rec-004", "SDG-14"), ("WCC-2020-Res-001", "KMGBF-T3"), ("WCC-2020-Res-001", "SDG-14.2"),
        ("WCC-2020-Res-002", "KMGBF-T3")]
    assert rows[1] == {"resolution": "WCC-2020-Res-001", "target": "KMGBF-T3", "framework": "KMGBF",
                       "name": "Conserve 30% of land, waters and seas"}
    csv_text = client.get(f"{V1}/downloads/resolution_targets.csv").text
    assert csv_text.splitlines()[0].lstrip("\ufeff") == "resolution,target,framework,name"
