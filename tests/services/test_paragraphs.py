"""Operative paragraphs (issue 18): the CSV import (all or nothing, every bad row with its line and column),
the Secretariat's edits (permission, audit, optimistic lock), Activity Reports naming paragraphs of their own
Resolutions, Progress Reports' statuses per paragraph, and the per-paragraph views, on both databases."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from db.engine import transaction
from db.models import (
    ActivityReportParagraph,
    AuditEvent,
    OperativeParagraph,
    ProgressReportRevision,
    Resolution,
    User,
)
from services import activity_reports as ar
from services import paragraphs
from services import progress_reports as pr
from services.errors import ConflictError, PermissionDenied, ValidationFailed
from tests import factories as f

HEADER = "code,paragraph,addressee,text"
GOOD = [
    "WCC-2020-Res-122,1,Members,Calls on Members to support a moratorium.",
    "WCC-2020-Res-122,2,States,\"Urges States, with care, to act.\"",
    "WCC-2020-Res-122,4b,,\"Asks the Commissions\nto assess the gaps.\"",
    "WCC-2020-Res-001,1,Director General,Requests the Director General to report.",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def world(engine):
    """Two Resolutions, a component with a reporter, a focal point of Res-122, the Secretariat."""
    with Session(engine, expire_on_commit=False) as s:
        comp = f.component(s, "Ocean Members")
        r122, r001 = f.resolution(s, 122), f.resolution(s, 1)
        reporter = f.user(s, "rosa", ("reporter",), (comp,))
        focal = f.user(s, "farid", ("focal_point",))
        secretariat = f.user(s, "sara", ("secretariat",))
        f.assign(s, r122, focal)
        actors = {"reporter": f.actor(s, reporter), "focal": f.actor(s, focal), "secretariat": f.actor(s, secretariat)}
        ids = {"comp": comp.id, "r122": r122.id, "r001": r001.id, "reporter_id": reporter.id, "focal_id": focal.id}
        s.commit()
    return {"engine": engine, **actors, **ids}


def stored(engine) -> list[tuple]:
    with Session(engine) as s:
        return [tuple(row) for row in s.exec(
            select(Resolution.code, OperativeParagraph.number, OperativeParagraph.position,
                   OperativeParagraph.addressee, OperativeParagraph.text)
            .join(Resolution).order_by(Resolution.code, OperativeParagraph.position))]


def problems(excinfo) -> list[tuple]:
    return [(e.line, e.field) for e in excinfo.value.errors]


# -- the import ------------------------------------------------------------------------------------------
def test_a_good_file_is_imported_in_order(world):
    result = paragraphs.import_paragraphs(engine=world["engine"], actor=world["secretariat"], data=csv_bytes(*GOOD))
    assert (result.created, result.updated, result.deleted, result.unchanged) == (4, 0, 0, 0)
    assert stored(world["engine"]) == [
        ("WCC-2020-Res-001", "1", 1, "Director General", "Requests the Director General to report."),
        ("WCC-2020-Res-122", "1", 1, "Members", "Calls on Members to support a moratorium."),
        ("WCC-2020-Res-122", "2", 2, "States", "Urges States, with care, to act."),
        ("WCC-2020-Res-122", "4b", 3, None, "Asks the Commissions\nto assess the gaps."),
    ]
    with Session(world["engine"]) as s:
        events = s.exec(select(AuditEvent.entity, AuditEvent.entity_id).where(AuditEvent.action == "import")).all()
    assert sorted(events, key=str) == sorted([("resolution_paragraphs", "WCC-2020-Res-122"),
                                              ("resolution_paragraphs", "WCC-2020-Res-001"), ("paragraphs", None)],
                                             key=str)


def test_a_second_import_replaces_the_paragraphs_of_the_resolutions_it_names(world):
    engine, sec = world["engine"], world["secretariat"]
    paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(*GOOD))
    again = paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(
        "WCC-2020-Res-122,4b,Commissions,Asks the Commissions to assess the gaps.",
        "WCC-2020-Res-122,1,Members,Calls on Members to support a moratorium.",
    ))
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 2, 1, 0)
    assert stored(engine) == [  # Res-001 untouched; 2 deleted; 4b now first, 1 second
        ("WCC-2020-Res-001", "1", 1, "Director General", "Requests the Director General to report."),
        ("WCC-2020-Res-122", "4b", 1, "Commissions", "Asks the Commissions to assess the gaps."),
        ("WCC-2020-Res-122", "1", 2, "Members", "Calls on Members to support a moratorium."),
    ]
    same = paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(
        "WCC-2020-Res-122,4b,Commissions,Asks the Commissions to assess the gaps.",
        "WCC-2020-Res-122,1,Members,Calls on Members to support a moratorium."))
    assert (same.created, same.updated, same.deleted, same.unchanged, same.resolutions) == (0, 0, 0, 2, 0)


@pytest.mark.parametrize(("row", "field", "words"), [
    ("WCC-2020-Res-999,1,States,Text.", "code", "unknown Resolution"),
    ("WCC-2020-Res-122,,States,Text.", "paragraph", "number"),
    ("WCC-2020-Res-122,1 2,States,Text.", "paragraph", "letters, digits"),
    ("WCC-2020-Res-122,1234567890123,States,Text.", "paragraph", "12"),
    ("WCC-2020-Res-122,5,States," + "x" * 5001, "text", "5,000"),
    ("WCC-2020-Res-122,5,States,", "text", "text"),
    ("WCC-2020-Res-122,5,Sta\x1btes,Text.", "addressee", "control character"),
    ("WCC-2020-Res-122,5,States,Te\x00xt.", "text", "control character"),
    ("WCC-2020-Res-122,5,States", "row", "expected 4 values"),
])
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_written(world, row, field, words):
    with pytest.raises(ValidationFailed) as excinfo:
        paragraphs.import_paragraphs(engine=world["engine"], actor=world["secretariat"],
                                     data=csv_bytes(GOOD[0], row, GOOD[3]))
    assert problems(excinfo) == [(3, field)]
    assert words in excinfo.value.errors[0].message
    assert stored(world["engine"]) == []


def test_a_number_twice_for_one_resolution_is_refused_naming_the_first_line(world):
    with pytest.raises(ValidationFailed) as excinfo:
        paragraphs.import_paragraphs(engine=world["engine"], actor=world["secretariat"], data=csv_bytes(
            GOOD[0], GOOD[3], "WCC-2020-Res-122,1,States,Again.", "WCC-2020-Res-001,2,States,Fine."))
    assert problems(excinfo) == [(4, "paragraph")]
    assert "line 2" in excinfo.value.errors[0].message
    assert stored(world["engine"]) == []


def test_every_bad_row_is_listed_at_once(world):
    with pytest.raises(ValidationFailed) as excinfo:
        paragraphs.import_paragraphs(engine=world["engine"], actor=world["secretariat"], data=csv_bytes(
            "WCC-2020-Res-999,1,States,Text.", GOOD[1], "WCC-2020-Res-122,,States,Text.", "WCC-2020-Res-122,2,,"))
    assert problems(excinfo) == [(2, "code"), (4, "paragraph"), (5, "text"), (5, "paragraph")]


@pytest.mark.parametrize("header", ["code,paragraph,text", "code,paragraph,addressee,text,extra",
                                    "code,number,addressee,text"])
def test_a_missing_or_unknown_column_is_refused_on_line_1(world, header):
    with pytest.raises(ValidationFailed) as excinfo:
        paragraphs.import_paragraphs(engine=world["engine"], actor=world["secretariat"],
                                     data=csv_bytes("WCC-2020-Res-122,1,Text.", header=header))
    assert problems(excinfo) == [(1, "file")]
    assert "code,paragraph,addressee,text" in excinfo.value.errors[0].message


def test_an_import_may_not_delete_a_paragraph_a_report_names(world):
    engine, sec = world["engine"], world["secretariat"]
    paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(*GOOD))
    with transaction(engine) as s:
        comp, reporter = f.component(s, "Ocean Members"), s.get(User, world["reporter_id"])
        report = f.activity_report(s, comp, reporter, (s.get(Resolution, world["r122"]),))
        two = s.exec(select(OperativeParagraph.id).where(OperativeParagraph.number == "2",
                                                         OperativeParagraph.resolution_id == world["r122"])).one()
        s.add(ActivityReportParagraph(activity_report_id=report.id, paragraph_id=two))
    with pytest.raises(ValidationFailed) as excinfo:
        paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(GOOD[0]))
    assert problems(excinfo) == [(2, "paragraph")]
    assert "paragraph 2 of WCC-2020-Res-122" in excinfo.value.errors[0].message
    assert len(stored(engine)) == 4


@pytest.mark.parametrize("role", ["reporter", "focal"])
def test_only_the_secretariat_imports_or_edits_paragraphs(world, role):
    with pytest.raises(PermissionDenied):
        paragraphs.import_paragraphs(engine=world["engine"], actor=world[role], data=csv_bytes(*GOOD))
    with transaction(world["engine"]) as s, pytest.raises(PermissionDenied):
        paragraphs.add_paragraph(session=s, actor=world[role], code="WCC-2020-Res-122", number="1", text="Text.")
    assert stored(world["engine"]) == []


# -- one paragraph at a time -----------------------------------------------------------------------------
def test_add_edit_delete_with_audit_and_the_optimistic_lock(world):
    engine, sec = world["engine"], world["secretariat"]
    with transaction(engine) as s:
        first = paragraphs.add_paragraph(session=s, actor=sec, code="WCC-2020-Res-122", number=" 1 ",
                                         addressee="Members", text="Calls on Members.")
        paragraphs.add_paragraph(session=s, actor=sec, code="WCC-2020-Res-122", number="2", text="Urges States.")
    with transaction(engine) as s, pytest.raises(ValidationFailed) as excinfo:
        paragraphs.add_paragraph(session=s, actor=sec, code="WCC-2020-Res-122", number="2", text="Again.")
    assert excinfo.value.for_field("number") == ["WCC-2020-Res-122 already has a paragraph 2."]
    with transaction(engine) as s:
        paragraphs.edit_paragraph(session=s, actor=sec, paragraph_id=first.id, version=1, number="1",
                                  addressee="States", text="Calls on States.")
    with transaction(engine) as s, pytest.raises(ConflictError):  # version 1 was read before that save
        paragraphs.edit_paragraph(session=s, actor=sec, paragraph_id=first.id, version=1, number="1",
                                  text="Stale.")
    with Session(engine) as s:
        listed = paragraphs.list_paragraphs(session=s, code="WCC-2020-Res-122")
    assert [(p["number"], p["position"], p["addressee"], p["text"], p["version"]) for p in listed] == [
        ("1", 1, "States", "Calls on States.", 2), ("2", 2, "", "Urges States.", 1)]
    with transaction(engine) as s:
        paragraphs.delete_paragraph(session=s, actor=sec, paragraph_id=first.id, version=2)
    with Session(engine) as s:
        assert [p["number"] for p in paragraphs.list_paragraphs(session=s, code="WCC-2020-Res-122")] == ["2"]
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity == paragraphs.ENTITY)
                         .order_by(AuditEvent.id)).all()
    assert actions == ["create", "create", "update", "delete"]


def test_a_paragraph_a_report_names_cannot_be_deleted(world):
    engine, sec = world["engine"], world["secretariat"]
    paragraphs.import_paragraphs(engine=engine, actor=sec, data=csv_bytes(*GOOD))
    with transaction(engine) as s:
        one = s.exec(select(OperativeParagraph).where(OperativeParagraph.number == "1",
                                                      OperativeParagraph.resolution_id == world["r122"])).one()
        report = f.activity_report(s, f.component(s, "Ocean Members"), s.get(User, world["reporter_id"]),
                                   (s.get(Resolution, world["r122"]),))
        s.add(ActivityReportParagraph(activity_report_id=report.id, paragraph_id=one.id))
    with transaction(engine) as s, pytest.raises(ConflictError, match="cannot be deleted"):
        paragraphs.delete_paragraph(session=s, actor=sec, paragraph_id=one.id, version=1)


# -- Activity Reports name paragraphs of their own Resolutions ----------------------------------------------
def _ids(engine, code_id: int) -> dict[str, int]:
    with Session(engine) as s:
        return dict(s.exec(select(OperativeParagraph.number, OperativeParagraph.id)
                           .where(OperativeParagraph.resolution_id == code_id)).all())


def test_an_activity_report_names_paragraphs_of_its_resolutions_only(world):
    engine = world["engine"]
    paragraphs.import_paragraphs(engine=engine, actor=world["secretariat"], data=csv_bytes(*GOOD))
    own, other = _ids(engine, world["r122"]), _ids(engine, world["r001"])
    data = ar.ActivityInput(component_id=world["comp"], resolution_ids=[world["r122"]], title="Workshop",
                            paragraph_ids=[own["4b"], other["1"]])
    with transaction(engine) as s, pytest.raises(ValidationFailed) as excinfo:
        ar.save_draft(session=s, actor=world["reporter"], data=data)
    assert excinfo.value.for_field("paragraph_ids") == ["Choose paragraphs of the Resolutions chosen above."]
    data.paragraph_ids = [own["4b"], own["1"]]
    with transaction(engine) as s:
        saved = ar.save_draft(session=s, actor=world["reporter"], data=data)
    with Session(engine) as s:
        view = ar.get_report(session=s, actor=world["reporter"], report_id=saved.id)
        audited = s.exec(select(AuditEvent.after).where(AuditEvent.entity == "activity_report")).one()
    assert sorted(view.data.paragraph_ids) == sorted([own["1"], own["4b"]])
    assert sorted(audited["paragraph_ids"]) == sorted([own["1"], own["4b"]])


# -- Progress Reports: a status per paragraph; the per-paragraph views -------------------------------------
def test_per_paragraph_view_and_the_paragraphs_nobody_is_working_on(world):
    engine = world["engine"]
    paragraphs.import_paragraphs(engine=engine, actor=world["secretariat"], data=csv_bytes(*GOOD))
    own = _ids(engine, world["r122"])
    with transaction(engine) as s:
        comp, author = f.component(s, "Ocean Members"), s.get(User, world["reporter_id"])
        res = s.get(Resolution, world["r122"])
        counted = f.activity_report(s, comp, author, (res,), title="Counted", submitted_at=datetime(
            2025, 3, 1, tzinfo=UTC))
        counted.shown_publicly = True
        draft = f.activity_report(s, comp, author, (res,), state="draft", title="Draft")
        old = f.activity_report(s, comp, author, (res,), title="Old version")
        newer = f.activity_report(s, comp, author, (res,), title="Newer version", supersedes=old)
        for report, number in ((counted, "1"), (draft, "2"), (old, "2"), (newer, "4b")):
            s.add(ActivityReportParagraph(activity_report_id=report.id, paragraph_id=own[number]))
    secretariat = world["secretariat"]
    with Session(engine) as s:
        view = {p["number"]: p for p in paragraphs.paragraph_view(session=s, code="WCC-2020-Res-122")}
        public = {p["number"]: p for p in paragraphs.paragraph_view(session=s, code="WCC-2020-Res-122", public=True)}
        idle = paragraphs.unaddressed(session=s, actor=secretariat, congress="WCC-2020")
        idle_2026 = paragraphs.unaddressed(session=s, actor=secretariat, congress="WCC-2020", year=2026)
    assert [(a["component"], a["title"], a["year"]) for a in view["1"]["activities"]] == [
        ("Ocean Members", "Counted", 2025)]
    assert view["2"]["activities"] == []  # a draft, and a version replaced by a newer one, do not count
    assert [a["title"] for a in view["4b"]["activities"]] == ["Newer version"]
    assert [a["title"] for a in public["1"]["activities"]] == ["Counted"] and public["4b"]["activities"] == []
    assert list(zip(idle["code"], idle["number"])) == [("WCC-2020-Res-001", "1"), ("WCC-2020-Res-122", "2")]
    # in 2026 the report received in 2025 does not count
    assert list(zip(idle_2026["code"], idle_2026["number"])) == [
        ("WCC-2020-Res-001", "1"), ("WCC-2020-Res-122", "1"), ("WCC-2020-Res-122", "2")]
    with Session(engine) as s, pytest.raises(PermissionDenied):
        paragraphs.unaddressed(session=s, actor=world["reporter"], congress="WCC-2020")


def test_progress_report_statuses_per_paragraph_are_published_with_the_report(world):
    engine, focal = world["engine"], world["focal"]
    paragraphs.import_paragraphs(engine=engine, actor=world["secretariat"], data=csv_bytes(*GOOD))
    own, other = _ids(engine, world["r122"]), _ids(engine, world["r001"])
    year = pr.current_reporting_year()
    data = pr.ProgressInput(status="Underway", summary="Work went on.")
    with transaction(engine) as s, pytest.raises(ValidationFailed) as excinfo:
        pr.save_draft(session=s, actor=focal, code="WCC-2020-Res-122", year=year, data=data,
                      paragraph_statuses={other["1"]: "Completed"})
    assert excinfo.value.for_field("paragraph_statuses")
    with transaction(engine) as s, pytest.raises(ValidationFailed):
        pr.save_draft(session=s, actor=focal, code="WCC-2020-Res-122", year=year, data=data,
                      paragraph_statuses={own["1"]: "Finished"})
    with transaction(engine) as s:
        report = pr.submit_for_review(session=s, actor=focal, code="WCC-2020-Res-122", year=year, data=data,
                                      paragraph_statuses={own["1"]: "Completed", own["4b"]: "Initiated"})
    with Session(engine) as s:
        assert pr.open_report(session=s, actor=focal, code="WCC-2020-Res-122", year=year).paragraph_statuses == {
            own["1"]: "Completed", own["4b"]: "Initiated"}
        # not published yet: the per-paragraph view shows no status
        assert all(not p["statuses"] for p in paragraphs.paragraph_view(session=s, code="WCC-2020-Res-122"))
    with transaction(engine) as s:
        pr.publish(session=s, actor=world["secretariat"], report_id=report.id, version=report.version)
    with Session(engine) as s:
        content = s.exec(select(ProgressReportRevision.content)).one()
        view = {p["number"]: p["statuses"] for p in paragraphs.paragraph_view(session=s, code="WCC-2020-Res-122",
                                                                              public=True)}
    assert content[paragraphs.REVISION_KEY] == {str(own["1"]): "Completed", str(own["4b"]): "Initiated"}
    assert view == {"1": {year: "Completed"}, "2": {}, "4b": {year: "Initiated"}}
    # the Resolution's own status stays the report's
    with Session(engine) as s:
        assert s.exec(select(ProgressReportRevision.status)).one() == "Underway"
