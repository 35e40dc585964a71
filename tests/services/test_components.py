"""Organisations: search with counts, detail, create / edit / deactivate with audit events, one validation,
all-or-nothing CSV import (every bad row with its line), idempotent re-import, round trip, formula cells."""

import csv
import io
import time

import pytest
from sqlmodel import Session, select

from db import vocab
from db.models import AuditEvent, Component
from services import components as svc
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories

HEADER = ",".join(svc.COLUMNS)


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


@pytest.fixture
def people(engine):
    with Session(engine) as s:
        out = {role: factories.actor(s, factories.user(s, role, (role,))) for role in vocab.ROLES}
        s.commit()
    return out


@pytest.fixture
def admin(people):
    return people["admin"]


def all_components(engine) -> dict[str, tuple]:
    """name -> (kind, acronym, region, country, active)."""
    with Session(engine) as s:
        return {c.name: (c.kind, c.acronym, c.region, c.country, c.active) for c in s.exec(select(Component))}


def events(engine, action: str | None = None) -> list[AuditEvent]:
    with Session(engine) as s:
        query = select(AuditEvent).where(AuditEvent.entity == "component").order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(s.exec(query))


def create(engine, admin, **values) -> Component:
    with Session(engine, expire_on_commit=False) as s:
        row = svc.create_component(session=s, actor=admin, **values)
        s.commit()
    return row


