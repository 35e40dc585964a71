"""The Resolution register: search, filters (kept in the URL), a sortable table, and a way into each Resolution."""

import streamlit as st

from db import vocab
from services.register import RegisterFilter
from ui import readers, url_state
from ui.data import data_version
from ui.format import plural

version = data_version()
congresses = readers.congresses(version)
themes = readers.theme_names(version)
YEAR_MIN, YEAR_MAX = int(congresses["year"].min()), int(congresses["year"].max())

url_state.init_text("q")
url_state.init_list("congress", list(congresses["code"]))
url_state.init_list("kind", list(vocab.RESOLUTION_KINDS))
url_state.init_list("theme", themes)
url_state.init_text("status", "", ["active", "archived"])
url_state.init_int("from", YEAR_MIN, YEAR_MIN, YEAR_MAX)
url_state.init_int("to", YEAR_MAX, YEAR_MIN, YEAR_MAX)

st.title(":material/gavel: Resolution register")
st.caption("Every Resolution (addressed to IUCN) and Recommendation (addressed to others) adopted by the "
           "General Assemblies and World Conservation Congresses.")

st.text_input("Search", key="q", placeholder="Code or words of the title, e.g. WCC-2020-Res-122 or seabed mining",
              help="Every word must appear in the code or the title.")

with st.sidebar:
    st.header("Filters")
    labels = {r.code: f"{r.city} {r.year} ({r.code})" for r in congresses.itertuples()}
    st.multiselect("Congress", list(congresses["code"]), key="congress", format_func=labels.get,
                   placeholder="All Congresses")
    st.multiselect("Kind", list(vocab.RESOLUTION_KINDS), key="kind", placeholder="Both kinds")
    st.multiselect("Theme", themes, key="theme", placeholder="All themes")
    st.segmented_control("Status", ["active", "archived"], key="status",
                         format_func=str.capitalize, help="Leave both off to see all.")
    st.session_state.setdefault("years", (st.session_state["from"], st.session_state["to"]))
    st.slider("Adopted between", YEAR_MIN, YEAR_MAX, key="years")
    st.session_state["from"], st.session_state["to"] = st.session_state["years"]

url_state.write_back({"q": "", "congress": [], "kind": [], "theme": [], "status": "",
                      "from": YEAR_MIN, "to": YEAR_MAX})

flt = RegisterFilter(
    q=st.session_state["q"].strip(),
    congresses=list(st.session_state["congress"]),
    kinds=list(st.session_state["kind"]),
    themes=list(st.session_state["theme"]),
    status=st.session_state["status"] or None,
    year_from=st.session_state["from"] if st.session_state["from"] > YEAR_MIN else None,
    year_to=st.session_state["to"] if st.session_state["to"] < YEAR_MAX else None,
)
rows = readers.resolutions(version, flt)

kinds = rows["kind"].value_counts()
statuses = rows["status"].value_counts()
cols = st.columns(4)
cols[0].metric("Matching", f"{len(rows):,}")
cols[1].metric("Resolutions", f"{kinds.get('Resolution', 0):,}")
cols[2].metric("Recommendations", f"{kinds.get('Recommendation', 0):,}")
cols[3].metric("Active", f"{statuses.get('active', 0):,}",
               help=f"{plural(int(statuses.get('archived', 0)), 'archived one')} not counted here")

if rows.empty:
    st.info("No Resolution matches these filters. Clear the search or a filter to see more.",
            icon=":material/search_off:")
    st.stop()

table = rows.assign(
    latest=rows.apply(lambda r: f"{r.latest_status} ({r.latest_year})" if r.latest_status else "No report",
                      axis=1),
    status=rows["status"].str.capitalize(),
)[["code", "title", "kind", "congress", "year", "themes", "status", "latest"]]

st.caption("Select a row to open the Resolution. Click a column header to sort.")
event = st.dataframe(
    table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 600),
    on_select="rerun", selection_mode="single-row", key="register_table",
    column_config={
        "code": st.column_config.TextColumn("Code", width="medium"),
        "title": st.column_config.TextColumn("Title", width="large"),
        "kind": "Kind",
        "congress": "Congress",
        "year": st.column_config.NumberColumn("Year", format="%d"),
        "themes": "Themes",
        "status": "Status",
        "latest": st.column_config.TextColumn("Latest implementation status",
                                              help="From the latest published Progress Report"),
    },
)
if event.selection.rows:
    code = table.iloc[event.selection.rows[0]]["code"]
    st.switch_page("pages/resolution.py", query_params={"code": code})
