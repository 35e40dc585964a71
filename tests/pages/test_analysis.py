"""The yearly analysis page on the demo data: the Secretariat writes, saves and publishes the narrative;
leadership and focal points read the published text; Congress and year come from the URL."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from analytics import yearly_analysis as ya
from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    AuditEvent,
    Congress,
    Resolution,
    User,
    YearlyAnalysis,
)
from services import yearly_analysis as service
from services.permissions import Actor
from tests.pages.apptest import deferred_downloads, open_page, reachable

PAGE = "pages/analysis.py"
WHERE = {"congress": "WCC-2020", "year": "2024"}


def _engine(app_db):
    return make_engine(app_db)


def _sections(app_db, congress="WCC-2020", year=2024):
    engine = _engine(app_db)
    with Session(engine) as s:
        result = ya.sections(session=s, congress=congress, year=year)
    engine.dispose()
    return result


def _stored(app_db, congress="WCC-2020", year=2024) -> YearlyAnalysis | None:
    engine = _engine(app_db)
    with Session(engine) as s:
        row = s.exec(select(YearlyAnalysis).join(Congress, Congress.id == YearlyAnalysis.congress_id)
                     .where(Congress.code == congress, YearlyAnalysis.year == year)).first()
    engine.dispose()
    return row


def _publish_as_secretariat(app_db, texts: dict) -> None:
    engine = _engine(app_db)
    with Session(engine) as s:
        user = s.exec(select(User).where(User.username == "secretariat")).one()
        actor = Actor(id=user.id, username=user.username, display_name=user.display_name,
                      roles=frozenset({"secretariat"}))
        service.publish(session=s, actor=actor, congress="WCC-2020", year=2024, narrative=texts, version=None)
        s.commit()
    engine.dispose()


def _subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_reporters_cannot_open_it(app_db):
    assert not reachable(PAGE, "reporter")


@pytest.mark.parametrize("user", ["secretariat", "leader", "focal", "admin"])
def test_each_reader_sees_the_computed_sections_for_the_url_congress_and_year(app_db, user):
    assert reachable(PAGE, user)
    at = open_page(PAGE, user, WHERE)
    assert not at.exception
    assert at.selectbox(key="congress").value == "WCC-2020" and at.selectbox(key="year").value == 2024
    sections = _sections(app_db)
    assert any("7th World Conservation Congress, Marseille 2020" in m.value and "2024" in m.value
               for m in at.markdown)
    assert _subheaders(at) == [f"{n}. {f.label}" for n, f in enumerate(service.NARRATIVE_FIELDS, start=1)]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Resolutions in force"] == f"{sections.headline['resolutions_in_force']:,}"
    assert metrics["Activity Reports received"] == f"{sections.headline['activity_reports']:,}"
    assert len(at.get("plotly_chart")) == 9
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["PDF", "Excel"] and labels.count("CSV") == len(sections.tables)
    writer = user in ("secretariat", "admin")
    assert len(at.text_area) == (len(service.NARRATIVE_FIELDS) if writer else 0)
    if not writer:
        assert "has not published its analysis of 2024 yet" in at.info[0].value


def test_another_congress_and_year_from_the_url(app_db):
    at = open_page(PAGE, "leader", {"congress": "WCC-2016", "year": "2019"})
    assert not at.exception
    assert any("6th World Conservation Congress, Honolulu 2016" in m.value and "2019" in m.value
               for m in at.markdown)
    sections = _sections(app_db, "WCC-2016", 2019)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Resolutions in force"] == f"{sections.headline['resolutions_in_force']:,}"


def _fill(at, **texts):
    for key, value in texts.items():
        at.text_area(key=f"analysis_{key}").input(value)
    return at


def _click(at, label: str):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_secretariat_saves_a_draft_then_publishes_and_leadership_reads_it(app_db):
    at = open_page(PAGE, "secretariat", WHERE)
    _fill(at, key_messages="Most Resolutions moved forward.", status="Forty-two moved forward.")
    at = _click(at, "Save draft")
    assert not at.exception
    row = _stored(app_db)
    assert row.state == "draft" and row.narrative["draft"]["status"] == "Forty-two moved forward."
    assert "Draft saved." in [s.value for s in at.success]
    # leadership does not see a draft
    leader = open_page(PAGE, "leader", WHERE)
    assert "Forty-two moved forward." not in _texts(leader)
    # publish (key messages and recommendations are required)
    _fill(at, recommendations="Fund the follow-up.")
    at = _click(at, "Publish")
    assert not at.exception
    row = _stored(app_db)
    assert (row.state, row.version) == ("published", 2)
    assert row.narrative["published"]["recommendations"] == "Fund the follow-up."
    with Session(_engine(app_db)) as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity == "yearly_analysis")
                         .order_by(AuditEvent.id)).all()
    assert actions == ["save_draft", "publish"]
    for reader in ("leader", "focal"):
        shown = open_page(PAGE, reader, WHERE)
        assert not shown.exception
        assert "Most Resolutions moved forward." in _texts(shown)
        assert "Fund the follow-up." in _texts(shown)
        assert any(c.value.startswith("Published on") for c in shown.caption)


def test_publishing_without_the_required_sections_shows_errors_next_to_them_and_keeps_the_text(app_db):
    at = open_page(PAGE, "secretariat", WHERE)
    _fill(at, status="Some status text.")
    at = _click(at, "Publish")
    assert not at.exception
    assert _stored(app_db) is None  # nothing written
    errors = [e.value for e in at.error]
    # each under its section (ui/write.py: the section's label is right above, not repeated in the message)
    assert "write the key messages before publishing" in errors
    assert "write the recommendations before publishing" in errors
    assert at.text_area(key="analysis_status").value == "Some status text."


def test_a_concurrent_edit_is_refused_and_the_text_kept(app_db):
    at = open_page(PAGE, "secretariat", WHERE)
    _publish_as_secretariat(app_db, {"key_messages": "Someone else's text.", "recommendations": "R."})
    _fill(at, key_messages="My text.")
    at = _click(at, "Save draft")
    assert not at.exception
    assert any("Someone else saved this analysis" in e.value for e in at.error)
    assert at.text_area(key="analysis_key_messages").value == "My text."
    assert _stored(app_db).narrative["draft"]["key_messages"] == "Someone else's text."


def test_the_excel_file_holds_the_published_narrative_and_the_tables_under_their_headers_shown(app_db, monkeypatch):
    """A reader's workbook: the published narrative first, then every table under the headers the page shows."""
    import io
    import json

    from openpyxl import load_workbook

    offered = deferred_downloads(monkeypatch)
    _publish_as_secretariat(app_db, {"key_messages": "Most moved forward.\n=1+1 is no formula.",
                                     "recommendations": "Fund the follow-up."})
    at = open_page(PAGE, "leader", WHERE)
    assert not at.exception
    book = load_workbook(io.BytesIO(offered["yearly_analysis_WCC-2020_2024.xlsx"]()))
    assert book.sheetnames[0] == "Narrative"
    words = [c.value for c in book["Narrative"]["A"] if c.value is not None]
    assert words[0] == "Yearly analysis — Marseille 2020, reporting year 2024"
    assert any(w.startswith("Published by the IUCN Secretariat on") for w in words)
    assert words[words.index("1. Key messages") + 1:][:2] == ["Most moved forward.", "'=1+1 is no formula."]
    assert "Fund the follow-up." in words
    headers = [[c.value for c in book[name][5]] for name in book.sheetnames[1:]]
    assert len(at.dataframe) >= sum(len(names) for names in ya.SECTION_TABLES.values())  # every Data table
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        shown = [config.get(str(key), {}).get("label", key) for key in frame.value.columns]
        assert shown in headers, shown


