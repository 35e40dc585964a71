"""Searching the register and the detail of one Resolution, on small hand-built data."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session

from db.models import ActivityReport, ActivityReportResolution, ProgressReport
from services.errors import NotFound
from services.register import (
    RegisterFilter,
    congress_options,
    resolution_detail,
    search_resolutions,
    theme_names,
)
from tests import factories


@pytest.fixture
def data(engine):
    with Session(engine) as s:
        focal = factories.user(s, "amina", ("focal_point",))
        other = factories.user(s, "bruno", ("focal_point",))
        member = factories.component(s, "Reef Guardians")
        reporter = factories.user(s, "rosa", ("reporter",), (member,))
        seabed = factories.resolution(s, 122, "WCC-2020", title="Protection of the deep ocean from seabed mining",
                                      themes=("Oceans", "Climate"))
        factories.resolution(s, 133, "WCC-2020", kind="Recommendation", title="Pacific island ocean governance",
                             themes=("Oceans", "People"))
        factories.resolution(s, 9, "WCC-2016", title="Conservation of the Helmeted Hornbill", themes=("Land",),
                             status="archived", archived_on=date(2024, 3, 20))
        factories.resolution(s, 1, "WCC-2025", title="Climate finance for ocean restoration", themes=("Climate",))
        factories.resolution(s, 5, "GA-1994", kind="Recommendation", title="Wetlands of the Sahel",
                             status="archived", archived_on=date(2019, 3, 15))
        factories.assign(s, seabed, focal, date(2021, 11, 10))
        factories.assign(s, seabed, other, date(2022, 2, 1))
        for year, status, state in ((2022, "Initiated", "published"), (2023, "Underway", "published"),
                                    (2024, "Completed", "draft")):
            s.add(ProgressReport(resolution_id=seabed.id, year=year, author_id=focal.id, status=status,
                                 state=state, published_status=status if state == "published" else None,
                                 published_at=datetime(year, 12, 10, tzinfo=UTC) if state == "published" else None))
        for title, state, day in (("Reef survey", "submitted", date(2023, 5, 1)),
                                  ("Draft still private", "draft", None),
                                  ("Ministers briefed", "submitted", date(2024, 2, 1))):
            report = ActivityReport(component_id=member.id, author_id=reporter.id, title=title, state=state,
                                    action_status="Completed", period_start=date(2023, 1, 1),
                                    period_end=date(2023, 4, 30),
                                    submitted_at=datetime.combine(day, datetime.min.time(), UTC) if day else None)
            s.add(report)
            s.flush()
            s.add(ActivityReportResolution(activity_report_id=report.id, resolution_id=seabed.id))
        s.commit()
    return engine


def codes(engine, **kwargs) -> list[str]:
    with Session(engine) as s:
        return list(search_resolutions(session=s, flt=RegisterFilter(**kwargs))["code"])


def test_no_filter_lists_everything_newest_congress_first(data):
    assert codes(data) == ["WCC-2025-Res-001", "WCC-2020-Res-122", "WCC-2020-Rec-133", "WCC-2016-Res-009",
                           "GA-1994-Rec-005"]


def test_search_words_match_title_and_code_case_insensitively(data):
    assert codes(data, q="OCEAN") == ["WCC-2025-Res-001", "WCC-2020-Res-122", "WCC-2020-Rec-133"]
    assert codes(data, q="ocean mining") == ["WCC-2020-Res-122"]  # every word must appear
    assert codes(data, q="wcc-2016") == ["WCC-2016-Res-009"]
    assert codes(data, q="WCC-2020-Res-122") == ["WCC-2020-Res-122"]
    assert codes(data, q="elephants") == []


def test_filter_by_congress(data):
    assert codes(data, congresses=["WCC-2020"]) == ["WCC-2020-Res-122", "WCC-2020-Rec-133"]
    assert codes(data, congresses=["WCC-2016", "GA-1994"]) == ["WCC-2016-Res-009", "GA-1994-Rec-005"]


def test_filter_by_kind(data):
    assert codes(data, kinds=["Recommendation"]) == ["WCC-2020-Rec-133", "GA-1994-Rec-005"]
    assert len(codes(data, kinds=["Resolution", "Recommendation"])) == 5


def test_filter_by_theme(data):
    assert codes(data, themes=["Climate"]) == ["WCC-2025-Res-001", "WCC-2020-Res-122"]
    assert codes(data, themes=["Land", "People"]) == ["WCC-2020-Rec-133", "WCC-2016-Res-009"]  # any of them


def test_filter_by_status(data):
    assert codes(data, status="archived") == ["WCC-2016-Res-009", "GA-1994-Rec-005"]
    assert len(codes(data, status="active")) == 3


def test_filter_by_year_range(data):
    assert codes(data, year_from=2016, year_to=2020) == ["WCC-2020-Res-122", "WCC-2020-Rec-133",
                                                         "WCC-2016-Res-009"]
    assert codes(data, year_to=2000) == ["GA-1994-Rec-005"]
    assert codes(data, year_from=2021) == ["WCC-2025-Res-001"]


def test_combined_filters(data):
    assert codes(data, q="ocean", congresses=["WCC-2020"], kinds=["Resolution"]) == ["WCC-2020-Res-122"]
    assert codes(data, themes=["Oceans"], status="active", year_from=2020, kinds=["Recommendation"]) == [
        "WCC-2020-Rec-133"]
    assert codes(data, q="hornbill", status="active") == []


def test_rows_carry_themes_and_latest_published_status(data):
    with Session(data) as s:
        frame = search_resolutions(session=s, flt=RegisterFilter(congresses=["WCC-2020"])).set_index("code")
    seabed = frame.loc["WCC-2020-Res-122"]
    assert seabed["themes"] == "Climate; Oceans"
    assert (seabed["latest_status"], seabed["latest_year"]) == ("Underway", 2023)  # the 2024 draft is not published
    assert (seabed["congress"], seabed["year"], seabed["kind"], seabed["status"]) == (
        "WCC-2020", 2020, "Resolution", "active")
    other = frame.loc["WCC-2020-Rec-133"]
    assert other["themes"] == "Oceans; People"
    assert other["latest_status"] is None or other["latest_status"] != other["latest_status"]  # None or NaN


def test_congress_options_and_themes(data):
    with Session(data) as s:
        options = congress_options(session=s)
        names = theme_names(session=s)
    assert len(options) == 27 and options.iloc[0]["code"] == "WCC-2025"
    counts = dict(zip(options["code"], options["resolutions"]))
    assert (counts["WCC-2020"], counts["WCC-2016"], counts["GA-1948"]) == (2, 1, 0)
    assert names[:5] == ["People", "Land", "Water", "Oceans", "Climate"]


def test_detail_of_a_resolution(data):
    with Session(data) as s:
        d = resolution_detail(session=s, code="WCC-2020-Res-122")
    assert (d["title"], d["kind"], d["number"], d["status"]) == (
        "Protection of the deep ocean from seabed mining", "Resolution", 122, "active")
    assert (d["congress"]["city"], d["congress"]["year"], d["congress"]["session"]) == ("Marseille", 2020, 7)
    assert d["themes"] == ["Oceans", "Climate"]  # in the order of the theme list
    assert list(d["focal_points"]["name"]) == ["Amina", "Bruno"]
    assert list(d["focal_points"]["since"]) == [date(2021, 11, 10), date(2022, 2, 1)]
    reports = d["progress_reports"]
    assert list(reports["year"]) == [2024, 2023, 2022]
    assert list(reports["state"]) == ["draft", "published", "published"]
    assert list(reports["published_status"].fillna("-")) == ["-", "Underway", "Initiated"]
    assert list(reports["author"]) == ["Amina"] * 3
    activities = d["activity_reports"]
    assert list(activities["title"]) == ["Ministers briefed", "Reef survey"]  # drafts stay private
    assert set(activities["component"]) == {"Reef Guardians"}


def test_detail_of_an_archived_resolution_without_reports(data):
    with Session(data) as s:
        d = resolution_detail(session=s, code="WCC-2016-Res-009")
    assert (d["status"], d["archived_on"]) == ("archived", date(2024, 3, 20))
    assert d["focal_points"].empty and d["progress_reports"].empty and d["activity_reports"].empty


def test_detail_of_an_unknown_code(data):
    with Session(data) as s, pytest.raises(NotFound, match="WCC-2020-Res-999"):
        resolution_detail(session=s, code="WCC-2020-Res-999")


def test_detail_shows_a_corrected_activity_report_once(engine):
    with Session(engine) as s:
        res = factories.resolution(s, 7)
        comp = factories.component(s)
        author = factories.user(s, "author", components=(comp,))
        original = factories.activity_report(s, comp, author, (res,), title="First wording")
        factories.activity_report(s, comp, author, (res,), title="Corrected wording", supersedes=original)
        factories.activity_report(s, comp, author, (res,), title="Unrelated report")
        s.commit()
        detail = resolution_detail(session=s, code=res.code)
    assert sorted(detail["activity_reports"]["title"]) == ["Corrected wording", "Unrelated report"]


def test_detail_keeps_the_original_while_its_correction_is_a_draft(engine):
    with Session(engine) as s:
        res = factories.resolution(s, 8)
        comp = factories.component(s)
        author = factories.user(s, "author", components=(comp,))
        original = factories.activity_report(s, comp, author, (res,), title="First wording")
        factories.activity_report(s, comp, author, (res,), state="draft", title="Correction under way",
                                  supersedes=original)
        s.commit()
        detail = resolution_detail(session=s, code=res.code)
    assert list(detail["activity_reports"]["title"]) == ["First wording"]
