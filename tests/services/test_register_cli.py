"""The register's command line (python -m services.register_cli) on the database of DATABASE_URL."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from db.models import Resolution
from services.register_cli import main
from services.register_file import COLUMNS, EXPORT_COLUMNS
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
HEADER = ",".join(COLUMNS) + "\n"
ROWS = ("WCC-2020-Res-122,Resolution,122,Protection of the deep ocean from seabed mining,WCC-2020,Oceans,active,\n"
        "WCC-2016-Res-001,Resolution,1,Identifying and archiving obsolete Resolutions,WCC-2016,People,active,\n")
EXPORT_HEADER = ",".join(EXPORT_COLUMNS) + "\n"  # export writes the optional text_url column too


def exported(*rows: str) -> bytes:
    """The rows as export writes them: an empty text_url at the end of each."""
    return (EXPORT_HEADER + "".join(row.replace("\n", ",\n") for row in rows)).encode()


@pytest.fixture
def db_url(engine, monkeypatch):
    """DATABASE_URL pointing at the test database, with a Secretariat user and a reporter in it."""
    with Session(engine) as s:
        factories.user(s, "sara", ("secretariat",))
        factories.user(s, "rosa", ("reporter",))
        s.commit()
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def codes(engine) -> list[str]:
    with Session(engine) as s:
        return sorted(s.exec(select(Resolution.code)).all())


def test_import_then_export_round_trips(engine, db_url, tmp_path, capsys):
    source = tmp_path / "register.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    assert main(["import", str(source), "--as", "sara"]) == 0
    assert "2 new, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert codes(engine) == ["WCC-2016-Res-001", "WCC-2020-Res-122"]
    out = tmp_path / "out.csv"
    assert main(["export", "-o", str(out)]) == 0
    assert "Wrote 2 Resolution(s)" in capsys.readouterr().err
    assert out.read_bytes() == exported(ROWS.splitlines(keepends=True)[1], ROWS.splitlines(keepends=True)[0])
    assert main(["import", str(out), "--as", "sara"]) == 0
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_export_one_congress_to_standard_output(engine, db_url, tmp_path, capfdbinary):
    source = tmp_path / "register.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    main(["import", str(source), "--as", "sara"])
    capfdbinary.readouterr()
    assert main(["export", "--congress", "WCC-2020", "--as", "rosa"]) == 0
    assert capfdbinary.readouterr().out == exported(ROWS.splitlines(keepends=True)[0])


def test_bad_file_prints_every_problem_and_writes_nothing(engine, db_url, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROWS + "WCC-2019-Res-001,Resolution,1,,WCC-2019,,active,\n", encoding="utf-8")
    assert main(["import", str(bad), "--as", "sara"]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported: 2 problem(s)" in err
    assert "line 4: congress: unknown Congress 'WCC-2019'" in err
    assert "line 4: title: the title is empty" in err
    assert codes(engine) == []


def test_import_refused_to_a_reporter(engine, db_url, tmp_path, capsys):
    source = tmp_path / "register.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    assert main(["import", str(source), "--as", "rosa"]) == 2
    assert "Refused: rosa may not register import" in capsys.readouterr().err
    assert codes(engine) == []


def test_unknown_user(engine, db_url, tmp_path, capsys):
    source = tmp_path / "register.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    assert main(["import", str(source), "--as", "nobody"]) == 2
    assert "No active user named 'nobody'" in capsys.readouterr().err


def test_import_needs_a_user(db_url):
    with pytest.raises(SystemExit) as usage:
        main(["import", "file.csv"])
    assert usage.value.code == 2


def test_runs_as_a_module(tmp_path):
    """`python -m services.register_cli` as the README shows it, on a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run([sys.executable, "-m", "services.register_cli", "export", "--congress", "WCC-2020"],
                          cwd=ROOT, env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}, capture_output=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == EXPORT_HEADER  # schema and reference data created; no Resolution yet


def test_text_links_round_trip_and_a_bad_one_is_printed_with_its_line(engine, db_url, tmp_path, capsys):
    first, second = ROWS.splitlines(keepends=True)
    source = tmp_path / "linked.csv"
    source.write_text(EXPORT_HEADER + first.replace("\n", ",https://portals.iucn.org/library/node/49257\n"),
                      encoding="utf-8")
    assert main(["import", str(source), "--as", "sara"]) == 0
    out = tmp_path / "out.csv"
    assert main(["export", "-o", str(out)]) == 0
    assert out.read_bytes() == source.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(EXPORT_HEADER + second.replace("\n", ",javascript:alert(1)\n"), encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(bad), "--as", "sara"]) == 1
    assert ("line 2: text_url: the text link must be a web address starting with https:// or http://, "
            "not 'javascript:alert(1)'") in capsys.readouterr().err
    assert codes(engine) == ["WCC-2020-Res-122"]
