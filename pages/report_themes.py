"""What the reports say (issue 18): the challenges, solutions and support needed written in the reports,
grouped into themes (analytics/report_themes.py), ranked, each with its words and its most typical quotes
linked to their reports; the Secretariat merges, renames and pins groups. Also: Resolutions that nearly repeat
an older one. Quotes are shown exactly as written (escaped), in the language they were written in."""

import pandas as pd
import streamlit as st

from analytics import report_themes as rt
from analytics.filters import ProgressFilter
from db.vocab import IUCN_REGIONS
from locales import LANGUAGE_NAMES, LANGUAGES, N_, _, format_number, ngettext
from services import report_themes as service
from services.permissions import can
from ui import analytics_readers as ar
from ui import report_theme_readers as readers
from ui import url_state
from ui.auth import signed_in_actor
from ui.flash import flash, show_flash
from ui.format import escape_md
from ui.navigation import may_open
from ui.write import FAILED, Feedback

GROUPS_SHOWN = 20

actor = signed_in_actor()
curator = can(actor, "themes.curate")
st.title(":material/forum: " + _("What the reports say"))
st.caption(_("What the reporters wrote about the challenges they met, their solutions and the support they need, "
             "grouped by similar wording. Quotes are shown as written, in their own language."))
show_flash()

choices = readers.filter_choices()
congresses = ar.congress_options()
congress_labels = {"": _("Every Congress"), **dict(zip(congresses["code"], congresses["label"]))}
year_labels = {"": _("Every year"), **{str(y): str(y) for y in choices["years"]}}
region_labels = {r: _(r) for r in IUCN_REGIONS}
theme_labels = {t: _(t) for t in choices["themes"]}

url_state.init_text("congress", "", list(congress_labels))
url_state.init_text("year", "", list(year_labels), label=N_("reporting year"))
url_state.init_list("region", list(region_labels))
url_state.init_list("theme", list(theme_labels))
url_state.init_list("language", list(LANGUAGES))
url_state.init_text("across", "", ["1"])
st.session_state.setdefault("across_box", st.session_state["across"] == "1")

cols = st.columns(3)
cols[0].selectbox(_("Congress"), list(congress_labels), key="congress", format_func=congress_labels.get)
cols[1].selectbox(_("Reporting year"), list(year_labels), key="year", format_func=year_labels.get)
cols[2].multiselect(_("Region"), list(region_labels), key="region", format_func=region_labels.get,
                    placeholder=_("Every region"))
cols = st.columns(3)
cols[0].multiselect(_("Theme"), list(theme_labels), key="theme", format_func=theme_labels.get,
                    placeholder=_("Every theme"))
cols[1].multiselect(_("Language of the reports"), list(LANGUAGES), key="language", format_func=LANGUAGE_NAMES.get,
                    placeholder=_("Every language"))
with cols[2]:
    st.write("")
    across = st.toggle(_("Group across languages"), key="across_box",
                       help=_("Off: texts are grouped with texts written in the same language. On: all languages "
                              "are grouped together (words still differ between languages)."))
st.session_state["across"] = "1" if across else ""
url_state.write_back({"congress": "", "year": "", "region": [], "theme": [], "language": [], "across": ""})

flt = ProgressFilter(congress=st.session_state["congress"] or None,
                     year=int(st.session_state["year"]) if st.session_state["year"] else None,
                     regions=tuple(st.session_state["region"]), themes=tuple(st.session_state["theme"]),
                     languages=tuple(st.session_state["language"]))
result = readers.groups(actor=actor, flt=flt, across_languages=across)
groups = result.groups
reports = result.texts[["kind", "report_id"]].drop_duplicates().shape[0]

st.caption(" ".join([
    ngettext("{n} text", "{n} texts", len(result.texts)).format(n=format_number(len(result.texts))),
    ngettext("from {n} report,", "from {n} reports,", reports).format(n=format_number(reports)),
    ngettext("in {n} group.", "in {n} groups.", len(groups)).format(n=format_number(len(groups))),
    _("Grouped across languages.") if across else _("Grouped per language: each group holds texts of one "
                                                    "language."),
]))


