"""The global goals reference data (issue 18): complete, numbered as the frameworks number them, loaded once."""

from collections import Counter

from sqlmodel import Session, func, select

from db.models import GoalTarget
from db.reference_data import load_reference_data

SDG_TARGETS_PER_GOAL = {1: 7, 2: 8, 3: 13, 4: 10, 5: 9, 6: 8, 7: 5, 8: 12, 9: 8, 10: 10, 11: 10, 12: 11, 13: 5,
                        14: 10, 15: 12, 16: 12, 17: 19}


def _rows(engine, **where) -> list[GoalTarget]:
    with Session(engine) as s:
        query = select(GoalTarget).order_by(GoalTarget.position)
        for field, value in where.items():
            query = query.where(getattr(GoalTarget, field) == value)
        return list(s.exec(query).all())


def test_the_kmgbf_has_its_23_targets_and_4_goals(engine):
    targets = _rows(engine, framework="KMGBF", level="target")
    assert [t.code for t in targets] == [f"KMGBF-T{i}" for i in range(1, 24)]
    assert [t.number for t in targets] == [str(i) for i in range(1, 24)]
    assert targets[2].name == "Conserve 30% of land, waters and seas"
    assert [g.code for g in _rows(engine, framework="KMGBF", level="goal")] == ["KMGBF-A", "KMGBF-B", "KMGBF-C",
                                                                                "KMGBF-D"]
    assert all(t.name_fr and t.name_es for t in targets)


def test_the_17_sdgs_have_exactly_their_169_targets(engine):
    goals = _rows(engine, framework="SDG", level="goal")
    assert [g.code for g in goals] == [f"SDG-{i}" for i in range(1, 18)]
    assert goals[0].name == "No poverty" and goals[13].name == "Life below water"
    assert goals[0].name_fr == "Pas de pauvreté" and goals[1].name_es == "Hambre cero"
    targets = _rows(engine, framework="SDG", level="target")
    assert len(targets) == 169
    assert Counter(int(t.parent_code.removeprefix("SDG-")) for t in targets) == SDG_TARGETS_PER_GOAL
    for t in targets:  # SDG-14.a: goal 14, target a
        goal, number = t.number.split(".")
        assert t.code == f"SDG-{t.number}" and t.parent_code == f"SDG-{goal}" and t.name
        assert number.isdigit() or (len(number) == 1 and number.isalpha())
    by_code = {t.code: t for t in targets}
    assert by_code["SDG-14.5"].name.startswith("By 2020, conserve at least 10 per cent of coastal and marine areas")
    assert by_code["SDG-17.19"].parent_code == "SDG-17"
    # within a goal, numbered targets first, then the lettered means of implementation, in order
    numbers = [t.number for t in targets if t.parent_code == "SDG-14"]
    assert numbers == ["14.1", "14.2", "14.3", "14.4", "14.5", "14.6", "14.7", "14.a", "14.b", "14.c"]


def test_nature_2030_has_its_five_programme_areas(engine):
    assert [(a.code, a.name, a.level) for a in _rows(engine, framework="NATURE2030")] == [
        ("N2030-PEOPLE", "People", "area"), ("N2030-LAND", "Land", "area"), ("N2030-WATER", "Water", "area"),
        ("N2030-OCEANS", "Oceans", "area"), ("N2030-CLIMATE", "Climate", "area")]


def test_loading_again_changes_nothing_and_repairs_an_edited_name(engine):
    with Session(engine) as s:
        s.get(GoalTarget, "KMGBF-T3").name = "edited"
        s.commit()
    load_reference_data(engine)
    load_reference_data(engine)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(GoalTarget)).one() == 4 + 23 + 17 + 169 + 5
        assert s.get(GoalTarget, "KMGBF-T3").name == "Conserve 30% of land, waters and seas"
        positions = s.exec(select(GoalTarget.position).order_by(GoalTarget.position)).all()
        assert positions == list(range(1, len(positions) + 1))
