"""Activity Reports service: drafts, submission, validation, workflow, visibility, locking, audit."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from db.models import (
    ActivityReport,
    ActivityReportActionType,
    ActivityReportResolution,
    AuditEvent,
    ProgressReport,
    ProgressReportSource,
    ReviewComment,
    User,
    UserComponent,
)
from services import activity_reports as ar
from services.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from tests import factories as f

TODAY = date(2026, 6, 15)


@pytest.fixture
def world(engine):
    """Two components with a reporter each, a focal point assigned to Resolution 1, others unassigned."""
    with Session(engine, expire_on_commit=False) as s:
        mine = f.component(s, "Andes Trust")
        other = f.component(s, "Sahel Alliance", region="Africa", country="Niger")
        res1 = f.resolution(s, 1, title="Protecting coral reefs")
        res2 = f.resolution(s, 2, title="Restoring peatlands")
        old = f.resolution(s, 3, congress_code="WCC-2016", title="Archived one", status="archived",
                           archived_on=date(2024, 1, 1))
        users = {
            "reporter": f.user(s, "rosa", ("reporter",), (mine,)),
            "colleague": f.user(s, "carl", ("reporter",), (mine,)),
            "outsider": f.user(s, "otto", ("reporter",), (other,)),
            "focal": f.user(s, "fay", ("focal_point",)),
            "unassigned_focal": f.user(s, "ugo", ("focal_point",)),
            "secretariat": f.user(s, "sam", ("secretariat",)),
            "leader": f.user(s, "lea", ("leadership",)),
            "admin": f.user(s, "ada", ("admin",)),
            "multi": f.user(s, "max", ("reporter",), (mine, other)),
        }
        f.assign(s, res1, users["focal"])
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, "mine": mine.id, "other": other.id, "res1": res1.id, "res2": res2.id,
            "old": old.id, **actors}


def full_input(w, **changes) -> ar.ActivityInput:
    data = ar.ActivityInput(
        component_id=w["mine"], resolution_ids=[w["res1"], w["res2"]], title="Reef workshops",
        description="Three workshops for reef managers.", action_types=["Capacity-building", "Field activities"],
        action_status="Completed", period_start=date(2026, 1, 10), period_end=date(2026, 3, 1),
        scope_global=False, scope_regions=["Meso and South America"], scope_countries=["Peru", "Chile"],
        partners="Ministry of Environment", results="60 managers trained", challenges="Funding",
        support_needed="Trainers", links=["https://example.org/reefs"],
    )
    return replace(data, **changes)


def call(engine, fn, **kwargs):
    with Session(engine, expire_on_commit=False) as s:
        result = fn(session=s, **kwargs)
        s.commit()
        return result


def submitted(w, actor="reporter", **changes) -> ActivityReport:
    return call(w["engine"], ar.submit, actor=w[actor], data=full_input(w, **changes), today=TODAY)


def events(engine, report_id) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity == "activity_report",
                                                    AuditEvent.entity_id == str(report_id))
                           .order_by(AuditEvent.id)))


# -- create, draft, submit ---------------------------------------------------------------------------
def test_submit_stores_every_field_and_audits(world):
    w = world
    report = submitted(w)
    with Session(w["engine"]) as s:
        row = s.get(ActivityReport, report.id)
        assert (row.state, row.title, row.author_id, row.component_id) == ("submitted", "Reef workshops",
                                                                           w["reporter"].id, w["mine"])
        assert row.submitted_at is not None and row.version == 1
        assert row.scope_countries == ["Peru", "Chile"] and row.scope_regions == ["Meso and South America"]
        assert row.links == ["https://example.org/reefs"] and row.partners == "Ministry of Environment"
        assert (row.period_start, row.period_end, row.action_status) == (date(2026, 1, 10), date(2026, 3, 1),
                                                                         "Completed")
        assert sorted(s.exec(select(ActivityReportResolution.resolution_id)
                             .where(ActivityReportResolution.activity_report_id == row.id))) == \
            sorted([w["res1"], w["res2"]])
        assert sorted(s.exec(select(ActivityReportActionType.action_type))) == ["Capacity-building",
                                                                               "Field activities"]
    [event] = events(w["engine"], report.id)
    assert event.action == "submit" and event.user_id == w["reporter"].id and event.before is None
    assert event.after["title"] == "Reef workshops" and event.after["state"] == "submitted"
    assert event.after["resolutions"] == ["WCC-2020-Res-001", "WCC-2020-Res-002"]


def test_draft_needs_only_a_resolution_and_a_title(world):
    w = world
    data = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="  Idea  ")
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=data)
    assert draft.state == "draft" and draft.title == "Idea" and draft.submitted_at is None
    assert events(w["engine"], draft.id)[0].action == "create"

    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], ar.save_draft, actor=w["reporter"], data=ar.ActivityInput(component_id=w["mine"]))
    assert {e.field for e in caught.value.errors} == {"resolution_ids", "title"}


def test_save_draft_then_submit_it_records_what_changed(world):
    w = world
    data = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Idea")
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=data)
    edited = call(w["engine"], ar.save_draft, actor=w["colleague"], report_id=draft.id, version=1,
                  data=replace(data, title="Better idea", resolution_ids=[w["res2"]]))
    assert edited.version == 2
    done = call(w["engine"], ar.submit, actor=w["reporter"], report_id=draft.id, version=2,
                data=full_input(w), today=TODAY)
    assert done.state == "submitted" and done.version == 3
    update, submit = events(w["engine"], draft.id)[1:]
    assert update.action == "update" and update.user_id == w["colleague"].id
    assert update.before == {"title": "Idea", "resolutions": ["WCC-2020-Res-001"]}
    assert update.after == {"title": "Better idea", "resolutions": ["WCC-2020-Res-002"]}
    assert submit.action == "submit" and submit.before["state"] == "draft"
    assert submit.after["state"] == "submitted" and "description" in submit.after


# -- validation: every rule, all at once ---------------------------------------------------------------
@pytest.mark.parametrize("changes, field, words", [
    ({"period_start": date(2026, 5, 1), "period_end": date(2026, 4, 1)}, "period_end", "before the start"),
    ({"action_status": "Completed", "period_end": date(2026, 7, 1)}, "period_end", "future"),
    ({"action_status": "Completed", "period_end": None}, "period_end", "end date"),
    ({"description": "   "}, "description", "Describe"),
    ({"links": ["www.example.org"]}, "links", "Line 1"),
    ({"links": ["https://ok.example.org", "ftp://files.example.org/x"]}, "links", "Line 2"),
    ({"title": "x" * (ar.LIMITS["title"] + 1)}, "title", "at most 200"),
    ({"description": "x" * (ar.LIMITS["description"] + 1)}, "description", "Too long"),
    ({"results": "x" * (ar.LIMITS["results"] + 1)}, "results", "Too long"),
    ({"resolution_ids": []}, "resolution_ids", "at least one Resolution"),
    ({"action_types": []}, "action_types", "at least one action type"),
    ({"action_types": ["Dancing"]}, "action_types", "from the list"),
    ({"action_status": None}, "action_status", "action status"),
    ({"period_start": None}, "period_start", "start date"),
    ({"scope_global": False, "scope_regions": [], "scope_countries": []}, "scope", "Global"),
    ({"scope_countries": ["Atlantis"]}, "scope", "countries"),
    ({"component_id": None}, "component_id", "component"),
])
def test_submit_refuses_each_problem_next_to_its_field(world, changes, field, words):
    w = world
    with pytest.raises(ValidationFailed) as caught:
        submitted(w, **changes)
    messages = caught.value.for_field(field)
    assert messages and any(words in m for m in messages), caught.value.errors
    with Session(w["engine"]) as s:
        assert s.exec(select(ActivityReport)).first() is None


def test_every_problem_is_reported_at_once(world):
    w = world
    bad = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="T",
                           period_start=date(2026, 5, 1), period_end=date(2026, 4, 1), links=["nope"])
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], ar.submit, actor=w["reporter"], data=bad, today=TODAY)
    assert {e.field for e in caught.value.errors} == {
        "description", "action_types", "action_status", "period_end", "scope", "links"}
    # the same draft may be saved once its format problems are fixed, incomplete as it is
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"],
                 data=replace(bad, period_end=None, links=[]))
    assert draft.state == "draft"


def test_completed_ending_today_and_planned_in_the_future_are_fine(world):
    w = world
    assert submitted(w, period_end=TODAY).state == "submitted"
    planned = submitted(w, action_status="Planned", period_start=date(2027, 1, 1), period_end=None)
    assert planned.period_end is None


# -- permissions -------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["leader"])
def test_roles_that_may_not_report(world, who):
    with pytest.raises(PermissionDenied):
        submitted(world, actor=who)


def test_a_reporter_cannot_report_for_another_component(world):
    w = world
    with pytest.raises(PermissionDenied):
        submitted(w, component_id=w["other"])
    assert submitted(w, actor="multi", component_id=w["other"]).component_id == w["other"]
    assert [cid for cid, _ in call(w["engine"], ar.reporting_components, actor=w["multi"])] == \
        sorted([w["mine"], w["other"]], key=lambda cid: {w["mine"]: "Andes", w["other"]: "Sahel"}[cid])


def test_drafts_are_seen_and_changed_only_by_their_component(world):
    w = world
    data = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Secret plan")
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=data)
    for who in ("outsider", "focal", "secretariat", "leader"):
        with pytest.raises(NotFound):
            call(w["engine"], ar.get_report, actor=w[who], report_id=draft.id)
    with pytest.raises(NotFound):
        call(w["engine"], ar.save_draft, actor=w["outsider"], report_id=draft.id, version=1,
             data=replace(data, component_id=w["other"]))
    with pytest.raises(PermissionDenied):
        call(w["engine"], ar.save_draft, actor=w["leader"], report_id=draft.id, version=1, data=data)
    assert call(w["engine"], ar.get_report, actor=w["colleague"], report_id=draft.id).editable
    assert call(w["engine"], ar.get_report, actor=w["admin"], report_id=draft.id).data.title == "Secret plan"
    assert call(w["engine"], ar.my_reports, actor=w["outsider"]).empty
    assert list(call(w["engine"], ar.my_reports, actor=w["colleague"])["title"]) == ["Secret plan"]


def test_submitted_reports_are_visible_to_others_read_only(world):
    w = world
    report = submitted(w)
    view = call(w["engine"], ar.get_report, actor=w["outsider"], report_id=report.id)
    assert view.data.title == "Reef workshops"
    assert not view.editable and view.return_comment is None
    with pytest.raises(PermissionDenied):
        call(w["engine"], ar.withdraw, actor=w["outsider"], report_id=report.id, version=1)


# -- workflow ----------------------------------------------------------------------------------------
def test_withdraw_puts_a_submitted_report_back_to_draft(world):
    w = world
    report = submitted(w)
    back = call(w["engine"], ar.withdraw, actor=w["colleague"], report_id=report.id, version=1)
    assert (back.state, back.submitted_at, back.version) == ("draft", None, 2)
    event = events(w["engine"], report.id)[-1]
    assert (event.action, event.before, event.after) == ("withdraw", {"state": "submitted"}, {"state": "draft"})
    with pytest.raises(ConflictError):
        call(w["engine"], ar.withdraw, actor=w["reporter"], report_id=report.id, version=2)


def test_return_with_comment_then_resubmit(world):
    w = world
    report = submitted(w)
    note = call(w["engine"], ar.return_report, actor=w["focal"], report_id=report.id, version=1,
                comment="Please add the number of people trained.")
    with Session(w["engine"]) as s:
        stored = s.get(ReviewComment, note.id)
        assert (stored.target_kind, stored.target_id, stored.action, stored.author_id) == (
            "activity_report", report.id, "returned", w["focal"].id)
        assert s.get(ActivityReport, report.id).state == "returned"
    view = call(w["engine"], ar.get_report, actor=w["reporter"], report_id=report.id)
    assert view.editable and view.return_comment["body"] == "Please add the number of people trained."
    mine = call(w["engine"], ar.my_reports, actor=w["reporter"])
    assert mine.loc[0, "return_comment"] == "Please add the number of people trained."
    assert events(w["engine"], report.id)[-1].action == "return"

    again = call(w["engine"], ar.submit, actor=w["reporter"], report_id=report.id, version=2,
                 data=full_input(w, results="60 managers trained, 12 of them women"), today=TODAY)
    assert again.state == "submitted"
    assert call(w["engine"], ar.my_reports, actor=w["reporter"]).loc[0, "return_comment"] is None
    last = events(w["engine"], report.id)[-1]
    assert last.before == {"results": "60 managers trained", "state": "returned"}


def test_who_may_return_a_report(world):
    w = world
    report = submitted(w)
    for who, error in (("unassigned_focal", PermissionDenied), ("reporter", PermissionDenied),
                       ("leader", PermissionDenied), ("outsider", PermissionDenied)):
        with pytest.raises(error):
            call(w["engine"], ar.return_report, actor=w[who], report_id=report.id, version=1, comment="No")
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], ar.return_report, actor=w["secretariat"], report_id=report.id, version=1, comment=" ")
    assert caught.value.for_field("comment")
    call(w["engine"], ar.return_report, actor=w["secretariat"], report_id=report.id, version=1, comment="Why?")
    with pytest.raises(ConflictError):  # already returned
        call(w["engine"], ar.return_report, actor=w["admin"], report_id=report.id, version=2, comment="Again")


def _cite(engine, report_id, w, state="published"):
    """What the Progress Report publishing service does: cite the report and lock it."""
    with Session(engine) as s:
        pr = ProgressReport(resolution_id=w["res1"], year=2026, author_id=w["focal"].id, status="Underway",
                            state=state)
        s.add(pr)
        s.flush()
        s.add(ProgressReportSource(progress_report_id=pr.id, activity_report_id=report_id))
        if state == "published":
            s.get(ActivityReport, report_id).locked = True
        s.commit()


def test_a_cited_report_is_locked_and_corrected_by_a_new_version(world):
    w = world
    report = submitted(w)
    _cite(w["engine"], report.id, w)
    for fn, kwargs in ((ar.withdraw, {"version": 1}),
                       (ar.save_draft, {"version": 1, "data": full_input(w, title="Changed")}),
                       (ar.submit, {"version": 1, "data": full_input(w, title="Changed"), "today": TODAY})):
        with pytest.raises(ConflictError, match="new version"):
            call(w["engine"], fn, actor=w["reporter"], report_id=report.id, **kwargs)
    with pytest.raises(ConflictError):
        call(w["engine"], ar.return_report, actor=w["secretariat"], report_id=report.id, version=1, comment="x")
    view = call(w["engine"], ar.get_report, actor=w["reporter"], report_id=report.id)
    assert view.locked and not view.editable and view.cited_by == ["WCC-2020-Res-001 (2026)"]
    assert call(w["engine"], ar.my_reports, actor=w["reporter"]).loc[0, "cited_by"] == "WCC-2020-Res-001 (2026)"

    with pytest.raises(PermissionDenied):
        call(w["engine"], ar.new_version, actor=w["outsider"], report_id=report.id)
    copy = call(w["engine"], ar.new_version, actor=w["reporter"], report_id=report.id)
    assert (copy.state, copy.supersedes_id, copy.locked, copy.title) == ("draft", report.id, False,
                                                                         "Reef workshops")
    assert call(w["engine"], ar.new_version, actor=w["reporter"], report_id=report.id).id == copy.id
    fixed = call(w["engine"], ar.submit, actor=w["reporter"], report_id=copy.id, version=1,
                 data=full_input(w, results="Corrected figure"), today=TODAY)
    with Session(w["engine"]) as s:
        old = s.get(ActivityReport, report.id)
        assert (old.state, old.locked, old.results) == ("submitted", True, "60 managers trained")
        assert s.get(ActivityReport, fixed.id).results == "Corrected figure"
    assert call(w["engine"], ar.get_report, actor=w["reporter"], report_id=report.id).superseded_by == copy.id
    assert events(w["engine"], copy.id)[0].action == "new_version"


def test_new_version_only_for_locked_reports(world):
    w = world
    report = submitted(w)
    _cite(w["engine"], report.id, w, state="draft")  # a Progress Report in preparation does not lock
    with pytest.raises(ConflictError):
        call(w["engine"], ar.new_version, actor=w["reporter"], report_id=report.id)
    assert call(w["engine"], ar.my_reports, actor=w["reporter"]).loc[0, "cited_by"] == \
        "WCC-2020-Res-001 (2026, in preparation)"


def test_copy_from_an_earlier_report(world):
    w = world
    earlier = submitted(w)
    data = call(w["engine"], ar.prefill_from, actor=w["colleague"], report_id=earlier.id)
    assert (data.period_start, data.period_end, data.action_status) == (None, None, None)
    assert data.title == "Reef workshops" and data.scope_countries == ["Peru", "Chile"]
    assert data.resolution_ids == [w["res1"], w["res2"]] and data.component_id == w["mine"]
    draft = call(w["engine"], ar.save_draft, actor=w["colleague"], data=data)
    assert draft.state == "draft" and draft.id != earlier.id and draft.supersedes_id is None
    # someone else's submitted report may be a model too, for their own component
    copied = call(w["engine"], ar.prefill_from, actor=w["outsider"], report_id=earlier.id)
    assert copied.component_id == w["other"]
    # but not someone else's draft
    with pytest.raises(NotFound):
        call(w["engine"], ar.prefill_from, actor=w["outsider"], report_id=draft.id)


def test_copy_drops_archived_resolutions(world):
    w = world
    earlier = submitted(w, resolution_ids=[w["res1"], w["old"]])
    data = call(w["engine"], ar.prefill_from, actor=w["reporter"], report_id=earlier.id)
    assert data.resolution_ids == [w["res1"]]


# -- integrity: citing in review protects the source -------------------------------------------------
def test_a_report_cited_by_a_progress_report_in_review_is_neither_withdrawn_nor_returned(world):
    """Else the component could rewrite it while the Secretariat reviews, and publishing would cite text
    that was never submitted (and lock a draft). The message names the Progress Report in review."""
    w = world
    report = submitted(w)
    _cite(w["engine"], report.id, w, state="in_review")
    with pytest.raises(ConflictError, match=r"cannot be withdrawn now: it is cited by the Progress Report on "
                                            r"WCC-2020-Res-001 \(2026\), which is in review"):
        call(w["engine"], ar.withdraw, actor=w["reporter"], report_id=report.id, version=1)
    for who in ("focal", "secretariat"):
        with pytest.raises(ConflictError, match=r"cannot be returned now: .*WCC-2020-Res-001 \(2026\)"):
            call(w["engine"], ar.return_report, actor=w[who], report_id=report.id, version=1, comment="Add figures")
    with Session(w["engine"]) as s:
        row = s.get(ActivityReport, report.id)
        assert (row.state, row.version, row.locked) == ("submitted", 1, False)
        assert s.exec(select(ReviewComment)).first() is None
    assert [e.action for e in events(w["engine"], report.id)] == ["submit"]

    # returned to its focal point (back to draft), the Progress Report no longer holds the source
    with Session(w["engine"]) as s:
        s.exec(select(ProgressReport)).one().state = "draft"
        s.commit()
    assert call(w["engine"], ar.withdraw, actor=w["reporter"], report_id=report.id, version=1).state == "draft"


def test_two_progress_reports_in_review_are_both_named(world):
    w = world
    report = submitted(w)
    _cite(w["engine"], report.id, w, state="in_review")
    with Session(w["engine"]) as s:
        other = ProgressReport(resolution_id=w["res2"], year=2026, author_id=w["focal"].id, status="Initiated",
                               state="in_review")
        s.add(other)
        s.flush()
        s.add(ProgressReportSource(progress_report_id=other.id, activity_report_id=report.id))
        s.commit()
    with pytest.raises(ConflictError) as caught:
        call(w["engine"], ar.withdraw, actor=w["reporter"], report_id=report.id, version=1)
    assert "the Progress Reports on WCC-2020-Res-001 (2026) and WCC-2020-Res-002 (2026), which are in review" \
        in str(caught.value)


# -- membership, not authorship ----------------------------------------------------------------------
def _leave(engine, user, component_id) -> None:
    """What the administrator does when a person leaves a component: the membership row goes."""
    with Session(engine) as s:
        s.delete(s.get(UserComponent, (user.id, component_id)))
        s.commit()


def test_a_former_member_loses_the_reports_of_the_component_even_those_they_wrote(world):
    w = world
    sent = submitted(w)
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"],
                 data=ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Her draft"))
    stale = w["reporter"]  # the actor as a page opened before the removal holds it: still listing the component
    _leave(w["engine"], stale, w["mine"])
    with Session(w["engine"]) as s:
        fresh = f.actor(s, s.get(User, stale.id))  # as she is read at her next page run
    assert fresh.component_ids == frozenset() and stale.component_ids == {w["mine"]}
    for who in (stale, fresh):
        with pytest.raises(NotFound):  # her draft: not hers any more to see
            call(w["engine"], ar.get_report, actor=who, report_id=draft.id)
        with pytest.raises(NotFound):
            call(w["engine"], ar.save_draft, actor=who, report_id=draft.id, version=1,
                 data=ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Changed"))
        with pytest.raises(NotFound):
            call(w["engine"], ar.prefill_from, actor=who, report_id=draft.id)
        # her submitted report: readable as any submitted report, no longer hers to change
        view = call(w["engine"], ar.get_report, actor=who, report_id=sent.id)
        assert not view.editable and view.return_comment is None
        with pytest.raises(PermissionDenied):
            call(w["engine"], ar.withdraw, actor=who, report_id=sent.id, version=1)
        assert call(w["engine"], ar.my_reports, actor=who).empty
        assert call(w["engine"], ar.reporting_components, actor=who) == []
        with pytest.raises(PermissionDenied):
            call(w["engine"], ar.submit, actor=who, data=full_input(w), today=TODAY)
    with Session(w["engine"]) as s:
        assert (s.get(ActivityReport, sent.id).state, s.get(ActivityReport, draft.id).title) == ("submitted",
                                                                                                 "Her draft")
    # the component keeps its reports: a member still sees and withdraws them
    assert set(call(w["engine"], ar.my_reports, actor=w["colleague"])["title"]) == {"Reef workshops", "Her draft"}
    assert call(w["engine"], ar.withdraw, actor=w["colleague"], report_id=sent.id, version=1).state == "draft"


def test_a_member_sees_and_changes_a_colleagues_report_and_a_returned_one_stays_in_the_component(world):
    w = world
    report = submitted(w)
    call(w["engine"], ar.return_report, actor=w["focal"], report_id=report.id, version=1, comment="Figures?")
    for who in ("outsider", "focal", "secretariat"):  # a returned report is the component's again
        with pytest.raises(NotFound):
            call(w["engine"], ar.get_report, actor=w[who], report_id=report.id)
    view = call(w["engine"], ar.get_report, actor=w["colleague"], report_id=report.id)
    assert view.editable and view.return_comment["body"] == "Figures?"
    _leave(w["engine"], w["colleague"], w["mine"])
    with pytest.raises(NotFound):
        call(w["engine"], ar.get_report, actor=w["colleague"], report_id=report.id)


# -- concurrency -------------------------------------------------------------------------------------
def test_second_save_of_a_stale_version_is_refused_with_a_clear_message(world):
    w = world
    data = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Shared draft")
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=data)
    call(w["engine"], ar.save_draft, actor=w["colleague"], report_id=draft.id, version=1,
         data=replace(data, title="Carl's title"))
    with pytest.raises(ConflictError, match="Someone else saved this report"):
        call(w["engine"], ar.save_draft, actor=w["reporter"], report_id=draft.id, version=1,
             data=replace(data, title="Rosa's title"))
    with Session(w["engine"]) as s:
        assert s.get(ActivityReport, draft.id).title == "Carl's title"
    assert [e.action for e in events(w["engine"], draft.id)] == ["create", "update"]


def test_two_sessions_saving_the_same_version_at_once(world):
    """Both read version 1; the first to write wins, the second is refused (not overwritten)."""
    w = world
    data = ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Shared draft")
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=data)
    with Session(w["engine"], expire_on_commit=False) as first:
        ar.save_draft(session=first, actor=w["reporter"], report_id=draft.id, version=1,
                      data=replace(data, title="First"))
        first.commit()
    with Session(w["engine"]) as second:
        stale = second.get(ActivityReport, draft.id)
        set_committed_value(stale, "version", 1)  # as if it had been read before the first save
        with pytest.raises(ConflictError):
            ar._claim(second, stale, 1)


# -- lists and picker ----------------------------------------------------------------------------------
def test_my_reports_filters(world):
    w = world
    a = submitted(w, title="Early", period_start=date(2024, 2, 1), period_end=date(2024, 3, 1))
    b = submitted(w, title="Spanning", period_start=date(2025, 11, 1), period_end=date(2026, 2, 1),
                  resolution_ids=[w["res2"]])
    call(w["engine"], ar.save_draft, actor=w["reporter"],
         data=ar.ActivityInput(component_id=w["mine"], resolution_ids=[w["res1"]], title="Undated"))
    submitted(w, actor="outsider", component_id=w["other"], title="Not mine")
    listing = call(w["engine"], ar.my_reports, actor=w["reporter"])
    assert set(listing["title"]) == {"Early", "Spanning", "Undated"}
    assert listing.loc[listing["id"] == a.id, "resolutions"].item() == "WCC-2020-Res-001; WCC-2020-Res-002"
    by = lambda **k: set(call(w["engine"], ar.my_reports, actor=w["reporter"], **k)["title"])  # noqa: E731
    assert by(state="draft") == {"Undated"}
    assert by(year=2025) == {"Spanning"}
    assert by(year=2024) == {"Early"}
    assert by(resolution_code="WCC-2020-Res-002") == {"Early", "Spanning"}
    assert by(state="submitted", resolution_code="WCC-2020-Res-001") == {"Early"}
    assert b.id in set(listing["id"])


def test_resolution_options_latest_congress_first_and_word_search(world):
    w = world
    with Session(w["engine"]) as s:
        f.resolution(s, 5, congress_code="WCC-2025", title="Coral reef restoration")
        f.resolution(s, 6, congress_code="WCC-2016", title="Coral bleaching")
        s.commit()
    options = call(w["engine"], ar.resolution_options)
    assert list(options["code"])[:3] == ["WCC-2025-Res-005", "WCC-2020-Res-001", "WCC-2020-Res-002"]
    assert "WCC-2016-Res-003" not in set(options["code"])  # archived
    assert list(call(w["engine"], ar.resolution_options, q="coral REEF")["code"]) == [
        "WCC-2025-Res-005", "WCC-2020-Res-001"]
    assert list(call(w["engine"], ar.resolution_options, q="2016-Res")["code"]) == ["WCC-2016-Res-006"]
    assert "WCC-2016-Res-003" in set(call(w["engine"], ar.resolution_options, include_ids=(w["old"],))["code"])
    # what is already chosen stays listed whatever the search words
    assert list(call(w["engine"], ar.resolution_options, q="peatlands", include_ids=(w["res1"],))["code"]) == [
        "WCC-2020-Res-001", "WCC-2020-Res-002"]


# -- which reports an actor may return now (issue 11, item 3): exactly those return_report accepts, so pages
# offer the action only where it works ---------------------------------------------------------------------
def _returnable(w, who, *reports):
    return call(w["engine"], ar.returnable, actor=w[who], report_ids=tuple(r.id for r in reports))


def test_the_secretariat_and_the_resolutions_focal_point_may_return_a_submitted_report(world):
    w = world
    on_both = submitted(w)  # on Resolutions 1 (assigned to "focal") and 2
    on_two = submitted(w, resolution_ids=[w["res2"]], title="Peat survey")
    assert _returnable(w, "focal", on_both, on_two) == {on_both.id: 1}  # assigned to one of its Resolutions
    for who in ("secretariat", "admin"):
        assert _returnable(w, who, on_both, on_two) == {on_both.id: 1, on_two.id: 1}
    for who in ("unassigned_focal", "reporter", "colleague", "leader", "outsider"):
        assert _returnable(w, who, on_both, on_two) == {}
    assert _returnable(w, "secretariat") == {}  # no report asked about


def test_what_cannot_be_returned_is_not_offered(world):
    w = world
    draft = call(w["engine"], ar.save_draft, actor=w["reporter"], data=full_input(w), today=TODAY)
    returned = submitted(w, title="Sent back already")
    call(w["engine"], ar.return_report, actor=w["focal"], report_id=returned.id, version=1, comment="Add figures")
    in_review = submitted(w, title="Cited in review")
    _cite(w["engine"], in_review.id, w, state="in_review")
    assert _returnable(w, "secretariat", draft, returned, in_review) == {}


def test_a_locked_report_is_not_offered_and_the_version_is_the_current_one(world):
    w = world
    report = submitted(w)
    again = call(w["engine"], ar.withdraw, actor=w["reporter"], report_id=report.id, version=1)
    again = call(w["engine"], ar.submit, actor=w["reporter"], report_id=report.id, version=again.version,
                 data=full_input(w), today=TODAY)
    offered = _returnable(w, "focal", report)
    assert offered == {report.id: again.version}
    call(w["engine"], ar.return_report, actor=w["focal"], report_id=report.id, version=offered[report.id],
         comment="Say how many were trained.")  # the version offered is the one return_report takes
    other = submitted(w, title="Cited by a published report")
    with Session(w["engine"]) as s:
        s.get(ActivityReport, other.id).locked = True
        s.commit()
    assert _returnable(w, "secretariat", other) == {}
