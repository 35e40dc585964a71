"""Register import and export: all or nothing, every bad row reported with its line, idempotent, round trip."""

from datetime import date

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AuditEvent, Resolution, ResolutionTheme, Theme
from services.errors import PermissionDenied, ValidationFailed
from services.register_file import COLUMNS, EXPORT_COLUMNS, export_register, import_register
from tests import factories

HEADER = ",".join(COLUMNS)
EXPORT_HEADER = ",".join(EXPORT_COLUMNS)  # the same and a last column, text_url
GOOD = [
    "GA-1994-Res-001,Resolution,1,\"Conservation of wetlands, lakes and rivers\",GA-1994,Water,archived,2019-03-15",
    "WCC-2016-Res-001,Resolution,1,Identifying and archiving obsolete Resolutions,WCC-2016,People,active,",
    "WCC-2020-Res-122,Resolution,122,Protection of the deep ocean from seabed mining,WCC-2020,Climate;Oceans,active,",
    "WCC-2020-Rec-133,Recommendation,133,\"A \"\"quoted\"\" title for the Pacific\",WCC-2020,,active,",
]


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def export_form(*rows: str) -> bytes:
    """The rows as the export writes them: with the text_url column, empty here."""
    return csv_bytes(*[row + "," for row in rows], header=EXPORT_HEADER)


@pytest.fixture
def people(engine):
    """Actors of each role (as Actor objects) on the test database."""
    with Session(engine) as s:
        out = {role: factories.actor(s, factories.user(s, role, (role,)))
               for role in ("secretariat", "admin", "reporter", "leadership", "focal_point")}
        s.commit()
    return out


def register(engine) -> dict[str, tuple]:
    """code -> (kind, number, title, status, archived_on, sorted themes)."""
    with Session(engine) as s:
        themes: dict[int, list[str]] = {}
        for rid, name in s.exec(select(ResolutionTheme.resolution_id, Theme.name).join(Theme)):
            themes.setdefault(rid, []).append(name)
        return {r.code: (r.kind, r.number, r.title, r.status, r.archived_on, sorted(themes.get(r.id, [])))
                for r in s.exec(select(Resolution))}


def audit_count(engine) -> int:
    with Session(engine) as s:
        return len(s.exec(select(AuditEvent.id)).all())


def test_good_file_is_imported(engine, people):
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    rows = register(engine)
    assert rows["GA-1994-Res-001"] == ("Resolution", 1, "Conservation of wetlands, lakes and rivers", "archived",
                                       date(2019, 3, 15), ["Water"])
    assert rows["WCC-2020-Res-122"][5] == ["Climate", "Oceans"]
    assert rows["WCC-2020-Rec-133"][:3] == ("Recommendation", 133, 'A "quoted" title for the Pacific')
    with Session(engine) as s:
        events = s.exec(select(AuditEvent.action, AuditEvent.entity)).all()
    assert events.count(("create", "resolution")) == 4 and ("import", "register") in events


def test_admin_may_import_and_byte_order_mark_is_accepted(engine, people):
    result = import_register(engine=engine, actor=people["admin"], data=b"\xef\xbb\xbf" + csv_bytes(GOOD[1]))
    assert result.created == 1


def test_theme_order_and_spaces_in_the_file_do_not_matter(engine, people):
    messy = GOOD[2].replace("Climate;Oceans", " Oceans ; Climate;")
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(messy))
    assert register(engine)["WCC-2020-Res-122"][5] == ["Climate", "Oceans"]
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(GOOD[2]))
    assert result.unchanged == 1


