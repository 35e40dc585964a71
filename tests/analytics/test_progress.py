"""analytics/progress.py on a small hand-built data set whose right answers are worked out below.

WCC-2020 (the latest Congress with Resolutions here; data in 2022 and 2023):
  Res-001 Land          2022 Initiated, 2023 Underway (challenges Funding, Staff capacity)
  Res-002 Water         2023 Completed (Funding)
  Res-003 Land, Water   2023 draft only (so "In preparation")
  Rec-004 Oceans        2022 Not started
  Res-005 Land          2022 On-going, 2023 On-going (Political will); archived 2023-03-01 (in force to 2022)
WCC-2016: Res-001 Land 2019 Completed; Res-002 People, never reported on.
Activity Reports (received):
  AR1 Member/Africa on 2020-001 and 2020-003, 2023-05-01, Field activities + Fundraising
  AR2 Commission/no region on 2020-003, 2023-06-01, Capacity-building
  AR3 National Committee/West Europe on 2020-004, 2022-03-01, Field activities
  AR4 Member/Africa on 2020-002, draft (never counted)
  AR5 Commission on 2020-002, 2023-07-01, Policy influencing/advocacy
  AR6 National Committee on 2016-001, 2019-04-01, Fundraising
"""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from analytics import progress
from analytics.filters import ProgressFilter, data_years, resolve
from analytics.progress import NO_REGION
from db import vocab
from db.models import ActivityReport, ActivityReportActionType, Component, ProgressReportRevision
from db.vocab import IN_PREPARATION, NO_PROGRESS_REPORT, NOTHING_TO_REPORT, PUBLISHED
from tests import factories as f

SCALE = list(vocab.STATUS_SCALE)


def _received(y, m, d):
    return datetime(y, m, d, 9, 0, tzinfo=UTC)


@pytest.fixture
def data(engine):
    with Session(engine) as s:
        member = f.component(s, "Sahel Test Alliance", "Member", "Africa", "Niger")
        commission = f.component(s, "Test Commission", "Commission", None, None)
        committee = f.component(s, "Test National Committee", "National Committee", "West Europe", "France")
        reporter = f.user(s, "rep", ("reporter",), (member,))
        focal = f.user(s, "foc", ("focal_point",))
        r1 = f.resolution(s, 1, themes=("Land",))
        r2 = f.resolution(s, 2, themes=("Water",))
        r3 = f.resolution(s, 3, themes=("Land", "Water"))
        r4 = f.resolution(s, 4, kind="Recommendation", themes=("Oceans",))
        r5 = f.resolution(s, 5, themes=("Land",), status="archived", archived_on=date(2023, 3, 1))
        s1 = f.resolution(s, 1, "WCC-2016", themes=("Land",))
        f.resolution(s, 2, "WCC-2016", themes=("People",))

        def pr(res, year, status, state="published", challenges=()):
            row = f.progress_report(s, res, focal, year=year, state=state, status=status)
            row.challenge_categories = list(challenges)
            s.add(row)
            if state == "published":  # what the publication recorded (top_challenges reads it)
                s.add(ProgressReportRevision(progress_report_id=row.id, revision=row.revision, status=status,
                                             content={"challenge_categories": list(challenges)},
                                             published_by=focal.id))

        pr(r1, 2022, "Initiated")
        pr(r1, 2023, "Underway", challenges=("Funding", "Staff capacity"))
        pr(r2, 2023, "Completed", challenges=("Funding",))
        pr(r3, 2023, "Underway", state="draft", challenges=("Security and access",))
        pr(r4, 2022, "Not started")
        pr(r5, 2022, "On-going")
        pr(r5, 2023, "On-going", challenges=("Political will",))
        pr(s1, 2019, "Completed")

        def ar(comp, resolutions, when, types, state="submitted"):
            row = f.activity_report(s, comp, reporter, resolutions, state=state, submitted_at=when)
            for t in types:
                s.add(ActivityReportActionType(activity_report_id=row.id, action_type=t))

        ar(member, (r1, r3), _received(2023, 5, 1), ("Field activities", "Fundraising"))
        ar(commission, (r3,), _received(2023, 6, 1), ("Capacity-building",))
        ar(committee, (r4,), _received(2022, 3, 1), ("Field activities",))
        ar(member, (r2,), None, ("Fundraising",), state="draft")
        ar(commission, (r2,), _received(2023, 7, 1), ("Policy influencing/advocacy",))
        ar(committee, (s1,), _received(2019, 4, 1), ("Fundraising",))
        s.commit()
    with Session(engine) as s:
        yield s


