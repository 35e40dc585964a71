"""The Secretariat's curation of the mined groups (issue 18): rename, pin and merge are stored, audited and
applied by the next run, also after new data came in; who may not curate is refused (tests/services/
test_permissions.py checks the table)."""

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, ReportThemeGroup
from services import report_themes as themes
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f
from tests.analytics.report_theme_corpus import TOPICS


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        africa = f.component(s, "A Member in Africa", region="Africa", country="Kenya")
        reporter = f.user(s, "writer", ("reporter",), components=(africa,))
        res = f.resolution(s, 1)
        for english, french in TOPICS.values():
            for language, texts in (("en", english), ("fr", french)):
                for text in texts:
                    _report(s, africa, reporter, res, text, language)
        people = {role: f.actor(s, f.user(s, role, (role,))) for role in ("secretariat", "leadership")}
        s.commit()
        return {"engine": engine, "africa": africa.id, "reporter": reporter.id, "res": res.id, **people}


def _report(s, component, author, res, text, language="en"):
    report = f.activity_report(s, component, author, (res,), submitted_at=datetime(2025, 5, 1, tzinfo=UTC))
    report.challenges, report.language = text, language
    s.add(report)
    s.flush()
    return report


def _groups(engine, actor):
    with Session(engine) as s:
        return themes.read_groups(session=s, actor=actor).groups


def _group_with(groups, word):
    return next(row for _i, row in groups.iterrows() if word in row["terms"])


def test_rename_pin_and_merge_are_kept_across_runs_and_audited(world):
    engine, secretariat = world["engine"], world["secretariat"]
    groups = _groups(engine, world["leadership"])  # leadership reads ...
    with Session(engine) as s:
        money = themes.rename(session=s, actor=secretariat, group=themes.GroupRef.of(_group_with(groups, "funding")),
                              name="  Money   and donors ")
        themes.pin(session=s, actor=secretariat, group=themes.GroupRef(scope="en", curated_id=money.id))
        people = themes.rename(session=s, actor=secretariat, group=themes.GroupRef.of(_group_with(groups, "staff")),
                               name="People")
        themes.merge(session=s, actor=secretariat, group=themes.GroupRef.of(_group_with(groups, "political")),
                     into=themes.GroupRef(scope="en", curated_id=people.id))
        s.commit()
        people_id = people.id
    with Session(engine) as s:  # new data: a funding text and an unrelated one
        _report(s, s.get(f.Component, world["africa"]), s.get(f.User, world["reporter"]),
                s.get(f.Resolution, world["res"]), "Donors withdrew the funding for the coming budget.")
        _report(s, s.get(f.Component, world["africa"]), s.get(f.User, world["reporter"]),
                s.get(f.Resolution, world["res"]), "Wildfires and drought damaged the sites.")
        s.commit()
    again = _groups(engine, secretariat).set_index("name", drop=False)
    assert again.loc["Money and donors", "pinned"] and again.loc["Money and donors", "texts"] == 5
    assert again.loc["People", "texts"] == 8 and again.loc["People", "curated_id"] == people_id
    with Session(engine) as s:
        rows = s.exec(select(ReportThemeGroup).order_by(ReportThemeGroup.id)).all()
        assert [(r.name, r.pinned, r.merged_into_id is not None) for r in rows] == [
            ("Money and donors", True, False), ("People", False, False), (None, False, True)]
        events = s.exec(select(AuditEvent.action).where(AuditEvent.entity == themes.ENTITY)
                        .order_by(AuditEvent.id)).all()
        assert events == ["create", "rename", "pin", "create", "rename", "create", "merge"]
        assert all(e == secretariat.id for e in s.exec(select(AuditEvent.user_id).where(
            AuditEvent.entity == themes.ENTITY)))


def test_refusals(world):
    engine, secretariat = world["engine"], world["secretariat"]
    groups = _groups(engine, secretariat)
    ref = themes.GroupRef.of(_group_with(groups, "funding"))
    with Session(engine) as s:
        with pytest.raises(PermissionDenied):
            themes.rename(session=s, actor=world["leadership"], group=ref, name="Money")
        with pytest.raises(ValidationFailed):
            themes.rename(session=s, actor=secretariat, group=ref, name="x" * (themes.NAME_MAX + 1))
        with pytest.raises(ValidationFailed):
            themes.merge(session=s, actor=secretariat, group=ref,
                         into=themes.GroupRef.of(_group_with(groups, "financement")))  # another language
        with pytest.raises(NotFound):
            themes.pin(session=s, actor=secretariat, group=themes.GroupRef(scope="en", curated_id=999))
        with pytest.raises(ValidationFailed):
            themes.pin(session=s, actor=secretariat, group=themes.GroupRef(scope="en"))  # no terms
        row = themes.rename(session=s, actor=secretariat, group=ref, name="Money")
        same = themes.GroupRef(scope="en", curated_id=row.id)
        with pytest.raises(ValidationFailed):
            themes.merge(session=s, actor=secretariat, group=same, into=same)
        s.rollback()
