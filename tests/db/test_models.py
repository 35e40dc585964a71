"""The database itself refuses what the domain forbids: duplicate codes, a second Progress Report for a
year, dangling references, values outside the vocabularies."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import (
    ActivityReport,
    Component,
    ProgressReport,
    Resolution,
    ResolutionTheme,
    UserRole,
)
from tests import factories


def _refused(engine, *rows) -> None:
    """Adding these rows in one transaction must fail on a constraint (and leave nothing behind)."""
    with Session(engine) as s:
        for row in rows:
            s.add(row)
        with pytest.raises(IntegrityError):
            s.commit()


def test_resolution_code_is_unique(engine):
    with Session(engine) as s:
        first = factories.resolution(s, 1)
        congress_id = first.congress_id
        s.commit()
    _refused(engine, Resolution(code="WCC-2020-Res-001", number=2, kind="Resolution", title="Copy",
                                congress_id=congress_id))
    with Session(engine) as s:
        assert s.exec(select(Resolution.title).where(Resolution.code == "WCC-2020-Res-001")).all() == [
            "Test resolution 1"]


def test_resolution_number_is_unique_within_its_congress(engine):
    with Session(engine) as s:
        factories.resolution(s, 5)
        other = factories.congress(s, "WCC-2016")
        s.add(Resolution(code="WCC-2016-Res-005", number=5, kind="Resolution", title="Same number, other Congress",
                         congress_id=other.id))
        s.commit()  # the same number in another Congress is fine
        congress_id = factories.congress(s, "WCC-2020").id
    _refused(engine, Resolution(code="WCC-2020-Rec-005", number=5, kind="Recommendation", title="Clash",
                                congress_id=congress_id))


def test_one_progress_report_per_resolution_and_year(engine):
    with Session(engine) as s:
        res = factories.resolution(s, 1)
        focal = factories.user(s, "focal1", ("focal_point",))
        s.add(ProgressReport(resolution_id=res.id, year=2024, author_id=focal.id, status="Initiated"))
        s.add(ProgressReport(resolution_id=res.id, year=2025, author_id=focal.id, status="Underway"))
        s.commit()
        ids = res.id, focal.id
    _refused(engine, ProgressReport(resolution_id=ids[0], year=2024, author_id=ids[1], status="Completed"))
    with Session(engine) as s:
        assert len(s.exec(select(ProgressReport)).all()) == 2


@pytest.mark.parametrize("make", [
    lambda ids: Resolution(code="WCC-2020-Res-900", number=900, kind="Resolution", title="No Congress",
                           congress_id=999_999),
    lambda ids: ResolutionTheme(resolution_id=ids["resolution"], theme_id=999_999),
    lambda ids: ProgressReport(resolution_id=999_999, year=2024, author_id=ids["user"], status="Initiated"),
    lambda ids: ProgressReport(resolution_id=ids["resolution"], year=2024, author_id=999_999,
                               status="Initiated"),
    lambda ids: ActivityReport(component_id=999_999, author_id=ids["user"], title="Nowhere"),
    lambda ids: UserRole(user_id=999_999, role="reporter"),
], ids=["resolution-congress", "theme", "progress-resolution", "progress-author", "activity-component",
        "role-user"])
def test_foreign_keys_are_enforced(engine, make):
    with Session(engine) as s:
        ids = {"resolution": factories.resolution(s, 1).id, "user": factories.user(s, "someone").id}
        s.commit()
    _refused(engine, make(ids))


@pytest.mark.parametrize("make", [
    lambda ids: Resolution(code="WCC-2020-Dec-001", number=1, kind="Decision", title="Bad kind",
                           congress_id=ids["congress"]),
    lambda ids: Resolution(code="WCC-2020-Res-001", number=1, kind="Resolution", title="Bad status",
                           congress_id=ids["congress"], status="retired"),
    lambda ids: Resolution(code="WCC-2020-Res-001", number=1, kind="Resolution", title="Archived, no date",
                           congress_id=ids["congress"], status="archived"),
    lambda ids: Resolution(code="WCC-2020-Res-001", number=1, kind="Resolution", title="Active with a date",
                           congress_id=ids["congress"], archived_on=date(2024, 1, 1)),
    lambda ids: ProgressReport(resolution_id=ids["resolution"], year=2024, author_id=ids["user"],
                               status="Done"),
    lambda ids: ProgressReport(resolution_id=ids["resolution"], year=2024, author_id=ids["user"],
                               status="Initiated", state="approved"),
    lambda ids: ActivityReport(component_id=ids["component"], author_id=ids["user"], title="t",
                               state="sent"),
    lambda ids: ActivityReport(component_id=ids["component"], author_id=ids["user"], title="t",
                               action_status="Finished"),
    lambda ids: UserRole(user_id=ids["user"], role="superuser"),
    lambda ids: Component(kind="Company", name="Not a component kind"),
], ids=["resolution-kind", "resolution-status", "archived-without-date", "active-with-date",
        "implementation-status", "progress-state", "activity-state", "action-status", "role", "component-kind"])
def test_vocabulary_checks(engine, make):
    with Session(engine) as s:
        res = factories.resolution(s, 2)
        ids = {"congress": res.congress_id, "resolution": res.id, "user": factories.user(s, "someone").id,
               "component": factories.component(s).id}
        s.commit()
    _refused(engine, make(ids))


def test_values_from_the_vocabularies_are_accepted(engine):
    """The other side of the CHECKs: every value of each scale is stored (apostrophes and all)."""
    from db import vocab

    with Session(engine) as s:
        focal = factories.user(s, "focal1", ("focal_point",))
        for role in vocab.ROLES:
            if role != "focal_point":
                s.add(UserRole(user_id=focal.id, role=role))
        for n, status in enumerate(vocab.IMPLEMENTATION_STATUSES, start=1):
            res = factories.resolution(s, n, kind=vocab.RESOLUTION_KINDS[n % 2])
            s.add(ProgressReport(resolution_id=res.id, year=2024, author_id=focal.id, status=status))
        archived = factories.resolution(s, 50, status="archived", archived_on=date(2024, 5, 1))
        s.commit()
        stored = s.exec(select(ProgressReport.status).order_by(ProgressReport.id)).all()
        assert stored == list(vocab.IMPLEMENTATION_STATUSES)
        assert s.get(Resolution, archived.id).archived_on == date(2024, 5, 1)
