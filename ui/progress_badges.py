"""Badges for implementation statuses and Progress Report states (st.badge has named colours only, so
each status of the scale gets the nearest one; charts use the exact vocab.STATUS_COLOURS)."""

import streamlit as st

from db import vocab

STATUS_BADGE_COLOURS = {
    vocab.NO_PROGRESS_REPORT: "gray",
    vocab.IN_PREPARATION: "violet",
    "Not started": "red",
    "Initiated": "orange",
    "Underway": "yellow",
    "On-going": "blue",
    "Completed": "green",
}
STATE_BADGES = {  # state -> (label, colour, icon)
    None: (vocab.NO_PROGRESS_REPORT, "gray", ":material/radio_button_unchecked:"),
    "draft": ("Draft", "orange", ":material/edit:"),
    "returned": ("Returned", "red", ":material/undo:"),
    "in_review": ("In review", "blue", ":material/hourglass_top:"),
    "published": ("Published", "green", ":material/check_circle:"),
}


def status_badge(status: str | None, prefix: str = "") -> None:
    status = status or vocab.NO_PROGRESS_REPORT
    st.badge(prefix + status, color=STATUS_BADGE_COLOURS.get(status, "gray"))


def state_badge(state: str | None, returned: bool = False) -> None:
    label, colour, icon = STATE_BADGES["returned" if returned else state]
    st.badge(label, color=colour, icon=icon)
