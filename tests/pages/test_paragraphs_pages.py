"""Operative paragraphs on the pages (issue 18), on the demo data: the Resolution page (the Secretariat adds,
edits and deletes; others and visitors read), the paragraphs nobody is working on (Coverage), the import on the
register admin page, the paragraphs an Activity Report addresses and a Progress Report's status per paragraph."""

import pytest
from sqlmodel import Session, func, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportParagraph,
    Component,
    OperativeParagraph,
    ProgressReport,
    ProgressReportParagraph,
    Resolution,
    User,
    UserComponent,
)
from services import progress_reports
from tests.pages.apptest import open_page

CODE = "WCC-2020-Res-122"  # Marseille's seabed mining moratorium: five demo paragraphs, 1 and 4a addressed


def paragraphs_of(app_db, code: str = CODE) -> dict[str, OperativeParagraph]:
    with Session(make_engine(app_db), expire_on_commit=False) as s:
        return {p.number: p for p in s.exec(select(OperativeParagraph).join(Resolution)
                                            .where(Resolution.code == code))}


def texts(at) -> str:
    return "\n".join(str(e.value) for kind in ("text", "markdown", "caption", "success", "error", "info")
                     for e in getattr(at, kind))


def button(at, label: str, nth: int = 0):
    return [b for b in at.button if b.label == label][nth]


# -- the Resolution page ------------------------------------------------------------------------------------
@pytest.mark.parametrize("user", ["reporter", "focal", "leader", None])
def test_others_read_the_paragraphs_and_who_reported_on_each(app_db, user):
    at = open_page("pages/resolution.py", user, {"code": CODE})
    assert not at.exception
    shown = texts(at)
    assert "Operative paragraphs" in [s.value for s in at.subheader]
    for p in paragraphs_of(app_db).values():
        assert p.text in shown
    assert "**Paragraph 4a** · Director General" in shown
    assert "No Activity Report addresses this paragraph yet." in shown  # 2, 3 and 4b
    assert "Addressed by" in shown
    assert not [k for k in at.session_state if str(k).startswith("op_")]  # no editing widget
    assert not [e for e in at.expander if "Edit or delete" in e.label]


def test_a_visitor_sees_only_the_reports_shown_publicly(app_db):
    with Session(make_engine(app_db)) as s:
        hidden = s.exec(select(Component.name, ActivityReport.title)
                        .join(ActivityReportParagraph, ActivityReportParagraph.activity_report_id == ActivityReport.id)
                        .join(OperativeParagraph, OperativeParagraph.id == ActivityReportParagraph.paragraph_id)
                        .join(Resolution, Resolution.id == OperativeParagraph.resolution_id)
                        .join(Component, Component.id == ActivityReport.component_id)
                        .where(Resolution.code == CODE, ActivityReport.shown_publicly == False,  # noqa: E712
                               ActivityReport.state == "submitted")).all()
    at = open_page("pages/resolution.py", None, {"code": CODE})
    assert not at.exception
    lines = "\n".join(t.value for t in at.text)
    assert "Addressed by" in texts(at)  # the Commissions' reports, shown publicly
    assert hidden and not [(name, title) for name, title in hidden if f"{name} · {title}" in lines]


def test_the_secretariat_edits_adds_and_deletes_paragraphs(app_db):
    before = paragraphs_of(app_db)
    at = open_page("pages/resolution.py", "secretariat", {"code": CODE})
    assert not at.exception
    two = before["2"].id
    at.text_area(key=f"op_{two}_text").input("Urges States to adopt precautionary rules for the deep ocean.")
    at.text_input(key=f"op_{two}_addressee").input("Government agencies")
    button(at, "Save paragraph", 1).click().run()
    assert not at.exception, at.exception
    assert "Paragraph saved." in texts(at)
    saved = paragraphs_of(app_db)["2"]
    assert (saved.text, saved.addressee, saved.version) == (
        "Urges States to adopt precautionary rules for the deep ocean.", "Government agencies", 2)

    at.text_input(key="op_new_number").input("5")
    at.text_area(key="op_new_text").input("Decides to review the moratorium at the next Congress.")
    button(at, "Add paragraph").click().run()
    assert not at.exception
    added = paragraphs_of(app_db)["5"]
    assert (added.position, added.addressee) == (6, None)

    at.text_input(key="op_new_number").input("1")  # taken: refused next to the field, nothing written
    at.text_area(key="op_new_text").input("Again.")
    button(at, "Add paragraph").click().run()
    assert any("already has a paragraph 1" in e.value for e in at.error)
    assert len(paragraphs_of(app_db)) == 6

    three = before["3"].id
    button(at, "Delete paragraph", 2).click().run()  # paragraph 3: nobody names it
    assert not at.exception
    assert "3" not in paragraphs_of(app_db) and "Paragraph 3 deleted." in texts(at)
    assert three not in {p.id for p in paragraphs_of(app_db).values()}
    button(at, "Delete paragraph", 0).click().run()  # paragraph 1: Activity Reports name it
    assert any("cannot be deleted" in e.value for e in at.error)
    assert "1" in paragraphs_of(app_db)


