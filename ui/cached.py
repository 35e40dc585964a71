"""The one way pages cache a read: `cached(service_read)` keyed on the data version and the arguments.

Every write records an audit event in its own transaction, so the newest event id (ui.data.data_version)
changes whenever data does, in any session or process: a cached answer is reused only while nothing has
been written since. The arguments are part of the key, so one user's answer never serves another's
question (pass the actor when the read depends on who asks). The language of the run is part of the key too
(issue 14): a read that returns translated labels is never served to a reader of another language."""

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

import streamlit as st

import locales
from ui.data import data_version, session


def cached(read: Callable | None = None, *, max_entries: int = 256, spinner: str | bool = False,
           scopes: tuple[str, ...] | None = None, by_congress: bool = False):
    """Wrap `read(*, session, **arguments)` (a service or analytics read) for pages, called with the same
    arguments minus the session. A read without a `session` parameter (one composing other cached reads,
    such as an export built from cached figures) is cached the same way. Exceptions (NotFound,
    PermissionDenied) are never cached. Usable as `cached(fn)` or `@cached(spinner=N_("..."))` (an English text
    marked N_, shown translated in the run's language while the read computes).

    Invalidation (issue 13): by default any write renews the answer. `scopes` (db/scopes.py) names all the
    data the read depends on: only writes of those scopes (or of no known scope) renew it. `by_congress`:
    the read is about one Congress only (its `congress` or `congress_code` argument, else its filter's
    `flt.congress`), so writes touching another single Congress do not renew it. Name a scope too many rather
    than one too few: a missing scope serves stale figures."""

    def wrap(read: Callable) -> Callable:
        wants_session = "session" in inspect.signature(read).parameters

        def run(version: tuple, language: str, args: tuple, kwargs: dict):
            with locales.use(language), _computing_a_read():
                if not wants_session:
                    return read(*args, **kwargs)
                with session() as s:
                    return read(*args, session=s, **kwargs)

        # st.cache_data tells functions apart by module and qualified name: give each wrapper the read's
        run.__module__, run.__qualname__ = read.__module__, f"{read.__qualname__}.cached"
        # The spinner's text is translated when shown (below), in the run's language: never Streamlit's own.
        cached_run = st.cache_data(max_entries=max_entries, show_spinner=spinner is True)(run)

        @functools.wraps(read)
        def reader(*args, **kwargs):
            congress = _congress_of(kwargs) if by_congress else None
            with _spinner(spinner):
                return cached_run(data_version(scopes, congress), locales.current(), args, kwargs)

        reader.clear = cached_run.clear
        return reader

    return wrap(read) if read is not None else wrap


_computing: ContextVar[bool] = ContextVar("computing_a_cached_read", default=False)


@contextmanager
def _computing_a_read() -> Iterator[None]:
    token = _computing.set(True)
    try:
        yield
    finally:
        _computing.reset(token)


def _spinner(text: str | bool):
    """st.spinner with `text` (an English N_ text) in the run's language. Streamlit shows it only if the read
    takes longer than half a second (a cache hit never does). None for a read computed inside another cached
    read: the outer read's spinner is already showing, as Streamlit does for nested cached functions."""
    if not isinstance(text, str) or not text or _computing.get():
        return nullcontext()
    return st.spinner(locales._(text))


def _congress_of(kwargs: dict) -> str | None:
    """The Congress code a read is about (None: not known before the read resolves it, so every Congress)."""
    for name in ("congress", "congress_code"):
        if kwargs.get(name):
            return kwargs[name]
    return getattr(kwargs.get("flt"), "congress", None)
