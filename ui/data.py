"""The engine (one per process) and sessions for pages; cached reads keyed on the data version."""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from db.bootstrap import prepare_database
from db.engine import make_engine
from db.settings import load_settings
from services import audit


@st.cache_resource(show_spinner="Preparing the database…")
def _engine(url: str, demo: bool) -> Engine:
    engine = make_engine(url)
    prepare_database(engine, demo=demo)
    return engine


def engine() -> Engine:
    settings = load_settings()
    return _engine(settings.database_url, settings.demo_mode)


@contextmanager
def session() -> Iterator[Session]:
    with Session(engine(), expire_on_commit=False) as s:
        yield s


def data_version() -> tuple[str, int]:
    """Every write records an audit event, so the newest event id changes whenever data does:
    cached readers take (database, newest event) as their first argument and so are invalidated by
    any write, in any session."""
    with session() as s:
        return load_settings().database_url, audit.data_version(s)