# -- Coverage: the paragraphs nobody is working on ----------------------------------------------------------
@pytest.mark.parametrize("user", ["secretariat", "focal"])
def test_coverage_lists_the_paragraphs_nobody_is_working_on(app_db, user):
    at = open_page("pages/coverage.py", user, {"year": "2025", "congress": "WCC-2020"})
    assert not at.exception
    assert "Paragraphs nobody is working on" in [s.value for s in at.subheader]
    idle = next(df.value for df in at.dataframe if list(df.value.columns) == ["code", "title", "number",
                                                                               "addressee", "text"])
    assert list(idle[idle["code"] == CODE]["number"]) == ["2", "3", "4b"]
    at.toggle(key="idle_in_year").set_value(True).run()  # only the reports received in 2025
    assert not at.exception


# -- the import on the register admin page ----------------------------------------------------------------
def test_the_import_replaces_a_resolutions_paragraphs_or_lists_every_problem(app_db):
    at = open_page("pages/register_admin.py", "secretariat")
    assert not at.exception
    bad = b"code,paragraph,addressee,text\nWCC-2020-Res-999,1,States,Text.\nWCC-2020-Res-001,,States,Text.\n"
    at.file_uploader[2].set_value(("paragraphs.csv", bad, "text/csv"))
    button(at, "Check and import the paragraphs").click().run()
    assert not at.exception
    assert "Nothing was imported: 2 problems found" in at.error[0].value
    assert list(at.dataframe[0].value["line"]) == [2, 3]
    good = (b"code,paragraph,addressee,text\nWCC-2016-Res-002,1,Members,Calls on Members to act.\n"
            b"WCC-2016-Res-002,2,,Asks everyone else to help.\n")
    at.file_uploader[2].set_value(("paragraphs.csv", good, "text/csv"))
    button(at, "Check and import the paragraphs").click().run()
    assert not at.exception
    assert at.success[0].value == "Paragraphs imported: 2 added, 0 updated, 0 deleted, 0 unchanged."
    assert sorted(paragraphs_of(app_db, "WCC-2016-Res-002")) == ["1", "2"]


# -- the Activity Report form and the Progress Report editor ----------------------------------------------
def test_the_report_form_offers_the_paragraphs_of_the_chosen_resolutions(app_db):
    at = open_page("pages/report_activity.py", "reporter")
    assert not at.exception
    assert at.multiselect(key="ar_paragraphs").disabled  # no Resolution chosen yet
    with Session(make_engine(app_db)) as s:
        res = s.exec(select(Resolution.id).where(Resolution.code == CODE)).one()
    at.multiselect(key="ar_resolutions").set_value([res]).run()
    box = at.multiselect(key="ar_paragraphs")
    wanted = paragraphs_of(app_db)
    assert set(box.options) == {f"{CODE} ¶ {p.number} ({p.addressee}) · {p.text[:78]}…" if len(p.text) > 80
                                else f"{CODE} ¶ {p.number} ({p.addressee}) · {p.text}" for p in wanted.values()}
    box.set_value([wanted["4b"].id, wanted["2"].id])
    with Session(make_engine(app_db)) as s:
        component = s.exec(select(func.min(UserComponent.component_id)).join(User)
                           .where(User.username == "reporter")).one()
    at.selectbox(key="ar_component").set_value(component)
    at.text_input(key="ar_title").input("Deep-sea knowledge gaps")
    button(at, "Save draft").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(make_engine(app_db)) as s:
        author = s.exec(select(User.id).where(User.username == "reporter")).one()
        report = s.exec(select(ActivityReport.id).where(ActivityReport.author_id == author)
                        .order_by(ActivityReport.id.desc())).first()
        named = set(s.exec(select(ActivityReportParagraph.paragraph_id)
                           .where(ActivityReportParagraph.activity_report_id == report)))
    assert named == {wanted["4b"].id, wanted["2"].id}


def test_the_progress_report_editor_takes_a_status_per_paragraph(app_db):
    year = progress_reports.current_reporting_year()
    with Session(make_engine(app_db)) as s:
        res = s.exec(select(Resolution.id).where(Resolution.code == CODE)).one()
        existing = s.exec(select(ProgressReport.state).where(ProgressReport.resolution_id == res,
                                                             ProgressReport.year == year)).first()
    assert existing in (None, "draft")  # the secretariat may write it
    at = open_page("pages/progress_report.py", "secretariat", {"code": CODE, "year": str(year)})
    assert not at.exception
    wanted = paragraphs_of(app_db)
    prefix = f"pr_{CODE}_{year}_"
    at.selectbox(key=f"{prefix}para_{wanted['4b'].id}").set_value("Initiated")
    button(at, "Save draft").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with Session(make_engine(app_db)) as s:
        report = s.exec(select(ProgressReport.id).where(ProgressReport.resolution_id == res,
                                                        ProgressReport.year == year)).one()
        statuses = dict(s.exec(select(ProgressReportParagraph.paragraph_id, ProgressReportParagraph.status)
                               .where(ProgressReportParagraph.progress_report_id == report)).all())
    assert statuses == {wanted["4b"].id: "Initiated"}