@pytest.mark.parametrize("row, line_field, words", [
    ("WCC-2019-Res-001,Resolution,1,A title,WCC-2019,,active,", "congress", "unknown Congress"),
    ("WCC-2020-Res-007,Resolution,8,A title,WCC-2020,,active,", "code", "does not match"),
    ("WCC-2020-Res-007,Recommendation,7,A title,WCC-2020,,active,", "code", "does not match"),
    ("WCC-2016-Res-007,Resolution,7,A title,WCC-2020,,active,", "code", "does not match"),
    ("WCC-2020-Res-007,Resolution,7,,WCC-2020,,active,", "title", "title is empty"),
    ("WCC-2020-Res-007,Resolution,7,   ,WCC-2020,,active,", "title", "title is empty"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,Oceans;Deserts,active,", "themes", "unknown theme"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,,archived,2024-13-01", "archived_on", "bad date"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,,archived,15/03/2019", "archived_on", "bad date"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,,archived,", "archived_on", "needs the date"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,,retired,", "status", "active or archived"),
    ("WCC-2020-Dec-007,Decision,7,A title,WCC-2020,,active,", "kind", "Resolution or Recommendation"),
    ("WCC-2020-Res-007,Resolution,seven,A title,WCC-2020,,active,", "number", "positive whole number"),
    ("WCC-2020-Res-007,Resolution,7,A title,WCC-2020,,active", "row", "expected 8 values"),
], ids=["unknown-congress", "code-number", "code-kind", "code-congress", "empty-title", "blank-title",
        "unknown-theme", "bad-date", "bad-date-format", "archived-no-date", "bad-status", "bad-kind",
        "bad-number", "missing-value"])
def test_each_kind_of_bad_row_is_reported_and_nothing_written(engine, people, row, line_field, words):
    data = csv_bytes(GOOD[0], GOOD[1], row, GOOD[2])
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    errors = failed.value.errors
    assert [(e.line, e.field) for e in errors] == [(4, line_field)]
    assert words in errors[0].message
    assert register(engine) == {}
    assert audit_count(engine) == 0


def test_duplicate_code_is_reported_with_both_lines(engine, people):
    data = csv_bytes(GOOD[1], GOOD[2], GOOD[1].replace("Identifying", "Again"))
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    [error] = failed.value.errors
    assert (error.line, error.field) == (4, "code")
    assert "duplicate code WCC-2016-Res-001 (first on line 2)" in error.message
    assert register(engine) == {}


def test_every_bad_row_is_listed_at_once(engine, people):
    data = csv_bytes(
        GOOD[0],
        "WCC-2019-Res-001,Resolution,1,A title,WCC-2019,,active,",  # line 3: unknown Congress
        GOOD[1],
        "WCC-2020-Res-007,Resolution,7,,WCC-2020,Deserts,archived,yesterday",  # line 5: three problems
        "",  # blank lines are skipped but still counted
        "WCC-2020-Res-008,Resolution,9,A title,WCC-2020,,active,",  # line 7: code mismatch
    )
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    found = [(e.line, e.field) for e in failed.value.errors]
    assert found == [(3, "congress"), (5, "title"), (5, "themes"), (5, "archived_on"), (7, "code")]
    assert "line 3: congress: unknown Congress 'WCC-2019'" in str(failed.value)
    assert register(engine) == {}


@pytest.mark.parametrize("header", [
    "code,kind,number,title,congress,themes,status",  # one missing
    "code,kind,number,title,congress,themes,status,archived_on,summary",  # one extra
    "kind,code,number,title,congress,themes,status,archived_on",  # wrong order
    "Code,Kind,Number,Title,Congress,Themes,Status,Archived on",  # other names
])
def test_wrong_column_set_is_refused(engine, people, header):
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(GOOD[1], header=header))
    [error] = failed.value.errors
    assert (error.line, error.field) == (1, "file")
    assert "columns must be exactly " + HEADER in error.message
    assert register(engine) == {}


def test_file_that_is_not_utf8_is_refused(engine, people):
    data = csv_bytes(GOOD[1]).replace(b"Identifying", "Identifiçation".encode("latin-1"))
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    [error] = failed.value.errors
    assert error.field == "file" and "not UTF-8" in error.message
    assert register(engine) == {}


def test_empty_file_is_refused(engine, people):
    with pytest.raises(ValidationFailed, match="empty"):
        import_register(engine=engine, actor=people["secretariat"], data=b"")


def test_number_taken_by_another_code_in_the_database(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(GOOD[2]))
    clash = "WCC-2020-Rec-122,Recommendation,122,Same number,WCC-2020,,active,"
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(GOOD[1], clash))
    assert [(e.line, e.field) for e in failed.value.errors] == [(3, "number")]
    assert set(register(engine)) == {"WCC-2020-Res-122"}


