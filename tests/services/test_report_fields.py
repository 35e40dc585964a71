"""The report fields declared once (services/report_fields.py): the spec agrees with the models, the inputs
follow it, what a draft and a submission need comes from it, and every declared field, whatever it is, is
written and read back by the services on both databases (so a field added to the spec is covered here)."""

import pickle
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import String
from sqlmodel import Session

from db.models import ActivityReport, OperativeParagraph, ProgressReport
from services import activity_reports as ar
from services import form_fields
from services import progress_reports as pr
from services.form_fields import Kind
from services.report_fields import ACTIVITY, PROGRESS
from tests import factories as f

TODAY = date(2026, 6, 15)
SPECS = [(ACTIVITY, ActivityReport, ar.ActivityInput), (PROGRESS, ProgressReport, pr.ProgressInput)]


@pytest.mark.parametrize("fields, model, _", SPECS, ids=["activity", "progress"])
def test_every_field_is_a_column_or_a_link_table_of_its_model(fields, model, _):
    columns = model.__table__.columns
    assert len({x.name for x in fields}) == len(fields)
    for spec in fields:
        if spec.link is None:
            assert spec.name in columns, spec.name
            if isinstance(columns[spec.name].type, String) and columns[spec.name].type.length:
                assert spec.limit <= columns[spec.name].type.length, spec.name  # never "value too long"
        else:
            table = spec.link.table.__table__
            [key] = table.columns[spec.link.owner].foreign_keys
            assert key.column.table is model.__table__ and spec.link.column in table.columns
        if spec.kind in form_fields.TEXTS:
            assert spec.limit, spec.name  # every text has its limit (services.text_rules)
        if spec.kind in (Kind.CHOICE, Kind.CHOICES):
            assert spec.options and spec.invalid, spec.name


@pytest.mark.parametrize("fields, _, cls", SPECS, ids=["activity", "progress"])
def test_the_input_has_one_empty_attribute_per_field_and_survives_the_reader_cache(fields, _, cls):
    blank = cls()
    assert [name for name in blank.__dataclass_fields__] == [x.name for x in fields]
    assert all(getattr(blank, x.name) == form_fields.default(x) for x in fields)
    lists = [x.name for x in fields if x.kind in form_fields.LISTS]
    assert lists and all(getattr(cls(), name) is not getattr(blank, name) for name in lists)  # none shared
    filled = cls(**{x.name: sample(x) for x in fields})
    assert pickle.loads(pickle.dumps(filled)) == filled  # st.cache_data pickles what readers return


@pytest.mark.parametrize("fields, _, cls", SPECS, ids=["activity", "progress"])
def test_what_a_draft_and_a_submission_need_comes_from_the_spec(fields, _, cls):
    draft = {e.field for e in form_fields.problems(cls(), fields, full=False)}
    full = {e.field for e in form_fields.problems(cls(), fields, full=True)}
    assert draft == {x.error_key for x in fields if x.needed and x.draft}
    assert full == {x.error_key for x in fields if x.needed}
    assert {"component_id", "resolution_ids", "title"} == draft if fields is ACTIVITY else set() == draft


def test_limits_keep_their_names_and_values():
    assert ar.LIMITS.items() >= {"title": 200, "description": 4000, "partners": 1000, "results": 3000,
                                 "challenges": 2000, "support_needed": 1500, "links": 20, "link": 500,
                                 "comment": 2000}.items()
    assert pr.LIMITS.items() >= {"summary": 5000, "results": 5000, "challenges": 4000, "solutions": 4000,
                                 "comment": 2000}.items()


def sample(spec: form_fields.Field, **ids):
    """A value for any field, by its kind; ids of other rows come from the world."""
    if spec.name in ids:
        return ids[spec.name]
    return {
        Kind.LINE: f"A {spec.label.lower()}",
        Kind.TEXT: f"{spec.label}: first line\n\tsecond line",
        Kind.CHOICE: spec.options[-1] if spec.options else None,
        Kind.CHOICES: list(reversed(spec.options[:2])),
        Kind.DATE: date(2026, 2, 1),
        Kind.FLAG: True,
        Kind.LINKS: ["https://example.org/one", "https://example.org/two"],
        Kind.REF: 1,
        Kind.REFS: [1],
    }[spec.kind]


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        andes = f.component(s, "Andes Trust")
        res1, res2 = f.resolution(s, 1), f.resolution(s, 2)
        rosa = f.user(s, "rosa", ("reporter",), (andes,))
        fay = f.user(s, "fay", ("focal_point",))
        f.assign(s, res1, fay)
        source = f.activity_report(s, andes, rosa, (res1,), submitted_at=datetime(2025, 5, 1, tzinfo=UTC))
        paragraph = OperativeParagraph(resolution_id=res2.id, number="1", position=1, text="Calls on Members.")
        s.add(paragraph)
        s.flush()
        actors = {"rosa": f.actor(s, rosa), "fay": f.actor(s, fay)}
        s.commit()
    return {"engine": engine, "andes": andes.id, "res": [res1.id, res2.id], "source": source.id,
            "paragraph": paragraph.id, **actors}


def test_every_activity_report_field_is_stored_and_read_back(world):
    w = world
    data = ar.ActivityInput(**{x.name: sample(x, component_id=w["andes"], resolution_ids=w["res"],
                                              paragraph_ids=[w["paragraph"]]) for x in ACTIVITY})
    with Session(w["engine"], expire_on_commit=False) as s:
        report = ar.submit(session=s, actor=w["rosa"], data=data, today=TODAY)
        s.commit()
    with Session(w["engine"]) as s:
        view = ar.get_report(session=s, actor=w["rosa"], report_id=report.id)
    assert view.data == form_fields.clean(data, ACTIVITY)
    # kept in the list's order, not as picked
    assert view.data.action_types == list(form_fields.by_name(ar.FIELDS)["action_types"].options[:2])


def test_every_progress_report_field_is_stored_and_read_back(world):
    w = world
    data = pr.ProgressInput(**{x.name: sample(x, source_ids=[w["source"]], component_ids=[w["andes"]])
                               for x in PROGRESS})
    with Session(w["engine"], expire_on_commit=False) as s:
        pr.submit_for_review(session=s, actor=w["fay"], code="WCC-2020-Res-001", year=2025, data=data)
        s.commit()
    with Session(w["engine"]) as s:
        view = pr.open_report(session=s, actor=w["fay"], code="WCC-2020-Res-001", year=2025)
    assert view.data == form_fields.clean(data, PROGRESS)
