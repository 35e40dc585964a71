"""Overview: where implementation stands, for a Congress and a reporting year, at a glance.

Filters live in the sidebar and in the URL and apply to every figure. Clicking a bar segment lists the
Resolutions behind it; selecting one opens it. Signed out (the public site), the figures are the public ones
(ProgressFilter(public=True): published Progress Reports only, Activity Reports shown publicly only).
Every text in the reader's language (issue 14); filters, the URL and chart clicks keep the stored values.
"""

import streamlit as st

from analytics.filters import ProgressFilter
from db import vocab
from locales import N_, _, format_number, format_percent, ngettext
from ui import analytics_readers as ar
from ui import charts, goal_readers, readers, url_state  # ui.charts: each chart built once, shared (issue 13)
from ui.auth import viewer
from ui.format import escape_md

public = viewer() is None  # a visitor: the public figures

congresses = ar.congress_options()
if congresses.empty:
    st.title(":material/monitoring: " + _("Overview"))
    st.info(_("The register holds no Resolutions yet."), icon=":material/info:")
    st.stop()
themes = readers.theme_names()
target_labels = goal_readers.target_labels()  # {code: label in the reader's language} (issue 18)
codes = list(congresses["code"])
labels = dict(zip(congresses["code"], congresses["label"]))
short = {r.code: f"{r.city} {r.year}" for r in congresses.itertuples()}

url_state.init_text("congress", codes[0], codes)
years = sorted(ar.data_years(congress=st.session_state["congress"], public=public), reverse=True)
default_year = ar.resolved(flt=ProgressFilter(congress=st.session_state["congress"], public=public)).year
years = years or [default_year]
url_state.init_year("year", default_year, years, label=N_("reporting year"))
if st.session_state["year"] not in years:  # the Congress changed: show its latest year
    st.session_state["year"] = default_year
url_state.init_list("theme", themes)
url_state.init_list("target", list(target_labels))
url_state.init_list("kind", list(vocab.RESOLUTION_KINDS))
url_state.init_list("region", list(vocab.IUCN_REGIONS))
url_state.init_list("component_kind", list(vocab.COMPONENT_KINDS))
url_state.init_list("language", list(vocab.LANGUAGES))


def _drill(chart: str) -> None:
    """Remember which chart was clicked last, so its Resolutions are listed under it."""
    points = st.session_state[f"chart_{chart}"].selection.points
    if points:
        st.session_state["drill"] = (chart, charts.segment_from_point(chart, points[0]))
    elif st.session_state.get("drill", (None,))[0] == chart:
        del st.session_state["drill"]


with st.sidebar:
    st.header(_("Filters"))
    st.selectbox(_("Congress"), codes, key="congress", format_func=labels.get)
    st.selectbox(_("Reporting year"), years, key="year")
    theme_labels = {t: _(t) for t in themes}  # stored names in the URL, shown translated
    st.multiselect(_("Theme"), themes, key="theme", format_func=theme_labels.get, placeholder=_("All themes"))
    st.multiselect(_("Global goal or target"), list(target_labels), key="target", format_func=target_labels.get,
                   placeholder=_("All goals and targets"),
                   help=_("Resolutions tagged with any of these targets of the Kunming-Montreal Global Biodiversity "
                          "Framework, the Sustainable Development Goals or Nature 2030; a goal takes its targets."))
    st.multiselect(_("Kind"), list(vocab.RESOLUTION_KINDS), key="kind", format_func=_,
                   placeholder=_("Resolutions and Recommendations"))
    st.multiselect(_("Region of the reporting component"), list(vocab.IUCN_REGIONS), key="region", format_func=_,
                   placeholder=_("All regions"),
                   help=_("Activity Report figures count the reports of components of these regions; status "
                          "figures count the Resolutions such components reported on."))
    st.multiselect(_("Kind of reporting component"), list(vocab.COMPONENT_KINDS), key="component_kind",
                   format_func=_, placeholder=_("All kinds of component"))
    st.multiselect(_("Language of the Activity Reports"), list(vocab.LANGUAGES), key="language",
                   format_func=vocab.LANGUAGE_LABELS.get, placeholder=_("Every language"),
                   help=_("Activity Report figures count the reports written in these languages (each report "
                          "records the language it was written in); statuses are not narrowed."))