def test_reimport_changes_nothing(engine, people):
    data = csv_bytes(*GOOD)
    import_register(engine=engine, actor=people["secretariat"], data=data)
    before, events = register(engine), audit_count(engine)
    with Session(engine) as s:
        stamps = dict(s.exec(select(Resolution.code, Resolution.updated_at)).all())
    result = import_register(engine=engine, actor=people["secretariat"], data=data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert register(engine) == before
    with Session(engine) as s:
        assert dict(s.exec(select(Resolution.code, Resolution.updated_at)).all()) == stamps
    assert audit_count(engine) == events + 1  # only the import itself is logged


def test_changed_title_and_themes_update_the_row(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    changed = GOOD[2].replace("seabed mining", "deep-sea mining").replace("Climate;Oceans", "Oceans")
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(GOOD[0], changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    row = register(engine)["WCC-2020-Res-122"]
    assert row[2] == "Protection of the deep ocean from deep-sea mining"
    assert row[5] == ["Oceans"]
    assert len(register(engine)) == 4  # rows absent from the file are kept
    with Session(engine) as s:
        update = s.exec(select(AuditEvent).where(AuditEvent.action == "update",
                                                 AuditEvent.entity_id == "WCC-2020-Res-122")).one()
    assert update.before == {"title": "Protection of the deep ocean from seabed mining",
                             "themes": ["Climate", "Oceans"]}
    assert update.after == {"title": "Protection of the deep ocean from deep-sea mining", "themes": ["Oceans"]}


def test_export_then_import_round_trips_byte_for_byte(engine, people):
    original = csv_bytes(*GOOD)
    import_register(engine=engine, actor=people["secretariat"], data=original)
    with Session(engine) as s:
        exported = export_register(session=s, actor=people["reporter"])
    assert exported == export_form(*GOOD)
    result = import_register(engine=engine, actor=people["secretariat"], data=exported)
    assert result.unchanged == 4 and result.created == result.updated == 0


def test_demo_register_round_trips_into_an_empty_database(engine, people, demo_file):
    with Session(make_engine(f"sqlite:///{demo_file}")) as s:
        exported = export_register(session=s, actor=people["leadership"])
    assert exported.count(b"\n") == 1 + 802
    result = import_register(engine=engine, actor=people["secretariat"], data=exported)
    assert result.created == 802
    with Session(engine) as s:
        assert export_register(session=s, actor=people["secretariat"]) == exported


def test_export_of_one_congress(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    with Session(engine) as s:
        exported = export_register(session=s, actor=people["focal_point"], congress="WCC-2020")
    assert exported == export_form(GOOD[2], GOOD[3])


@pytest.mark.parametrize("role", ["reporter", "leadership", "focal_point"])
def test_import_is_refused_to_other_roles(engine, people, role):
    with pytest.raises(PermissionDenied):
        import_register(engine=engine, actor=people[role], data=csv_bytes(*GOOD))
    assert register(engine) == {}
    assert audit_count(engine) == 0


# -- the bulk write: audit events, retries, a register changed meanwhile (issue 12, point 7) -----------


def test_bulk_audit_events_are_those_audit_record_would_write(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    with Session(engine) as s:
        create = s.exec(select(AuditEvent).where(AuditEvent.action == "create",
                                                 AuditEvent.entity_id == "GA-1994-Res-001")).one()
        congress_id = factories.congress(s, "GA-1994").id
        imported = s.exec(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert (create.entity, create.user_id, create.before) == ("resolution", people["secretariat"].id, None)
    assert create.after == {"kind": "Resolution", "number": 1, "title": "Conservation of wetlands, lakes and rivers",
                            "congress_id": congress_id, "status": "archived", "archived_on": "2019-03-15",
                            "themes": ["Water"]}
    assert create.at is not None and create.at == imported.at
    assert (imported.entity, imported.after) == ("register", {"created": 4, "updated": 0, "unchanged": 0})


def test_a_busy_database_is_tried_again_and_nothing_is_written_twice(engine, people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from services import register_file

    real_write, calls = register_file._Plan.write, []

    def write_then_fail_once(plan, session):
        calls.append(1)
        result = real_write(plan, session)  # everything written, then the commit "fails": all rolled back
        if len(calls) == 1:
            raise OperationalError("COMMIT", {}, Exception("database is locked"))
        return result

    monkeypatch.setattr(register_file._Plan, "write", write_then_fail_once)
    monkeypatch.setattr(register_file.time, "sleep", lambda _s: None)
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    assert len(calls) == 2 and result.created == 4
    assert len(register(engine)) == 4
    assert audit_count(engine) == 5  # four creates and the import, once


def test_a_database_still_busy_after_the_last_attempt_raises_and_writes_nothing(engine, people, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from services import register_file

    def always_locked(plan, session):
        raise OperationalError("BEGIN", {}, Exception("database is locked"))

    monkeypatch.setattr(register_file._Plan, "write", always_locked)
    monkeypatch.setattr(register_file.time, "sleep", lambda _s: None)
    with pytest.raises(OperationalError):
        import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    assert register(engine) == {} and audit_count(engine) == 0


def test_a_register_changed_between_reading_and_writing_is_read_again(engine, people, monkeypatch):
    """Another user creates one of the file's Resolutions after the import read the register: the import
    sees it under the write lock, reads again and updates that row instead of failing on a duplicate."""
    from services import register_file

    real_plan, plans = register_file._plan, []

    def plan_then_someone_writes(session, *args):
        plan = real_plan(session, *args)
        plans.append(plan)
        if len(plans) == 1:
            with Session(engine) as other:
                factories.resolution(other, 122, title="Written by someone else meanwhile")
                other.commit()
        return plan

    monkeypatch.setattr(register_file, "_plan", plan_then_someone_writes)
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(*GOOD))
    assert len(plans) == 2
    assert (result.created, result.updated, result.unchanged) == (3, 1, 0)
    assert register(engine)["WCC-2020-Res-122"][2] == "Protection of the deep ocean from seabed mining"


# -- the link to the official text: an optional last column text_url (issue 11, item 17) -----------------

LINK = "https://portals.iucn.org/library/sites/library/files/resrecfiles/WCC_2020_RES_122_EN.pdf"


def linked(row: str, url: str) -> str:
    return f"{row},{url}"


def text_urls(engine) -> dict[str, str | None]:
    with Session(engine) as s:
        return dict(s.exec(select(Resolution.code, Resolution.text_url)).all())


def test_a_file_with_text_links_stores_them_and_exports_them_back_byte_for_byte(engine, people):
    data = csv_bytes(linked(GOOD[2], LINK), linked(GOOD[3], "http://example.org/rec-133?lang=en&v=2"),
                     linked(GOOD[1], ""), header=EXPORT_HEADER)
    result = import_register(engine=engine, actor=people["secretariat"], data=data)
    assert result.created == 3
    assert text_urls(engine) == {"WCC-2020-Res-122": LINK, "WCC-2020-Rec-133": "http://example.org/rec-133?lang=en&v=2",
                                 "WCC-2016-Res-001": None}
    with Session(engine) as s:
        create = s.exec(select(AuditEvent).where(AuditEvent.entity_id == "WCC-2020-Res-122")).one()
        exported = export_register(session=s, actor=people["reporter"])
    assert create.after["text_url"] == LINK
    assert exported == csv_bytes(linked(GOOD[1], ""), linked(GOOD[2], LINK),
                                 linked(GOOD[3], "http://example.org/rec-133?lang=en&v=2"), header=EXPORT_HEADER)
    again = import_register(engine=engine, actor=people["secretariat"], data=exported)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_file_without_the_column_imports_as_before_and_keeps_the_links(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(linked(GOOD[2], LINK),
                                                                               header=EXPORT_HEADER))
    renamed = GOOD[2].replace("seabed mining", "deep-sea mining")
    result = import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(renamed, GOOD[1]))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert text_urls(engine) == {"WCC-2020-Res-122": LINK, "WCC-2016-Res-001": None}
    assert register(engine)["WCC-2020-Res-122"][2].endswith("deep-sea mining")
    assert import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(renamed)).unchanged == 1


def test_an_empty_cell_removes_a_link_and_a_new_one_replaces_it_with_audit(engine, people):
    actor = people["secretariat"]
    import_register(engine=engine, actor=actor, data=csv_bytes(linked(GOOD[2], LINK), header=EXPORT_HEADER))
    other = "https://www.iucn.org/resolutions/wcc-2020-res-122"
    assert import_register(engine=engine, actor=actor, data=csv_bytes(
        linked(GOOD[2], other), header=EXPORT_HEADER)).updated == 1
    assert text_urls(engine)["WCC-2020-Res-122"] == other
    assert import_register(engine=engine, actor=actor, data=csv_bytes(
        linked(GOOD[2], ""), header=EXPORT_HEADER)).updated == 1
    assert text_urls(engine)["WCC-2020-Res-122"] is None
    with Session(engine) as s:
        updates = s.exec(select(AuditEvent).where(AuditEvent.action == "update").order_by(AuditEvent.id)).all()
    assert [(e.before, e.after) for e in updates] == [({"text_url": LINK}, {"text_url": other}),
                                                      ({"text_url": other}, {"text_url": None})]


@pytest.mark.parametrize("url, words", [
    ("javascript:alert(1)", "must be a web address starting with https:// or http://, not 'javascript:alert(1)'"),
    ("JavaScript:alert(document.cookie)", "must be a web address"),
    ('"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="', "must be a web address"),  # quoted: a comma
    ("ftp://ftp.iucn.org/res.pdf", "must be a web address"),
    ("//portals.iucn.org/res.pdf", "must be a web address"),
    ("portals.iucn.org/res.pdf", "must be a web address"),
    ("https://", "must be a web address"),
    ("https://portals.iucn.org/a file.pdf", "must be a web address"),
    ("https://[::1/x", "must be a web address"),
    ("https://:443/res.pdf", "must be a web address"),
    ("https://user@/res.pdf", "must be a web address"),
    ("https://portals.iucn.org/" + "x" * 500, "longer than 500 characters"),
], ids=["javascript", "javascript-case", "data", "ftp", "no-scheme", "bare-host", "no-host", "space",
        "bad-ipv6", "port-only", "user-only", "too-long"])
def test_a_link_that_is_not_http_or_https_is_refused_with_its_line(engine, people, url, words):
    data = csv_bytes(linked(GOOD[1], LINK), linked(GOOD[2], url), linked(GOOD[3], ""), header=EXPORT_HEADER)
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    [error] = failed.value.errors
    assert (error.line, error.field) == (3, "text_url")
    assert words in error.message
    assert register(engine) == {} and audit_count(engine) == 0


def test_an_upper_case_scheme_is_a_web_address_too(engine, people):
    import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(
        linked(GOOD[2], "HTTPS://Portals.IUCN.org/res"), header=EXPORT_HEADER))
    assert text_urls(engine)["WCC-2020-Res-122"] == "HTTPS://Portals.IUCN.org/res"


@pytest.mark.parametrize("header", [
    "code,kind,number,title,congress,themes,status,text_url,archived_on",  # not last
    "code,kind,number,title,congress,themes,status,archived_on,text_url,summary",  # and another
    "code,kind,number,title,congress,themes,status,archived_on,url",  # another name
])
def test_text_url_only_as_the_last_column(engine, people, header):
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(linked(GOOD[1], ""),
                                                                                   header=header))
    [error] = failed.value.errors
    assert (error.line, error.field) == (1, "file")
    assert f"columns must be exactly {HEADER}, with text_url as optional last column" in error.message


def test_rows_must_match_the_header_with_or_without_text_url(engine, people):
    data = csv_bytes(GOOD[1], linked(GOOD[2], LINK), header=EXPORT_HEADER)
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=data)
    assert [(e.line, e.field, e.message) for e in failed.value.errors] == [(2, "row", "expected 9 values, found 8")]
    with pytest.raises(ValidationFailed) as failed:
        import_register(engine=engine, actor=people["secretariat"], data=csv_bytes(linked(GOOD[1], LINK)))
    assert [(e.line, e.message) for e in failed.value.errors] == [(2, "expected 8 values, found 9")]
    assert register(engine) == {}


def test_rows_changing_different_fields_in_one_file_each_get_their_own_change(engine, people):
    actor = people["secretariat"]
    import_register(engine=engine, actor=actor, data=csv_bytes(*[linked(row, "") for row in GOOD],
                                                               header=EXPORT_HEADER))
    with Session(engine) as s:
        stamps = dict(s.exec(select(Resolution.code, Resolution.updated_at)).all())
    data = csv_bytes(
        linked(GOOD[0].replace("archived,2019-03-15", "active,"), ""),  # status and date
        linked(GOOD[1].replace("People", "People;Land"), ""),  # themes only
        linked(GOOD[2], LINK),  # the link only
        linked(GOOD[3].replace("for the Pacific", "for the Atlantic"), ""),  # the title only
        header=EXPORT_HEADER)
    result = import_register(engine=engine, actor=actor, data=data)
    assert (result.created, result.updated, result.unchanged) == (0, 4, 0)
    rows = register(engine)
    assert rows["GA-1994-Res-001"][3:5] == ("active", None)
    assert rows["WCC-2016-Res-001"][5] == ["Land", "People"]
    assert text_urls(engine)["WCC-2020-Res-122"] == LINK
    assert rows["WCC-2020-Rec-133"][2] == 'A "quoted" title for the Atlantic'
    assert rows["WCC-2020-Res-122"][2] == "Protection of the deep ocean from seabed mining"  # the rest as it was
    with Session(engine) as s:
        after = dict(s.exec(select(Resolution.code, Resolution.updated_at)).all())
        updates = {e.entity_id: e.after for e in s.exec(select(AuditEvent).where(AuditEvent.action == "update"))}
    assert all(after[code] > stamps[code] for code in after)
    assert updates == {"GA-1994-Res-001": {"status": "active", "archived_on": None},
                       "WCC-2016-Res-001": {"themes": ["Land", "People"]},
                       "WCC-2020-Res-122": {"text_url": LINK},
                       "WCC-2020-Rec-133": {"title": 'A "quoted" title for the Atlantic'}}
