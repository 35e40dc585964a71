"""Progress Reports: one per Resolution and year, pre-fill, draft -> review -> published, return with a
comment, corrections after publication, concurrent edits, permissions, locking of sources, audit."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db import vocab
from db.models import (
    ActivityReport,
    ActivityReportResolution,
    AuditEvent,
    ProgressReport,
    ProgressReportRevision,
    ProgressReportSource,
    ReviewComment,
)
from services import activity_reports as ar
from services import progress_reports as pr
from services.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from tests import factories as f

CODE = "WCC-2020-Res-001"


def at(y, m, d):
    return datetime(y, m, d, 9, 0, tzinfo=UTC)


def activity(s, component_id, author_id, resolution_id, submitted_at, state="submitted", title="Workshop") -> int:
    row = ActivityReport(component_id=component_id, author_id=author_id, title=title, state=state,
                         submitted_at=submitted_at if state == "submitted" else None)
    s.add(row)
    s.flush()
    s.add(ActivityReportResolution(activity_report_id=row.id, resolution_id=resolution_id))
    s.flush()
    return row.id


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        andes = f.component(s, "Andes Trust")
        sahel = f.component(s, "Sahel Alliance", region="Africa", country="Niger")
        res1, res2 = f.resolution(s, 1), f.resolution(s, 2)
        users = {
            "fay": f.user(s, "fay", ("focal_point",)),
            "ugo": f.user(s, "ugo", ("focal_point",)),
            "sam": f.user(s, "sam", ("secretariat",)),
            "rosa": f.user(s, "rosa", ("reporter",), (andes,)),
            "lea": f.user(s, "lea", ("leadership",)),
            "ada": f.user(s, "ada", ("admin",)),
        }
        f.assign(s, res1, users["fay"])
        f.assign(s, res2, users["ugo"])
        rosa = users["rosa"].id
        ars = {
            "a2025": activity(s, andes.id, rosa, res1.id, at(2025, 5, 1)),
            "a2026": activity(s, andes.id, rosa, res1.id, at(2026, 3, 1), title="Reef survey"),
            "b2026": activity(s, sahel.id, rosa, res1.id, at(2026, 6, 1), title="Policy brief"),
            "draft": activity(s, andes.id, rosa, res1.id, None, state="draft"),
            "other": activity(s, andes.id, rosa, res2.id, at(2026, 4, 1)),
        }
        actors = {k: f.actor(s, u) for k, u in users.items()}
        s.commit()
    return {"engine": engine, "andes": andes.id, "sahel": sahel.id, "res1": res1.id, "res2": res2.id,
            **ars, **actors}


def call(engine, fn, **kwargs):
    with Session(engine, expire_on_commit=False) as s:
        result = fn(session=s, **kwargs)
        s.commit()
        return result


def full(w, **changes) -> pr.ProgressInput:
    data = pr.ProgressInput(status="Underway", summary="Reef work advanced.", results="Two surveys.",
                            challenges="Funding was short.", challenge_categories=["Funding"],
                            solutions="Seek grants.", source_ids=[w["a2026"], w["b2026"]],
                            component_ids=[w["andes"], w["sahel"]])
    return replace(data, **changes)


def events(engine, report_id) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity == "progress_report",
                                                    AuditEvent.entity_id == str(report_id)).order_by(AuditEvent.id)))


def submitted(w, year=2026, who="fay") -> ProgressReport:
    return call(w["engine"], pr.submit_for_review, actor=w[who], code=CODE, year=year, data=full(w))


def published(w, year=2026) -> ProgressReport:
    report = submitted(w, year)
    call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    with Session(w["engine"]) as s:
        return s.get(ProgressReport, report.id)


# -- one report per Resolution and year ------------------------------------------------------------
def test_save_draft_creates_then_updates_with_audit(world):
    w = world
    draft = call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026,
                 data=pr.ProgressInput(status="Initiated", summary="  First notes  "))
    assert (draft.state, draft.version, draft.revision, draft.summary) == ("draft", 1, 0, "First notes")
    edited = call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, version=1,
                  data=full(w))
    assert edited.version == 2 and edited.status == "Underway"
    with Session(w["engine"]) as s:
        assert sorted(s.exec(select(ProgressReportSource.activity_report_id))) == sorted([w["a2026"], w["b2026"]])
    create, update = events(w["engine"], draft.id)
    assert create.action == "create" and create.user_id == w["fay"].id and create.before is None
    assert create.after["status"] == "Initiated" and create.after["year"] == 2026
    assert update.action == "update"
    assert update.before["status"] == "Initiated" and update.after["status"] == "Underway"
    assert "challenge_categories" in update.after and "state" not in update.after


def test_one_report_per_resolution_and_year(world):
    w = world
    call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, data=full(w))
    with pytest.raises(ConflictError) as caught:  # a second "new" report for the same year
        call(w["engine"], pr.save_draft, actor=w["sam"], code=CODE, year=2026, data=full(w))
    assert "already exists" in str(caught.value) and "Your text is still in the form" in str(caught.value)
    with Session(w["engine"]) as s:  # and the database itself refuses a duplicate
        s.add(ProgressReport(resolution_id=w["res1"], year=2026, author_id=w["sam"].id, status="Initiated"))
        with pytest.raises(IntegrityError):
            s.flush()
    call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2025, data=full(w, source_ids=[]))
    with Session(w["engine"]) as s:
        assert len(s.exec(select(ProgressReport)).all()) == 2


@pytest.mark.parametrize("year", [2039, 2020, 1900, 0, -1, 2**70, "2026", 2026.0, True, None, "next"])
def test_a_report_is_written_only_for_the_years_after_its_congress_up_to_this_one(world, year):
    w = world
    assert pr.current_reporting_year() == datetime.now(UTC).year
    with Session(w["engine"]) as s:
        assert pr.year_range(session=s, code=CODE) == (2021, pr.current_reporting_year())  # WCC-2020
    year = pr.current_reporting_year() + 1 if year == "next" else year
    for fn in (pr.save_draft, pr.submit_for_review):
        with pytest.raises(ValidationFailed) as refused:
            call(w["engine"], fn, actor=w["fay"], code=CODE, year=year, data=full(w))
        assert [e.field for e in refused.value.errors] == ["year"]
        assert "from 2021 to" in refused.value.for_field("year")[0]
    with pytest.raises(ValidationFailed) as refused:  # every problem at once, the year among them
        call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=year, data=pr.ProgressInput())
    assert {e.field for e in refused.value.errors} == {"year", "status", "summary"}
    with Session(w["engine"]) as s:
        assert s.exec(select(ProgressReport)).all() == []
        assert s.exec(select(AuditEvent).where(AuditEvent.entity == "progress_report")).all() == []


def test_the_first_and_the_current_reporting_year_are_accepted(world):
    w = world
    for year in (2021, pr.current_reporting_year()):
        call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=year, data=full(w, source_ids=[]))
    with Session(w["engine"]) as s:
        assert sorted(s.exec(select(ProgressReport.year))) == [2021, pr.current_reporting_year()]
        with pytest.raises(NotFound):
            pr.year_range(session=s, code="WCC-2020-Res-404")


# -- pre-fill -------------------------------------------------------------------------------------------
def test_new_report_is_prefilled_from_last_published_one_without_sources(world):
    w = world
    published(w, 2025)
    with Session(w["engine"]) as s:
        view = pr.open_report(session=s, actor=w["fay"], code=CODE, year=2026)
    assert view.id is None and view.state is None and view.prefilled_from == 2025 and view.editable
    assert (view.data.status, view.data.summary, view.data.solutions) == ("Underway", "Reef work advanced.",
                                                                          "Seek grants.")
    assert view.data.challenge_categories == ["Funding"]
    assert view.data.source_ids == [] and view.data.component_ids == []
    with Session(w["engine"]) as s:  # nothing was written by opening it
        assert len(s.exec(select(ProgressReport)).all()) == 1
        blank = pr.open_report(session=s, actor=w["fay"], code="WCC-2020-Res-002", year=2026)
    assert blank.prefilled_from is None and blank.data == pr.ProgressInput()


def test_drafts_are_not_used_for_prefill(world):
    w = world
    call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2025, data=full(w, source_ids=[]))
    with Session(w["engine"]) as s:
        assert pr.open_report(session=s, actor=w["fay"], code=CODE, year=2026).prefilled_from is None


def test_sources_are_the_years_submitted_reports_and_components_follow(world):
    w = world
    with Session(w["engine"]) as s:
        frame = pr.source_candidates(session=s, resolution_id=w["res1"], year=2026)
        assert set(frame["id"]) == {w["a2026"], w["b2026"]}  # not the draft, not 2025, not Resolution 2
        with_old = pr.source_candidates(session=s, resolution_id=w["res1"], year=2026, include_ids=(w["a2025"],))
        assert set(with_old["id"]) == {w["a2025"], w["a2026"], w["b2026"]}
        assert pr.components_of(session=s, source_ids=[w["a2026"], w["b2026"]]) == sorted([w["andes"], w["sahel"]])
        assert pr.components_of(session=s, source_ids=[]) == []


# -- validation ------------------------------------------------------------------------------------------
def test_submit_needs_status_and_summary_and_limits_all_at_once(world):
    w = world
    bad = pr.ProgressInput(status=None, summary="", results="x" * (pr.LIMITS["results"] + 1),
                           challenge_categories=["Aliens"], source_ids=[w["draft"], w["other"]])
    with pytest.raises(ValidationFailed) as caught:
        call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2026, data=bad)
    fields = [e.field for e in caught.value.errors]
    assert sorted(set(fields)) == ["challenge_categories", "results", "source_ids", "status", "summary"]
    assert fields.count("source_ids") == 2  # a draft and a report on another Resolution
    assert "Too long" in caught.value.for_field("results")[0]
    with Session(w["engine"]) as s:
        assert s.exec(select(ProgressReport)).first() is None
    # a draft needs neither the status nor the summary (issue 11, item 10)
    draft = call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, data=pr.ProgressInput())
    assert (draft.state, draft.status, draft.summary) == ("draft", None, None)


def test_a_draft_without_status_is_saved_then_submitting_asks_for_it(world):
    """Issue 11, item 10: the status is decided last; a draft saves without it, counts as in preparation
    (never with a status), and only submitting asks for it."""
    w = world
    draft = call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2025,
                 data=full(w, status=None, summary="", source_ids=[w["a2025"]], component_ids=[w["andes"]]))
    with Session(w["engine"]) as s:
        row = s.get(ProgressReport, draft.id)
        assert (row.state, row.status, row.published_status) == ("draft", None, None)
        view = pr.open_report(session=s, actor=w["fay"], code=CODE, year=2025)
        assert view.data.status is None and view.editable
        mine = pr.my_resolutions(session=s, user_id=w["fay"].id, year=2026).iloc[0]
        assert mine["last_year_status"] == vocab.IN_PREPARATION  # counted as in preparation, no status
        this_year = pr.my_resolutions(session=s, user_id=w["fay"].id, year=2025).iloc[0]
        assert (this_year["state"], this_year["status"]) == ("draft", None)

    data = full(w, status=None, source_ids=[w["a2025"]], component_ids=[w["andes"]])
    with pytest.raises(ValidationFailed) as refused:
        call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2025, data=data,
             version=draft.version)
    assert [e.field for e in refused.value.errors] == ["status"]
    assert refused.value.for_field("status") == ["Choose an implementation status before you submit."]
    with Session(w["engine"]) as s:
        assert s.get(ProgressReport, draft.id).state == "draft"

    sent = call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2025,
                data=replace(data, status="Initiated"), version=draft.version)
    call(w["engine"], pr.publish, actor=w["sam"], report_id=sent.id, version=sent.version)
    with Session(w["engine"]) as s:
        assert s.get(ProgressReport, draft.id).published_status == "Initiated"
        assert pr.my_resolutions(session=s, user_id=w["fay"].id, year=2026).iloc[0]["last_year_status"] == "Initiated"


# -- workflow -----------------------------------------------------------------------------------------
def test_publish_many_publishes_each_and_says_which_failed_and_why(world):
    """Issue 11, item 5: one confirmation publishes several reports; each is published in its own
    transaction with its audit event, and one that cannot be (changed since it was read) is reported."""
    w = world
    older, newer = submitted(w, 2025), submitted(w, 2026)
    with pytest.raises(PermissionDenied):
        pr.publish_many(engine=w["engine"], actor=w["fay"], reports=[(older.id, older.version)])
    done = pr.publish_many(engine=w["engine"], actor=w["sam"],
                           reports=[(older.id, older.version), (newer.id, newer.version - 1), (10**6, 1)])
    assert done.published == [{"id": older.id, "code": CODE, "year": 2025}]
    assert [(f["id"], f["code"], f["year"]) for f in done.failed] == [(newer.id, CODE, 2026), (10**6, None, None)]
    assert "Someone else saved this Progress Report" in done.failed[0]["message"]
    assert "does not exist" in done.failed[1]["message"]
    with Session(w["engine"]) as s:
        assert (s.get(ProgressReport, older.id).state, s.get(ProgressReport, newer.id).state) == (
            "published", "in_review")
    assert [e.action for e in events(w["engine"], older.id)][-1] == "publish"
    assert "publish" not in [e.action for e in events(w["engine"], newer.id)]
    again = pr.publish_many(engine=w["engine"], actor=w["sam"], reports=[(older.id, older.version + 1)])
    assert again.published == [] and "is published, so it cannot be published" in again.failed[0]["message"]


def test_draft_review_publish_locks_sources_and_keeps_revision(world):
    w = world
    report = submitted(w)
    assert report.state == "in_review"
    with Session(w["engine"]) as s:
        queue = pr.review_queue(session=s, actor=w["sam"])
        assert list(queue["code"]) == [CODE] and queue.iloc[0]["sources"] == 2
        assert not pr.open_report(session=s, actor=w["fay"], code=CODE, year=2026).editable
        assert pr.open_report(session=s, actor=w["sam"], code=CODE, year=2026).may_review
    with pytest.raises(ConflictError):  # in review: the focal point cannot change it
        call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, version=report.version, data=full(w))

    revision = call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    assert revision.revision == 1 and revision.status == "Underway" and revision.published_by == w["sam"].id
    assert revision.content["summary"] == "Reef work advanced."
    assert sorted(revision.content["source_ids"]) == sorted([w["a2026"], w["b2026"]])
    with Session(w["engine"]) as s:
        row = s.get(ProgressReport, report.id)
        assert (row.state, row.revision, row.published_status) == ("published", 1, "Underway")
        assert row.published_at is not None
        locked = dict(s.exec(select(ActivityReport.id, ActivityReport.locked)).all())
        assert locked[w["a2026"]] and locked[w["b2026"]] and not locked[w["a2025"]] and not locked[w["other"]]
        assert pr.review_queue(session=s, actor=w["sam"]).empty
        [shown] = pr.published_reports(session=s, code=CODE)
        assert (shown["year"], shown["status"], shown["results"]) == (2026, "Underway", "Two surveys.")
        assert shown["components"] == ["Andes Trust", "Sahel Alliance"] and shown["sources"] == 2
    actions = [e.action for e in events(w["engine"], report.id)]
    assert actions == ["submit", "publish"]
    assert events(w["engine"], report.id)[-1].after["locked_activity_reports"] == sorted([w["a2026"], w["b2026"]])


# -- integrity: what is reviewed is what gets published -------------------------------------------------
def test_a_source_cited_in_review_cannot_be_withdrawn_and_publication_cites_it_as_submitted(world):
    """The issue's case: withdrawing a cited source during review, rewriting it, then publishing would cite
    text that was never submitted and leave the source a locked draft. Withdrawal is refused instead."""
    w = world
    report = submitted(w)  # cites a2026 (Andes Trust, Rosa's component) and b2026
    with pytest.raises(ConflictError, match=r"cited by the Progress Report on WCC-2020-Res-001 \(2026\), which "
                                            r"is in review"):
        call(w["engine"], ar.withdraw, actor=w["rosa"], report_id=w["a2026"], version=1)
    with pytest.raises(ConflictError, match="in review"):  # nor sent back to its component by the Secretariat
        call(w["engine"], ar.return_report, actor=w["sam"], report_id=w["a2026"], version=1, comment="Redo it")
    revision = call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    with Session(w["engine"]) as s:
        source = s.get(ActivityReport, w["a2026"])
        assert (source.state, source.locked, source.title, source.version) == ("submitted", True, "Reef survey", 1)
    assert w["a2026"] in revision.content["source_ids"]
    # corrected afterwards only by a new version; the cited one stays
    copy = call(w["engine"], ar.new_version, actor=w["rosa"], report_id=w["a2026"])
    assert (copy.supersedes_id, copy.state) == (w["a2026"], "draft")


def test_publication_is_refused_naming_a_source_that_is_no_longer_submitted(world):
    """A source changed all the same (withdrawn at the very moment the report entered review, or before the
    rule existed) blocks publication with its name, instead of locking a draft."""
    w = world
    report = submitted(w)
    with Session(w["engine"]) as s:
        s.get(ActivityReport, w["a2026"]).state = "draft"
        s.commit()
    with pytest.raises(ConflictError, match=rf"Activity Report {w['a2026']} \('Reef survey'\) is no longer as "
                                            "submitted"):
        call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    with Session(w["engine"]) as s:
        row = s.get(ProgressReport, report.id)
        assert (row.state, row.revision, row.published_status) == ("in_review", 0, None)
        assert s.exec(select(ProgressReportRevision)).first() is None
        assert not s.get(ActivityReport, w["a2026"]).locked and not s.get(ActivityReport, w["b2026"]).locked
    # returned to the focal point, who drops the withdrawn source; then it publishes
    call(w["engine"], pr.return_to_draft, actor=w["sam"], report_id=report.id, version=report.version,
         comment="One source was withdrawn.")
    with Session(w["engine"]) as s:
        version = s.get(ProgressReport, report.id).version
    with pytest.raises(ValidationFailed, match="untick it"):
        call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2026, version=version, data=full(w))
    again = call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2026, version=version,
                 data=full(w, source_ids=[w["b2026"]], component_ids=[w["sahel"]]))
    assert call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=again.version).revision == 1


def test_return_with_comment_then_resubmit(world):
    w = world
    report = submitted(w)
    with pytest.raises(ValidationFailed):
        call(w["engine"], pr.return_to_draft, actor=w["sam"], report_id=report.id, version=report.version,
             comment="  ")
    note = call(w["engine"], pr.return_to_draft, actor=w["sam"], report_id=report.id, version=report.version,
                comment="Please add the results of the field work.")
    assert note.target_kind == "progress_report" and note.action == "returned"
    with Session(w["engine"]) as s:
        view = pr.open_report(session=s, actor=w["fay"], code=CODE, year=2026)
        assert view.state == "draft" and view.editable
        assert view.comments[0]["body"] == "Please add the results of the field work."
        assert view.comments[0]["by"] == "Sam"
        mine = pr.my_resolutions(session=s, user_id=w["fay"].id, year=2026).set_index("code")
        assert mine.loc[CODE, "returned"] and mine.loc[CODE, "state"] == "draft"
    again = call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2026, version=view.version,
                 data=full(w, results="Two surveys and 40 ha restored."))
    assert again.state == "in_review"
    assert [e.action for e in events(w["engine"], report.id)] == ["submit", "return", "submit"]
    with Session(w["engine"]) as s:
        assert events(w["engine"], report.id)[1].after["comment"].startswith("Please add")
        history = pr.history(session=s, actor=w["fay"], report_id=report.id)
        assert list(history["what"]) == ["Submitted for review", "Returned with a comment", "Submitted for review"]
        assert history.iloc[1]["details"] == "Please add the results of the field work."
        assert history.iloc[0]["details"] == "Changed: results"


def test_correction_after_publication_is_a_new_revision(world):
    w = world
    report = published(w)
    with pytest.raises(ConflictError):  # never edited in place
        call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, version=report.version, data=full(w))
    corrected = call(w["engine"], pr.start_correction, actor=w["fay"], report_id=report.id, version=report.version)
    assert corrected.state == "draft" and corrected.published_status == "Underway" and corrected.revision == 1
    with Session(w["engine"]) as s:  # the publication stays visible while the correction is drafted
        [shown] = pr.published_reports(session=s, code=CODE)
        assert shown["status"] == "Underway" and shown["correcting"]
    draft = call(w["engine"], pr.submit_for_review, actor=w["fay"], code=CODE, year=2026, version=corrected.version,
                 data=full(w, status="Completed", summary="All reefs surveyed."))
    assert draft.published_status == "Underway"
    call(w["engine"], pr.publish, actor=w["ada"], report_id=report.id, version=draft.version)
    with Session(w["engine"]) as s:
        row = s.get(ProgressReport, report.id)
        assert (row.revision, row.published_status, row.state) == (2, "Completed", "published")
        revisions = s.exec(select(ProgressReportRevision).order_by(ProgressReportRevision.revision)).all()
        assert [(r.revision, r.status, r.content["summary"]) for r in revisions] == [
            (1, "Underway", "Reef work advanced."), (2, "Completed", "All reefs surveyed.")]
        listed = pr.revisions(session=s, report_id=report.id)
        assert list(listed["revision"]) == [2, 1]
        assert listed.iloc[0]["changes"] == "Changed: status, summary"
        assert listed.iloc[1]["changes"] == "First publication"
        assert pr.published_reports(session=s, code=CODE)[0]["summary"] == "All reefs surveyed."
    assert [e.action for e in events(w["engine"], report.id)] == ["submit", "publish", "new_version", "submit",
                                                                  "publish"]


# -- concurrency -------------------------------------------------------------------------------------------
def test_concurrent_edit_conflict(world):
    w = world
    draft = call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, data=full(w))
    call(w["engine"], pr.save_draft, actor=w["sam"], code=CODE, year=2026, version=draft.version,
         data=full(w, summary="Sam's words"))
    with pytest.raises(ConflictError) as caught:
        call(w["engine"], pr.save_draft, actor=w["fay"], code=CODE, year=2026, version=draft.version,
             data=full(w, summary="Fay's words"))
    assert "Your text is still in the form" in str(caught.value)
    with Session(w["engine"]) as s:
        assert s.get(ProgressReport, draft.id).summary == "Sam's words"


def test_two_reviewers_cannot_both_act(world):
    w = world
    report = submitted(w)
    call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    with pytest.raises(ConflictError):
        call(w["engine"], pr.return_to_draft, actor=w["ada"], report_id=report.id, version=report.version,
             comment="Late")
    with Session(w["engine"]) as s:
        assert s.exec(select(ReviewComment)).first() is None


# -- permissions -----------------------------------------------------------------------------------------
def test_focal_point_cannot_write_for_a_resolution_not_assigned(world):
    w = world
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.save_draft, actor=w["ugo"], code=CODE, year=2026, data=full(w))
    report = submitted(w, who="fay")
    # in review, it is not his to read either (issue 10: only the assigned focal points and the Secretariat)
    with Session(w["engine"]) as s, pytest.raises(PermissionDenied):
        pr.open_report(session=s, actor=w["ugo"], code=CODE, year=2026)
    published_report = call(w["engine"], pr.publish, actor=w["sam"], report_id=report.id, version=report.version)
    with Session(w["engine"]) as s:  # published: he reads it, and may not change it
        view = pr.open_report(session=s, actor=w["ugo"], code=CODE, year=2026)
        assert not view.may_write and not view.editable and not view.may_review
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.start_correction, actor=w["ugo"], report_id=report.id, version=report.version + 1)
    assert published_report.revision == 1


@pytest.mark.parametrize("who", ["rosa", "lea"])
def test_reporter_and_leadership_cannot_write(world, who):
    w = world
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.save_draft, actor=w[who], code=CODE, year=2026, data=full(w))
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.open_report, actor=w[who], code=CODE, year=2026)


@pytest.mark.parametrize("who", ["rosa", "fay", "lea"])
def test_only_secretariat_and_admin_review(world, who):
    w = world
    report = submitted(w)
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.publish, actor=w[who], report_id=report.id, version=report.version)
    with pytest.raises(PermissionDenied):
        call(w["engine"], pr.return_to_draft, actor=w[who], report_id=report.id, version=report.version,
             comment="No")
    with Session(w["engine"]) as s:
        assert s.get(ProgressReport, report.id).state == "in_review"


def test_secretariat_may_write_for_any_resolution(world):
    w = world
    report = call(w["engine"], pr.save_draft, actor=w["sam"], code="WCC-2020-Res-002", year=2026,
                  data=pr.ProgressInput(status="Initiated"))
    assert report.author_id == w["sam"].id
    with pytest.raises(NotFound):
        call(w["engine"], pr.save_draft, actor=w["sam"], code="WCC-2020-Res-404", year=2026, data=full(w))


# -- My Resolutions --------------------------------------------------------------------------------------
def test_my_resolutions_counts_and_states(world):
    w = world
    published(w, 2025)  # published now, after every Activity Report above was submitted
    with Session(w["engine"]) as s:
        activity(s, w["andes"], w["rosa"].id, w["res1"], datetime(2099, 1, 1, tzinfo=UTC), title="Later")
        s.commit()
    with Session(w["engine"]) as s:
        frame = pr.my_resolutions(session=s, user_id=w["fay"].id, year=2026)
    assert list(frame["code"]) == [CODE]
    row = frame.iloc[0]
    assert row["last_year_status"] == "Underway" and row["state"] is None and not row["returned"]
    assert row["received_this_year"] == 2  # a2026 and b2026; not the 2025 one, not the draft
    assert row["since_last_report"] == 1  # only the one submitted after the 2025 publication
    with Session(w["engine"]) as s:
        ugo = pr.my_resolutions(session=s, user_id=w["ugo"].id, year=2026).iloc[0]
        assert pr.my_resolutions(session=s, user_id=w["sam"].id, year=2026).empty
    assert ugo["last_year_status"] == "No Progress Report" and ugo["received_this_year"] == 1
    assert ugo["since_last_report"] == 1  # never reported: everything counts
    submitted(w, 2026)
    with Session(w["engine"]) as s:
        row = pr.my_resolutions(session=s, user_id=w["fay"].id, year=2026).iloc[0]
    assert (row["state"], row["status"]) == ("in_review", "Underway")