def words(terms) -> str:
    """Characteristic words as code spans: words of the reports (data, in their own language), not the page's.
    The vectoriser keeps letters only, so a word holds no backtick or Markdown mark."""
    return ", ".join(f"`{w}`" for w in terms) or _("(no words)")


def group_label(row) -> str:
    """The group's name (plain text, escaped where shown) or its words."""
    return row["name"] or words(row["terms"][:4])


def group_title(row) -> str:
    """The group's label as Markdown: its name escaped, or its words."""
    return escape_md(row["name"]) if row["name"] else words(row["terms"][:4])


if result.lost:
    lost = ", ".join(escape_md(c.name) if c.name else words(list(c.terms)[:3]) for c in result.lost)
    st.info(_("Not found in these reports: {names}. A named or merged group comes back when texts like its own "
              "do.").format(names=lost), icon=":material/info:")


def scope_label(scope: str) -> str:
    return LANGUAGE_NAMES.get(scope) or _("All languages")


def report_label(quote: dict) -> str:
    kind = _("Progress Report") if quote["kind"] == "progress" else _("Activity Report")
    return _("{kind} {id}, {year}").format(kind=kind, id=quote["report_id"], year=quote["year"])


def quote_links(quote: dict, where) -> None:
    """The quote's report: the Progress Report (for those who may open it) and its Resolution pages."""
    links = where.columns(1 + len(quote["codes"]))
    if quote["kind"] == "progress" and may_open(actor, "pages/progress_report.py") and quote["codes"]:
        links[0].page_link("pages/progress_report.py", label=report_label(quote), icon=":material/edit_document:",
                           query_params={"code": quote["codes"][0], "year": str(quote["year"])})
    else:
        links[0].caption(report_label(quote))
    for col, code in zip(links[1:], quote["codes"]):
        col.page_link("pages/resolution.py", label=code, icon=":material/description:", query_params={"code": code})


# -- the Secretariat's curation ------------------------------------------------------------------------------
def _ref(key: str) -> service.GroupRef:
    return service.GroupRef.of(groups.set_index("key", drop=False).loc[key])


def _rename(feedback: Feedback, key: str) -> None:
    name = st.session_state.get(f"name_{key}", "")
    if feedback.run(service.rename, actor=actor, group=_ref(key), name=name) is not FAILED:
        flash(_("Group renamed."))


def _pin(feedback: Feedback, key: str, pinned: bool) -> None:
    if feedback.run(service.pin, actor=actor, group=_ref(key), pinned=pinned) is not FAILED:
        flash(_("Group pinned: it keeps its name and its texts when new reports come in.") if pinned
              else _("Group unpinned."))


def _merge(feedback: Feedback, key: str) -> None:
    into = st.session_state.get(f"into_{key}")
    if not into:
        return
    if feedback.run(service.merge, actor=actor, group=_ref(key), into=_ref(into)) is not FAILED:
        flash(_("Groups merged."))


def curation(row, labels: dict[str, str]) -> None:
    key = row["key"]
    feedback = Feedback(f"theme_{key}", fields=("name", "into", "pinned"), not_done=_("Not changed"))
    feedback.summary()
    with st.popover(_("Curate"), icon=":material/tune:"):
        st.text_input(_("Name of the group"), value=row["name"] or "", key=f"name_{key}", max_chars=service.NAME_MAX)
        feedback.field("name")
        st.button(_("Rename"), key=f"rename_{key}", on_click=_rename, args=(feedback, key), icon=":material/edit:")
        pinned = bool(row["pinned"])
        st.button(_("Unpin") if pinned else _("Pin"), key=f"pin_{key}", on_click=_pin, args=(feedback, key, not pinned),
                  icon=":material/keep_off:" if pinned else ":material/keep:",
                  help=_("A pinned group keeps its name and its texts when the data change."))
        feedback.field("pinned")
        others = {k: v for k, v in labels.items() if k != key and scopes[k] == row["scope"]}
        if others:
            st.selectbox(_("Merge into"), list(others), key=f"into_{key}", format_func=others.get, index=None,
                         placeholder=_("Choose a group"))
            feedback.field("into")
            st.button(_("Merge"), key=f"merge_{key}", on_click=_merge, args=(feedback, key), icon=":material/merge:")