# -- which analysis opens (issue 11, item 2) ------------------------------------------------------------
def _default(app_db, congress=None):
    engine = _engine(app_db)
    with Session(engine) as s:
        found = service.default_view(session=s, congress=congress)
    engine.dispose()
    return found


def _published_years(app_db, congress):
    engine = _engine(app_db)
    with Session(engine) as s:
        years = ya.published_report_years(session=s, congress=congress)
    engine.dispose()
    return years


def _report_activity_in_2026(app_db, congress="WCC-2020"):
    """What happened walking the cycle: one Activity Report on a Marseille Resolution filed in 2026, a year
    with no published Progress Report on Marseille's Resolutions."""
    engine = _engine(app_db)
    with Session(engine) as s:
        report = s.exec(select(ActivityReport).join(ActivityReportResolution)
                        .join(Resolution, Resolution.id == ActivityReportResolution.resolution_id)
                        .join(Congress, Congress.id == Resolution.congress_id)
                        .where(Congress.code == congress, ActivityReport.state == "submitted")
                        .order_by(ActivityReport.id)).first()
        report.submitted_at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        s.add(report)
        s.commit()
    engine.dispose()


def _chosen(at) -> tuple[str, int]:
    return at.selectbox(key="congress").value, at.selectbox(key="year").value


