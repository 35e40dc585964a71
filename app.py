"""Resolutions Tracker: configuration, login gate, role-based navigation, logout. Nothing else."""

import streamlit as st

from db.settings import ConfigurationError, load_settings
from db.vocab import ROLE_LABELS
from ui.auth import current_actor, logout_button, register_sign_in_only
from ui.navigation import build_navigation

st.set_page_config(page_title="Resolutions Tracker", page_icon=":material/fact_check:", layout="wide")

settings = load_settings()
try:
    settings.check()
    actor = current_actor(settings)
except ConfigurationError as problem:
    st.error(f"The app cannot start: {problem}", icon=":material/error:")
    register_sign_in_only()
    st.stop()

if actor is None:
    register_sign_in_only()
    st.stop()

st.session_state["actor"] = actor
page = build_navigation(actor)
with st.sidebar:
    st.caption(f"Signed in as **{actor.display_name}** · "
               + ", ".join(ROLE_LABELS[r] for r in sorted(actor.roles)))
    logout_button()
page.run()
