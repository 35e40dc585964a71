"""ui.cached, the one cached-read helper: keyed on the data version and the arguments, on both databases."""

import pytest
import streamlit as st
from sqlmodel import Session

from db.engine import transaction
from db.models import Theme
from services import audit
from services.errors import NotFound
from ui.cached import cached

CALLS: list[tuple] = []


def theme_count(*, session: Session, prefix: str = "") -> int:
    CALLS.append(("count", prefix))
    return sum(1 for t in session.query(Theme).all() if t.name.startswith(prefix))


def theme_names(*, session: Session, prefix: str = "") -> list[str]:
    CALLS.append(("names", prefix))
    return sorted(t.name for t in session.query(Theme).all() if t.name.startswith(prefix))


def missing(*, session: Session, key: str) -> None:
    CALLS.append(("missing", key))
    raise NotFound(f"No {key}.")


@pytest.fixture
def readers(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.delenv("RT_DEMO", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    CALLS.clear()
    yield cached(theme_count), cached(theme_names), cached(missing)
    st.cache_data.clear()
    st.cache_resource.clear()


def _add_theme(engine, name: str) -> None:
    """A write as services make them: the row and its audit event in one transaction."""
    with transaction(engine) as s:
        s.add(Theme(name=name, framework="Test"))
        audit.record(s, actor=None, action="test.theme", entity="theme", entity_id=name)


def test_a_repeated_read_is_answered_from_the_cache(readers):
    count, _, _ = readers
    first = count(prefix="")
    assert count(prefix="") == first
    assert CALLS == [("count", "")]


def test_arguments_are_part_of_the_key(readers, engine):
    count, _, _ = readers
    _add_theme(engine, "Zz cached test theme")
    assert count(prefix="Zz cached") == 1
    assert count(prefix="Zz nothing") == 0
    assert CALLS == [("count", "Zz cached"), ("count", "Zz nothing")]


def test_two_reads_with_the_same_arguments_never_share_an_answer(readers, engine):
    count, names, _ = readers
    _add_theme(engine, "Zz cached test theme")
    assert count(prefix="Zz") == 1
    assert names(prefix="Zz") == ["Zz cached test theme"]


def test_a_write_anywhere_invalidates_the_answer(readers, engine):
    count, names, _ = readers
    before = count(prefix="Zz")
    assert names(prefix="Zz") == []
    _add_theme(engine, "Zz written after the first read")
    assert count(prefix="Zz") == before + 1
    assert names(prefix="Zz") == ["Zz written after the first read"]
    assert len(CALLS) == 4


def test_errors_are_raised_every_time_and_never_cached(readers):
    _, _, fails = readers
    for _ in range(2):
        with pytest.raises(NotFound, match="No thing"):
            fails(key="thing")
    assert CALLS == [("missing", "thing"), ("missing", "thing")]