url_state.write_back({"congress": codes[0], "year": default_year, "theme": [], "target": [], "kind": [], "region": [],
                      "component_kind": [], "language": []})

flt = ProgressFilter(
    congress=st.session_state["congress"], year=int(st.session_state["year"]),
    themes=tuple(st.session_state["theme"]), targets=tuple(st.session_state["target"]),
    kinds=tuple(st.session_state["kind"]),
    regions=tuple(st.session_state["region"]), component_kinds=tuple(st.session_state["component_kind"]),
    languages=tuple(st.session_state["language"]), public=public,
)
if st.session_state.get("drill_filter") != flt:  # new filters: the old selection no longer applies
    st.session_state.pop("drill", None)
    st.session_state["drill_filter"] = flt

head = ar.figure("headline", flt)
counts, shares = head["status_counts"], head["status_shares"]
in_force = head["resolutions_in_force"]
advanced = sum(counts[s] for s in ("Underway", "On-going", "Completed"))

st.title(":material/monitoring: " + _("Overview"))
scope = _("{congress}, reporting year {year}").format(congress=labels[flt.congress], year=flt.year)
FILTER_NAMES = {"theme": N_("theme: {values}"), "target": N_("global goals: {values}"),
                "kind": N_("kind: {values}"), "region": N_("region: {values}"),
                "component": N_("component: {values}"), "language": N_("language of the reports: {values}")}
chosen = [_(FILTER_NAMES[name]).format(values=", ".join(
              [vocab.LANGUAGE_LABELS[v] for v in values] if name == "language"
              else values if name == "target" else map(_, values)))
          for name, values in (("theme", flt.themes), ("target", flt.targets), ("kind", flt.kinds),
                               ("region", flt.regions),
                               ("component", flt.component_kinds), ("language", flt.languages)) if values]
n, year = format_number, flt.year
if in_force:
    sentences = [
        ngettext("**{scope}:** {published} of {n} Resolution in force ({share}) have a published Progress Report.",
                 "**{scope}:** {published} of {n} Resolutions in force ({share}) have a published Progress Report.",
                 in_force).format(scope=scope, published=n(head["published"]), n=n(in_force),
                                  share=format_percent(head["published_share"])),
        (_("{advanced} ({share}) are underway, on-going or completed ({completed} completed)")
         if counts["Completed"] else _("{advanced} ({share}) are underway, on-going or completed")).format(
            advanced=n(advanced), share=format_percent(advanced / in_force), completed=n(counts["Completed"])),
    ]
    rest = (_("{none} have no published Progress Report for {year}.") if public
            else _("{in_preparation} are in preparation and {none} have no Progress Report for {year}."))
    st.markdown(_("{sentence}; {rest}").format(
        sentence=" ".join(sentences), rest=rest.format(none=n(head["no_progress_report"]),
                                                       in_preparation=n(head["in_preparation"]), year=year)))
else:
    st.markdown(_("**{scope}:** no Resolution in force matches these filters.").format(scope=scope))
if chosen:
    st.caption(_("Filtered by {filters}.").format(filters="; ".join(chosen)))

cols = st.columns(4)
cols[0].metric(_("Resolutions in force"), n(in_force), help=_(
    "Adopted at this Congress and not archived by the end of the year (Resolutions and Recommendations unless "
    "filtered)."))
cols[1].metric(_("With a published Progress Report"), format_percent(head["published_share"]),
               help=_("{published} of {total}").format(published=n(head["published"]), total=n(in_force)))
cols[2].metric(_("Activity Reports shown publicly") if public else _("Activity Reports received"),
               n(head["activity_reports"]),
               help=(_("Submitted in {year} and shown publicly by their components") if public
                     else _("Submitted in {year}")).format(year=year))
cols[3].metric(_("Components involved"), n(head["components_involved"]),
               help=(_("Components that submitted an Activity Report in {year} and shown publicly by their "
                       "components") if public else _("Components that submitted an Activity Report in {year}"))
               .format(year=year))
if public:
    st.caption(_("Statuses come from published Progress Reports only; Activity Report figures count the reports "
                 "their components chose to show publicly."))


