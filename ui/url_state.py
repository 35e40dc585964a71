"""Filters that live in the URL, so a filtered view can be shared.

On the first run of a page the widget state is read from st.query_params; afterwards every widget
change is written back. Widgets use the same key as their query parameter.
"""

import streamlit as st


def init_list(key: str, allowed: list[str] | None = None) -> None:
    if key not in st.session_state:
        values = st.query_params.get_all(key)
        st.session_state[key] = [v for v in values if allowed is None or v in allowed]


def init_text(key: str, default: str = "", allowed: list[str] | None = None) -> None:
    if key not in st.session_state:
        value = st.query_params.get(key, default)
        st.session_state[key] = value if allowed is None or value in allowed else default


def init_int(key: str, default: int, lo: int, hi: int) -> None:
    if key not in st.session_state:
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
