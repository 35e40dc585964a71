"""Shared Streamlit pieces: the auth gate, navigation, URL-bound filters, cached readers, formatting."""
