"""Placeholder: being built in this session."""

import streamlit as st

st.info("This page is being built.", icon=":material/construction:")
