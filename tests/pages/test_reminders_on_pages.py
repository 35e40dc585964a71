"""Issue 15 on the existing pages, on the demo data: "nothing to report" in one click on My Resolutions (focal
point) and My reports (component), undoable, shown distinctly on Coverage; "Remind now" and the last reminder of
each missing report on Coverage (the Secretariat's; a focal point sees no button)."""

from datetime import date

from sqlmodel import Session, select

from db.engine import make_engine
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    FocalPointAssignment,
    NothingToReport,
    ProgressReport,
    Resolution,
    SentReminder,
    User,
    UserComponent,
)
from tests.pages.apptest import open_page

YEAR = date.today().year


def _focal_open_resolution(app_db) -> str:
    """A Resolution assigned to the demo focal point with no Progress Report for this year."""
    with Session(make_engine(app_db)) as s:
        focal = s.exec(select(User).where(User.username == "focal")).one()
        written = select(ProgressReport.resolution_id).where(ProgressReport.year == YEAR)
        return s.exec(select(Resolution.code).join(FocalPointAssignment)
                      .where(FocalPointAssignment.user_id == focal.id, Resolution.id.not_in(written))
                      .order_by(Resolution.code)).first()


def statements(app_db) -> list[tuple]:
    with Session(make_engine(app_db)) as s:
        return [(r.code, n.component_id, n.reason) for n, r in
                s.exec(select(NothingToReport, Resolution).join(Resolution)).all()]


def test_a_focal_point_says_nothing_to_report_in_one_click_and_undoes_it(app_db):
    code = _focal_open_resolution(app_db)
    assert code, "the demo focal point has a Resolution to write"
    at = open_page("pages/my_resolutions.py", "focal", {"year": str(YEAR)})
    assert not at.exception
    at.text_input(key=f"ntr_{code}_focal_reason").input("The project ended in 2025")
    at.button(key=f"ntr_{code}_focal_confirm").click().run()
    assert not at.exception
    assert statements(app_db) == [(code, None, "The project ended in 2025")]
    assert any("nothing to report" in s.value.lower() for s in at.success)
    assert any("Nothing to report: The project ended in 2025" in c.value for c in at.caption)

    congress = "-".join(code.split("-")[:2])  # WCC-2020-Res-010: WCC-2020
    coverage = open_page("pages/coverage.py", "focal", {"year": str(YEAR), "congress": congress})
    assert not coverage.exception
    assert {m.label: m.value for m in coverage.metric}["Nothing to report"] == "1"

    at.button(key=f"ntr_{code}_focal_undo").click().run()
    assert not at.exception and statements(app_db) == []


def test_a_component_says_nothing_to_report_on_what_it_reported_last_year(app_db):
    with Session(make_engine(app_db)) as s:
        reporter = s.exec(select(User).where(User.username == "reporter")).one()
        mine = s.exec(select(UserComponent.component_id).where(UserComponent.user_id == reporter.id)).all()
        reported = s.exec(select(ActivityReport.component_id, Resolution.code, ActivityReport.submitted_at)
                          .join(ActivityReportResolution,
                                ActivityReportResolution.activity_report_id == ActivityReport.id)
                          .join(Resolution, Resolution.id == ActivityReportResolution.resolution_id)
                          .where(ActivityReport.component_id.in_(mine), ActivityReport.state == "submitted")).all()
    last = {(c, code) for c, code, at in reported if at and at.year == YEAR - 1}
    this = {(c, code) for c, code, at in reported if at and at.year == YEAR}
    owed = sorted(last - this)
    at = open_page("pages/my_reports.py", "reporter")
    assert not at.exception
    assert owed, "the demo reporter's components reported on some Resolutions last year only"
    component_id, code = owed[0]
    assert any(f"Reported on in {YEAR - 1}, not yet in {YEAR}" in e.label for e in at.expander)
    at.button(key=f"ntr_{code}_{component_id}_confirm").click().run()
    assert not at.exception
    assert statements(app_db) == [(code, component_id, None)]
    at.button(key=f"ntr_{code}_{component_id}_undo").click().run()
    assert statements(app_db) == []


def test_the_secretariat_reminds_now_and_sees_when_the_last_reminder_went(app_db):
    at = open_page("pages/coverage.py", "secretariat", {"year": str(YEAR), "congress": "WCC-2025"})
    assert not at.exception
    remind = at.button(key="remind_now")
    assert remind.disabled  # nothing selected yet
    table = at.dataframe(key="missing_table")
    missing = table.value
    assert missing["last_reminded_at"].isna().all()
    codes = list(missing["code"][:2])
    at.session_state["missing_table"] = {"selection": {"rows": [0, 1], "columns": []}}
    at.run()
    at.button(key="remind_now").click().run()
    assert not at.exception
    with Session(make_engine(app_db)) as s:
        reminded = s.exec(select(SentReminder).where(SentReminder.rule_id.is_(None))).all()
    assert reminded and all(r.year == YEAR for r in reminded)
    assert any("queued" in s.value for s in at.success)
    after = at.dataframe(key="missing_table").value
    shown = dict(zip(after["code"], after["last_reminded_at"]))
    assert all(shown[c] is not None and str(shown[c]) != "NaT" for c in codes if c in shown)


def test_a_focal_point_sees_coverage_without_the_remind_button(app_db):
    at = open_page("pages/coverage.py", "focal", {"year": str(YEAR)})
    assert not at.exception
    assert not [b for b in at.button if b.key == "remind_now"]


def test_an_unsubscribe_link_works_signed_out_and_a_forged_one_is_refused(app_db):
    from db.settings import load_settings
    from services import mail_preferences
    from tests.pages.apptest import signed_in_app

    with Session(make_engine(app_db)) as s:
        focal = s.exec(select(User).where(User.username == "focal")).one()
    token = mail_preferences.unsubscribe_token(load_settings(), focal.id, "reminders")
    at = signed_in_app(None)
    at.query_params["unsubscribe"] = token
    at.run()
    assert not at.exception and not at.success
    assert "“Reminders of reporting deadlines”" in at.markdown[0].value  # it asks first: scanners open links
    with Session(make_engine(app_db)) as s:
        assert mail_preferences.delivery(s, focal.id, "reminders") != "off"
    [stop] = [b for b in at.button if b.label == "Stop these mails"]
    stop.click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["You will no longer receive “Reminders of reporting deadlines” mails."]
    assert not [b for b in at.button if b.label == "Stop these mails"]
    with Session(make_engine(app_db)) as s:
        assert mail_preferences.delivery(s, focal.id, "reminders") == "off"
    [back] = [b for b in at.button if b.label == "Back to the Resolutions Tracker"]
    back.click().run()  # back to the app: the sign-in screen
    assert not at.exception and "unsubscribe" not in at.query_params

    forged = signed_in_app(None)
    forged.query_params["unsubscribe"] = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    forged.run()
    assert not forged.exception
    assert [e.value.replace("\\", "") for e in forged.error] == [mail_preferences.BAD_TOKEN]
