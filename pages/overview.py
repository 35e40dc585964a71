"""Overview: where implementation stands, for a Congress and a reporting year, at a glance.

Filters live in the sidebar and in the URL and apply to every figure. Clicking a bar segment lists the
Resolutions behind it; selecting one opens it. Signed out (the public site), the figures are the public ones
(ProgressFilter(public=True): published Progress Reports only, Activity Reports shown publicly only).
"""

import streamlit as st

from analytics import charts
from analytics.filters import ProgressFilter
from db import vocab
from ui import analytics_readers as ar
from ui import public_readers, readers, url_state
from ui.auth import viewer
from ui.format import escape_md, plural

public = viewer() is None  # a visitor: the public figures

congresses = ar.congress_options()
if congresses.empty:
    st.title(":material/monitoring: Overview")
    st.info("The register holds no Resolutions yet.", icon=":material/info:")
    st.stop()
themes = readers.theme_names()
codes = list(congresses["code"])
labels = dict(zip(congresses["code"], congresses["label"]))
short = {r.code: f"{r.city} {r.year}" for r in congresses.itertuples()}

url_state.init_text("congress", codes[0], codes)
years = sorted(ar.data_years(congress=st.session_state["congress"], public=public), reverse=True)
default_year = ar.resolved(flt=ProgressFilter(congress=st.session_state["congress"], public=public)).year
years = years or [default_year]
url_state.init_year("year", default_year, years, label="reporting year")
if st.session_state["year"] not in years:  # the Congress changed: show its latest year
    st.session_state["year"] = default_year
url_state.init_list("theme", themes)
url_state.init_list("kind", list(vocab.RESOLUTION_KINDS))
url_state.init_list("region", list(vocab.IUCN_REGIONS))
url_state.init_list("component_kind", list(vocab.COMPONENT_KINDS))


def _drill(chart: str) -> None:
    """Remember which chart was clicked last, so its Resolutions are listed under it."""
    points = st.session_state[f"chart_{chart}"].selection.points
    if points:
        st.session_state["drill"] = (chart, charts.segment_from_point(chart, points[0]))
    elif st.session_state.get("drill", (None,))[0] == chart:
        del st.session_state["drill"]


with st.sidebar:
    st.header("Filters")
    st.selectbox("Congress", codes, key="congress", format_func=labels.get)
    st.selectbox("Reporting year", years, key="year")
    st.multiselect("Theme", themes, key="theme", placeholder="All themes")
    st.multiselect("Kind", list(vocab.RESOLUTION_KINDS), key="kind", placeholder="Resolutions and Recommendations")
    st.multiselect("Region of the reporting component", list(vocab.IUCN_REGIONS), key="region",
                   placeholder="All regions",
                   help="Activity Report figures count the reports of components of these regions; status "
                        "figures count the Resolutions such components reported on.")
    st.multiselect("Kind of reporting component", list(vocab.COMPONENT_KINDS), key="component_kind",
                   placeholder="All kinds of component")

url_state.write_back({"congress": codes[0], "year": default_year, "theme": [], "kind": [], "region": [],
                      "component_kind": []})

flt = ProgressFilter(
    congress=st.session_state["congress"], year=int(st.session_state["year"]),
    themes=tuple(st.session_state["theme"]), kinds=tuple(st.session_state["kind"]),
    regions=tuple(st.session_state["region"]), component_kinds=tuple(st.session_state["component_kind"]),
    public=public,
)
if st.session_state.get("drill_filter") != flt:  # new filters: the old selection no longer applies
    st.session_state.pop("drill", None)
    st.session_state["drill_filter"] = flt

head = ar.figure("headline", flt)
counts, shares = head["status_counts"], head["status_shares"]
in_force = head["resolutions_in_force"]
advanced = sum(counts[s] for s in ("Underway", "On-going", "Completed"))

st.title(":material/monitoring: Overview")
scope = f"{labels[flt.congress]}, reporting year {flt.year}"
chosen = [f"{name}: {', '.join(values)}" for name, values in (
    ("theme", flt.themes), ("kind", flt.kinds), ("region", flt.regions), ("component", flt.component_kinds))
    if values]
if in_force:
    st.markdown(
        f"**{scope}:** {head['published']:,} of {plural(in_force, 'Resolution')} in force "
        f"({head['published_share']:.0%}) have a published Progress Report. "
        f"{advanced:,} ({advanced / in_force:.0%}) are underway, on-going or completed"
        + (f" ({counts['Completed']:,} completed)" if counts["Completed"] else "")
        + (f"; {head['no_progress_report']:,} have no published Progress Report for {flt.year}." if public else
           f"; {head['in_preparation']:,} are in preparation and {head['no_progress_report']:,} have no "
           f"Progress Report for {flt.year}.")
    )
else:
    st.markdown(f"**{scope}:** no Resolution in force matches these filters.")
if chosen:
    st.caption("Filtered by " + "; ".join(chosen) + ".")

