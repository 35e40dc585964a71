"""Yearly analysis: for a Congress and a reporting year, the computed sections (status and its change,
coverage, themes, components, action types, challenges and solutions) with the Secretariat's narrative.
The Secretariat writes and publishes the narrative; leadership and focal points read the published one.
Exports: the whole analysis as PDF and Excel, every table as CSV."""

import streamlit as st

import locales
from analytics import charts
from analytics import yearly_analysis as ya
from locales import N_, _, ngettext
from services import export_tables
from services import yearly_analysis as service
from services.tabular import csv_bytes
from ui import analysis_readers as readers
from ui import analytics_readers as ar
from ui import tables, url_state
from ui.auth import signed_in_actor
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
congresses = ar.congress_options()
st.title(":material/summarize: " + _("Yearly analysis"))
if congresses.empty:
    st.info(_("The register holds no Resolutions yet."), icon=":material/info:")
    st.stop()
codes = list(congresses["code"])
labels = dict(zip(congresses["code"], congresses["label"]))

# -- Congress and year, kept in the URL; what opens is services.yearly_analysis.default_view's ------------
default_congress, _year = readers.default_view()
default_congress = default_congress if default_congress in codes else codes[0]
url_state.init_text("congress", default_congress, codes)
_code, default_year = readers.default_view(congress=st.session_state["congress"])
years = sorted(set(ar.data_years(congress=st.session_state["congress"])) | {default_year}, reverse=True)
url_state.init_year("year", default_year, years, label=N_("reporting year"))
if st.session_state["year"] not in years:  # a year without data: the Congress' default one
    st.session_state["year"] = default_year


def _congress_changed() -> None:
    """Another Congress opens on its own default year, not on the year chosen for the previous one."""
    st.query_params.pop("year", None)
    st.session_state.pop("year", None)


with st.sidebar:
    st.header(_("Analysis of"))
    st.selectbox(_("Congress"), codes, key="congress", format_func=labels.get, on_change=_congress_changed)
    st.selectbox(_("Reporting year"), years, key="year")
url_state.write_back({"congress": default_congress, "year": default_year})
congress, year = st.session_state["congress"], int(st.session_state["year"])

sections = readers.analysis_sections(congress=congress, year=year)
language = locales.current()
view = readers.narrative(actor=actor, congress=congress, year=year, language=language)  # the reader's language
writer = view.can_write
# Said when the reader's language has no published text yet (a whole sentence each: no glued language names).
FALLBACK_NOTES = {"fr": N_("Not yet available in French: shown in English."),
                  "es": N_("Not yet available in Spanish: shown in English.")}
fallback_note = _(FALLBACK_NOTES[language]) if view.fallback else ""

# -- state of the narrative -------------------------------------------------------------------------
st.markdown(_("**{congress}** · reporting year **{year}**").format(congress=escape_md(sections.congress_title),
                                                                   year=year))
if view.published is not None:
    state = _("Published on {date}").format(date=fmt_date(view.published_at))
    if writer and view.unpublished_changes:
        state = _("Published on {date} · the draft below has unpublished changes").format(
            date=fmt_date(view.published_at))
elif view.exists and writer and view.state is not None:
    state = _("Draft, not published · last saved {date} by {author}").format(date=fmt_date(view.updated_at),
                                                                               author=escape_md(view.author))
else:
    state = _("Narrative not published yet")
st.caption(state)
if fallback_note and not writer:
    st.info(fallback_note, icon=":material/translate:")


def _open_default_year() -> None:
    st.session_state["year"] = default_year


# A year nobody has published a Progress Report for has no figures: say so rather than draw 0 % published
# and every Resolution "No report", which reads as implementation collapsing.
no_data = sections.headline["published"] == 0
if no_data:
    st.info(_("No Progress Report on the Resolutions of {congress} is published for {year} yet, so there is "
              "nothing to analyse for this year yet.").format(congress=escape_md(sections.congress_label), year=year),
            icon=":material/event_busy:")
    if default_year != year:
        st.button(_("Show {year} instead").format(year=default_year), key="analysis_open_default",
                  icon=":material/arrow_forward:", on_click=_open_default_year)
    if not writer:
        st.stop()
elif not writer and view.published is None:
    st.info(_("The Secretariat has not published its analysis of {year} yet. The figures below are computed "
              "from the published Progress Reports and are up to date.").format(year=year),
            icon=":material/hourglass_top:")

flash = st.session_state.pop("analysis_flash", None)
if flash:
    st.success(flash, icon=":material/check_circle:")

# What a reader sees: the published text; what a writer sees: the draft.
texts = (view.draft if writer else view.published) or {}
if writer and view.exists and view.state == "draft":
    note = _("Draft, not published: for review within the Secretariat.")
elif view.published is not None:
    note = _("Published by the IUCN Secretariat on {date}.").format(date=fmt_date(view.published_at))
    if fallback_note and not writer:
        note += " " + fallback_note
else:
    note = _("The Secretariat's narrative is not published yet: this document holds the computed figures only.")
pdf_texts = tuple((f.key, _(f.label), texts.get(f.key, "")) for f in service.NARRATIVE_FIELDS)

