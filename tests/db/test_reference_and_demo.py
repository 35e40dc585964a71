"""Reference data every installation has, and the deterministic demo data set."""

import shutil

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, SQLModel, select

from db.bootstrap import prepare_database
from db.demo import DEMO_ACCOUNTS, has_demo_accounts, load_demo_data
from db.engine import make_engine
from db.migrate import upgrade
from db.models import Component, Congress, Resolution, Theme, User, UserRole
from db.reference_data import load_reference_data
from db.settings import ConfigurationError

GENERAL_ASSEMBLIES = [1948, 1950, 1952, 1954, 1956, 1958, 1960, 1963, 1966, 1969, 1972, 1975, 1977, 1978,
                      1981, 1984, 1988, 1990, 1994]
CONGRESSES = [1996, 2000, 2004, 2008, 2012, 2016, 2020, 2025]
COMMISSIONS = {"CEC", "CEESP", "CEM", "SSC", "WCEL", "WCPA"}
# Columns that differ between two builds by design: bcrypt salts and the moment a row was made.
NOT_DETERMINISTIC = {("app_user", "password_hash"), ("app_user", "created_at")}


def test_all_27_general_assemblies_and_congresses(engine):
    with Session(engine) as s:
        rows = s.exec(select(Congress).order_by(Congress.year)).all()
    assert [c.code for c in rows] == [f"GA-{y}" for y in GENERAL_ASSEMBLIES] + [f"WCC-{y}" for y in CONGRESSES]
    assert len(rows) == 27
    for c in rows:
        assert c.code.startswith("GA-" if c.kind == "General Assembly" else "WCC-")
        assert c.code.endswith(str(c.year))
    assert [c.session for c in rows if c.kind == "General Assembly"] == list(range(1, 20))
    assert [c.session for c in rows if c.kind == "World Conservation Congress"] == list(range(1, 9))
    by_code = {c.code: c for c in rows}
    assert (by_code["WCC-2020"].city, by_code["WCC-2020"].country) == ("Marseille", "France")
    assert by_code["WCC-2020"].start_date.year == 2021  # Marseille 2020 met in 2021
    assert by_code["WCC-2025"].city == "Abu Dhabi"
    assert by_code["WCC-2016"].official_prefix == "6."
    assert {c: by_code[c].adopted_count for c in ("WCC-2016", "WCC-2020", "WCC-2025")} == {
        "WCC-2016": 112, "WCC-2020": 137, "WCC-2025": 148}


def test_nature_2030_themes_and_topics(engine):
    with Session(engine) as s:
        areas = s.exec(select(Theme.name).where(Theme.framework == "Nature 2030").order_by(Theme.sort_order)).all()
        topics = s.exec(select(Theme).where(Theme.parent_id.is_not(None))).all()
        names = {t.id: t.name for t in s.exec(select(Theme))}
    assert areas == ["People", "Land", "Water", "Oceans", "Climate"]
    assert topics and all(names[t.parent_id] in areas for t in topics)


def test_six_commissions_and_secretariat_units(engine):
    with Session(engine) as s:
        commissions = s.exec(select(Component.acronym).where(Component.kind == "Commission")).all()
        units = s.exec(select(Component).where(Component.kind == "Secretariat")).all()
    assert set(commissions) == COMMISSIONS and len(commissions) == 6
    assert len(units) >= 5 and all(u.region and u.country for u in units)


def test_reference_data_loads_twice_without_change(engine):
    def counts():
        with Session(engine) as s:
            return [s.exec(select(func.count()).select_from(m)).one() for m in (Congress, Theme, Component)]

    before = counts()
    load_reference_data(engine)
    assert counts() == before


def _dump(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, without the columns that differ by design."""
    out = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            cols = [c for c in table.columns if (table.name, c.name) not in NOT_DETERMINISTIC]
            order = list(table.primary_key.columns)
            out[table.name] = [tuple(r) for r in conn.execute(table.select().with_only_columns(*cols).order_by(*order))]
    return out


def test_demo_data_is_deterministic(demo_file, tmp_path):
    again = make_engine(f"sqlite:///{tmp_path / 'again.db'}")
    upgrade(again)
    load_reference_data(again)
    load_demo_data(again, password_rounds=4)
    first, second = _dump(make_engine(f"sqlite:///{demo_file}")), _dump(again)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    assert len(first["resolution"]) > 0 and len(first["activity_report"]) > 0


def test_demo_counts_per_congress(demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        rows = s.exec(
            select(Congress.code, Congress.adopted_count, func.count(Resolution.id))
            .join(Resolution, Resolution.congress_id == Congress.id).group_by(Congress.id)
        ).all()
        kinds = set(s.exec(select(Resolution.kind).distinct()).all())
        statuses = set(s.exec(select(Resolution.status).distinct()).all())
    counts = {code: n for code, _, n in rows}
    assert counts["WCC-2016"] == 112
    assert counts["WCC-2020"] == 137
    assert counts["WCC-2025"] == 148
    for code, adopted, n in rows:
        if adopted is not None:
            assert n == adopted, code
    assert kinds == {"Resolution", "Recommendation"}
    assert statuses == {"active", "archived"}


def test_demo_uses_real_titles_and_labels_placeholders(demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        titles = dict(s.exec(select(Resolution.code, Resolution.title)).all())
    assert titles["WCC-2016-Res-001"].startswith("Identifying and archiving obsolete Resolutions")
    real = [t for t in titles.values() if not t.startswith("[Placeholder] ")]
    assert 0 < len(real) < len(titles)


def test_demo_accounts_one_per_role(demo_file):
    engine = make_engine(f"sqlite:///{demo_file}")
    with Session(engine) as s:
        roles = dict(s.exec(
            select(User.username, UserRole.role).join(UserRole)
            .where(User.username.in_([a[0] for a in DEMO_ACCOUNTS]))
        ).all())
    assert roles == {"reporter": "reporter", "focal": "focal_point", "secretariat": "secretariat",
                     "leader": "leadership", "admin": "admin"}


def test_demo_accounts_exist_only_in_demo_mode(demo_file, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(demo_file, copy)
    with pytest.raises(ConfigurationError, match="demo"):
        prepare_database(make_engine(f"sqlite:///{copy}"), demo=False)


def test_production_start_creates_no_accounts(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'prod.db'}")
    prepare_database(engine, demo=False)
    with Session(engine) as s:
        assert not has_demo_accounts(s)
        assert s.exec(select(func.count()).select_from(User)).one() == 0
        assert s.exec(select(func.count()).select_from(Congress)).one() == 27


def test_demo_start_loads_demo_data_once(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    prepare_database(engine, demo=True)
    with engine.connect() as conn:
        first = conn.execute(text("SELECT count(*) FROM resolution")).scalar()
    prepare_database(engine, demo=True)  # a restart does not load it again
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM resolution")).scalar() == first > 0