cols = st.columns(4)
cols[0].metric("Resolutions in force", f"{in_force:,}", help="Adopted at this Congress and not archived "
               "by the end of the year (Resolutions and Recommendations unless filtered).")
cols[1].metric("With a published Progress Report", f"{head['published_share']:.0%}",
               help=f"{head['published']:,} of {in_force:,}")
shown = " and shown publicly by their components" if public else ""
cols[2].metric("Activity Reports shown publicly" if public else "Activity Reports received",
               f"{head['activity_reports']:,}", help=f"Submitted in {flt.year}{shown}")
cols[3].metric("Components involved", f"{head['components_involved']:,}",
               help=f"Components that submitted an Activity Report in {flt.year}{shown}")
if public:
    st.caption("Statuses come from published Progress Reports only; Activity Report figures count the reports "
               "their components chose to show publicly.")


def _plot(chart: str, fig) -> None:
    if public:
        fig = public_readers.without_work_in_preparation(fig)
    st.plotly_chart(fig, key=f"chart_{chart}", on_select=lambda: _drill(chart), selection_mode=("points",),
                    config={"displayModeBar": False})


def _behind(charts_here: tuple[str, ...]) -> None:
    """Under a row of charts: the Resolutions behind the segment clicked in one of them."""
    drill = st.session_state.get("drill")
    if not drill or drill[0] not in charts_here:
        return
    chart, segment = drill
    rows = ar.resolutions_behind(flt=flt, **segment)
    with st.container(border=True):
        st.markdown(f"**{plural(len(rows), 'Resolution')} behind “{escape_md(charts.describe_segment(segment))}”**")
        if rows.empty:
            st.caption("None under the current filters.")
            return
        st.caption("Select a row to open the Resolution.")
        event = st.dataframe(
            rows, hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 320),
            on_select="rerun", selection_mode="single-row", key=f"behind_{chart}",
            column_config={"code": st.column_config.TextColumn("Code", width="medium"),
                           "title": st.column_config.TextColumn("Title", width="large"),
                           "congress": "Congress", "year": st.column_config.NumberColumn("Year", format="%d"),
                           "status": "Status that year"},
        )
        if event.selection.rows:
            st.switch_page("pages/resolution.py", query_params={"code": rows.iloc[event.selection.rows[0]]["code"]})


# -- status -----------------------------------------------------------------------------------------
now = ar.figure("status_counts", flt).assign(scope=f"{short[flt.congress]} in {flt.year}")
_plot("status", charts.status_bars(now, "scope", chart="status"))
_behind(("status",))

st.subheader("Implementation status")
left, right = st.columns(2)
with left:
    st.markdown("**Per Congress**")
    st.caption("Each Congress in its latest reporting year up to the chosen one (after the name).")
    _plot("congress", charts.status_by_congress_chart(ar.figure("status_by_congress", flt), short))
with right:
    st.markdown(f"**Per theme, {flt.year}**")
    st.caption("A Resolution counts under each of its themes.")
    _plot("theme", charts.status_by_theme_chart(ar.figure("status_by_theme", flt)))
_behind(("congress", "theme"))

st.subheader(f"Over the years: {short[flt.congress]}")
left, right = st.columns(2)
with left:
    st.markdown("**Status of the Resolutions each year**")
    _plot("years", charts.status_over_years_chart(ar.figure("status_over_years", flt)))
with right:
    st.markdown("**Reporting coverage**")
    _plot("coverage", charts.coverage_chart(ar.figure("coverage_by_year", flt)))
_behind(("years", "coverage"))

st.subheader(f"Who is involved, {flt.year}")
no_activities = public and not head["activity_reports"]  # empty charts say less than a sentence
if no_activities:
    st.caption(f"No Activity Report received in {flt.year} is shown publicly under these filters: components "
               "choose, report by report, whether the public may read theirs.")
else:
    left, right = st.columns(2)
    with left:
        st.markdown("**Activity Reports by kind of component**")
        _plot("component_kind", charts.count_bars(ar.figure("activities_by_component_kind", flt),
                                                  chart="component_kind"))
    with right:
        st.markdown("**Activity Reports by IUCN region**")
        _plot("region", charts.count_bars(ar.figure("activities_by_region", flt), chart="region"))
    _behind(("component_kind", "region"))
left, right = st.columns(2)
with left:
    if not no_activities:
        st.markdown("**Activity Reports by type of action**")
        st.caption("A report may name several types of action.")
        _plot("action_type", charts.count_bars(ar.figure("activities_by_action_type", flt),
                                               chart="action_type"))
with left if no_activities else right:
    st.markdown(f"**Most frequent challenges, {flt.year}**")
    challenges = ar.figure("top_challenges", flt)
    if challenges.empty:
        st.caption("No published Progress Report of the year names a challenge.")
    else:
        st.caption("Share of the year's published Progress Reports naming each.")
        _plot("challenge", charts.challenges_chart(challenges))
_behind(("action_type", "challenge"))