def failure(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as info:
        call(**kwargs)
    out: dict[str, list[str]] = {}
    for e in info.value.errors:
        out.setdefault(e.field, []).append(e.message)
    return out


# -- create, edit, deactivate -------------------------------------------------------------------------


def test_create_trims_and_records_an_event(engine, admin):
    row = create(engine, admin, kind="Member", name="  Friends of the Forest  ", acronym=" FoF ",
                 region="Africa", country="Kenya")
    assert all_components(engine)["Friends of the Forest"] == ("Member", "FoF", "Africa", "Kenya", True)
    [event] = events(engine, "create")
    assert event.entity_id == str(row.id) and event.user_id == admin.id
    assert event.after == {"kind": "Member", "name": "Friends of the Forest", "acronym": "FoF",
                           "region": "Africa", "country": "Kenya", "active": True}


def test_empty_optional_fields_are_stored_as_null(engine, admin):
    create(engine, admin, kind="Other", name="No region", acronym="", region="", country="  ")
    assert all_components(engine)["No region"] == ("Other", None, None, None, True)


def test_update_records_only_the_changed_fields(engine, admin):
    row = create(engine, admin, kind="Member", name="Old name", acronym="ON", region="Africa", country="Kenya")
    with Session(engine) as s:
        svc.update_component(session=s, actor=admin, component_id=row.id, kind="Member", name="New name",
                             acronym="ON", region="Oceania", country="Kenya")
        s.commit()
    assert all_components(engine)["New name"] == ("Member", "ON", "Oceania", "Kenya", True)
    [event] = events(engine, "update")
    assert event.entity_id == str(row.id)
    assert event.before == {"name": "Old name", "region": "Africa"}
    assert event.after == {"name": "New name", "region": "Oceania"}
    with Session(engine) as s:  # saving the same values writes nothing
        svc.update_component(session=s, actor=admin, component_id=row.id, kind="Member", name="New name",
                             acronym="ON", region="Oceania", country="Kenya")
        s.commit()
    assert len(events(engine, "update")) == 1


def test_a_name_may_change_case_but_not_take_another_organisations(engine, admin):
    a = create(engine, admin, kind="Member", name="Alpha Society")
    create(engine, admin, kind="Member", name="Beta Society")
    with Session(engine) as s:
        svc.update_component(session=s, actor=admin, component_id=a.id, kind="Member", name="ALPHA society",
                             acronym=None, region=None, country=None)
        s.commit()
    assert "ALPHA society" in all_components(engine)
    with Session(engine) as s:
        problems = failure(svc.update_component, session=s, actor=admin, component_id=a.id, kind="Member",
                           name=" beta SOCIETY ", acronym=None, region=None, country=None)
    assert problems == {"name": ["another organisation already has this name"]}


def test_deactivate_and_reactivate(engine, admin):
    row = create(engine, admin, kind="Member", name="Sleepy Trust")
    with Session(engine) as s:
        svc.set_component_active(session=s, actor=admin, component_id=row.id, active=False)
        s.commit()
    assert all_components(engine)["Sleepy Trust"][4] is False
    with Session(engine) as s:
        svc.set_component_active(session=s, actor=admin, component_id=row.id, active=False)  # no change
        svc.set_component_active(session=s, actor=admin, component_id=row.id, active=True)
        s.commit()
    assert all_components(engine)["Sleepy Trust"][4] is True
    assert [(e.action, e.before, e.after, e.entity_id) for e in events(engine) if e.action != "create"] == [
        ("deactivate", {"active": True}, {"active": False}, str(row.id)),
        ("reactivate", {"active": False}, {"active": True}, str(row.id)),
    ]


def test_missing_organisation_is_not_found(engine, admin):
    with Session(engine) as s:
        with pytest.raises(NotFound):
            svc.component_detail(session=s, actor=admin, component_id=999999)
        with pytest.raises(NotFound):
            svc.set_component_active(session=s, actor=admin, component_id=999999, active=False)
        with pytest.raises(NotFound):
            svc.update_component(session=s, actor=admin, component_id=999999, kind="Member", name="X",
                                 acronym=None, region=None, country=None)


@pytest.mark.parametrize("values, field, message", [
    ({"kind": "Club"}, "kind", "unknown kind 'Club'"),
    ({"kind": None}, "kind", "choose a kind"),
    ({"region": "Atlantis"}, "region", "unknown region 'Atlantis'"),
    ({"name": "   "}, "name", "the name is empty"),
    ({"name": "x" * 201}, "name", "longer than 200 characters"),
    ({"name": "Reference Member"}, "name", "another organisation already has this name"),
    ({"name": "reference MEMBER "}, "name", "another organisation already has this name"),
    ({"name": "Two\nlines"}, "name", "control character"),
    ({"acronym": "A" * 21}, "acronym", "longer than 20 characters"),
    ({"acronym": "A\tB"}, "acronym", "control character"),
    ({"country": "C" * 81}, "country", "longer than 80 characters"),
    ({"country": "Fr\x00ance"}, "country", "control character"),
])
def test_each_bad_value_is_refused_on_its_field(engine, admin, values, field, message):
    create(engine, admin, kind="Member", name="Reference Member")
    good = {"kind": "Member", "name": "Fine name", "acronym": "FN", "region": "Africa", "country": "Ghana"}
    with Session(engine) as s:
        problems = failure(svc.create_component, session=s, actor=admin, **(good | values))
    assert list(problems) == [field]
    assert message in problems[field][0]
    assert len(events(engine)) == 1  # only the reference's creation


def test_every_problem_is_reported_at_once(engine, admin):
    with Session(engine) as s:
        problems = failure(svc.create_component, session=s, actor=admin, kind="Club", name="",
                           acronym="A" * 30, region="Mars", country="C" * 100)
    assert list(problems) == ["kind", "name", "acronym", "region", "country"]


def test_boundary_lengths_are_accepted(engine, admin):
    create(engine, admin, kind="Member", name="n" * 200, acronym="a" * 20, country="c" * 80)
    assert ("n" * 200) in all_components(engine)


@pytest.mark.parametrize("role", ["reporter", "focal_point", "secretariat", "leadership"])
def test_only_the_administrator_manages_organisations(engine, people, role):
    actor = people[role]
    with Session(engine) as s:
        row_id = s.exec(select(Component.id)).first()
        calls = [
            lambda: svc.search_components(session=s, actor=actor),
            lambda: svc.component_counts(session=s, actor=actor),
            lambda: svc.component_detail(session=s, actor=actor, component_id=row_id),
            lambda: svc.create_component(session=s, actor=actor, kind="Member", name="Sneaky"),
            lambda: svc.update_component(session=s, actor=actor, component_id=row_id, kind="Member",
                                         name="Sneaky", acronym=None, region=None, country=None),
            lambda: svc.set_component_active(session=s, actor=actor, component_id=row_id, active=False),
            lambda: svc.export_components(session=s, actor=actor),
            lambda: svc.import_components(engine=engine, actor=actor, data=csv_bytes("Member,Sneaky,,,")),
        ]
        for call in calls:
            with pytest.raises(PermissionDenied):
                call()
    assert "Sneaky" not in all_components(engine)


# -- search and detail --------------------------------------------------------------------------------


@pytest.fixture
def populated(engine, admin):
    """Two organisations with members and reports, one deactivated."""
    with Session(engine) as s:
        wild = factories.component(s, "Wildlife Trust", region="Africa", country="Kenya")
        ocean = factories.component(s, "Ocean 50% Alliance", kind="Regional Committee", region="Oceania",
                                    country="Tuvalu")
        ocean.active = False
        s.add(ocean)
        alice = factories.user(s, "alice", components=(wild,))
        factories.user(s, "bob", components=(wild, ocean))
        res = factories.resolution(s, 1)
        for n in range(3):
            factories.activity_report(s, wild, alice, (res,), title=f"Report {n}")
        factories.activity_report(s, wild, alice, (res,), state="draft", title="A draft")
        s.commit()
        return {"wild": wild.id, "ocean": ocean.id}


def test_search_counts_members_and_reports(engine, admin, populated):
    with Session(engine) as s:
        frame = svc.search_components(session=s, actor=admin, text="trust")
    assert list(frame.columns) == svc.SEARCH_COLUMNS
    assert frame.to_dict("records") == [{
        "id": populated["wild"], "name": "Wildlife Trust", "acronym": None, "kind": "Member",
        "region": "Africa", "country": "Kenya", "active": True, "members": 2, "reports": 4}]


def test_search_filters(engine, admin, populated):
    def names(**kwargs):
        with Session(engine) as s:
            return list(svc.search_components(session=s, actor=admin, **kwargs)["name"])

    assert names(text="TUVALU") == ["Ocean 50% Alliance"]  # country, any case
    assert names(text="50%") == ["Ocean 50% Alliance"]
    assert names(text="5_%") == []  # LIKE wildcards are taken literally
    assert names(text="ocean trust") == []  # every word must match
    assert names(kinds=("Regional Committee",)) == ["Ocean 50% Alliance"]
    assert names(regions=("Africa",), text="wild") == ["Wildlife Trust"]
    assert names(active=False) == ["Ocean 50% Alliance"]
    assert "Ocean 50% Alliance" not in names(active=True)
    assert "Wildlife Trust" in names(active=True)
    assert names(text="no such thing") == []
    with Session(engine) as s:
        counts = svc.component_counts(session=s, actor=admin)
        total = len(s.exec(select(Component.id)).all())
    assert counts == {"total": total, "deactivated": 1}
    assert len(names()) == total


def test_detail_lists_members_and_reports(engine, admin, populated):
    with Session(engine) as s:
        detail = svc.component_detail(session=s, actor=admin, component_id=populated["wild"])
        ocean = svc.component_detail(session=s, actor=admin, component_id=populated["ocean"])
    assert detail["name"] == "Wildlife Trust" and detail["active"] is True
    assert [m["username"] for m in detail["members"]] == ["alice", "bob"]
    assert detail["members"][0] == {"username": "alice", "display_name": "Alice",
                                    "email": "alice@example.org", "active": True}
    assert detail["report_count"] == 4
    assert [r["title"] for r in detail["reports"]][-1] == "A draft"  # never submitted: last
    assert {r["state"] for r in detail["reports"]} == {"submitted", "draft"}
    assert ocean["active"] is False and ocean["reports"] == [] and len(ocean["members"]) == 1


# -- import -------------------------------------------------------------------------------------------

GOOD = [
    'Member,"Friends of the Earth, Ghana",FoE-GH,Africa,Ghana',
    "National Committee,Comité français,,West Europe,France",
    "Commission,Commission on Imaginary Species,CIS,,",
]


def test_good_file_is_imported(engine, admin):
    before = all_components(engine)
    result = svc.import_components(engine=engine, actor=admin, data=csv_bytes(*GOOD))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    rows = all_components(engine)
    assert len(rows) == len(before) + 3
    assert rows["Friends of the Earth, Ghana"] == ("Member", "FoE-GH", "Africa", "Ghana", True)
    assert rows["Commission on Imaginary Species"] == ("Commission", "CIS", None, None, True)
    assert len(events(engine, "create")) == 3
    [summary] = events(engine, "import")
    assert summary.after == {"created": 3, "updated": 0, "unchanged": 0}
    ids = {e.entity_id for e in events(engine, "create")}
    with Session(engine) as s:
        assert ids == {str(c.id) for c in s.exec(select(Component).where(Component.name.in_(
            ["Friends of the Earth, Ghana", "Comité français", "Commission on Imaginary Species"])))}


def test_reimport_changes_nothing_and_a_changed_field_updates(engine, admin):
    svc.import_components(engine=engine, actor=admin, data=csv_bytes(*GOOD))
    again = svc.import_components(engine=engine, actor=admin, data=csv_bytes(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert len(events(engine, "create")) == 3 and not events(engine, "update")
    changed = [GOOD[0].replace(",Africa,", ",West Asia,"),
               "National Committee,COMITÉ FRANÇAIS,CF,West Europe,France",
               GOOD[2]]
    result = svc.import_components(engine=engine, actor=admin, data=csv_bytes(*changed))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    rows = all_components(engine)
    assert rows["Friends of the Earth, Ghana"][2] == "West Asia"
    assert "Comité français" not in rows  # matched case-insensitively, renamed in the file's spelling
    assert rows["COMITÉ FRANÇAIS"] == ("National Committee", "CF", "West Europe", "France", True)
    updates = {e.before.get("name", e.before.get("region")): (e.before, e.after) for e in events(engine, "update")}
    assert updates["Africa"] == ({"region": "Africa"}, {"region": "West Asia"})
    assert updates["Comité français"] == ({"name": "Comité français", "acronym": None},
                                          {"name": "COMITÉ FRANÇAIS", "acronym": "CF"})
    assert events(engine, "import")[-1].after == {"created": 0, "updated": 2, "unchanged": 1}


def test_import_leaves_deactivated_organisations_deactivated(engine, admin):
    row = create(engine, admin, kind="Member", name="Dormant Club")
    with Session(engine) as s:
        svc.set_component_active(session=s, actor=admin, component_id=row.id, active=False)
        s.commit()
    result = svc.import_components(engine=engine, actor=admin, data=csv_bytes("Member,Dormant Club,DC,,"))
    assert result.updated == 1
    assert all_components(engine)["Dormant Club"] == ("Member", "DC", None, None, False)


def problems_of(engine, admin, data: bytes) -> list[tuple]:
    before, count = all_components(engine), len(events(engine))
    with pytest.raises(ValidationFailed) as info:
        svc.import_components(engine=engine, actor=admin, data=data)
    assert all_components(engine) == before and len(events(engine)) == count  # nothing written
    return [(e.line, e.field, e.message) for e in info.value.errors]


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(engine, admin):
    data = csv_bytes(
        GOOD[0],                                         # 2 fine
        "Club,Some Club,,,",                             # 3 unknown kind
        "Member,Regional Thing,,Atlantis,",              # 4 unknown region
        'Member,"friends of the earth, ghana",,,',       # 5 duplicate of line 2
        "Member,,,Africa,",                              # 6 empty name
        "Member,Too,many,,,columns",                     # 7 six values
        "Member,Too few",                                # 8 two values
        "",                                              # 9 blank: skipped
        "Member," + "x" * 1001 + ",,,",                  # 10 cell too long
        GOOD[1],                                         # 11 fine
    )
    problems = problems_of(engine, admin, data)
    assert [(line, field) for line, field, _ in problems] == [
        (3, "kind"), (4, "region"), (5, "name"), (6, "name"), (7, "row"), (8, "row"), (10, "name")]
    messages = {(line, field): m for line, field, m in problems}
    assert "unknown kind 'Club'" in messages[3, "kind"]
    assert "unknown region 'Atlantis'" in messages[4, "region"]
    assert "duplicate name" in messages[5, "name"] and "(first on line 2)" in messages[5, "name"]
    assert messages[6, "name"] == "the name is empty"
    assert messages[7, "row"] == "expected 5 values, found 6"
    assert messages[8, "row"] == "expected 5 values, found 2"
    assert "longer than 1,000 characters" in messages[10, "name"]


@pytest.mark.parametrize("data, message", [
    ("kind,name,acronym,region,country\nMember,Café,,,\n".encode("latin-1"), "not UTF-8"),
    (b"kind,name,acronym\nMember,X,Y\n", "the columns must be exactly kind,name,acronym,region,country"),
    (b"name,kind,acronym,region,country\nX,Member,,,\n", "the columns must be exactly"),
    (b"", "the file is empty"),
])
def test_file_problems(engine, admin, data, message):
    [(line, field, text)] = problems_of(engine, admin, data)
    assert (line, field) == (1, "file") and message in text


def test_file_over_5_mb_is_refused_before_parsing(engine, admin):
    data = csv_bytes(*(f"Member,Organisation {n:07d},,," for n in range(200_000)))
    assert len(data) > 5 * 1024 * 1024
    [(_line, field, text)] = problems_of(engine, admin, data)
    assert field == "file" and "larger than 5 MB" in text


def test_huge_cell_beyond_the_csv_reader_limit_is_a_problem_not_a_crash(engine, admin):
    [(line, field, text)] = problems_of(engine, admin, csv_bytes(GOOD[0], 'Member,"' + "y" * 200_000 + '",,,'))
    assert (line, field) == (3, "name") and "longer than 1,000 characters (200,000)" in text


# -- export and round trip ----------------------------------------------------------------------------


def test_export_is_the_import_format_ordered_by_kind_then_name(engine, admin):
    with Session(engine) as s:
        for name in ("zeta", "Alpha", "beta"):
            factories.component(s, name, kind="Other", region=None, country=None)
        s.commit()
        data = svc.export_components(session=s, actor=admin)
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == HEADER
    assert [line for line in lines if line.startswith("Other,")] == ["Other,Alpha,,,", "Other,beta,,,",
                                                                     "Other,zeta,,,"]
    kinds = [line.split(",")[0] for line in lines[1:]]
    assert kinds == sorted(kinds)
    assert len(lines) - 1 == len(all_components(engine))


def test_round_trip_changes_nothing(engine, admin):
    svc.import_components(engine=engine, actor=admin, data=csv_bytes(*GOOD))
    with Session(engine) as s:
        data = svc.export_components(session=s, actor=admin)
    before = all_components(engine)
    result = svc.import_components(engine=engine, actor=admin, data=data)
    assert (result.created, result.updated) == (0, 0) and result.unchanged == len(before)
    assert all_components(engine) == before
    with Session(engine) as s:
        assert svc.export_components(session=s, actor=admin) == data


def test_formula_cells_are_neutralised_and_round_trip_exactly(engine, admin):
    names = ["=HYPERLINK(\"http://evil\")", "+Plus Society", "-Minus Trust", "@At Home",
             "'=Already quoted", "Plain 'apostrophe", "'Leading apostrophe"]
    for n, name in enumerate(names):
        create(engine, admin, kind="Other", name=name, acronym="-A" if n == 2 else None,
               country="=1+1" if n == 0 else None)
    with Session(engine) as s:
        data = svc.export_components(session=s, actor=admin)
    text = data.decode("utf-8")
    assert "Other,\"'=HYPERLINK(\"\"http://evil\"\")\",,,'=1+1\n" in text
    for cell in ("Other,'+Plus Society,", "Other,'-Minus Trust,'-A,", "Other,'@At Home,",
                 "Other,''=Already quoted,", "Other,Plain 'apostrophe,", "Other,'Leading apostrophe,"):
        assert cell in text
    for cells in csv.reader(io.StringIO(text)):
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]  # no cell a spreadsheet would run
    before = all_components(engine)
    result = svc.import_components(engine=engine, actor=admin, data=data)
    assert (result.created, result.updated) == (0, 0)
    assert all_components(engine) == before
    assert before["=HYPERLINK(\"http://evil\")"][3] == "=1+1" and before["-Minus Trust"][1] == "-A"


def test_import_of_a_new_quoted_formula_cell_stores_the_value(engine, admin):
    svc.import_components(engine=engine, actor=admin, data=csv_bytes("Other,'@Handle,,,", "Other,'Kept,,,"))
    rows = all_components(engine)
    assert "@Handle" in rows and "'Kept" in rows


def test_1500_row_import_is_fast(engine, admin):
    regions = vocab.IUCN_REGIONS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(svc.COLUMNS)
    writer.writerows(["Member", f"Member organisation {n:04d}", f"M{n}", regions[n % len(regions)],
                      f"Country {n % 90}"] for n in range(1500))
    data = out.getvalue().encode("utf-8")
    start = time.perf_counter()
    result = svc.import_components(engine=engine, actor=admin, data=data)
    elapsed = time.perf_counter() - start
    assert result.created == 1500
    assert elapsed < 2.0, f"1,500-row import took {elapsed:.2f} s"
    assert len(events(engine, "create")) == 1500
    start = time.perf_counter()
    again = svc.import_components(engine=engine, actor=admin, data=data)
    assert again.unchanged == 1500 and time.perf_counter() - start < 2.0
    with Session(engine) as s:
        frame = svc.search_components(session=s, actor=admin, text="organisation 0042")
    assert list(frame["name"]) == ["Member organisation 0042"]