# -- the page ------------------------------------------------------------------------------------------------
tab_groups, tab_rank, tab_twins = st.tabs([":material/forum: " + _("Groups"),
                                           ":material/leaderboard: " + _("Ranking"),
                                           ":material/content_copy: " + _("Near-duplicate Resolutions")])
with tab_groups:
    if groups.empty:
        st.info(_("No report text matches these filters."), icon=":material/info:")
    labels = {row["key"]: group_label(row) for _i, row in groups.iterrows()}
    scopes = dict(zip(groups["key"], groups["scope"]))
    for rank, (_i, row) in enumerate(groups.head(GROUPS_SHOWN).iterrows(), start=1):
        with st.container(border=True):
            head, side = st.columns([5, 1], vertical_alignment="top")
            pin = " :material/keep:" if row["pinned"] else ""
            head.markdown(f"**{rank}. {group_title(row)}**{pin}")
            head.caption(" · ".join([
                ngettext("{n} text", "{n} texts", row["texts"]).format(n=format_number(row["texts"])),
                ngettext("{n} report", "{n} reports", row["reports"]).format(n=format_number(row["reports"])),
                scope_label(row["scope"]),
                _("Words: {words}").format(words=words(row["terms"])),
            ]))
            for quote in row["quotes"]:
                st.markdown("> " + escape_md(quote["text"]))
                quote_links(quote, st)
            if curator:
                with side:
                    curation(row, labels)
    if len(groups) > GROUPS_SHOWN:
        st.caption(_("The {n} largest groups are shown.").format(n=GROUPS_SHOWN))

BY = {"year": N_("Year"), "themes": N_("Theme"), "regions": N_("Region")}
with tab_rank:
    by_labels = {k: _(v) for k, v in BY.items()}
    by = st.segmented_control(_("Rank per"), list(BY), key="rank_by", format_func=by_labels.get, default="year")
    by = by or "year"
    ranked = rt.ranking(result, by)
    if ranked.empty:
        st.info(_("No report text matches these filters."), icon=":material/info:")
    else:
        names = {row["key"]: group_label(row) for _i, row in groups.iterrows()}
        shown = ranked.assign(group=ranked["group"].map(names))
        if by != "year":
            shown[by] = shown[by].map(lambda v: _(v))
        st.dataframe(shown[[by, "group", "texts", "reports"]], hide_index=True, width="stretch", column_config={
            by: st.column_config.TextColumn(_(BY[by])),
            "group": st.column_config.TextColumn(_("Group")),
            "texts": st.column_config.NumberColumn(_("Texts")),
            "reports": st.column_config.NumberColumn(_("Reports"))})

with tab_twins:
    st.caption(_("Resolutions whose title, summary and operative paragraphs are very similar to an older "
                 "Resolution's (similarity of {threshold} or more, 1 = the same words), for consolidation.").format(
        threshold=rt.DUPLICATE_THRESHOLD))
    twins = readers.near_duplicates(actor=actor, congress=flt.congress)
    if twins.empty:
        st.info(_("No Resolution nearly repeats an older one."), icon=":material/info:")
    else:
        st.dataframe(pd.DataFrame(twins), hide_index=True, width="stretch", column_config={
            "code": st.column_config.TextColumn(_("Resolution")),
            "title": st.column_config.TextColumn(_("Title")),
            "older_code": st.column_config.TextColumn(_("Older Resolution")),
            "older_title": st.column_config.TextColumn(_("Its title")),
            "similarity": st.column_config.NumberColumn(_("Similarity"), format="%.2f")})
