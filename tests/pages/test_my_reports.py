"""The 'My reports' page, driven with AppTest on a copy of the demo data, for every role."""

import io
import json
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select
from streamlit.runtime.media_file_manager import MediaFileManager

import services.tabular
from db.engine import make_engine
from db.models import ActivityReport, ActivityReportResolution, Resolution, User, UserComponent
from tests.pages.apptest import open_page, reachable

PAGE = "pages/my_reports.py"


def db(app_db) -> Session:
    return Session(make_engine(app_db), expire_on_commit=False)


def reports_of(app_db, username) -> dict[int, ActivityReport]:
    """The demo reports of the user's components, or written by them."""
    with db(app_db) as s:
        user = s.exec(select(User).where(User.username == username)).one()
        comps = set(s.exec(select(UserComponent.component_id).where(UserComponent.user_id == user.id)))
        rows = s.exec(select(ActivityReport).where(
            ActivityReport.component_id.in_(comps or {-1}) | (ActivityReport.author_id == user.id))).all()
        return {r.id: r for r in rows}


def table(at) -> pd.DataFrame:
    return at.dataframe[0].value


def select_row(at, report_id: int):
    """Select the table row of a report, as a click would."""
    position = list(table(at)["Report"]).index(report_id)
    state = {"selection": {"rows": [position], "columns": [], "cells": []}}
    table_round = at.session_state["mr_round"] if "mr_round" in at.session_state else 0
    at.session_state[f"my_reports_table_{table_round}"] = state
    return at.run()


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat"])
def test_each_role_sees_exactly_the_reports_of_its_components(app_db, user):
    at = open_page(PAGE, user)
    assert not at.exception
    expected = reports_of(app_db, user)
    shown = table(at) if at.dataframe else pd.DataFrame({"Report": []})
    assert set(shown["Report"]) == set(expected)
    if expected:
        assert list(shown.columns[:8]) == ["Report", "Title", "State", "Resolutions", "Period", "Last change",
                                           "Language", "Cited in Progress Reports"]


