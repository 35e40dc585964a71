"""How every file import (register, assignments, organisations, users) shows a refused file: one sentence
saying nothing was written, then every problem with its line and column, as plain text."""

import pandas as pd
import streamlit as st

from locales import _, ngettext
from services.errors import ValidationFailed


def show_import_problems(failed: ValidationFailed) -> None:
    n = len(failed.errors)
    st.error(ngettext("Nothing was imported: {n} problem found. Fix it and upload the file again.",
                      "Nothing was imported: {n} problems found. Fix them and upload the file again.", n).format(n=n),
             icon=":material/error:")
    st.dataframe(
        pd.DataFrame([{"line": e.line, "column": e.field, "problem": e.message} for e in failed.errors],
                     columns=["line", "column", "problem"]),
        hide_index=True, width="stretch",
        column_config={"line": st.column_config.NumberColumn(_("Line"), format="%d"), "column": _("Column"),
                       "problem": st.column_config.TextColumn(_("Problem"), width="large")},
    )
