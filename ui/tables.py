"""Showing a declared table (services.tabular.Table): the headers, help and formats of its columns as
st.dataframe column settings, so the page shows the very headers its CSV and Excel files carry."""

import streamlit as st

from locales import _, format_number, ngettext
from services.tabular import DATE, DATETIME, INTEGER, NUMBER, PERCENT, Column, Table


def column_setting(column: Column, width: int | str | None = None):
    """The st.column_config entry of one declared column (`width`: in pixels, in place of the declared one)."""
    # Headers are English declared with N_ (services/tabular.py): translated here, as the exports do.
    common = dict(label=_(column.label), help=_(column.help) if column.help else None, width=width or column.width)
    if column.kind == INTEGER:
        return st.column_config.NumberColumn(**common, format="%d")
    if column.kind == NUMBER:
        return st.column_config.NumberColumn(**common)
    if column.kind == PERCENT:
        return st.column_config.NumberColumn(**common, format="percent")  # a share of 1 shows as 100.00%
    if column.kind == DATE:
        return st.column_config.DateColumn(**common, format="D MMM YYYY")
    if column.kind == DATETIME:
        return st.column_config.DatetimeColumn(**common, format="D MMM YYYY, HH:mm")
    return st.column_config.TextColumn(**common)


def column_config(table: Table, widths: dict | None = None) -> dict:
    """st.dataframe's column_config for the table: every declared column under its header. `widths` (pixels
    by column key): a page's fit of the columns to its screen, so none is pushed out of sight."""
    return {column.key: column_setting(column, (widths or {}).get(column.key)) for column in table.columns}


def shown(table: Table):
    """The frame to hand st.dataframe: the declared columns only, in their order."""
    return table.frame[[c.key for c in table.columns]]


def first_names(names: str, keep: int = 5) -> str:
    """At most `keep` of the "; "-joined names, then how many more. Coverage's components that reported: the
    column is 100 px wide and the full lists were 300 kB of each view at 100,000 Activity Reports (issue 13);
    its tab "Which components reported" lists every component."""
    listed = names.split("; ") if names else []
    if len(listed) <= keep:
        return names
    more = len(listed) - keep
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names="; ".join(listed[:keep]), n=format_number(more))
