"""One Activity Report read in full (read-only): every declared field (services/report_fields.py) under its
label, in the spec's order, so a report listed in a table can be opened and read whole where it is listed."""

import streamlit as st

import locales
from db import vocab
from locales import _
from services import activity_reports as ar
from services.form_fields import LISTS, Field, Kind
from ui import report_form
from ui.format import escape_md, fmt_date

SHOWN_ABOVE = ("title", "component_id", "resolution_ids")  # in the heading


def _text(f: Field, value) -> str:
    """A field's value as plain text ("" when empty)."""
    if f.kind is Kind.DATE:
        return fmt_date(value) if value else ""
    if f.name == "shown_publicly":  # said either way: whether the public sees the report matters
        return _("Yes: anyone can read it on the public site") if value else _("No: signed-in IUCN users only")
    if f.name == "language":
        return vocab.LANGUAGE_LABELS.get(value, value or "")
    if f.kind is Kind.FLAG:
        return _("Yes") if value else ""
    if f.kind is Kind.LINKS:
        return "\n".join(value or [])
    if f.name == "scope_countries":
        return ", ".join(report_form.country_name(c) for c in value or [])
    if f.kind in LISTS:
        return ", ".join(locales.translate(str(v)) for v in value or [])
    if f.kind is Kind.CHOICE:
        return locales.translate(value)
    return "" if value is None else str(value)


def show_activity_report(view: ar.ReportView) -> None:
    data = view.data
    st.markdown(f"**{escape_md(data.title)}**")
    st.caption(_("Report {id} · {component} · written by {author} · Resolutions: {codes}").format(
        id=view.id, component=escape_md(view.component), author=escape_md(view.author),
        codes=escape_md(", ".join(view.resolution_codes))))
    for f in ar.FIELDS:
        text = "" if f.name in SHOWN_ABOVE else _text(f, getattr(data, f.name))
        if text:
            st.markdown(f"**{escape_md(_(f.label))}**")
            st.text(text)  # plain text: user text is never rendered as Markdown


def show_public_activity_report(report: dict) -> None:
    """An Activity Report as the public sees it (services/public.public_activity_reports): what was done and
    by which component, never who wrote it."""
    st.markdown(f"**{escape_md(report['title'])}**")
    st.caption(_("{component} · Resolutions: {codes}").format(component=escape_md(report["component"]),
                                                              codes=escape_md(", ".join(report["resolutions"]))))
    period = " – ".join(fmt_date(d) for d in (report["period_start"], report["period_end"]) if d)
    fields = ((_("Action status"), locales.translate(report["action_status"])),
              (_("Action types"), ", ".join(locales.translate(t) for t in report["action_types"])),
              (_("Period"), period), (_("Description"), report["description"]), (_("Results"), report["results"]))
    for label, text in fields:
        if text:
            st.markdown(f"**{label}**")
            st.text(text)  # plain text: user text is never rendered as Markdown
