"""The one way pages cache a read: `cached(service_read)` keyed on the data version and the arguments.

Every write records an audit event in its own transaction, so the newest event id (ui.data.data_version)
changes whenever data does, in any session or process: a cached answer is reused only while nothing has
been written since. The arguments are part of the key, so one user's answer never serves another's
question (pass the actor when the read depends on who asks). The language of the run is part of the key too
(issue 14): a read that returns translated labels is never served to a reader of another language."""

import functools
import inspect
from collections.abc import Callable

import streamlit as st

import locales
from ui.data import data_version, session


def cached(read: Callable | None = None, *, max_entries: int = 256, spinner: str | bool = False):
    """Wrap `read(*, session, **arguments)` (a service or analytics read) for pages, called with the same
    arguments minus the session. A read without a `session` parameter (one composing other cached reads,
    such as an export built from cached figures) is cached the same way. Exceptions (NotFound,
    PermissionDenied) are never cached. Usable as `cached(fn)` or `@cached(spinner="...")`."""

    def wrap(read: Callable) -> Callable:
        wants_session = "session" in inspect.signature(read).parameters

        def run(version: tuple, language: str, args: tuple, kwargs: dict):
            with locales.use(language):
                if not wants_session:
                    return read(*args, **kwargs)
                with session() as s:
                    return read(*args, session=s, **kwargs)

        # st.cache_data tells functions apart by module and qualified name: give each wrapper the read's
        run.__module__, run.__qualname__ = read.__module__, f"{read.__qualname__}.cached"
        cached_run = st.cache_data(max_entries=max_entries, show_spinner=spinner)(run)

        @functools.wraps(read)
        def reader(*args, **kwargs):
            return cached_run(data_version(), locales.current(), args, kwargs)

        reader.clear = cached_run.clear
        return reader

    return wrap(read) if read is not None else wrap
