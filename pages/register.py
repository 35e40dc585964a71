"""The Resolution register: search, filters (kept in the URL), a sortable table, and a way into each Resolution.
Texts and vocabulary labels in the reader's language (issue 14); the URL and the filters keep the stored values."""

import pandas as pd
import streamlit as st

from db import vocab
from locales import N_, _, format_number, ngettext
from services.register import RegisterFilter
from ui import goal_readers, readers, url_state
from ui.auth import viewer

viewer()  # signed in or not (the public site): the register is public

congresses = readers.congresses()
themes = readers.theme_names()
target_labels = goal_readers.target_labels()  # {code: label in the reader's language}
YEAR_MIN, YEAR_MAX = int(congresses["year"].min()), int(congresses["year"].max())

url_state.init_text("q")
url_state.init_list("congress", list(congresses["code"]))
url_state.init_list("kind", list(vocab.RESOLUTION_KINDS))
url_state.init_list("theme", themes)
url_state.init_list("target", list(target_labels))
url_state.init_text("status", "", ["active", "archived"])
st.session_state["status"] = st.session_state["status"] or None  # the segmented control's "none chosen"
url_state.init_year_range("from", "to", YEAR_MIN, YEAR_MAX, label=N_("years of adoption"))
# The year slider shows from/to (the two ends kept in the URL); moving it updates them.
st.session_state["register_years"] = (st.session_state["from"], st.session_state["to"])

FILTER_KEYS = {"q": "", "congress": [], "kind": [], "theme": [], "target": [], "status": None,
               "from": YEAR_MIN, "to": YEAR_MAX}


def clear_filters() -> None:
    for key, default in FILTER_KEYS.items():
        st.session_state[key] = default


def years_changed() -> None:
    st.session_state["from"], st.session_state["to"] = st.session_state["register_years"]


st.title(":material/gavel: " + _("Resolution register"))
st.caption(_("Every Resolution (addressed to IUCN) and Recommendation (addressed to others) adopted by the "
             "General Assemblies and World Conservation Congresses."))

with st.container(border=True):
    search, clear = st.columns([4, 1.2], vertical_alignment="bottom")  # room for "Effacer les filtres"
    search.text_input(_("Search"), key="q",
                      placeholder=_("Code or words of the title, e.g. WCC-2020-Res-122 or seabed mining"),
                      help=_("Every word must appear in the code or the title."))
    clear.button(_("Clear filters"), icon=":material/filter_alt_off:", on_click=clear_filters, width="stretch")
    cols = st.columns([2, 1.5, 1.6, 2.1, 1.8])  # French and Spanish labels are longer: "Les deux types", "Archivées"
    labels = {r.code: f"{r.city} {r.year}" for r in congresses.itertuples()}
    cols[0].multiselect(_("Congress"), list(congresses["code"]), key="congress", format_func=labels.get,
                        placeholder=_("All Congresses"))
    cols[1].multiselect(_("Kind"), list(vocab.RESOLUTION_KINDS), key="kind", format_func=_,
                        placeholder=_("Both kinds"))
    theme_labels = {t: _(t) for t in themes}  # stored names in the URL, shown translated
    cols[2].multiselect(_("Theme"), themes, key="theme", format_func=theme_labels.get, placeholder=_("All themes"))
    cols[3].segmented_control(_("Status"), ["active", "archived"], key="status",
                              format_func=lambda s: _(vocab.RESOLUTION_STATUS_LABELS[s]),
                              help=_("Leave both off to see all."))
    cols[4].slider(_("Adopted between"), YEAR_MIN, YEAR_MAX, key="register_years", on_change=years_changed)
    st.multiselect(_("Global goal or target"), list(target_labels), key="target", format_func=target_labels.get,
                   placeholder=_("All goals and targets"),
                   help=_("Resolutions tagged with any of these; a goal takes its targets."))

url_state.write_back(FILTER_KEYS)
# The filters as the URL now holds them, so a Resolution opened from here links back to this very view.
st.session_state[url_state.REGISTER_VIEW] = {k: st.query_params.get_all(k) for k in FILTER_KEYS
                                              if st.query_params.get_all(k)}

flt = RegisterFilter(
    q=st.session_state["q"].strip(),
    congresses=list(st.session_state["congress"]),
    kinds=list(st.session_state["kind"]),
    themes=list(st.session_state["theme"]),
    targets=list(st.session_state["target"]),
    status=st.session_state["status"] or None,
    year_from=st.session_state["from"] if st.session_state["from"] > YEAR_MIN else None,
    year_to=st.session_state["to"] if st.session_state["to"] < YEAR_MAX else None,
)
rows = readers.resolutions(flt=flt)

kinds = rows["kind"].value_counts()
statuses = rows["status"].value_counts()
archived = int(statuses.get("archived", 0))
cols = st.columns(4)
cols[0].metric(_("Matching"), format_number(len(rows)))
cols[1].metric(_("Resolutions"), format_number(kinds.get("Resolution", 0)))
cols[2].metric(_("Recommendations"), format_number(kinds.get("Recommendation", 0)))
cols[3].metric(_("Active"), format_number(statuses.get("active", 0)),
               help=ngettext("{n} archived one not counted here", "{n} archived ones not counted here",
                             archived).format(n=format_number(archived)))

if rows.empty:
    st.info(_("No Resolution matches these filters. Clear the search or a filter to see more."),
            icon=":material/search_off:")
    st.stop()

table = rows.assign(
    latest=[_("{status} ({year})").format(status=_(status), year=int(year)) if pd.notna(status)
            else _(vocab.NEVER_PUBLISHED) for status, year in zip(rows["latest_status"], rows["latest_year"])],
    status=rows["status"].map(lambda s: _(vocab.RESOLUTION_STATUS_LABELS.get(s, s))),
    themes=rows["themes"].map(lambda names: "; ".join(_(t) for t in names.split("; ") if t)),
)[["code", "title", "year", "themes", "status", "latest"]]

st.caption(_("Select a row to open the Resolution. Click a column header to sort."))
event = st.dataframe(
    table, hide_index=True, width="stretch", height=min(38 + 35 * len(table), 600),
    on_select="rerun", selection_mode="single-row", key="register_table",
    column_config={
        "code": st.column_config.TextColumn(_("Code"), width=135),
        "title": st.column_config.TextColumn(_("Title"), width=330),
        "year": st.column_config.NumberColumn(_("Year"), format="%d", width=55),
        "themes": st.column_config.TextColumn(_("Themes"), width=125),
        "status": st.column_config.TextColumn(_("Status"), width=70),
        "latest": st.column_config.TextColumn(
            _("Latest status"), width=150,
            help=_("Implementation status in the latest published Progress Report (and its year)")),
    },
)
if event.selection.rows:
    code = table.iloc[event.selection.rows[0]]["code"]
    st.switch_page("pages/resolution.py", query_params={"code": code})
