"""The engine (one per process) and sessions for pages; cached reads keyed on the data version."""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from db.bootstrap import prepare_database
from db.engine import make_engine
from db.settings import load_settings
from locales import _
from services import audit


@st.cache_resource(show_spinner=False)  # the spinner is engine()'s, in the run's language
def _engine(url: str, demo: bool) -> Engine:
    engine = make_engine(url)
    prepare_database(engine, demo=demo)
    return engine


_ready: set[tuple[str, bool]] = set()  # engines this process has made: no spinner (and no timer thread) for them


def engine() -> Engine:
    settings = load_settings()
    key = (settings.database_url, settings.demo_mode)
    if key in _ready:
        return _engine(*key)
    with st.spinner(_("Preparing the database…")):
        made = _engine(*key)
    _ready.add(key)
    return made


@contextmanager
def session() -> Iterator[Session]:
    with Session(engine(), expire_on_commit=False) as s:
        yield s


def data_version(scopes: tuple[str, ...] | None = None, congress: str | None = None) -> tuple[str, int]:
    """Every write records an audit event, so the newest event id changes whenever data does:
    cached readers take (database, newest event) as their first argument and so are invalidated by
    any write, in any session. Given `scopes` (db/scopes.py), the newest event of those scopes (and of
    unknown ones), of the Congress with code `congress` or of no one Congress (services/audit.scoped_version)."""
    memo, key = _run_memo(), (scopes, congress)
    if memo is not None and key in memo:
        return memo[key]
    with session() as s:
        version = audit.data_version(s) if scopes is None else audit.scoped_version(s, scopes, congress)
    found = load_settings().database_url, version
    if memo is not None:
        memo[key] = found
    return found


def _run_memo() -> dict | None:
    """The versions read so far in this script run (None outside a run): each is read once per run, not once
    per cached read, as every read costs a pooled connection's ping and a query (44% of a warm Overview run on
    PostgreSQL, issue 13). Anyone's write is still seen at the next run, and a commit in the run itself
    forgets them (_forget_after_commit). Run-scoped: a run starts with new ctx.cursors (ScriptRunContext.reset)."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return None
    owner, memo = getattr(ctx, "_rt_versions", (None, None))
    if owner is not ctx.cursors:
        memo = {}
        ctx._rt_versions = (ctx.cursors, memo)
    return memo


def forget_versions() -> None:
    """After a write in this run (ui.write; any ORM commit too): its reads see the new data in the same run."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is not None and hasattr(ctx, "_rt_versions"):
        ctx._rt_versions = (None, None)


@sa_event.listens_for(OrmSession, "after_commit")
def _forget_after_commit(_session) -> None:
    forget_versions()