def _statuses(frame, **where) -> dict:
    for key, value in where.items():
        frame = frame[frame[key] == value]
    assert list(frame["status"]) == SCALE  # every status, the unpublished ones first, in the scale's order
    return {st: n for st, n in zip(frame["status"], frame["count"]) if n}


def _labels(frame) -> dict:
    return {label: n for label, n in zip(frame["label"], frame["count"]) if n}


def _codes(frame) -> list[str]:
    return list(frame["code"])


# -- filters ----------------------------------------------------------------------------------------
def test_resolve_fills_latest_congress_and_year(data):
    assert data_years(session=data, congress="WCC-2020") == [2022, 2023]
    assert data_years(session=data, congress="WCC-2016") == [2019]
    assert resolve(session=data, flt=ProgressFilter()) == ProgressFilter(congress="WCC-2020", year=2023)
    assert resolve(session=data, flt=ProgressFilter(congress="WCC-2016")).year == 2019
    assert resolve(session=data, flt=ProgressFilter(year=2022)).year == 2022


# -- headline ---------------------------------------------------------------------------------------
def test_headline(data):
    head = progress.headline(session=data, flt=ProgressFilter())
    assert head["congress"] == "WCC-2020" and head["year"] == 2023
    assert head["resolutions_in_force"] == 4  # Res-005, archived in March 2023, is not in force in 2023
    assert head["published"] == 2
    assert head["published_share"] == pytest.approx(0.5)
    assert head["status_counts"] == {NO_PROGRESS_REPORT: 1, IN_PREPARATION: 1, "Not started": 0, "Initiated": 0,
                                     "Underway": 1, "On-going": 0, "Completed": 1}
    assert (head["in_preparation"], head["no_progress_report"]) == (1, 1)
    assert list(head["status_counts"]) == SCALE
    assert head["status_shares"][NO_PROGRESS_REPORT] == pytest.approx(0.25)
    assert head["activity_reports"] == 3  # AR1, AR2, AR5; the draft is not counted
    assert head["components_involved"] == 2


def test_headline_other_year_and_archived(data):
    head = progress.headline(session=data, flt=ProgressFilter(year=2022))
    assert head["status_counts"] == {NO_PROGRESS_REPORT: 2, IN_PREPARATION: 0, "Not started": 1, "Initiated": 1,
                                     "Underway": 0, "On-going": 1, "Completed": 0}
    assert (head["activity_reports"], head["components_involved"]) == (1, 1)
    later = progress.headline(session=data, flt=ProgressFilter(year=2024))
    assert later["resolutions_in_force"] == 4  # Res-005 archived in 2023
    assert later["status_counts"][NO_PROGRESS_REPORT] == 4 and later["published_share"] == 0


def test_headline_filters_combine(data):
    land_africa = progress.headline(session=data, flt=ProgressFilter(themes=("Land",), regions=("Africa",)))
    assert land_africa["resolutions_in_force"] == 2  # Res-001, Res-003: Land AND reported on from Africa
    assert land_africa["status_counts"]["Underway"] == 1 and land_africa["status_counts"][IN_PREPARATION] == 1
    assert (land_africa["activity_reports"], land_africa["components_involved"]) == (1, 1)

    water_commission = progress.headline(
        session=data, flt=ProgressFilter(themes=("Water",), component_kinds=("Commission",)))
    assert water_commission["resolutions_in_force"] == 2  # Res-002, Res-003
    assert water_commission["status_counts"]["Completed"] == 1
    assert water_commission["activity_reports"] == 2

    recommendations = progress.headline(session=data, flt=ProgressFilter(kinds=("Recommendation",)))
    assert recommendations["resolutions_in_force"] == 1
    assert recommendations["status_counts"][NO_PROGRESS_REPORT] == 1 and recommendations["activity_reports"] == 0

    # reports received after the chosen year do not count for the region
    early = progress.headline(session=data, flt=ProgressFilter(year=2022, regions=("Africa",)))
    assert early["resolutions_in_force"] == 0 and early["activity_reports"] == 0

    nothing = progress.headline(session=data, flt=ProgressFilter(themes=("Land",), kinds=("Recommendation",)))
    assert nothing["resolutions_in_force"] == 0 and nothing["published_share"] == 0


