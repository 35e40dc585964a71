"""services/public.py: what the public may see, on both databases (the world: tests/public_world.py)."""

import json

import pytest
from sqlmodel import Session

from analytics import progress
from analytics.filters import ProgressFilter
from db import vocab
from services import public
from services.errors import ValidationFailed
from tests import public_world as world


@pytest.fixture
def built(engine):
    return world.build(engine)


@pytest.fixture
def s(engine, built):
    with Session(engine) as session:
        yield session


def everything(s) -> str:
    """Every answer of services/public.py on the world, as one text."""
    answers = [public.congresses(s), public.themes(s), public.all_resolutions(s), public.resolution_themes(s),
               public.all_published_reports(s), public.public_activity_reports(s),
               public.resolutions(s, limit=500), public.progress_reports(s, limit=500),
               public.status_figures(s, congress="WCC-2020", year=world.YEAR)]
    answers += [public.resolution(s, r["code"]) for r in public.all_resolutions(s)]
    return json.dumps(public.as_json(answers))


def test_nothing_unpublished_and_no_person_in_any_answer(s):
    text = everything(s).lower()
    for mark in world.PUBLIC_MARKS:
        assert mark.lower() in text, mark  # the search does see what is there
    for mark in world.SECRET_MARKS:
        assert mark.lower() not in text, mark


def test_a_resolution_shows_only_its_published_versions(s):
    found = public.resolution(s, "WCC-2020-Res-001")
    assert found["title"] == "Saving coral reefs" and found["themes"] == ["Oceans"]
    assert found["congress"]["code"] == "WCC-2020"
    (report,) = found["progress_reports"]  # 2025 published (revision 2); the 2026 draft is not there
    assert (report["year"], report["status"], report["revision"]) == (2025, "Underway", 2)
    assert report["summary"] == "PUBLISHED-R2-SUMMARY" and report["challenge_categories"] == ["Funding"]
    assert report["components"] == ["Reef Guardians"]
    assert set(report) >= {"summary", "results", "challenges", "solutions", "published_at"}
    assert not {"author", "published_by", "sources", "source_ids", "correcting"} & set(report)
    assert found["status_timeline"] == {2025: "Underway"}
    (activity,) = found["activity_reports"]
    assert activity["title"] == "PUBLIC-ACTIVITY-TITLE" and activity["component"] == "Reef Guardians"
    assert activity["action_types"] == ["Field activities"] and activity["resolutions"] == ["WCC-2020-Res-001"]
    assert "author_id" not in activity and "partners" not in activity


def test_in_review_and_returned_reports_are_not_there(s):
    for code in ("WCC-2020-Res-002", "WCC-2020-Res-003"):
        found = public.resolution(s, code)
        assert found["progress_reports"] == [] and found["status_timeline"] == {}
    assert public.resolution(s, "WCC-2020-Res-002")["activity_reports"] == []  # returned, replaced: none


def test_unknown_or_odd_codes_are_none(s):
    assert public.resolution(s, "WCC-2020-Res-999") is None
    assert public.resolution(s, "x" * 500) is None
    assert public.resolution(s, "WCC\x00") is None


def test_resolutions_filters_and_pages(s):
    total, rows = public.resolutions(s, congress="WCC-2020")
    assert total == 5 and [r["code"] for r in rows][:1] == ["WCC-2020-Res-001"]
    assert public.resolutions(s, kind="Recommendation")[0] == 1
    assert [r["code"] for r in public.resolutions(s, theme="Oceans")[1]] == ["WCC-2020-Res-001"]
    assert public.resolutions(s, status="archived")[1][0]["code"] == "WCC-2020-Res-005"
    assert public.resolutions(s, status="active")[0] == 5
    # status: the latest published implementation status, too; never a draft's
    assert [r["code"] for r in public.resolutions(s, status="Completed")[1]] == ["WCC-2020-Rec-004"]
    assert {r["code"] for r in public.resolutions(s, status=vocab.NEVER_PUBLISHED)[1]} == {
        "WCC-2020-Res-002", "WCC-2020-Res-003"}
    assert public.resolutions(s, q="coral")[1][0]["code"] == "WCC-2020-Res-001"
    assert public.resolutions(s, congress=["WCC-2020", "WCC-2016"])[0] == 6
    total, page = public.resolutions(s, limit=2, offset=4)
    assert total == 6 and len(page) == 2
    everything_in_order = [r["code"] for r in public.resolutions(s, limit=500)[1]]
    assert [r["code"] for r in page] == everything_in_order[4:6]
    row = public.resolutions(s, q="Res-001")[1][0]
    assert row["latest_status"] == "Underway" and row["latest_year"] == 2025  # not the draft's Completed


