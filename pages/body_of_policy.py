"""Body of policy: the Resolutions and Recommendations adopted per Congress since 1948, active or archived,
by theme and kind. Register counts and published reference figures are shown side by side, never mixed.
Every text in the reader's language (issue 14)."""

import streamlit as st

from analytics import body_of_policy as bp
from db import vocab
from locales import N_, _, format_number, format_percent, ngettext
from services import export_tables
from services.tabular import Table, csv_bytes, excel_bytes
from ui import analysis_readers as readers_ya
from ui import readers, tables, url_state
from ui.auth import viewer

viewer()  # signed in or not (the public site): the register is public

congresses = readers.congresses()
themes = readers.theme_names()
YEAR_MIN, YEAR_MAX = int(congresses["year"].min()), int(congresses["year"].max())

url_state.init_list("kind", list(vocab.RESOLUTION_KINDS))
url_state.init_list("theme", themes)
url_state.init_year_range("from", "to", YEAR_MIN, YEAR_MAX, label=N_("years of adoption"))

st.title(":material/account_balance: " + _("Body of policy"))
st.caption(_("Resolutions (addressed to IUCN) and Recommendations (addressed to others) adopted by the General "
             "Assemblies and World Conservation Congresses since 1948, still active or archived once their main "
             "actions were done."))

with st.sidebar:
    st.header(_("Filters"))
    st.multiselect(_("Kind"), list(vocab.RESOLUTION_KINDS), key="kind", format_func=_, placeholder=_("Both kinds"))
    theme_labels = {t: _(t) for t in themes}  # stored names in the URL, shown translated
    st.multiselect(_("Theme"), themes, key="theme", format_func=theme_labels.get, placeholder=_("All themes"))
    st.session_state.setdefault("bop_years", (st.session_state["from"], st.session_state["to"]))
    st.slider(_("Congresses held between"), YEAR_MIN, YEAR_MAX, key="bop_years")
    st.session_state["from"], st.session_state["to"] = st.session_state["bop_years"]

url_state.write_back({"kind": [], "theme": [], "from": YEAR_MIN, "to": YEAR_MAX})

flt = bp.BodyFilter(
    kinds=tuple(st.session_state["kind"]),
    themes=tuple(st.session_state["theme"]),
    year_from=st.session_state["from"] if st.session_state["from"] > YEAR_MIN else None,
    year_to=st.session_state["to"] if st.session_state["to"] < YEAR_MAX else None,
)
data = readers_ya.body_tables(flt=flt)
per_congress, by_theme = data["per_congress"], data["by_theme"]
totals = bp.totals(per_congress)
downloads = export_tables.body_tables(per_congress=per_congress, by_theme=by_theme)  # shown and downloaded

n = format_number
cols = st.columns(4)
cols[0].metric(_("In the register"), n(totals["register_total"]), help=ngettext(
    "Texts of {n} Congress held in the register, under the filters",
    "Texts of {n} Congresses held in the register, under the filters",
    totals["congresses_in_register"]).format(n=n(totals["congresses_in_register"])))
cols[1].metric(_("Resolutions · Recommendations"), f"{n(totals['resolutions'])} · {n(totals['recommendations'])}")
active_share = totals["active"] / totals["register_total"] if totals["register_total"] else 0
cols[2].metric(_("Active"), n(totals["active"]),
               help=_("{share} of the texts in the register").format(share=format_percent(active_share)))
cols[3].metric(_("Archived"), n(totals["archived"]),
               help=_("Archived once their main actions were completed, or no longer relevant"))

notes = []
if totals["congresses_reference_only"]:
    notes.append(ngettext(
        "{n} Congress not yet in the register is shown with its published figure ({texts} texts, hatched grey).",
        "{n} Congresses not yet in the register are shown with their published figure ({texts} texts, hatched grey).",
        totals["congresses_reference_only"]).format(n=n(totals["congresses_reference_only"]),
                                                    texts=n(totals["reference_only_total"])))
if totals["congresses_unknown"]:
    notes.append(ngettext(
        "For {n} Congress no count is known (or the filters make the published figure not comparable): "
        "consecutive ones share one column, marked “{mark}”.",
        "For {n} Congresses no count is known (or the filters make the published figure not comparable): "
        "consecutive ones share one column, marked “{mark}”.",
        totals["congresses_unknown"]).format(n=n(totals["congresses_unknown"]), mark=_(bp.NOT_KNOWN)))
