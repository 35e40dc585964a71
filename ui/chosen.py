"""Every choice of a multi-select, listed in full under the box: the box cuts long chips (two Resolutions
show as one chip and a sliver, "Policy influencing/advocacy" as "ng/advocacy")."""

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.format import escape_md


def chosen_lines(values: Sequence[Any], label_of: Callable[[Any], Any] = str) -> str:
    """The Markdown of the list: one escaped line per choice, as chosen."""
    return "\n".join(f"- {escape_md(label_of(v))}" for v in values)


def list_chosen(values: Sequence[Any] | None, label_of: Callable[[Any], Any] = str, *, min_count: int = 1) -> None:
    """Under a multi-select: its choices, each in full (nothing when fewer than `min_count` are chosen)."""
    values = list(values or [])
    if len(values) >= max(min_count, 1):
        st.caption(f"Chosen ({len(values)}):\n" + chosen_lines(values, label_of))
