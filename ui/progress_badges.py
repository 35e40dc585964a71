"""Badges for implementation statuses and Progress Report states (st.badge has named colours only, so
each status of the scale gets the nearest one; charts use the exact vocab.STATUS_COLOURS). Colours are keyed
on the stored status; the label is shown in the reader's language."""

import streamlit as st

from db import vocab
from locales import N_, _

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
    "draft": (N_("Draft"), "orange", ":material/edit:"),
    "returned": (N_("Returned"), "red", ":material/undo:"),
    "in_review": (N_("In review"), "blue", ":material/hourglass_top:"),
    "published": (N_("Published"), "green", ":material/check_circle:"),
}


def status_badge(status: str | None, prefix: str = "") -> None:
    status = status or vocab.NO_PROGRESS_REPORT
    st.badge(prefix + _(status), color=STATUS_BADGE_COLOURS.get(status, "gray"))


def state_badge(state: str | None, returned: bool = False) -> None:
    label, colour, icon = STATE_BADGES["returned" if returned else state]
    st.badge(_(label), color=colour, icon=icon)
