import pytest
from sqlmodel import Session, select

from db.models import AuditEvent, YearlyAnalysis
from services import yearly_analysis as ya
from services.errors import ConflictError, NotFound, PermissionDenied, ValidationFailed
from tests import factories as f


@pytest.fixture
def people(engine):
    with Session(engine) as s:
        made = {role: f.actor(s, f.user(s, role, (role,)))
                for role in ("secretariat", "leadership", "focal_point", "reporter", "admin")}
        s.commit()
    return made


TEXT = {"key_messages": "Most Resolutions are underway.", "recommendations": "Fund the follow-up."}


def _save(engine, actor, narrative=TEXT, version=None, publish=False, congress="WCC-2020", year=2024):
    with Session(engine) as s:
        write = ya.publish if publish else ya.save_draft
        view = write(session=s, actor=actor, congress=congress, year=year, narrative=narrative, version=version)
        s.commit()
        return view


def _read(engine, actor, congress="WCC-2020", year=2024):
    with Session(engine) as s:
        return ya.read_analysis(session=s, actor=actor, congress=congress, year=year)


def test_draft_is_seen_by_the_secretariat_only_until_published(engine, people):
    view = _save(engine, people["secretariat"])
    assert (view.state, view.version, view.draft["key_messages"]) == ("draft", 1, TEXT["key_messages"])
    assert view.draft["status"] == ""  # every section present, empty when not written

    leader = _read(engine, people["leadership"])
    assert leader.exists and leader.published is None and leader.draft is None

    published = _save(engine, people["secretariat"], version=1, publish=True)
    assert (published.state, published.version) == ("published", 2)
    leader = _read(engine, people["leadership"])
    assert leader.published["recommendations"] == "Fund the follow-up." and leader.draft is None
    focal = _read(engine, people["focal_point"])
    assert focal.published == leader.published


def test_a_new_draft_keeps_the_published_text_for_readers(engine, people):
    _save(engine, people["secretariat"], publish=True)
    changed = TEXT | {"key_messages": "Revised messages."}
    view = _save(engine, people["secretariat"], narrative=changed, version=1)
    assert view.state == "draft" and view.unpublished_changes
    assert view.draft["key_messages"] == "Revised messages."
    assert _read(engine, people["leadership"]).published["key_messages"] == TEXT["key_messages"]
    # saving the published text back as it was leaves nothing unpublished
    back = _save(engine, people["secretariat"], narrative=TEXT, version=2)
    assert back.state == "published" and not back.unpublished_changes


def test_nothing_saved_yet(engine, people):
    view = _read(engine, people["secretariat"])
    assert not view.exists and view.version is None and view.draft == dict.fromkeys(ya.FIELD_KEYS, "")
    assert _read(engine, people["leadership"]).draft is None


def test_permissions(engine, people):
    for role in ("leadership", "focal_point", "reporter"):
        with pytest.raises(PermissionDenied):
            _save(engine, people[role])
    with pytest.raises(PermissionDenied):
        _read(engine, people["reporter"])
    assert _save(engine, people["admin"]).state == "draft"  # admin may do what the Secretariat does
    with Session(engine) as s:
        assert len(s.exec(select(YearlyAnalysis)).all()) == 1


def test_publishing_needs_the_required_sections_and_lists_every_problem(engine, people):
    too_long = "x" * (ya.MAX_CHARS + 1)
    with pytest.raises(ValidationFailed) as raised:
        _save(engine, people["secretariat"], narrative={"status": too_long, "nonsense": "?"}, publish=True)
    fields = {e.field for e in raised.value.errors}
    assert fields == {"key_messages", "recommendations", "status", "nonsense"}
    # a draft may leave sections empty
    assert _save(engine, people["secretariat"], narrative={"status": "Only status so far."}).state == "draft"


def test_year_and_congress_are_checked(engine, people):
    with pytest.raises(ValidationFailed) as raised:
        _save(engine, people["secretariat"], year=2019)  # before the Congress
    assert raised.value.for_field("year")
    with pytest.raises(ValidationFailed) as raised:
        _save(engine, people["secretariat"], congress="WCC-1999")
    assert raised.value.for_field("congress")
    with pytest.raises(NotFound):
        _read(engine, people["secretariat"], congress="WCC-1999")


def test_concurrent_edit_is_refused_and_changes_nothing(engine, people):
    _save(engine, people["secretariat"])
    _save(engine, people["admin"], narrative=TEXT | {"status": "Admin's text"}, version=1)
    with pytest.raises(ConflictError):
        _save(engine, people["secretariat"], narrative=TEXT | {"status": "Stale text"}, version=1)
    with pytest.raises(ConflictError):  # creating again what someone else created meanwhile
        _save(engine, people["secretariat"], narrative=TEXT, version=None)
    view = _read(engine, people["secretariat"])
    assert view.draft["status"] == "Admin's text" and view.version == 2


def test_every_write_is_audited(engine, people):
    _save(engine, people["secretariat"])
    _save(engine, people["secretariat"], narrative=TEXT | {"status": "New"}, version=1, publish=True)
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "yearly_analysis")
                        .order_by(AuditEvent.id)).all()
    assert [(e.action, e.entity_id, e.user_id) for e in events] == [
        ("save_draft", "WCC-2020/2024", people["secretariat"].id),
        ("publish", "WCC-2020/2024", people["secretariat"].id),
    ]
    assert events[1].before == {"state": "draft", "status": ""}
    assert events[1].after == {"state": "published", "status": "New"}