# -- downloads --------------------------------------------------------------------------------------
stem = f"yearly_analysis_{congress}_{year}"
if not no_data:  # no figures, nothing to hand out
    cols = st.columns([1, 1, 2])
    cols[0].download_button("PDF", lambda: readers.pdf(congress=congress, year=year, texts=pdf_texts,
                                                        note=note, language=language), f"{stem}.pdf",
                            mime="application/pdf", icon=":material/picture_as_pdf:", key="download_pdf",
                            help=_("The whole analysis with its charts, to hand to Council"), width="stretch")
    cols[1].download_button("Excel", lambda: readers.excel(congress=congress, year=year, texts=pdf_texts, note=note),
                            f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            icon=":material/table_view:", key="download_xlsx",
                            help=_("The narrative, then one sheet per table"), width="stretch")


# -- sections ---------------------------------------------------------------------------------------
data_tables = export_tables.analysis_tables(sections)


def _tables(key: str) -> None:
    names = ya.SECTION_TABLES.get(key, ())
    if not names:
        return
    with st.expander(_("Data: {tables}").format(tables=", ".join(_(n) for n in names))):
        for name in names:
            table = data_tables[name]  # the headers shown are those of the files
            head, button = st.columns([3, 1])
            head.markdown(f"**{_(name)}**")
            button.download_button("CSV", lambda table=table: csv_bytes(table),  # built on the click
                                   f"{stem}_{name.lower().replace(' ', '_')}.csv", mime="text/csv",
                                   icon=":material/download:", key=f"csv_{name}", on_click="ignore")
            st.dataframe(tables.shown(table), hide_index=True, width="stretch",
                         height=min(38 + 35 * len(table.frame), 320), column_config=tables.column_config(table))


def _plot(name: str, fig) -> None:
    st.plotly_chart(fig, key=f"chart_{name}", config={"displayModeBar": False}, width="stretch")


def _figures(key: str) -> None:
    s = sections
    if key == "key_messages":
        h = s.headline
        c = st.columns(4)
        c[0].metric(_("Resolutions in force"), locales.format_number(h["resolutions_in_force"]))
        c[1].metric(_("With a published Progress Report"), locales.format_percent(h["published_share"]),
                    help=_("{n} of {total}").format(n=locales.format_number(h["published"]),
                                                     total=locales.format_number(h["resolutions_in_force"])))
        c[2].metric(_("Activity Reports received"), locales.format_number(h["activity_reports"]))
        c[3].metric(_("Components involved"), locales.format_number(h["components_involved"]))
    elif key == "status":
        _plot("status", charts.status_bars(s.status.assign(scope=_("{congress} in {year}").format(
            congress=s.congress_label, year=year)), "scope",
                                           chart="status"))
        left, right = st.columns(2)
        with left:
            st.markdown("**" + _("Change since {year}").format(year=year - 1) + "**")
            _plot("change", ya.change_chart(s.change))
        with right:
            st.markdown("**" + _("Status over the years") + "**")
            _plot("years", charts.status_over_years_chart(s.status_over_years))
        st.markdown("**" + _("From {last} (rows) to {year} (columns)").format(last=year - 1, year=year) + "**")
        st.dataframe(tables.shown(data_tables["Status change"]), hide_index=True, width="stretch")
    elif key == "coverage":
        _plot("coverage", charts.coverage_chart(s.coverage))
    elif key == "themes":
        st.caption(_("A Resolution counts under each of its themes."))
        _plot("theme", charts.status_by_theme_chart(s.by_theme))
    elif key == "components":
        left, right = st.columns(2)
        with left:
            st.markdown("**" + _("Activity Reports by kind of component") + "**")
            _plot("component_kind", charts.count_bars(s.by_component_kind, chart="component_kind"))
            st.markdown("**" + _("Activity Reports by type of action") + "**")
            _plot("action_type", charts.count_bars(s.by_action_type, chart="action_type"))
        with right:
            st.markdown("**" + _("Activity Reports by IUCN region") + "**")
            _plot("region", charts.count_bars(s.by_region, chart="region"))
    elif key == "obstacles":
        if s.challenges.empty:
            st.caption(_("No published Progress Report of {year} names a challenge.").format(year=year))
        else:
            _plot("challenge", charts.challenges_chart(s.challenges))
            st.markdown("**" + _("Solutions proposed for each challenge") + "**")
            solutions = data_tables["Solutions by challenge"]
            st.dataframe(tables.shown(solutions), hide_index=True, width="stretch",
                         column_config=tables.column_config(solutions))
        _reporters_words()


def _reporters_words() -> None:
    """The largest groups of what the reporters wrote (analytics/report_themes.py), quotes linked to their
    Resolutions; the page "What the reports say" has every group and the filters."""
    words = sections.reporters_words
    st.markdown("**" + _("What slowed implementation, in the reporters' words") + "**")
    if words.empty:
        st.caption(_("No report of {year} describes its challenges yet.").format(year=year))
        return
    for row in words.itertuples():
        label = escape_md(row.name) if row.name else ", ".join(f"`{w}`" for w in row.terms[:4])  # report words
        st.markdown(f"*{label}* · " + ngettext("{n} text", "{n} texts", row.texts).format(
            n=locales.format_number(row.texts)))
        for quote in row.quotes:
            st.markdown("> " + escape_md(quote["text"]))
            links = st.columns(max(4, len(quote["codes"])))
            for col, code in zip(links, quote["codes"]):
                col.page_link("pages/resolution.py", label=code, icon=":material/description:",
                              query_params={"code": code})


