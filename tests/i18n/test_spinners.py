"""Spinners speak the run's language (issue 14): a cached read's spinner (ui/cached.py) and the database's
first preparation (ui/data.py) are translated when shown, not fixed in English when the function is defined."""

from contextlib import contextmanager

import pytest

import locales
from locales import N_
from ui import cached as cached_module
from ui import data


@pytest.fixture
def spinners(monkeypatch):
    """The texts of every spinner shown, in order (Streamlit's st.spinner recorded, not drawn)."""
    shown: list[str] = []

    @contextmanager
    def spinner(text, **_kwargs):
        shown.append(text)
        yield

    monkeypatch.setattr(cached_module.st, "spinner", spinner)
    monkeypatch.setattr(cached_module, "data_version", lambda *args, **kwargs: ("test", 1))
    return shown


def test_a_cached_reads_spinner_is_in_the_readers_language(spinners):
    calls = []

    def long_read(*, n: int) -> int:
        calls.append(n)
        return n * 2

    read = cached_module.cached(long_read, spinner=N_("Computing the analysis…"))
    with locales.use("fr"):
        assert read(n=1) == 2
    with locales.use("es"):
        assert read(n=1) == 2
    with locales.use("en"):
        read(n=1)
    assert spinners == ["Calcul de l'analyse…", "Calculando el análisis…", "Computing the analysis…"]
    assert calls == [1, 1, 1]  # one answer per language


def test_a_read_computed_inside_another_shows_only_the_outer_spinner(spinners):
    inner = cached_module.cached(lambda *, n: n + 1, spinner=N_("Computing the analysis…"))

    def build(*, n: int) -> int:
        return inner(n=n) * 10

    outer = cached_module.cached(build, spinner=N_("Preparing the PDF…"))
    with locales.use("es"):
        assert outer(n=2) == 30
    assert spinners == ["Preparando el PDF…"]


def test_a_read_without_spinner_shows_none(spinners):
    read = cached_module.cached(lambda *, n: n)
    with locales.use("fr"):
        read(n=3)
    assert spinners == []


def test_the_database_is_prepared_under_a_spinner_in_the_runs_language(monkeypatch, spinners):
    made = []
    monkeypatch.setattr(data.st, "spinner", cached_module.st.spinner)  # the recorder (same st module)
    monkeypatch.setattr(data, "_engine", lambda url, demo: made.append(url) or f"engine of {url}")
    monkeypatch.setattr(data, "_ready", set())
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/spinner-test.db")
    with locales.use("es"):
        first = data.engine()
        again = data.engine()
    assert first == again == "engine of sqlite:////tmp/spinner-test.db"
    assert spinners == ["Preparando la base de datos…"]  # once: an engine already made shows nothing