# -- status charts ----------------------------------------------------------------------------------
def test_status_by_congress(data):
    frame = progress.status_by_congress(session=data, flt=ProgressFilter())
    assert list(dict.fromkeys(frame["congress"])) == ["WCC-2016", "WCC-2020"]
    assert _statuses(frame, congress="WCC-2016") == {NO_PROGRESS_REPORT: 1, "Completed": 1}
    assert set(frame[frame["congress"] == "WCC-2016"]["year"]) == {2019}  # its latest reporting year
    assert _statuses(frame, congress="WCC-2020") == {NO_PROGRESS_REPORT: 1, IN_PREPARATION: 1, "Underway": 1,
                                                     "Completed": 1}
    shares = frame[frame["congress"] == "WCC-2016"].set_index("status")["share"]
    assert shares[NO_PROGRESS_REPORT] == pytest.approx(0.5) and shares["Completed"] == pytest.approx(0.5)

    land = progress.status_by_congress(session=data, flt=ProgressFilter(themes=("Land",)))
    assert _statuses(land, congress="WCC-2016") == {"Completed": 1}
    assert _statuses(land, congress="WCC-2020") == {IN_PREPARATION: 1, "Underway": 1}


def test_status_by_theme(data):
    frame = progress.status_by_theme(session=data, flt=ProgressFilter())
    assert list(dict.fromkeys(frame["theme"])) == ["Land", "Water", "Oceans"]
    assert _statuses(frame, theme="Land") == {IN_PREPARATION: 1, "Underway": 1}
    assert _statuses(frame, theme="Water") == {IN_PREPARATION: 1, "Completed": 1}
    assert _statuses(frame, theme="Oceans") == {NO_PROGRESS_REPORT: 1}
    only_water = progress.status_by_theme(session=data, flt=ProgressFilter(themes=("Water",)))
    assert list(dict.fromkeys(only_water["theme"])) == ["Water"]


def test_status_over_years(data):
    frame = progress.status_over_years(session=data, flt=ProgressFilter())
    assert list(dict.fromkeys(frame["year"])) == [2022, 2023]
    assert _statuses(frame, year=2022) == {NO_PROGRESS_REPORT: 2, "Not started": 1, "Initiated": 1, "On-going": 1}
    assert _statuses(frame, year=2023) == {NO_PROGRESS_REPORT: 1, IN_PREPARATION: 1, "Underway": 1, "Completed": 1}
    assert frame[frame["year"] == 2022]["share"].sum() == pytest.approx(1.0)
    africa = progress.status_over_years(session=data, flt=ProgressFilter(regions=("Africa",)))
    assert _statuses(africa, year=2022) == {NO_PROGRESS_REPORT: 1, "Initiated": 1}


def test_coverage_by_year(data):
    frame = progress.coverage_by_year(session=data, flt=ProgressFilter())
    got = {(y, c): n for y, c, n in frame.itertuples(index=False)}
    # the reporting states of the Resolutions in force each year (Res-005 is out in 2023)
    assert got == {(2022, PUBLISHED): 3, (2022, NOTHING_TO_REPORT): 0, (2022, IN_PREPARATION): 0,
                   (2022, NO_PROGRESS_REPORT): 2, (2023, PUBLISHED): 2, (2023, NOTHING_TO_REPORT): 0,
                   (2023, IN_PREPARATION): 1, (2023, NO_PROGRESS_REPORT): 1}
    commission = progress.coverage_by_year(session=data, flt=ProgressFilter(component_kinds=("Commission",)))
    got = {(y, c): n for y, c, n in commission.itertuples(index=False)}
    assert got[(2023, PUBLISHED)] == 1 and got[(2023, IN_PREPARATION)] == 1 and got[(2023, NO_PROGRESS_REPORT)] == 0


# -- involvement and challenges ---------------------------------------------------------------------
def test_activities(data):
    flt = ProgressFilter()
    kinds = progress.activities_by_component_kind(session=data, flt=flt)
    assert set(kinds["label"]) == set(vocab.COMPONENT_KINDS)
    assert _labels(kinds) == {"Commission": 2, "Member": 1}
    assert list(kinds["label"][:2]) == ["Commission", "Member"]
    assert _labels(progress.activities_by_action_type(session=data, flt=flt)) == {
        "Field activities": 1, "Fundraising": 1, "Capacity-building": 1, "Policy influencing/advocacy": 1}
    assert _labels(progress.activities_by_region(session=data, flt=flt)) == {NO_REGION: 2, "Africa": 1}
    assert _labels(progress.activities_by_region(session=data, flt=ProgressFilter(year=2022))) == {
        "West Europe": 1}
    water = ProgressFilter(themes=("Water",), component_kinds=("Commission",))
    assert _labels(progress.activities_by_action_type(session=data, flt=water)) == {
        "Capacity-building": 1, "Policy influencing/advocacy": 1}


