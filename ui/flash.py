"""A message that survives st.rerun(): set it before rerunning, show it on the next run. Pages pass it
translated (flash(_("Saved."))); it is shown as given."""

import streamlit as st

_KEY = "_flash_messages"


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    st.session_state.setdefault(_KEY, []).append((message, icon))


def show_flash() -> None:
    for message, icon in st.session_state.pop(_KEY, []):
        st.success(message, icon=icon)
