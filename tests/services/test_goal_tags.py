"""Tagging Resolutions with global goals (issue 18): one at a time and by CSV file, permission and audit."""

import pytest
from sqlmodel import Session, select

from db.engine import transaction
from db.models import AuditEvent, ResolutionTarget
from services import goal_tags
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f


@pytest.fixture
def world(engine):
    with Session(engine) as s:
        f.resolution(s, 1)
        f.resolution(s, 2)
        people = {name: f.actor(s, f.user(s, name, (role,)))
                  for name, role in (("sec", "secretariat"), ("rep", "reporter"), ("foc", "focal_point"),
                                     ("lead", "leadership"), ("adm", "admin"))}
        s.commit()
    return engine, people


def tags(engine) -> dict[str, list[str]]:
    with Session(engine) as s:
        out: dict[str, list[str]] = {}
        for code in ("WCC-2020-Res-001", "WCC-2020-Res-002"):
            out[code] = goal_tags.targets_of(session=s, code=code)
        return out


def events(engine, entity="resolution") -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


def set_targets(engine, actor, targets, code="WCC-2020-Res-001"):
    with transaction(engine) as s:
        return goal_tags.set_targets(session=s, actor=actor, code=code, targets=targets)


def test_the_secretariat_tags_a_resolution_audited_and_in_reference_order(world):
    engine, people = world
    assert set_targets(engine, people["sec"], ["SDG-14.a", "KMGBF-T3", "N2030-OCEANS", "KMGBF-T3"]) is True
    assert tags(engine)["WCC-2020-Res-001"] == ["KMGBF-T3", "SDG-14.a", "N2030-OCEANS"]
    [event] = events(engine)
    assert (event.action, event.entity_id, event.user_id) == ("update", "WCC-2020-Res-001", people["sec"].id)
    assert event.before == {"targets": []} and event.after == {"targets": ["KMGBF-T3", "SDG-14.a", "N2030-OCEANS"]}
    # changing them: one removed, one added; the same again writes nothing
    assert set_targets(engine, people["sec"], ["KMGBF-T4", "SDG-14.a"]) is True
    assert set_targets(engine, people["sec"], ["SDG-14.a", "KMGBF-T4"]) is False
    assert tags(engine)["WCC-2020-Res-001"] == ["KMGBF-T4", "SDG-14.a"]
    assert [(e.before, e.after) for e in events(engine)][1] == (
        {"targets": ["KMGBF-T3", "SDG-14.a", "N2030-OCEANS"]}, {"targets": ["KMGBF-T4", "SDG-14.a"]})
    assert len(events(engine)) == 2
    assert set_targets(engine, people["adm"], []) is True
    assert tags(engine)["WCC-2020-Res-001"] == []


@pytest.mark.parametrize("who", ["rep", "foc", "lead"])
def test_only_the_secretariat_and_the_administrator_tag(world, who):
    engine, people = world
    with pytest.raises(PermissionDenied):
        set_targets(engine, people[who], ["KMGBF-T3"])
    assert tags(engine)["WCC-2020-Res-001"] == [] and events(engine) == []


def test_an_unknown_target_or_resolution_is_refused_and_nothing_written(world):
    engine, people = world
    with pytest.raises(ValidationFailed) as refused:
        set_targets(engine, people["sec"], ["KMGBF-T3", "KMGBF-T24", "SDG-18"])
    assert [e.field for e in refused.value.errors] == ["targets", "targets"]
    assert "'KMGBF-T24'" in refused.value.errors[0].message
    with pytest.raises(NotFound):
        set_targets(engine, people["sec"], ["KMGBF-T3"], code="WCC-2020-Res-999")
    assert tags(engine)["WCC-2020-Res-001"] == [] and events(engine) == []


GOOD = ("code,target\n"
        "WCC-2020-Res-001,KMGBF-T3\n"
        "WCC-2020-Res-001,SDG-15\n"
        " WCC-2020-Res-002 , SDG-14.5 \n"
        "\n")