@pytest.mark.parametrize("bad, field", [
    ({"congress": "WCC-1800"}, "congress"), ({"kind": "Decision"}, "kind"), ({"theme": "Mars"}, "theme"),
    ({"status": "draft"}, "status"), ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
])
def test_bad_filters_are_refused_by_field(s, bad, field):
    with pytest.raises(ValidationFailed) as refused:
        public.resolutions(s, **bad)
    assert refused.value.for_field(field)


def test_progress_reports_are_the_published_versions(s):
    total, rows = public.progress_reports(s)
    assert total == 4
    assert {(r["resolution"], r["year"], r["status"]) for r in rows} == {
        ("WCC-2020-Res-001", 2025, "Underway"), ("WCC-2020-Rec-004", 2025, "Completed"),
        ("WCC-2020-Res-005", 2023, "On-going"), ("WCC-2016-Res-010", 2025, "Initiated")}
    assert [r["year"] for r in rows] == sorted((r["year"] for r in rows), reverse=True)
    assert public.progress_reports(s, congress="WCC-2016")[0] == 1
    assert public.progress_reports(s, year=2023)[1][0]["resolution"] == "WCC-2020-Res-005"
    assert public.progress_reports(s, status="Completed")[0] == 1
    assert public.progress_reports(s, status=["Completed", "Underway"])[0] == 2
    assert public.progress_reports(s, year=2026) == (0, [])  # the 2026 draft is not published
    assert len(public.progress_reports(s, limit=1, offset=1)[1]) == 1
    with pytest.raises(ValidationFailed):
        public.progress_reports(s, status="In preparation")


def test_public_figures_fold_unpublished_work(s):
    """Public: Res-002 (in review) and Res-003 (returned) are No Progress Report; signed in, In preparation.
    Nothing else differs; Res-005 (archived in 2024) is not in force."""
    flt = ProgressFilter(congress="WCC-2020", year=world.YEAR)
    signed_in = progress.status_counts(session=s, flt=flt).set_index("status")["count"].to_dict()
    shown = progress.status_counts(session=s, flt=ProgressFilter(congress="WCC-2020", year=world.YEAR, public=True))
    shown = shown.set_index("status")["count"].to_dict()
    assert signed_in[vocab.IN_PREPARATION] == 2 and shown[vocab.IN_PREPARATION] == 0
    assert shown[vocab.NO_PROGRESS_REPORT] == signed_in[vocab.NO_PROGRESS_REPORT] + 2
    assert {k: v for k, v in shown.items() if k not in vocab.UNPUBLISHED} == {
        k: v for k, v in signed_in.items() if k not in vocab.UNPUBLISHED}
    assert shown["Underway"] == 1 and shown["Completed"] == 1 and sum(shown.values()) == 4
    figures = public.status_figures(s, congress="WCC-2020", year=world.YEAR)
    named = {k: v for k, v in shown.items() if k != vocab.IN_PREPARATION}  # always 0 publicly: not named
    assert figures["total"] == 4 and {r["status"]: r["count"] for r in figures["statuses"]} == named


def test_public_activity_figures_count_only_reports_shown_publicly(s):
    flt = ProgressFilter(congress="WCC-2020", year=world.YEAR)
    assert progress.headline(session=s, flt=flt)["activity_reports"] == 3  # public, not public, the correction
    public_headline = progress.headline(session=s, flt=ProgressFilter(congress="WCC-2020", year=world.YEAR,
                                                                      public=True))
    assert public_headline["activity_reports"] == 1
    assert public_headline["in_preparation"] == 0
    coverage = progress.coverage_by_year(session=s, flt=ProgressFilter(congress="WCC-2020", year=world.YEAR,
                                                                       public=True))
    assert vocab.IN_PREPARATION not in set(coverage.loc[coverage["count"] > 0, "category"])


@pytest.mark.parametrize("public", [True, False])
def test_challenges_are_those_published_never_a_correction_being_drafted(s, public):
    """Signed in or not, the ranking reads the latest published version: Res-001's revision 2 names Funding;
    the correction drafted in its working copy (Security and access) is nobody's reading yet."""
    flt = ProgressFilter(congress="WCC-2020", year=world.YEAR, public=public)
    ranked = progress.top_challenges(session=s, flt=flt)
    assert dict(zip(ranked["challenge"], ranked["count"])) == {"Funding": 1}  # Rec-004 names none


def test_status_figures_pick_the_latest_congress_and_refuse_an_unknown_one(s):
    figures = public.status_figures(s)
    assert figures["congress"] == "WCC-2020"  # the latest Congress with Resolutions
    with pytest.raises(ValidationFailed):
        public.status_figures(s, congress="NOPE")


def test_congresses_count_their_resolutions(s):
    by_code = {c["code"]: c for c in public.congresses(s)}
    assert by_code["WCC-2020"]["resolutions"] == 5 and by_code["WCC-2016"]["resolutions"] == 1
    assert by_code["WCC-2020"]["city"] == "Marseille"
