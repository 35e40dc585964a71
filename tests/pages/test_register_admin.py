"""Register import and export page: Secretariat and admin only; all-or-nothing import; CSV download."""

import pytest
from sqlmodel import Session, select
from streamlit.runtime.media_file_manager import MediaFileManager

from db.engine import make_engine
from db.models import AuditEvent, Resolution
from services.register_file import export_register
from services.users import actor_for
from tests.pages.apptest import open_page, reachable

PAGE = "pages/register_admin.py"


def exported(app_db, congress: str | None = None) -> bytes:
    with Session(make_engine(app_db)) as s:
        return export_register(session=s, actor=actor_for(session=s, username="secretariat"), congress=congress)


def titles(app_db) -> dict[str, str]:
    with Session(make_engine(app_db)) as s:
        return dict(s.exec(select(Resolution.code, Resolution.title)).all())


def upload(at, data: bytes):
    at.file_uploader[0].set_value(("register.csv", data, "text/csv"))
    next(b for b in at.button if b.label == "Check and import").click().run()
    assert not at.exception
    return at


@pytest.mark.parametrize("user", ["reporter", "focal", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert not reachable(PAGE, user)


@pytest.mark.parametrize("user", ["secretariat", "admin"])
def test_good_file_is_imported(app_db, user):
    data = exported(app_db, "WCC-2016")
    changed = data.replace(b"Identifying and archiving obsolete", b"Identifying and retiring obsolete")
    assert changed != data
    at = open_page(PAGE, user)
    assert not at.exception
    upload(at, changed)
    assert at.success[0].value == "Imported: 0 new, 1 updated, 111 unchanged."
    assert titles(app_db)["WCC-2016-Res-001"].startswith("Identifying and retiring obsolete")
    with Session(make_engine(app_db)) as s:
        assert s.exec(select(AuditEvent).where(AuditEvent.action == "import")).one()


def test_bad_file_lists_every_problem_and_writes_nothing(app_db):
    before = titles(app_db)
    lines = exported(app_db, "WCC-2020").decode().splitlines()
    lines[1] = lines[1].replace("WCC-2020,", "WCC-2019,", 1)  # line 2: unknown Congress
    lines[3] = lines[3].replace(",active,", ",retired,")  # line 4: bad status
    lines.append(lines[5])  # a duplicate of line 6
    lines[7] = lines[7].replace("Res-007,Resolution,7,", "Res-007,Resolution,7,Renamed ", 1)  # still valid
    at = upload(open_page(PAGE, "secretariat"), ("\n".join(lines) + "\n").encode())
    assert "Nothing was imported: 3 problems found" in at.error[0].value
    problems = at.dataframe[0].value
    assert list(problems["line"]) == [2, 4, len(lines)]
    assert list(problems["column"]) == ["congress", "status", "code"]
    assert "unknown Congress 'WCC-2019'" in problems["problem"].iloc[0]
    assert "duplicate code" in problems["problem"].iloc[2]
    assert titles(app_db) == before
    assert not at.success


def test_file_in_another_encoding_is_refused(app_db):
    data = exported(app_db, "WCC-2016").decode().replace("Hawai", "Hawaï").encode("utf-16")
    at = upload(open_page(PAGE, "admin"), data)
    assert "Nothing was imported: 1 problem found" in at.error[0].value
    assert "not UTF-8" in at.dataframe[0].value["problem"].iloc[0]


def test_submit_without_a_file(app_db):
    at = open_page(PAGE, "secretariat")
    next(b for b in at.button if b.label == "Check and import").click().run()
    assert at.error[0].value == "Choose a CSV file first."


def test_export_download_of_everything_and_of_one_congress(app_db, monkeypatch):
    offered = {}  # the file is built when the button is clicked: keep the builder the page registers, by name
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        offered[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    button = at.download_button[0]
    assert button.label == "Download CSV" and button.proto.deferred_file_id
    everything = exported(app_db)
    assert everything.count(b"\n") == 1 + 802
    assert offered["register-all.csv"]() == everything  # the offered file is the export itself
    at.selectbox[0].set_value("WCC-2025").run()
    one = exported(app_db, "WCC-2025")
    assert one.count(b"\n") == 1 + 148
    assert offered["register-wcc-2025.csv"]() == one
