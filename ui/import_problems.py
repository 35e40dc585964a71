"""How every file import (register, assignments, organisations, users) shows a refused file: one sentence
saying nothing was written, then every problem with its line and column, as plain text."""

import pandas as pd
import streamlit as st

from services.errors import ValidationFailed
from ui.format import plural


def show_import_problems(failed: ValidationFailed) -> None:
    st.error(f"Nothing was imported: {plural(len(failed.errors), 'problem')} found. Fix them and upload the "
             "file again.", icon=":material/error:")
    st.dataframe(
        pd.DataFrame([{"line": e.line, "column": e.field, "problem": e.message} for e in failed.errors],
                     columns=["line", "column", "problem"]),
        hide_index=True, width="stretch",
        column_config={"line": st.column_config.NumberColumn("Line", format="%d"), "column": "Column",
                       "problem": st.column_config.TextColumn("Problem", width="large")},
    )
