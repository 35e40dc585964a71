"""The administration command line (python -m services.admin) on the database of DATABASE_URL."""

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AuditEvent, Component, SignInSession, User, UserRole
from services.admin import main
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
GOOD_PASSWORD = "lantern river orchid 42"
COMPONENTS = ("kind,name,acronym,region,country\n"
              "Member,Friends of the Lagoon,FOL,West Europe,France\n"
              "Commission,Commission on Ecosystem Management,CEM,,\n")


def piped(text: str) -> io.TextIOWrapper:
    """Standard input that is not a terminal, as when a password is piped in."""
    return io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8")


@pytest.fixture
def db_url(engine, monkeypatch):
    """DATABASE_URL pointing at the test database, with an administrator and a Secretariat user in it."""
    with Session(engine) as s:
        factories.user(s, "ada", ("admin",))
        factories.user(s, "sara", ("secretariat",))
        factories.user(s, "rosa", ("reporter",))
        s.commit()
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def user(engine, username: str) -> User | None:
    with Session(engine) as s:
        return s.exec(select(User).where(User.username == username)).first()


def events(engine, action: str) -> list[AuditEvent]:
    with Session(engine) as s:
        return list(s.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_create_admin_with_a_piped_password(engine, db_url, capsys):
    code = main(["create-admin", "chief", "--email", "Chief@Example.org", "--name", "Chief Admin"],
                stdin=piped(GOOD_PASSWORD + "\n"))
    assert code == 0
    assert capsys.readouterr().out == "Created administrator chief.\n"
    row = user(engine, "chief")
    assert row.display_name == "Chief Admin" and row.email == "chief@example.org" and row.active
    assert bcrypt.checkpw(GOOD_PASSWORD.encode(), row.password_hash.encode())
    with Session(engine) as s:
        assert s.exec(select(UserRole.role).where(UserRole.user_id == row.id)).all() == ["admin"]
    [event] = events(engine, "create_admin")
    assert event.entity_id == "chief" and event.user_id is None


def test_display_name_defaults_to_the_username(engine, db_url):
    assert main(["create-admin", "deputy", "--email", "deputy@example.org"], stdin=piped(GOOD_PASSWORD)) == 0
    assert user(engine, "deputy").display_name == "deputy"


def test_weak_password_is_refused_and_nothing_written(engine, db_url, capsys):
    assert main(["create-admin", "chief", "--email", "chief@example.org"], stdin=piped("short\n")) == 1
    err = capsys.readouterr().err
    assert "Nothing was created" in err
    assert "password: use at least 12 characters (this one has 5)" in err
    assert user(engine, "chief") is None
    assert events(engine, "create_admin") == []


def test_common_password_and_empty_input_are_refused(engine, db_url, capsys):
    assert main(["create-admin", "chief", "--email", "chief@example.org"], stdin=piped("password1234\n")) == 1
    assert "common passwords" in capsys.readouterr().err
    assert main(["create-admin", "chief", "--email", "chief@example.org"], stdin=piped("")) == 1
    assert "No password given" in capsys.readouterr().err
    assert user(engine, "chief") is None


def test_existing_username_or_email_is_refused(engine, db_url, capsys):
    assert main(["create-admin", "sara", "--email", "new@example.org"], stdin=piped(GOOD_PASSWORD)) == 1
    assert "username: the username sara is already taken" in capsys.readouterr().err
    assert main(["create-admin", "newbie", "--email", "SARA@example.org"], stdin=piped(GOOD_PASSWORD)) == 1
    assert "email: another account already has the email sara@example.org" in capsys.readouterr().err
    assert user(engine, "newbie") is None


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_password_is_asked_twice(engine, db_url, monkeypatch, capsys):
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["create-admin", "chief", "--email", "chief@example.org"], stdin=Terminal()) == 1
    assert "The two passwords differ" in capsys.readouterr().err
    assert user(engine, "chief") is None
    answers = iter([GOOD_PASSWORD, GOOD_PASSWORD])
    assert main(["create-admin", "chief", "--email", "chief@example.org"], stdin=Terminal()) == 0
    assert user(engine, "chief").password_hash


def test_import_components_good_file(engine, db_url, tmp_path, capsys):
    source = tmp_path / "components.csv"
    source.write_text(COMPONENTS, encoding="utf-8")
    assert main(["import-components", str(source), "--as", "ada"]) == 0
    out = capsys.readouterr().out
    assert "1 new, 0 updated, 1 unchanged" in out and out.rstrip().endswith(" s.")
    with Session(engine) as s:
        assert s.exec(select(Component).where(Component.name == "Friends of the Lagoon")).one().acronym == "FOL"


def test_import_components_from_standard_input(engine, db_url, capsys):
    assert main(["import-components", "-", "--as", "ada"], stdin=piped(COMPONENTS)) == 0
    assert "Imported -: 1 new" in capsys.readouterr().out