def test_a_good_file_adds_its_tags_and_importing_it_again_changes_nothing(world):
    engine, people = world
    set_targets(engine, people["sec"], ["N2030-LAND"])
    result = goal_tags.import_tags(engine=engine, actor=people["sec"], data=GOOD.encode())
    assert (result.created, result.unchanged, result.resolutions) == (3, 0, 2)
    assert tags(engine) == {"WCC-2020-Res-001": ["KMGBF-T3", "SDG-15", "N2030-LAND"],
                            "WCC-2020-Res-002": ["SDG-14.5"]}
    updates = events(engine)[1:]
    assert [(e.entity_id, e.before, e.after) for e in updates] == [
        ("WCC-2020-Res-001", {"targets": ["N2030-LAND"]}, {"targets": ["KMGBF-T3", "SDG-15", "N2030-LAND"]}),
        ("WCC-2020-Res-002", {"targets": []}, {"targets": ["SDG-14.5"]})]
    [summary] = events(engine, "register")
    assert summary.action == "import" and summary.after == {"targets_added": 3, "resolutions": 2}
    again = goal_tags.import_tags(engine=engine, actor=people["sec"], data=("\ufeff" + GOOD).encode())
    assert (again.created, again.unchanged, again.resolutions) == (0, 3, 0)
    assert len(events(engine)) == 3


BAD_ROWS = [
    ("WCC-2020-Res-999,KMGBF-T3", "code", "unknown Resolution code 'WCC-2020-Res-999'"),
    (",KMGBF-T3", "code", "the Resolution code is missing"),
    ("WCC-2020-Res-001,KMGBF-T99", "target", "unknown target code 'KMGBF-T99'"),
    ("WCC-2020-Res-001,", "target", "the target code is missing"),
    ("WCC-2020-Res-001,kmgbf-t3", "target", "unknown target code 'kmgbf-t3'"),
    ("WCC-2020-Res-002,SDG-14.5", "row", "duplicate of line 2"),
    ("WCC-2020-Res-001,KMGBF-T3,extra", "row", None),
    ("WCC-2020-Res-001,KMGBF\x00T3", "target", "control character"),
]


@pytest.mark.parametrize(("row", "field", "message"), BAD_ROWS)
def test_each_bad_row_is_reported_with_its_line_and_nothing_is_imported(world, row, field, message):
    engine, people = world
    data = f"code,target\nWCC-2020-Res-002,SDG-14.5\nWCC-2020-Res-001,KMGBF-T4\n{row}\n".encode()
    with pytest.raises(ValidationFailed) as refused:
        goal_tags.import_tags(engine=engine, actor=people["sec"], data=data)
    [problem] = refused.value.errors
    assert problem.line == 4
    if field != "row" or message:
        assert problem.field == field
    if message:
        assert message in problem.message
    assert tags(engine) == {"WCC-2020-Res-001": [], "WCC-2020-Res-002": []}
    assert events(engine) == [] and events(engine, "register") == []


def test_a_file_with_other_columns_or_no_rows_is_refused(world):
    engine, people = world
    for data, message in ((b"code,theme\nWCC-2020-Res-001,KMGBF-T3\n", "the columns must be exactly code,target"),
                          (b"code,target\n", "the file has no rows")):
        with pytest.raises(ValidationFailed) as refused:
            goal_tags.import_tags(engine=engine, actor=people["sec"], data=data)
        assert message in str(refused.value)


@pytest.mark.parametrize("who", ["rep", "foc", "lead"])
def test_only_the_secretariat_imports_tags(world, who):
    engine, people = world
    with pytest.raises(PermissionDenied):
        goal_tags.import_tags(engine=engine, actor=people[who], data=GOOD.encode())
    with Session(engine) as s:
        assert s.exec(select(ResolutionTarget)).all() == []


def test_the_list_speaks_the_readers_language(world):
    import locales

    engine, _people = world
    with Session(engine) as s, locales.use("fr"):
        frame = goal_tags.goal_targets(session=s, framework="SDG")
        labels = goal_tags.target_labels(session=s)
    assert len(frame) == 17 + 169
    assert frame.iloc[0]["label"] == "SDG 1 · Pas de pauvreté"
    assert labels["KMGBF-T3"] == "KMGBF 3 · Conserver 30 % des terres, des eaux et des mers"
    assert labels["N2030-OCEANS"] == "Océans"
    assert labels["SDG-14.1"].startswith("SDG 14.1 · By 2025, prevent")  # no French text shipped: the English