def _document() -> None:
    if no_data:
        st.caption(_("The figures appear here once Progress Reports of this year are published."))
        return
    for number, f in enumerate(service.NARRATIVE_FIELDS, start=1):
        st.subheader(f"{number}. {_(f.label)}")
        text = texts.get(f.key, "")
        if text:
            st.text(text)  # the Secretariat's words, shown as written (never as Markdown/HTML)
        elif writer:
            st.caption(_("Not written yet: use the Write tab."))
        _figures(f.key)
        _tables(f.key)


# -- writing (Secretariat) --------------------------------------------------------------------------
feedback = Feedback("analysis", fields=[f.key for f in service.NARRATIVE_FIELDS])


def _write_language() -> str:
    """The language the Secretariat writes in: the interface's until another is chosen."""
    st.session_state.setdefault("analysis_language", language)
    st.segmented_control(_("Language of the text"), list(locales.LANGUAGES), key="analysis_language",
                         format_func=locales.LANGUAGE_NAMES.get, required=True,
                         help=_("One text per language: readers see the published text of their language, "
                                "else the English one with a note."))
    return locales.valid(st.session_state.get("analysis_language")) or language


def _load_form(written) -> None:
    """Fill the text areas from the stored draft when another analysis or language is opened; keep what the
    user typed otherwise (also after an error). The version read then goes with the next save, so a save over
    someone else's newer text is refused rather than silently replacing it."""
    loaded = (congress, year, written.language)
    if st.session_state.get("analysis_loaded") != loaded:
        for f in service.NARRATIVE_FIELDS:
            st.session_state[f"analysis_{f.key}"] = (written.draft or {}).get(f.key, "")
        st.session_state["analysis_loaded"] = loaded
        st.session_state["analysis_version"] = written.version
        feedback.clear()


def _save(publish: bool, written_in: str) -> None:
    narrative = {f.key: st.session_state[f"analysis_{f.key}"] for f in service.NARRATIVE_FIELDS}
    write = service.publish if publish else service.save_draft
    saved = feedback.run(write, actor=actor, congress=congress, year=year, narrative=narrative,
                         version=st.session_state["analysis_version"], language=written_in)
    if saved is FAILED:
        return
    st.session_state["analysis_version"] = saved.version
    st.session_state["analysis_flash"] = (_("Published: leadership and focal points now read this text.")
                                          if publish else _("Draft saved. Readers still see the published text.")
                                          if saved.published is not None and not saved.fallback
                                          else _("Draft saved."))


def _write_form() -> None:
    written_in = _write_language()
    written = view if written_in == language else readers.narrative(actor=actor, congress=congress, year=year,
                                                                      language=written_in)
    _load_form(written)
    feedback.summary(reload=(_("Reload the saved text (discards yours)"),
                             lambda: st.session_state.pop("analysis_loaded", None)))
    h = sections.headline
    st.caption(ngettext("{published} of {n} Resolution in force have a published Progress Report for {year}; "
                        "{completed} completed.",
                        "{published} of {n} Resolutions in force have a published Progress Report for {year}; "
                        "{completed} completed.", h["resolutions_in_force"]).format(
                   published=locales.format_number(h["published"]),
                   n=locales.format_number(h["resolutions_in_force"]), year=year,
                   completed=locales.format_number(h["status_counts"]["Completed"]))
               + " " + _("The figures are in the Analysis tab. Sections left empty show their figures only; key "
                         "messages and recommendations are needed to publish."))
    with st.form("analysis_form", border=False):
        for f in service.NARRATIVE_FIELDS:
            st.text_area(_(f.label) + (" *" if f.required_to_publish else ""), key=f"analysis_{f.key}",
                         help=_(f.help), height=160 if f.key in ("key_messages", "recommendations") else 120,
                         max_chars=service.MAX_CHARS)
            feedback.field(f.key)
        left, right, _rest = st.columns([1, 1, 3])
        draft = left.form_submit_button(_("Save draft"), icon=":material/save:", width="stretch")
        publish = right.form_submit_button(_("Publish"), type="primary", icon=":material/publish:",
                                           width="stretch")
    if draft or publish:
        _save(publish=bool(publish), written_in=written_in)
        st.rerun()  # show the outcome: messages next to the fields, or the saved text (typed text is kept)


if writer:
    # a keyed tab widget keeps the chosen tab across reruns, so a save lands back on the form
    read_tab, write_tab = st.tabs([":material/insights: " + _("Analysis"),
                                   ":material/edit_note: " + _("Write the narrative")],
                                  key="analysis_tab", on_change="rerun")
    with write_tab:
        _write_form()
    with read_tab:
        _document()
else:
    _document()
