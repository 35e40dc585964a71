"""Input not saved yet survives a visit to another page (issue 11, ui/unsaved.py): what reached the app from the
Activity Report form (a refused Submit) or the Progress Report editor is there again when the user comes back,
and the form says so; never for another report. AppTest on a copy of the demo data."""

from tests.pages.apptest import open_page
from tests.pages.test_progress_report_page import YEAR, pick
from tests.pages.test_report_activity import components_of, ids_of

ACTIVITY = "pages/report_activity.py"
PROGRESS = "pages/progress_report.py"
KEPT_NOTE = "Save a draft before you leave this page"
BACK = "Your unsaved changes are back, as you left them."


def _text(at, key):
    return next(w for w in [*at.text_input, *at.text_area] if w.key == key)


def test_a_refused_activity_report_comes_back_as_sent_after_another_page(app_db):
    at = open_page(ACTIVITY, "reporter")
    assert any(KEPT_NOTE in c.value for c in at.caption)
    _text(at, "ar_title").input("Mangrove nursery in Guayas")
    _text(at, "ar_description").input("Two thousand seedlings planted with the fishers' association.")
    [submit] = [b for b in at.button if b.label == "Submit"]
    submit.click().run()
    assert at.error  # no Resolution chosen, and more: refused, the form kept as sent
    at.switch_page("pages/my_reports.py").run()
    assert not at.exception and not [w for w in at.text_input if w.key == "ar_title"]
    at.switch_page(ACTIVITY).run()
    assert not at.exception
    assert _text(at, "ar_title").value == "Mangrove nursery in Guayas"
    assert _text(at, "ar_description").value.startswith("Two thousand seedlings")
    assert [i.value for i in at.info if i.value == BACK]


def test_kept_input_is_forgotten_once_the_draft_is_saved(app_db):
    at = open_page(ACTIVITY, "reporter")
    at.selectbox(key="ar_component").set_value(min(components_of(app_db, "reporter")))
    at.multiselect(key="ar_resolutions").set_value(ids_of(app_db, "WCC-2025-Res-010"))
    _text(at, "ar_title").input("Saved before leaving")
    [draft] = [b for b in at.button if b.label == "Save draft"]
    draft.click().run()
    assert not at.exception and not at.error
    at.switch_page("pages/my_reports.py").run()
    at.switch_page(ACTIVITY)
    at.query_params.pop("id", None)  # by the sidebar, as a browser does: a new form, nothing brought back
    at.run()
    assert not at.exception
    assert _text(at, "ar_title").value == ""
    assert not [i for i in at.info if i.value == BACK]


def test_input_comes_back_only_for_the_report_it_was_typed_into(app_db):
    at = open_page(ACTIVITY, "reporter")
    _text(at, "ar_title").input("Typed into a new report")
    [submit] = [b for b in at.button if b.label == "Submit"]
    submit.click().run()
    at.switch_page("pages/my_reports.py").run()
    at.switch_page(ACTIVITY)
    at.query_params["from"] = str(_a_report_of(app_db, "reporter"))  # another report: loaded as stored
    at.run()
    assert not at.exception
    assert _text(at, "ar_title").value != "Typed into a new report"
    assert not [i for i in at.info if i.value == BACK]


def _a_report_of(app_db, username) -> int:
    from sqlmodel import Session, select

    from db.engine import make_engine
    from db.models import ActivityReport, User, UserComponent

    with Session(make_engine(app_db)) as s:
        components = select(UserComponent.component_id).join(User).where(User.username == username)
        return s.exec(select(ActivityReport.id).where(ActivityReport.component_id.in_(components),
                                                      ActivityReport.state == "submitted")).first()


def test_the_progress_report_editor_comes_back_with_its_text_and_the_sources_ticked(app_db):
    """The editor used to come back empty after another page (its widgets forgotten, the report marked loaded),
    and a save then blanked the report. Now: the text as loaded, the source ticked outside the form as left."""
    code = pick(app_db, state="draft", sources=1)  # the focal point's own draft with an Activity Report to cite
    at = open_page(PROGRESS, "focal", {"code": code, "year": str(YEAR)})
    assert not at.exception
    loaded = next(w for w in at.text_area if w.key.endswith("_summary")).value
    assert loaded
    [source, *_] = [c for c in at.checkbox if "_src_" in (c.key or "")]
    ticked = {source.key: not source.value}
    source.set_value(not source.value).run()
    at.switch_page("pages/my_resolutions.py").run()
    assert not at.exception
    at.switch_page(PROGRESS)
    at.query_params.update({"code": code, "year": str(YEAR)})
    at.run()
    assert not at.exception
    assert next(w for w in at.text_area if w.key.endswith("_summary")).value == loaded
    assert {c.key: c.value for c in at.checkbox if c.key in ticked} == ticked
    assert [i.value for i in at.info if i.value == BACK]
