"""The detail view of one Resolution (pages/resolution.py?code=...) on the demo data."""

import hashlib
import json

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    Component,
    Congress,
    FocalPointAssignment,
    ProgressReport,
    Resolution,
    ResolutionTheme,
    Theme,
    User,
)
from services.register import resolution_detail
from tests.pages.apptest import PASSWORDS, open_page
from ui.format import escape_md

PAGE = "pages/resolution.py"


def facts(app_db, code: str) -> dict:
    """What the database says about one Resolution."""
    with Session(make_engine(app_db)) as s:
        res, congress = s.exec(select(Resolution, Congress).join(Congress).where(Resolution.code == code)).one()
        return {
            "resolution": res,
            "congress": congress,
            "themes": set(s.exec(select(Theme.name).join(ResolutionTheme)
                                 .where(ResolutionTheme.resolution_id == res.id)).all()),
            "focal_points": set(s.exec(select(User.display_name).join(FocalPointAssignment)
                                       .where(FocalPointAssignment.resolution_id == res.id)).all()),
            "report_years": s.exec(select(ProgressReport.year).where(ProgressReport.resolution_id == res.id)
                                   .order_by(ProgressReport.year.desc())).all(),
            "activities": sorted(s.exec(select(ActivityReport.title).join(ActivityReportResolution)
                                     .where(ActivityReportResolution.resolution_id == res.id,
                                            ActivityReport.state == "submitted")).all()),
        }


def texts(at) -> str:
    """Everything written on the page as text or Markdown, in one string."""
    return "\n".join([t.value for t in at.text] + [m.value for m in at.markdown] + [c.value for c in at.caption])


def table_with(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_role_sees_the_detail(app_db, user):
    code = "WCC-2020-Res-001"
    known = facts(app_db, code)
    at = open_page(PAGE, user, {"code": code})
    assert not at.exception
    assert at.header[0].value == escape_md(known["resolution"].title)  # the title as written, never as Markdown
    page = texts(at)
    assert code in page
    assert "Marseille, France (2020)" in page and "World Conservation Congress 7" in page
    assert all(theme in page for theme in known["themes"])
    assert known["focal_points"] and all(name in page for name in known["focal_points"])


def test_progress_reports_by_year_and_activity_reports(app_db):
    code = "WCC-2020-Res-010"
    known = facts(app_db, code)
    assert known["report_years"] and known["activities"]  # the demo data has both for this one
    at = open_page(PAGE, "secretariat", {"code": code})
    reports = table_with(at, "state")
    assert list(reports["year"]) == known["report_years"]
    assert set(reports["state"]) <= {"Draft", "In review", "Published"}
    activities = table_with(at, "component")
    assert sorted(activities["title"]) == known["activities"]
    assert f"{len(known['activities'])} submitted" in texts(at)


def test_status_of_an_archived_resolution(app_db):
    with Session(make_engine(app_db)) as s:
        archived = s.exec(select(Resolution).where(Resolution.status == "archived")
                          .order_by(Resolution.code)).first()
    at = open_page(PAGE, "leader", {"code": archived.code})
    assert not at.exception
    assert "Archived on" in texts(at)
    assert "Active" not in [m.value for m in at.markdown]


def test_real_title_from_the_reference_data(app_db):
    at = open_page(PAGE, "reporter", {"code": "WCC-2016-Res-001"})
    assert at.header[0].value.startswith("Identifying and archiving obsolete Resolutions")


def test_a_resolution_without_reports_or_focal_point(app_db):
    at = open_page(PAGE, "reporter", {"code": "WCC-2000-Res-001"})  # the demo reports on 2016 onwards
    assert not at.exception
    assert "No focal point assigned" in [w.value for w in at.warning]
    assert "No Progress Report yet." in texts(at)
    assert "No Activity Report submitted on this Resolution yet." in texts(at)


def test_unknown_code(app_db):
    at = open_page(PAGE, "reporter", {"code": "WCC-2020-Res-999"})
    assert not at.exception
    assert "There is no Resolution with the code 'WCC-2020-Res-999'" in at.error[0].value
    assert not at.header


def test_no_code(app_db):
    at = open_page(PAGE, "reporter")
    assert not at.exception
    assert "Choose a Resolution in the register" in at.info[0].value


# -- the link to the official text (issue 11, item 17) ---------------------------------------------------

def set_text_url(app_db, code: str, url: str | None) -> None:
    with Session(make_engine(app_db)) as s:
        s.get(Resolution, s.exec(select(Resolution.id).where(Resolution.code == code)).one()).text_url = url
        s.commit()


def markdown_and_captions(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.header])


def test_the_official_text_is_a_link_button(app_db):
    link = "https://portals.iucn.org/library/sites/library/files/resrecfiles/WCC_2020_RES_001_EN.pdf"
    set_text_url(app_db, "WCC-2020-Res-001", link)
    at = open_page(PAGE, "reporter", {"code": "WCC-2020-Res-001"})
    assert not at.exception
    [button] = at.get("link_button")
    assert (button.proto.label, button.proto.url) == ("Read the official text", link)
    assert link not in markdown_and_captions(at)  # a button, not a Markdown link built from user data


def test_no_link_without_a_text_url(app_db):
    set_text_url(app_db, "WCC-2020-Res-001", None)
    at = open_page(PAGE, "reporter", {"code": "WCC-2020-Res-001"})
    assert not at.exception and not at.get("link_button")


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "https://example.org/a\" onclick=\"alert(1)", "//evil.example/x"])
def test_a_link_that_is_not_http_or_https_is_never_rendered(app_db, url):
    """Written into the database by some other way than the import (which refuses them)."""
    set_text_url(app_db, "WCC-2020-Res-001", url)
    at = open_page(PAGE, "secretariat", {"code": "WCC-2020-Res-001"})
    assert not at.exception
    assert not at.get("link_button")
    page = markdown_and_captions(at) + texts(at)
    assert url not in page and "alert(" not in page


def test_an_activity_report_listed_on_the_resolution_opens_in_full(app_db):
    """Issue 11, item 11: the Activity Reports table cut the period and its rows could not be opened."""
    code = "WCC-2020-Res-010"
    at = open_page(PAGE, "reporter", {"code": code})
    table = next(df for df in at.dataframe if "component" in df.value.columns)
    config = json.loads(table.proto.columns)
    assert config["period"]["width"] >= 185  # "01 Aug 2026 – 22 Apr 2027" whole
    with Session(make_engine(app_db)) as s:
        ids = [int(i) for i in resolution_detail(session=s, code=code)["activity_reports"]["id"]]  # as listed
        chosen = s.get(ActivityReport, ids[0])
        component = s.get(Component, chosen.component_id).name
    key = "resolution_activities_" + hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    shown = texts(at)
    assert chosen.description in shown  # the whole text, not only the table's cells
    assert escape_md(component) in shown and f"Report {chosen.id}" in shown
