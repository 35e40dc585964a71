"""A table in which the user opens one row, remembered by its id (not its position)."""

import hashlib

import pandas as pd
import streamlit as st


def chosen_row(frame: pd.DataFrame, *, ids: list[int], key: str, remember: str, **dataframe_args) -> int | None:
    """Draw `frame` with single-row selection and return the id (from `ids`, one per row) of the row the user
    opened, or None. The table's key follows the ids it shows: when they change (a filter, an edit that moves
    a row, someone else's import) the selection starts again from the remembered id (st.session_state
    [remember]), never from a stale position."""
    table_key = f"{key}_" + hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]
    opened = st.session_state.get(remember)
    default = {"selection": {"rows": [ids.index(opened)]}} if opened in ids else None
    event = st.dataframe(frame, hide_index=True, width="stretch", key=table_key, on_select="rerun",
                         selection_mode="single-row", selection_default=default, **dataframe_args)
    rows = event.selection.rows
    opened = ids[rows[0]] if rows and rows[0] < len(ids) else None
    st.session_state[remember] = opened
    return opened
