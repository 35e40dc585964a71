"""One Activity Report read in full (read-only): every declared field (services/report_fields.py) under its
label, in the spec's order, so a report listed in a table can be opened and read whole where it is listed."""

import streamlit as st

from services import activity_reports as ar
from services.form_fields import LISTS, Field, Kind
from ui.format import escape_md, fmt_date

SHOWN_ABOVE = ("title", "component_id", "resolution_ids")  # in the heading


def _text(f: Field, value) -> str:
    """A field's value as plain text ("" when empty)."""
    if f.kind is Kind.DATE:
        return fmt_date(value) if value else ""
    if f.name == "shown_publicly":  # said either way: whether the public sees the report matters
        return "Yes: anyone can read it on the public site" if value else "No: signed-in IUCN users only"
    if f.kind is Kind.FLAG:
        return "Yes" if value else ""
    if f.kind is Kind.LINKS:
        return "\n".join(value or [])
    if f.kind in LISTS:
        return ", ".join(map(str, value or []))
    return "" if value is None else str(value)


def show_activity_report(view: ar.ReportView) -> None:
    data = view.data
    st.markdown(f"**{escape_md(data.title)}**")
    st.caption(f"Report {view.id} · {escape_md(view.component)} · written by {escape_md(view.author)} · "
               f"Resolutions: {escape_md(', '.join(view.resolution_codes))}")
    for f in ar.FIELDS:
        text = "" if f.name in SHOWN_ABOVE else _text(f, getattr(data, f.name))
        if text:
            st.markdown(f"**{escape_md(f.label)}**")
            st.text(text)  # plain text: user text is never rendered as Markdown


def show_public_activity_report(report: dict) -> None:
    """An Activity Report as the public sees it (services/public.public_activity_reports): what was done and
    by which component, never who wrote it."""
    st.markdown(f"**{escape_md(report['title'])}**")
    st.caption(f"{escape_md(report['component'])} · Resolutions: {escape_md(', '.join(report['resolutions']))}")
    period = " – ".join(fmt_date(d) for d in (report["period_start"], report["period_end"]) if d)
    for label, text in (("Action status", report["action_status"]), ("Action types", ", ".join(report["action_types"])),
                        ("Period", period), ("Description", report["description"]), ("Results", report["results"])):
        if text:
            st.markdown(f"**{label}**")
            st.text(text)  # plain text: user text is never rendered as Markdown