def _plot(chart: str, fig) -> None:
    if public:
        fig = charts.without_work_in_preparation(fig)
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
        st.markdown(ngettext("**{n} Resolution behind “{segment}”**", "**{n} Resolutions behind “{segment}”**",
                             len(rows)).format(n=n(len(rows)), segment=escape_md(charts.describe_segment(segment))))
        if rows.empty:
            st.caption(_("None under the current filters."))
            return
        st.caption(_("Select a row to open the Resolution."))
        event = st.dataframe(
            rows.assign(status=rows["status"].map(_)), hide_index=True, width="stretch",
            height=min(38 + 35 * len(rows), 320), on_select="rerun", selection_mode="single-row",
            key=f"behind_{chart}",
            column_config={"code": st.column_config.TextColumn(_("Code"), width="medium"),
                           "title": st.column_config.TextColumn(_("Title"), width="large"),
                           "congress": _("Congress"), "year": st.column_config.NumberColumn(_("Year"), format="%d"),
                           "status": _("Status that year")},
        )
        if event.selection.rows:
            st.switch_page("pages/resolution.py", query_params={"code": rows.iloc[event.selection.rows[0]]["code"]})


# -- status -----------------------------------------------------------------------------------------
now = ar.figure("status_counts", flt).assign(
    scope=_("{congress} in {year}").format(congress=short[flt.congress], year=flt.year))
_plot("status", charts.status_bars(now, "scope", chart="status"))
_behind(("status",))

st.subheader(_("Implementation status"))
left, right = st.columns(2)
with left:
    st.markdown("**" + _("Per Congress") + "**")
    st.caption(_("Each Congress in its latest reporting year up to the chosen one (after the name)."))
    _plot("congress", charts.status_by_congress_chart(ar.figure("status_by_congress", flt), short))
with right:
    st.markdown("**" + _("Per theme, {year}").format(year=year) + "**")
    st.caption(_("A Resolution counts under each of its themes."))
    _plot("theme", charts.status_by_theme_chart(ar.figure("status_by_theme", flt)))
_behind(("congress", "theme"))

st.markdown("**" + _("Resolutions by target of the Global Biodiversity Framework, {year}").format(year=year) + "**")
by_target = ar.figure("status_by_target", flt)
if by_target.empty:
    st.caption(_("No Resolution under these filters is tagged with a target of the Kunming-Montreal Global "
                 "Biodiversity Framework."))
else:
    st.caption(_("A Resolution counts under each target it is tagged with."))
    _plot("target", charts.status_by_target_chart(by_target, target_labels))
    _behind(("target",))

st.subheader(_("Over the years: {congress}").format(congress=short[flt.congress]))
left, right = st.columns(2)
with left:
    st.markdown("**" + _("Status of the Resolutions each year") + "**")
    _plot("years", charts.status_over_years_chart(ar.figure("status_over_years", flt)))
with right:
    st.markdown("**" + _("Reporting coverage") + "**")
    _plot("coverage", charts.coverage_chart(ar.figure("coverage_by_year", flt)))
_behind(("years", "coverage"))

st.subheader(_("Who is involved, {year}").format(year=year))
no_activities = public and not head["activity_reports"]  # empty charts say less than a sentence
if no_activities:
    st.caption(_("No Activity Report received in {year} is shown publicly under these filters: components "
                 "choose, report by report, whether the public may read theirs.").format(year=year))
else:
    left, right = st.columns(2)
    with left:
        st.markdown("**" + _("Activity Reports by kind of component") + "**")
        _plot("component_kind", charts.count_bars(ar.figure("activities_by_component_kind", flt),
                                                  chart="component_kind"))
    with right:
        st.markdown("**" + _("Activity Reports by IUCN region") + "**")
        _plot("region", charts.count_bars(ar.figure("activities_by_region", flt), chart="region"))
    _behind(("component_kind", "region"))
left, right = st.columns(2)
with left:
    if not no_activities:
        st.markdown("**" + _("Activity Reports by type of action") + "**")
        st.caption(_("A report may name several types of action."))
        _plot("action_type", charts.count_bars(ar.figure("activities_by_action_type", flt),
                                               chart="action_type"))
with left if no_activities else right:
    st.markdown("**" + _("Most frequent challenges, {year}").format(year=year) + "**")
    challenges = ar.figure("top_challenges", flt)
    if challenges.empty:
        st.caption(_("No published Progress Report of the year names a challenge."))
    else:
        st.caption(_("Share of the year's published Progress Reports naming each."))
        _plot("challenge", charts.challenges_chart(challenges))
_behind(("action_type", "challenge"))
