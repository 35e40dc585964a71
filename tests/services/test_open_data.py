"""services/open_data.py: the bulk downloads, on both databases (the world: tests/public_world.py)."""

import csv
import io
import json
import zipfile

import pytest
from sqlmodel import Session, select

from db.models import Resolution
from services import audit, open_data, public
from tests import public_world as world


@pytest.fixture
def built(engine):
    return world.build(engine)


def bundle(engine, licence="CC BY 4.0") -> open_data.Bundle:
    with Session(engine) as s:
        return open_data.build(s, licence=licence)


def rows_of(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_one_csv_and_one_json_per_table_a_readme_and_a_zip(engine, built):
    files = bundle(engine).files
    expected = {f"{t}.{ext}" for t in open_data.TABLE_NAMES for ext in ("csv", "json")}
    assert set(files) == expected | {"README.md", "open-data.zip"}
    with zipfile.ZipFile(io.BytesIO(files["open-data.zip"])) as zf:
        assert set(zf.namelist()) == expected | {"README.md"}
        assert all(zf.read(name) == files[name] for name in zf.namelist())


def test_the_files_hold_what_the_public_sees_and_nothing_else(engine, built):
    files = bundle(engine).files
    with zipfile.ZipFile(io.BytesIO(files["open-data.zip"])) as zf:
        text = "\n".join(zf.read(n).decode("utf-8-sig") for n in zf.namelist()).lower()
    for mark in world.PUBLIC_MARKS:
        assert mark.lower() in text, mark
    for mark in world.SECRET_MARKS:
        assert mark.lower() not in text, mark


def test_csv_and_json_carry_the_same_records_under_the_readme_columns(engine, built):
    files = bundle(engine).files
    readme = files["README.md"].decode()
    for spec in open_data.TABLES:
        keys = [key for key, _, _ in spec.columns]
        records = json.loads(files[f"{spec.name}.json"])
        rows = rows_of(files[f"{spec.name}.csv"])
        assert len(records) == len(rows) and all(list(r) == keys for r in records)
        assert list(rows[0]) == keys if rows else True
        assert all(f"| {key} |" in readme for key in keys)
    reports = json.loads(files["progress_reports.json"])
    assert {(r["resolution"], r["year"], r["status"]) for r in reports} == {
        ("WCC-2020-Res-001", 2025, "Underway"), ("WCC-2020-Rec-004", 2025, "Completed"),
        ("WCC-2020-Res-005", 2023, "On-going"), ("WCC-2016-Res-010", 2025, "Initiated")}
    res1 = next(r for r in rows_of(files["progress_reports.csv"]) if r["resolution"] == "WCC-2020-Res-001")
    assert res1["components"] == "Reef Guardians" and res1["challenge_categories"] == "Funding"
    (activity,) = json.loads(files["activity_reports.json"])
    assert activity["title"] == "PUBLIC-ACTIVITY-TITLE" and activity["resolutions"] == ["WCC-2020-Res-001"]
    themes = rows_of(files["resolution_themes.csv"])
    assert {(t["resolution"], t["theme"]) for t in themes} == {("WCC-2020-Res-001", "Oceans"),
                                                              ("WCC-2020-Res-002", "Land")}
    with Session(engine) as s:
        assert len(json.loads(files["resolutions.json"])) == len(public.all_resolutions(s)) == 6
        assert len(json.loads(files["congresses.json"])) == len(public.congresses(s))


def test_the_readme_names_the_licence(engine, built):
    readme = bundle(engine, licence="ODbL 1.0").files["README.md"].decode()
    assert "Licence: ODbL 1.0." in readme
    assert "## progress_reports.csv / progress_reports.json" in readme


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(engine, built):
    with Session(engine) as s:
        res = s.exec(select(Resolution).where(Resolution.code == "WCC-2020-Res-003")).one()
        res.title = '=HYPERLINK("http://evil.example","click")'
        s.add(res)
        s.commit()
    files = bundle(engine).files
    row = next(r for r in rows_of(files["resolutions.csv"]) if r["code"] == "WCC-2020-Res-003")
    assert row["title"] == "'" + '=HYPERLINK("http://evil.example","click")'
    record = next(r for r in json.loads(files["resolutions.json"]) if r["code"] == "WCC-2020-Res-003")
    assert record["title"].startswith("=HYPERLINK")  # JSON holds the text as it is


def test_the_cache_rebuilds_when_the_data_version_or_the_licence_changes(engine, built):
    cache = open_data.OpenDataCache()
    with Session(engine) as s:
        first = cache.get(s, licence="CC BY 4.0")
        assert cache.get(s, licence="CC BY 4.0") is first
        assert first.data_version == audit.data_version(s) > 0
    with Session(engine) as s:
        res = s.exec(select(Resolution).where(Resolution.code == "WCC-2020-Res-003")).one()
        res.title = "Renamed for the test"
        s.add(res)
        audit.record(s, actor=None, action="update", entity="resolution", entity_id=res.code)
        s.commit()
    with Session(engine) as s:
        second = cache.get(s, licence="CC BY 4.0")
        assert second is not first and second.data_version > first.data_version
        assert b"Renamed for the test" in second.files["resolutions.csv"]
        assert cache.get(s, licence="CC0") is not second
