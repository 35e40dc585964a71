"""An Activity Report's "may be shown publicly" choice (issue 16): off unless ticked, stored, audited, kept by a
correction, asked anew for a report started from an earlier one, and what the public sees follows it."""

from datetime import date

import pytest
from sqlmodel import Session, select

from db.models import ActivityReport, AuditEvent
from services import activity_reports as ar
from services import public
from tests import factories as f

TODAY = date(2026, 6, 15)


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        mine = f.component(s, "Andes Trust")
        res = f.resolution(s, 1, title="Protecting coral reefs")
        reporter = f.actor(s, f.user(s, "rosa", ("reporter",), (mine,)))
        s.commit()
    return {"engine": engine, "component": mine.id, "res": res.id, "code": res.code, "reporter": reporter}


def report_input(w, **changes) -> ar.ActivityInput:
    return ar.ActivityInput(
        component_id=w["component"], resolution_ids=[w["res"]], title="Reef workshops",
        description="Three workshops for reef managers.", action_types=["Capacity-building"],
        action_status="On-going", period_start=date(2026, 1, 10), scope_global=True, **changes)


def submit(w, **changes) -> int:
    with Session(w["engine"], expire_on_commit=False) as s:
        report = ar.submit(session=s, actor=w["reporter"], data=report_input(w, **changes), today=TODAY)
        s.commit()
        return report.id


def stored(w, report_id: int) -> ActivityReport:
    with Session(w["engine"]) as s:
        return s.get(ActivityReport, report_id)


def public_titles(w) -> list[str]:
    with Session(w["engine"]) as s:
        return [a["title"] for a in public.resolution(s, w["code"])["activity_reports"]]


def test_off_unless_ticked(world):
    assert ar.ActivityInput().shown_publicly is False
    report_id = submit(world)
    assert stored(world, report_id).shown_publicly is False
    assert public_titles(world) == []


def test_ticked_it_is_stored_audited_and_shown_to_the_public(world):
    report_id = submit(world, shown_publicly=True)
    assert stored(world, report_id).shown_publicly is True
    with Session(world["engine"]) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.entity == "activity_report",
                                                AuditEvent.entity_id == str(report_id))).one()
    assert event.after["shown_publicly"] is True
    assert public_titles(world) == ["Reef workshops"]


def test_a_report_started_from_an_earlier_one_asks_again_and_a_correction_keeps_it(world):
    report_id = submit(world, shown_publicly=True)
    with Session(world["engine"], expire_on_commit=False) as s:
        assert ar.prefill_from(session=s, actor=world["reporter"], report_id=report_id).shown_publicly is False
        s.get(ActivityReport, report_id).locked = True  # cited by a published Progress Report
        s.commit()
        copy = ar.new_version(session=s, actor=world["reporter"], report_id=report_id)
        s.commit()
    assert stored(world, copy.id).shown_publicly is True
