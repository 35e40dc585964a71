"""Every choice of a multi-select, listed in full under the box: the box cuts long chips (two Resolutions
show as one chip and a sliver, "Policy influencing/advocacy" as "ng/advocacy")."""

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from locales import _
from ui.format import escape_md


def list_chosen(values: Sequence[Any] | None, label_of: Callable[[Any], Any] = str) -> None:
    """Under a multi-select: its choices, each in full and escaped, one line each (nothing when none is chosen)."""
    values = list(values or [])
    if values:
        lines = "\n".join(f"- {escape_md(label_of(v))}" for v in values)
        st.caption(_("Chosen ({n}):").format(n=len(values)) + "\n" + lines)