def test_a_congress_opens_on_its_latest_year_with_published_reports_not_on_a_later_activity_report(app_db):
    """One Activity Report of 2026 on a Marseille Resolution made 2026 (nothing published: 0 % and 137
    "No report") Marseille's default year."""
    _report_activity_in_2026(app_db)
    assert _published_years(app_db, "WCC-2020")[-1] == 2025
    assert _default(app_db, "WCC-2020") == ("WCC-2020", 2025)
    for user in ("leader", "secretariat", "focal"):
        at = open_page(PAGE, user, {"congress": "WCC-2020"})
        assert not at.exception
        assert _chosen(at) == ("WCC-2020", 2025)
        assert not [i for i in at.info if "nothing to analyse" in i.value]


def test_the_page_opens_on_the_latest_published_analysis_for_every_role(app_db):
    assert _default(app_db) == ("WCC-2025", 2026)  # no analysis published yet: the latest reported year
    _publish_as_secretariat(app_db, {"key_messages": "Steady progress.", "recommendations": "Keep going."})
    assert _default(app_db) == ("WCC-2020", 2024)
    assert _default(app_db, "WCC-2020") == ("WCC-2020", 2024)
    assert _default(app_db, "WCC-2025") == ("WCC-2025", 2026)  # a Congress without one: its reported year
    for user in ("leader", "secretariat", "focal", "admin"):
        at = open_page(PAGE, user)
        assert not at.exception
        assert _chosen(at) == ("WCC-2020", 2024)
        assert "Steady progress." in _texts(at)
        assert "congress" not in at.query_params and "year" not in at.query_params  # the defaults


def test_changing_the_congress_opens_that_congress_default_year(app_db):
    _report_activity_in_2026(app_db)  # so Marseille offers 2026, the year chosen for Abu Dhabi
    at = open_page(PAGE, "leader", {"congress": "WCC-2025"})
    assert _chosen(at) == ("WCC-2025", 2026)
    at.selectbox(key="congress").set_value("WCC-2020").run()
    assert not at.exception
    assert _chosen(at) == ("WCC-2020", 2025)
    at.selectbox(key="year").set_value(2023).run()
    at.selectbox(key="congress").set_value("WCC-2016").run()
    assert _chosen(at) == ("WCC-2016", 2020)


@pytest.mark.parametrize("user", ["leader", "secretariat"])
def test_a_year_with_nothing_published_says_so_instead_of_showing_zeros(app_db, user):
    _report_activity_in_2026(app_db)
    at = open_page(PAGE, user, {"congress": "WCC-2020", "year": "2026"})
    assert not at.exception
    assert _chosen(at) == ("WCC-2020", 2026)  # an Activity Report of 2026 makes it a year to offer
    said = [i.value for i in at.info if "nothing to analyse" in i.value]
    assert said == ["No Progress Report on the Resolutions of Marseille 2020 is published for 2026 yet, so there "
                    "is nothing to analyse for this year yet."]
    assert not at.metric and not at.get("plotly_chart")  # no 0 % published, no 137 "No report"
    assert not at.get("download_button")
    at = _click(at, "Show 2025 instead")
    assert not at.exception
    assert _chosen(at) == ("WCC-2020", 2025)
    assert at.metric and not [i for i in at.info if "nothing to analyse" in i.value]