def test_activities_by_the_language_they_were_written_in(data):
    """The Overview's language filter (issue 14): Activity Report figures count the reports written in the
    chosen languages; the statuses are not narrowed."""
    commission = data.exec(select(ActivityReport).join(Component).where(Component.kind == "Commission")
                           .order_by(ActivityReport.id)).first()
    commission.language = "fr"
    data.commit()
    french, spanish = ProgressFilter(languages=("fr",)), ProgressFilter(languages=("es",))
    assert _labels(progress.activities_by_component_kind(session=data, flt=french)) == {"Commission": 1}
    assert _labels(progress.activities_by_component_kind(session=data, flt=spanish)) == {}
    both = ProgressFilter(languages=("en", "fr"))
    assert (_labels(progress.activities_by_component_kind(session=data, flt=both))
            == _labels(progress.activities_by_component_kind(session=data, flt=ProgressFilter())))
    assert (progress.status_counts(session=data, flt=french).equals(
        progress.status_counts(session=data, flt=ProgressFilter())))


def test_top_challenges(data):
    frame = progress.top_challenges(session=data, flt=ProgressFilter())
    # not the draft's, nor Res-005's (archived in March 2023, not in force in 2023)
    assert list(frame["challenge"]) == ["Funding", "Staff capacity"]
    assert list(frame["count"]) == [2, 1]
    assert list(frame["share"]) == pytest.approx([1, 1 / 2])
    assert list(progress.top_challenges(session=data, flt=ProgressFilter(), limit=1)["challenge"]) == ["Funding"]
    water = progress.top_challenges(session=data, flt=ProgressFilter(themes=("Water",)))
    assert list(zip(water["challenge"], water["count"])) == [("Funding", 1)]
    assert progress.top_challenges(session=data, flt=ProgressFilter(year=2022)).empty


# -- drill-down -------------------------------------------------------------------------------------
def test_resolutions_behind_status_segments(data):
    behind = progress.resolutions_behind
    flt = ProgressFilter()
    no_report = behind(session=data, flt=flt, status=NO_PROGRESS_REPORT)
    assert _codes(no_report) == ["WCC-2020-Rec-004"]
    assert set(no_report["status"]) == {NO_PROGRESS_REPORT} and set(no_report["year"]) == {2023}
    assert _codes(behind(session=data, flt=flt, status=IN_PREPARATION)) == ["WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, congress="WCC-2016", status="Completed")) == ["WCC-2016-Res-001"]
    assert list(behind(session=data, flt=flt, congress="WCC-2016", status=NO_PROGRESS_REPORT)["year"]) == [2019]
    assert _codes(behind(session=data, flt=flt, year=2022, status="Not started")) == ["WCC-2020-Rec-004"]
    assert _codes(behind(session=data, flt=flt, theme="Water", status=IN_PREPARATION)) == ["WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=ProgressFilter(themes=("Land",)), status=IN_PREPARATION)) == [
        "WCC-2020-Res-003"]


def test_resolutions_behind_coverage_activity_and_challenge(data):
    behind = progress.resolutions_behind
    flt = ProgressFilter()
    assert _codes(behind(session=data, flt=flt, year=2023, category=IN_PREPARATION)) == ["WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, year=2023, category=NO_PROGRESS_REPORT)) == ["WCC-2020-Rec-004"]
    assert _codes(behind(session=data, flt=flt, year=2022, category=PUBLISHED)) == [
        "WCC-2020-Res-001", "WCC-2020-Res-005", "WCC-2020-Rec-004"]
    assert _codes(behind(session=data, flt=flt, component_kind="Commission")) == [
        "WCC-2020-Res-002", "WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, region=NO_REGION)) == ["WCC-2020-Res-002", "WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, region="Africa")) == ["WCC-2020-Res-001", "WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, action_type="Fundraising")) == [
        "WCC-2020-Res-001", "WCC-2020-Res-003"]
    assert _codes(behind(session=data, flt=flt, challenge="Funding")) == ["WCC-2020-Res-001", "WCC-2020-Res-002"]
    assert behind(session=data, flt=flt, challenge="Security and access").empty  # only a draft names it
