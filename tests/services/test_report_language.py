"""Issue 14, item 5: each Activity and Progress Report records the language it was written in (the author's
interface language unless chosen), is refused another language, and lists can keep one language
(My reports; db/counting.written_in for the Overview's filters). On SQLite and PostgreSQL (the engine fixture)."""

from dataclasses import replace
from datetime import date

import pytest
from sqlmodel import Session, func, select

import locales
from db.counting import written_in
from db.models import ActivityReport, AuditEvent, ProgressReport
from services import activity_reports as ar
from services import progress_reports as pr
from services.errors import ValidationFailed
from tests import factories as f

TODAY = date(2026, 6, 15)
CODE = "WCC-2020-Res-001"


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        andes = f.component(s, "Andes Trust")
        res1 = f.resolution(s, 1)
        rosa = f.user(s, "rosa", ("reporter",), (andes,))
        fay = f.user(s, "fay", ("focal_point",))
        f.assign(s, res1, fay)
        w = {"engine": engine, "andes": andes.id, "res1": res1.id, "rosa": f.actor(s, rosa), "fay": f.actor(s, fay)}
        s.commit()
    return w


def draft_input(w, **changes) -> ar.ActivityInput:
    return replace(ar.ActivityInput(component_id=w["andes"], resolution_ids=[w["res1"]], title="Taller"), **changes)


def save(w, data, language="en"):
    with locales.use(language), Session(w["engine"], expire_on_commit=False) as s:
        report = ar.save_draft(session=s, actor=w["rosa"], data=data, today=TODAY)
        s.commit()
        return report


def stored_language(engine, model, report_id) -> str:
    with Session(engine) as s:
        return s.get(model, report_id).language


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_an_activity_report_left_without_a_language_records_the_authors_interface_language(world, language):
    report = save(world, draft_input(world), language)
    assert stored_language(world["engine"], ActivityReport, report.id) == language


def test_the_language_chosen_on_the_form_wins_and_is_read_back_and_audited(world):
    report = save(world, draft_input(world, language="es"), "fr")
    assert stored_language(world["engine"], ActivityReport, report.id) == "es"
    with Session(world["engine"]) as s:
        view = ar.get_report(session=s, actor=world["rosa"], report_id=report.id)
    assert view.data.language == "es"
    with Session(world["engine"]) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.entity_id == str(report.id))).one()
    assert event.after["language"] == "es"


def test_a_language_outside_the_three_is_refused_next_to_the_field_in_the_users_language(world):
    with pytest.raises(ValidationFailed) as refused:
        save(world, draft_input(world, language="de"), "fr")
    errors = {e.field: e.message for e in refused.value.errors}
    assert errors == {"language": "Choisissez l'anglais, le français ou l'espagnol."}
    with Session(world["engine"]) as s:
        assert s.exec(select(func.count()).select_from(ActivityReport)).one() == 0


def test_a_new_report_started_from_an_earlier_one_does_not_carry_its_language(world):
    earlier = save(world, draft_input(world, language="es"))
    with Session(world["engine"]) as s:
        copy = ar.prefill_from(session=s, actor=world["rosa"], report_id=earlier.id)
    assert copy.language is None  # the page then offers the author's interface language
    again = save(world, copy, "fr")
    assert stored_language(world["engine"], ActivityReport, again.id) == "fr"


def test_my_reports_lists_each_reports_language_and_keeps_the_languages_asked_for(world):
    ids = {lang: save(world, draft_input(world, title=f"Report {lang}", language=lang)).id
           for lang in ("en", "fr", "es")}
    with Session(world["engine"]) as s:
        every = ar.my_reports(session=s, actor=world["rosa"])
        french = ar.my_reports(session=s, actor=world["rosa"], languages=("fr",))
        latin = ar.my_reports(session=s, actor=world["rosa"], languages=("fr", "es"))
    assert dict(zip(every["id"], every["language"])) == {ids["en"]: "en", ids["fr"]: "fr", ids["es"]: "es"}
    assert list(french["id"]) == [ids["fr"]]
    assert set(latin["id"]) == {ids["fr"], ids["es"]}


def test_the_counting_condition_keeps_the_languages_named_and_everything_when_none(world):
    for lang in ("en", "fr", "fr"):
        save(world, draft_input(world, language=lang))
    with Session(world["engine"]) as s:
        def count(languages):
            return s.exec(select(func.count()).select_from(ActivityReport).where(written_in(languages))).one()
        assert (count(()), count(("fr",)), count(("es",)), count(("en", "fr"))) == (3, 2, 0, 3)


def test_a_progress_report_records_its_language_and_shows_it_when_opened(world):
    with locales.use("es"), Session(world["engine"], expire_on_commit=False) as s:
        report = pr.save_draft(session=s, actor=world["fay"], code=CODE, year=2026,
                               data=pr.ProgressInput(summary="Avances en arrecifes."))
        s.commit()
    assert stored_language(world["engine"], ProgressReport, report.id) == "es"
    with Session(world["engine"]) as s:
        view = pr.open_report(session=s, actor=world["fay"], code=CODE, year=2026)
        assert view.data.language == "es"
        assert s.exec(select(func.count()).select_from(ProgressReport)
                      .where(written_in(("fr",), ProgressReport))).one() == 0
    with Session(world["engine"], expire_on_commit=False) as s:
        pr.save_draft(session=s, actor=world["fay"], code=CODE, year=2026, version=report.version,
                      data=replace(view.data, language="fr"))
        s.commit()
    assert stored_language(world["engine"], ProgressReport, report.id) == "fr"