if not flt.narrows_register and flt.year_from is None and flt.year_to is None:
    upto_2020 = int(per_congress.loc[per_congress["year"] <= 2020, "register_total"].sum())
    notes.append(_("IUCN reports {published} texts adopted from 1948 to Marseille 2020; the register holds {held} "
                   "of them.").format(published=n(bp.PUBLISHED_TOTAL_TO_2020), held=n(upto_2020)))
if totals["disagreements"]:
    st.warning(_("The register's count differs from the published figure for {congresses}. See the table below.")
               .format(congresses=", ".join(totals["disagreements"])), icon=":material/rule:")

def _open_in_register(code: str) -> None:
    """A Congress chosen in the chart or the table: its texts in the register, or why there are none."""
    chosen = per_congress.set_index("code").loc[code]
    if chosen["register_total"]:
        st.switch_page("pages/register.py", query_params={"congress": code})
    st.info(_("The register holds no text of {congress} yet.").format(congress=chosen["label"]), icon=":material/info:")


def _chart_clicked() -> None:
    """As on the Overview: the selection callback remembers the Congress; the run that follows opens it."""
    points = st.session_state["chart_per_congress"].selection.points
    code = bp.congress_of_point(points[0]) if points else None
    if code:
        st.session_state["bop_open"] = code


st.subheader(_("Adopted per Congress"))
st.caption(_("Click a bar to see that Congress’ texts in the register."))
st.plotly_chart(bp.per_congress_chart(data["series"]), width="stretch", key="chart_per_congress",
                on_select=_chart_clicked, selection_mode=("points",), config={"displayModeBar": False})
if st.session_state.get("bop_open") in set(per_congress["code"]):
    _open_in_register(st.session_state.pop("bop_open"))
for note in notes:
    st.caption(note)

st.subheader(_("By theme and kind"))
st.caption(_("A text counts under each of its themes, so the bars add up to more than the texts."))
areas = by_theme[by_theme["framework"] == "Nature 2030"]
st.plotly_chart(bp.by_theme_chart(areas if not areas.empty else by_theme), width="stretch",
                key="chart_by_theme", config={"displayModeBar": False})
with st.expander(_("Finer topics")):
    topics = downloads[1].only("theme", "parent", "kind", "active", "archived", "total")
    topics = Table(topics.name, topics.frame[by_theme["framework"] != "Nature 2030"], topics.columns)  # stored
    st.dataframe(tables.shown(topics), hide_index=True, width="stretch", column_config=tables.column_config(topics))

st.subheader(_("Congress by Congress"))
st.caption(_("Select a row to see its texts in the register."))
# the table downloaded, fewer columns; the same headers
per_congress_shown = downloads[0].only("code", "label", "year", "resolutions", "recommendations", "active",
                                       "archived", "register_total", "reference_count", "agrees", "source")
table = tables.shown(per_congress_shown)
event = st.dataframe(
    table.iloc[::-1], hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
    key="congress_table", column_config=tables.column_config(per_congress_shown),
)
if event.selection.rows:
    _open_in_register(table.iloc[::-1].iloc[event.selection.rows[0]]["code"])

st.subheader(_("Downloads"))
cols = st.columns(len(downloads) + 1)
said = export_tables.body_filters(flt, first_year=YEAR_MIN, last_year=YEAR_MAX)
# The files are built when asked for (Streamlit calls the function on the click), not on every run.
cols[0].download_button(_("Excel (all tables)"), lambda: excel_bytes(downloads, title=export_tables.BODY_TITLE,
                                                                  filters=said),
                        "body_of_policy.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/table_view:", key="download_xlsx", on_click="ignore")
for col, table in zip(cols[1:], downloads):
    col.download_button(_("{table} (CSV)").format(table=_(table.name)), lambda table=table: csv_bytes(table),
                        f"{table.name.lower().replace(' ', '_')}.csv",
                        mime="text/csv", icon=":material/download:", key=f"download_{table.name}", on_click="ignore")
