"""Filters that live in the URL, so a filtered view can be shared.

On the first run of a page the widget state is read from st.query_params; afterwards every widget
change is written back. Widgets use the same key as their query parameter.

Session state is shared by all pages, and several pages use the same parameter names ("congress" is
one Congress on the overview but a list on the register). So each key remembers which page set it:
a value left by another page is dropped and read again from this page's URL.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

_OWNERS = "_url_state_owners"


def _current_page() -> str:
    ctx = get_script_run_ctx()
    return ctx.page_script_hash if ctx else ""


def _needs_reading(key: str) -> bool:
    """True when the key holds no value of this page yet (absent, or left by another page)."""
    owners = st.session_state.setdefault(_OWNERS, {})
    page = _current_page()
    if owners.get(key) != page:
        owners[key] = page
        st.session_state.pop(key, None)
    return key not in st.session_state


def init_list(key: str, allowed: list[str] | None = None) -> None:
    if _needs_reading(key):
        values = st.query_params.get_all(key)
        st.session_state[key] = [v for v in values if allowed is None or v in allowed]


def init_text(key: str, default: str = "", allowed: list[str] | None = None) -> None:
    if _needs_reading(key):
        value = st.query_params.get(key, default)
        st.session_state[key] = value if allowed is None or value in allowed else default


def init_int(key: str, default: int, lo: int, hi: int) -> None:
    if _needs_reading(key):
        raw = st.query_params.get(key)
        try:
            value = int(raw) if raw is not None else default
        except ValueError:
            value = default
        st.session_state[key] = min(max(value, lo), hi)


def write_back(keys: dict[str, object]) -> None:
    """Mirror the current values into the URL; empty values and defaults are left out."""
    for key, default in keys.items():
        value = st.session_state.get(key)
        if isinstance(value, tuple):
            value = list(value)
        if value in (None, "", []) or value == default:
            st.query_params.pop(key, None)
        elif isinstance(value, list):
            st.query_params[key] = [str(v) for v in value]
        else:
            st.query_params[key] = str(value)
