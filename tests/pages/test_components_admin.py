"""Organisations page: the administrator only; search, select a row to see and edit it, deactivate, create
through the form (errors under the field, input kept), import with every problem listed, export."""

import pytest
from sqlmodel import Session, select

from db.engine import make_engine
from db.models import AuditEvent, Component
from services.components import export_components
from services.users import actor_for
from tests.pages.apptest import open_page, reachable
from ui.format import escape_md

PAGE = "pages/components_admin.py"


def stored(app_db) -> dict[str, Component]:
    with Session(make_engine(app_db)) as s:
        return {c.name: c for c in s.exec(select(Component))}


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def select_row(at, name: str):
    """Select the table row of an organisation, as a click would."""
    table = at.dataframe[0]
    position = list(table.value["name"]).index(name)
    at.session_state[table.key] = {"selection": {"rows": [position], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    return at


def errors_after(at, key: str) -> list[str]:
    """The error messages shown right under the widget with `key` (in the same container)."""
    for block in at.main.children.values():
        found = _errors_after(block, key)
        if found is not None:
            return found
    raise AssertionError(f"no widget {key}")


def _errors_after(node, key: str):
    children = list(getattr(node, "children", {}).values())
    for i, child in enumerate(children):
        if getattr(child, "key", None) == key:
            following = children[i + 1] if i + 1 < len(children) else None
            return [e.value for e in following.error] if following is not None else []
        found = _errors_after(child, key)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("user", ["reporter", "focal", "secretariat", "leader"])
def test_not_reachable_for_other_roles(app_db, user):
    assert reachable(PAGE, user) is False


def test_admin_sees_counts_and_every_organisation(app_db):
    at = open_page(PAGE, "admin")
    assert not at.exception
    everything = stored(app_db)
    assert at.markdown[0].value == f"**{len(everything):,} organisations**, 0 deactivated"
    table = at.dataframe[0].value
    assert set(table["name"]) == set(everything)
    ssc = table[table["name"] == "Species Survival Commission"].iloc[0]
    assert ssc["members"] >= 1 and ssc["reports"] > 0


def test_search_and_filters(app_db):
    at = open_page(PAGE, "admin")
    at.text_input(key="org_q").set_value("survival").run()
    assert list(at.dataframe[0].value["name"]) == ["Species Survival Commission"]
    at.text_input(key="org_q").set_value("").run()
    at.multiselect(key="org_kinds").set_value(["Commission"]).run()
    names = set(at.dataframe[0].value["name"])
    assert names == {n for n, c in stored(app_db).items() if c.kind == "Commission"} and len(names) == 6
    at.multiselect(key="org_kinds").set_value([]).run()
    at.multiselect(key="org_regions").set_value(["Oceania"]).run()
    assert set(at.dataframe[0].value["region"]) == {"Oceania"}
    at.selectbox(key="org_status").set_value("Deactivated").run()
    assert at.dataframe[0].value.empty
    assert not at.exception


def test_select_edit_and_deactivate(app_db):
    at = open_page(PAGE, "admin")
    at.text_input(key="org_q").set_value("survival").run()
    select_row(at, "Species Survival Commission")
    cid = stored(app_db)["Species Survival Commission"].id
    assert at.text[0].value.startswith("Species Survival Commission · SSC · Commission")
    assert [t.label for t in at.tabs][1] == ":material/group: Members (1)"
    members = next(d.value for d in at.dataframe if "username" in d.value.columns)
    assert list(members["username"]) == ["reporter"]
    # A name another organisation has: the error is under the name, and what was typed stays.
    name_key = f"edit_{cid}_0_name"
    at.text_input(key=name_key).set_value("world commission on protected areas")
    at.text_input(key=f"edit_{cid}_0_acronym").set_value("SSC-X")
    button(at, "Save").click().run()
    assert errors_after(at, name_key) == ["another organisation already has this name"]
    assert at.text_input(key=name_key).value == "world commission on protected areas"
    assert at.text_input(key=f"edit_{cid}_0_acronym").value == "SSC-X"
    assert stored(app_db)["Species Survival Commission"].acronym == "SSC"
    # A good name is saved; the organisation stays open.
    at.text_input(key=name_key).set_value("Species Survival Commission of IUCN")
    button(at, "Save").click().run()
    assert not at.exception
    assert at.success[0].value == "Organisation saved."
    row = stored(app_db)["Species Survival Commission of IUCN"]
    assert (row.id, row.acronym) == (cid, "SSC-X")
    assert at.text[0].value.startswith("Species Survival Commission of IUCN · SSC-X")
    # Deactivate, then reactivate.
    button(at, "Deactivate").click().run()
    assert at.success[0].value == "Organisation deactivated."
    assert stored(app_db)["Species Survival Commission of IUCN"].active is False
    assert "1 deactivated" in at.markdown[0].value
    button(at, "Reactivate").click().run()
    assert stored(app_db)["Species Survival Commission of IUCN"].active is True
    with Session(make_engine(app_db)) as s:
        actions = s.exec(select(AuditEvent.action).where(AuditEvent.entity == "component",
                                                         AuditEvent.entity_id == str(cid))
                         .order_by(AuditEvent.id)).all()
    assert actions == ["update", "deactivate", "reactivate"]


def test_create_through_the_form(app_db):
    at = open_page(PAGE, "admin")
    total = len(stored(app_db))
    at.text_input(key="new_name").set_value("species survival commission ")
    at.text_input(key="new_acronym").set_value("NEW")
    button(at, "Create organisation").click().run()
    assert errors_after(at, "new_name") == ["another organisation already has this name"]
    assert errors_after(at, "new_kind") == [escape_md(
        "choose a kind (Member, Commission, Secretariat, National Committee, Regional Committee, Council, Other)")]
    assert at.text_input(key="new_name").value == "species survival commission "
    assert at.text_input(key="new_acronym").value == "NEW"
    assert len(stored(app_db)) == total
    at.text_input(key="new_name").set_value("Friends of the Reef")
    at.selectbox(key="new_kind").set_value("Member")
    at.selectbox(key="new_region").set_value("Oceania")
    at.text_input(key="new_country").set_value("Fiji")
    button(at, "Create organisation").click().run()
    assert not at.exception
    assert at.success[0].value == "Organisation created."
    row = stored(app_db)["Friends of the Reef"]
    assert (row.kind, row.acronym, row.region, row.country, row.active) == ("Member", "NEW", "Oceania", "Fiji", True)
    assert at.text_input(key="new_name").value == ""  # the form is emptied for the next one
    assert at.text[0].value == "Friends of the Reef · NEW · Member · Oceania · Fiji"  # and the new one is open
    assert at.markdown[0].value.startswith(f"**{total + 1:,} organisations**")


def upload(at, data: bytes):
    at.file_uploader[0].set_value(("organisations.csv", data, "text/csv"))
    button(at, "Check and import").click().run()
    assert not at.exception
    return at


def test_import_lists_every_problem_and_writes_nothing(app_db):
    before = {n: (c.kind, c.region) for n, c in stored(app_db).items()}
    data = (b"kind,name,acronym,region,country\n"
            b"Member,A Fine New Member,,Africa,Ghana\n"
            b"Club,Some Club,,,\n"
            b"Member,Lost,,Atlantis,\n"
            b"Member,a fine new member,,,\n")
    at = upload(open_page(PAGE, "admin"), data)
    assert at.error[0].value == "Nothing was imported: 3 problems found. Fix them and upload the file again."
    problems = at.dataframe[-1].value
    assert list(problems["line"]) == [3, 4, 5]
    assert list(problems["column"]) == ["kind", "region", "name"]
    assert "(first on line 2)" in problems["problem"].iloc[2]
    assert {n: (c.kind, c.region) for n, c in stored(app_db).items()} == before


def test_good_import_and_download(app_db):
    at = open_page(PAGE, "admin")
    download = at.get("download_button")[0]
    assert download.label == "Download CSV"
    data = (b"kind,name,acronym,region,country\n"
            b"Member,A Fine New Member,AFNM,Africa,Ghana\n"
            b"Commission,Species Survival Commission,SSC,,\n")
    upload(at, data)
    assert at.success[0].value == "Imported: 1 new, 0 updated, 1 unchanged."
    assert stored(app_db)["A Fine New Member"].region == "Africa"
    assert "A Fine New Member" in set(at.dataframe[0].value["name"])



def test_download_builds_the_export_only_when_asked(app_db, monkeypatch):
    """The button gets a callable (deferred download), and calling it gives exactly the service's export."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    offered = []
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        offered.append(data_callable)
        return real(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    at = open_page(PAGE, "admin")
    download = at.get("download_button")[0]
    assert download.proto.deferred_file_id
    with Session(make_engine(app_db)) as s:
        expected = export_components(session=s, actor=actor_for(session=s, username="admin"))
    assert offered and offered[-1]() == expected
    assert expected.startswith(b"kind,name,acronym,region,country\n")