def test_import_components_bad_file_lists_lines_and_writes_nothing(engine, db_url, tmp_path, capsys):
    source = tmp_path / "bad.csv"
    source.write_text(COMPONENTS + "Club,Someone,,,\nMember,,,Mars,\n", encoding="utf-8")
    with Session(engine) as s:
        before = len(s.exec(select(Component)).all())
    assert main(["import-components", str(source), "--as", "ada"]) == 1
    err = capsys.readouterr().err
    assert "Nothing was imported: 3 problem(s)" in err
    assert "line 4: kind: unknown kind 'Club'" in err
    assert "line 5: region: unknown region 'Mars'" in err
    assert "line 5: name: the name is empty" in err
    with Session(engine) as s:
        assert len(s.exec(select(Component)).all()) == before


def test_import_refused_to_a_non_admin_and_to_an_unknown_user(engine, db_url, tmp_path, capsys):
    source = tmp_path / "components.csv"
    source.write_text(COMPONENTS, encoding="utf-8")
    assert main(["import-components", str(source), "--as", "sara"]) == 2
    assert capsys.readouterr().err.startswith("Refused: sara may not components manage")
    assert main(["import-components", str(source), "--as", "ghost"]) == 2
    assert "no active user named 'ghost'" in capsys.readouterr().err
    with Session(engine) as s:
        assert s.exec(select(Component).where(Component.name == "Friends of the Lagoon")).first() is None


def test_import_users(engine, db_url, tmp_path, capsys):
    source = tmp_path / "users.csv"
    source.write_text("username,display_name,email,roles,components\n"
                      "nina,Nina Field,nina@example.org,reporter,\n"
                      "sara,Sara Renamed,sara@example.org,secretariat,\n", encoding="utf-8")
    assert main(["import-users", str(source), "--as", "ada"]) == 0
    assert "1 new, 1 updated, 0 unchanged" in capsys.readouterr().out
    assert user(engine, "nina").password_hash is None  # an activation mail sets it
    assert user(engine, "sara").display_name == "Sara Renamed"
    bad = tmp_path / "bad.csv"
    bad.write_text("username,display_name,email,roles,components\nomar,Omar,not-an-email,wizard,\n",
                   encoding="utf-8")
    assert main(["import-users", str(bad), "--as", "ada"]) == 1
    err = capsys.readouterr().err
    assert "line 2: email:" in err and "line 2: roles: unknown role(s): wizard" in err
    assert user(engine, "omar") is None


def test_exports_to_standard_output_and_to_a_file(engine, db_url, tmp_path, capfdbinary):
    assert main(["export-users"]) == 0
    data = capfdbinary.readouterr().out.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == ["username", "display_name", "email", "roles", "components"]
    assert [r[0] for r in rows[1:]] == ["ada", "rosa", "sara"]
    out = tmp_path / "components.csv"
    assert main(["export-components", "-o", str(out), "--as", "ada"]) == 0
    assert "Wrote" in capfdbinary.readouterr().err.decode()
    with Session(engine) as s:
        count = len(s.exec(select(Component)).all())
    assert out.read_text(encoding="utf-8-sig").count("\n") == 1 + count
    assert main(["export-users", "--as", "rosa"]) == 2
    assert b"Refused: rosa may not users manage" in capfdbinary.readouterr().err


def test_deactivate(engine, db_url, capsys):
    with Session(engine) as s:
        rosa = user(engine, "rosa")
        s.add(SignInSession(token_hash="x" * 64, user_id=rosa.id, method="password",
                            expires_at=datetime(2099, 1, 1, tzinfo=UTC)))
        s.commit()
    assert main(["deactivate", "rosa", "--as", "sara"]) == 2
    assert user(engine, "rosa").active
    assert main(["deactivate", "rosa", "--as", "ada"]) == 0
    assert "Deactivated rosa" in capsys.readouterr().out
    assert not user(engine, "rosa").active
    [event] = events(engine, "deactivate")
    assert event.entity_id == "rosa" and event.user_id == user(engine, "ada").id
    with Session(engine) as s:
        assert s.exec(select(SignInSession).where(SignInSession.user_id == rosa.id)).one().ended_at
    assert main(["deactivate", "ada", "--as", "ada"]) == 1
    assert "You cannot deactivate your own account" in capsys.readouterr().err
    assert main(["deactivate", "nobody", "--as", "ada"]) == 1
    assert "There is no user named 'nobody'" in capsys.readouterr().err


def test_the_real_entry_point(tmp_path):
    """On a new database: the command migrates it, loads the reference data and creates the account."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "services.admin", "create-admin", "root", "--email", "root@example.org"],
        input=GOOD_PASSWORD + "\n", capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
        env={**os.environ, "DATABASE_URL": url},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Created administrator root.\n"
    engine = make_engine(url)
    try:
        assert bcrypt.checkpw(GOOD_PASSWORD.encode(), user(engine, "root").password_hash.encode())
        with Session(engine) as s:
            assert s.exec(select(Component)).first() is not None  # the reference data
    finally:
        engine.dispose()