def test_admin_sees_the_page_and_leader_cannot_reach_it(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    assert at.title[0].value.endswith("My reports")
    assert not reachable(PAGE, "leader")
    assert reachable(PAGE, "admin")


def test_state_year_and_resolution_filters(app_db):
    mine = reports_of(app_db, "reporter")
    at = open_page(PAGE, "reporter")
    at.segmented_control(key="state").set_value("returned").run()
    assert not at.exception
    assert at.query_params["state"] == "returned"  # the filtered view can be shared
    returned = [r for r in mine.values() if r.state == "returned"]
    assert list(table(at)["Report"]) == [r.id for r in returned]
    assert "Could you add the number of people trained" in table(at)["Return comment"].iloc[0]

    at.segmented_control(key="state").set_value(None)
    at.selectbox(key="year").set_value("2018").run()
    expected = {r.id for r in mine.values() if r.period_start and r.period_start.year <= 2018
                and (r.period_end or r.period_start).year >= 2018}
    assert set(table(at)["Report"]) == expected and expected

    with db(app_db) as s:
        code, wanted = s.exec(
            select(Resolution.code, ActivityReportResolution.activity_report_id)
            .join(ActivityReportResolution).where(ActivityReportResolution.activity_report_id.in_(mine))
        ).first()
        on_code = set(s.exec(select(ActivityReportResolution.activity_report_id).join(Resolution)
                             .where(Resolution.code == code)))
    at.selectbox(key="year").set_value("")
    at.selectbox(key="resolution").set_value(code).run()
    assert set(table(at)["Report"]) == on_code & set(mine) and wanted in set(table(at)["Report"])
    assert all(code in cell for cell in table(at)["Resolutions"])


def test_cited_reports_show_their_progress_reports_and_offer_a_new_version(app_db):
    mine = reports_of(app_db, "reporter")
    locked = next(r for r in mine.values() if r.locked)
    at = open_page(PAGE, "reporter")
    row = table(at)[table(at)["Report"] == locked.id].iloc[0]
    assert row["State"] == "Submitted (cited, locked)" and row["Cited in Progress Reports"]
    at = select_row(at, locked.id)
    assert not at.exception
    assert "Cited in the published Progress Reports of" in at.success[0].value
    next(b for b in at.button if b.label == "Correct (new version)").click().run()
    assert not at.exception
    with db(app_db) as s:
        copy = s.exec(select(ActivityReport).where(ActivityReport.supersedes_id == locked.id)).one()
        assert (copy.state, copy.title) == ("draft", locked.title)
        assert s.get(ActivityReport, locked.id).state == "submitted"


def test_withdraw_a_submitted_report(app_db):
    mine = reports_of(app_db, "reporter")
    target = next(r for r in mine.values() if r.state == "submitted" and not r.locked)
    at = select_row(open_page(PAGE, "reporter"), target.id)
    labels = {link.label for link in at.get("page_link")}
    assert "Start a new report from this one" in labels and "Open to edit" not in labels
    next(b for b in at.button if b.label == "Withdraw to edit").click().run()
    assert not at.exception
    assert "back to draft" in at.success[0].value
    assert not [b for b in at.button if b.label == "Withdraw to edit"]  # the selection was cleared
    with db(app_db) as s:
        assert s.get(ActivityReport, target.id).state == "draft"


def test_drafts_offer_editing(app_db):
    draft = next(r for r in reports_of(app_db, "reporter").values() if r.state == "draft")
    at = select_row(open_page(PAGE, "reporter"), draft.id)
    links = {link.label: link for link in at.get("page_link")}
    assert "Open to edit" in links
    assert not [b for b in at.button if b.label == "Withdraw to edit"]


def test_exports_contain_exactly_what_the_table_shows(app_db, monkeypatch):
    offered = {}  # the latest file builders the page offered, by file name: called here, as a click would
    real = MediaFileManager.add_deferred
    real_csv, real_excel = services.tabular.csv_bytes, services.tabular.excel_bytes

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        offered[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    def building(*args):
        raise AssertionError("a file was built during the run, not on the click")

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    monkeypatch.setattr(services.tabular, "csv_bytes", building)
    monkeypatch.setattr(services.tabular, "excel_bytes", building)
    at = open_page(PAGE, "reporter")
    assert not at.exception  # the run offered both files without building them
    monkeypatch.setattr(services.tabular, "csv_bytes", real_csv)
    monkeypatch.setattr(services.tabular, "excel_bytes", real_excel)
    at.run()
    assert_exports_match(at, offered)
    at.segmented_control(key="state").set_value("returned").run()  # a filtered table: filtered exports
    assert len(table(at)) == 1
    assert_exports_match(at, offered)
    assert {b.label for b in at.get("download_button")} == {"CSV", "Excel"}
    assert all(b.proto.deferred_file_id for b in at.get("download_button"))


def assert_exports_match(at, offered):
    """The CSV holds the table as shown (dates as ISO dates); the workbook says what it holds and under which
    filters, then the same headers and rows, the report number a number and the last change a date."""
    assert not at.exception
    shown = table(at)
    made = {"csv": offered["my-activity-reports.csv"](), "xlsx": offered["my-activity-reports.xlsx"]()}
    from_csv = pd.read_csv(io.BytesIO(made["csv"]), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(from_csv.columns) == list(shown.columns)
    pd.testing.assert_frame_equal(from_csv.reset_index(drop=True), shown.astype(str).reset_index(drop=True),
                                  check_dtype=False)
    sheet = load_workbook(io.BytesIO(made["xlsx"]))["My reports"]
    assert sheet["A1"].value.startswith("Activity Reports of ") and sheet["A2"].value.startswith("Generated on ")
    state = at.segmented_control(key="state").value
    assert sheet["A3"].value == ("Filters: State: Returned" if state == "returned" else "Filters: none")
    header, *rows = sheet.iter_rows(min_row=5, values_only=True)
    assert list(header) == list(shown.columns)
    expected = [[None if value == "" else value for value in row] for row in shown.itertuples(index=False)]
    assert [[value.date() if isinstance(value, datetime) else value for value in row] for row in rows] == expected
    assert all(isinstance(row[0], int) for row in rows)


def test_a_returned_report_says_what_to_do_next_and_shows_each_citation_with_its_state(app_db):
    """Issue 11, item 8: no green "cited ... (in preparation)" beside the return comment; the next step instead."""
    at = open_page(PAGE, "reporter")
    rows = table(at)
    returned = rows[(rows["State"] == "Returned") & rows["Cited in Progress Reports"].str.contains("in preparation")]
    assert not returned.empty  # the demo data has one
    row = returned.iloc[0]
    at = select_row(at, int(row["Report"]))
    assert not at.exception
    assert "Returned to you: read the comment, open the report" in at.info[0].value
    assert "Returned with this comment" in at.warning[0].value
    assert not at.success  # nothing there says "done"
    captions = "\n".join(c.value for c in at.caption)
    assert "still in preparation" in captions
    preparing = row["Cited in Progress Reports"].split("; ")[0].replace(", in preparation)", ")")
    assert preparing.replace("(", "\\(").replace(")", "\\)") in captions or preparing in captions.replace("\\", "")


def test_every_column_fits_at_1440_px_and_the_selected_report_reads_in_full(app_db):
    """Issue 11, item 11: the last columns were off-screen; long cells are read whole in the report's panel."""
    at = open_page(PAGE, "reporter")
    config = {k: c for k, c in json.loads(at.dataframe[0].proto.columns).items() if not c.get("hidden")}
    widths = [c.get("width") for c in config.values()]
    assert all(isinstance(w, int) for w in widths), config
    assert sum(widths) + 35 <= 980  # the selection boxes too, within the main column of a 1440 px window
    rows = table(at)
    row = rows[rows["Return comment"] != ""].iloc[0]
    at = select_row(at, int(row["Report"]))
    panel = "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning])
    flat = panel.replace("\\", "")
    for text in (row["Title"], row["Resolutions"], row["Period"], row["Return comment"]):
        assert text in flat, text
