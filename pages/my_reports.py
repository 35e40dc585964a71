"""My reports: the Activity Reports of the user's component(s), filters kept in the URL, actions on one
report (edit, withdraw, start a new one from it, correct a cited one), where each report was cited, and
exports of exactly the table shown."""

from datetime import date

import pandas as pd
import streamlit as st

from db import vocab
from locales import N_, _, ngettext
from services import activity_reports as ar
from services import export_tables
from services.tabular import csv_bytes, excel_bytes
from ui import activity_readers as readers
from ui import nothing_to_report, tables, url_state
from ui.auth import signed_in_actor
from ui.flash import show_flash
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
feedback = Feedback("my_reports")  # withdraw, or correct a cited report


# Pixel widths that keep every column in sight at 1440 px wide; the selected report's panel shows each cell
# in full.
SCREEN_WIDTHS = {"Report": 55, "Title": 180, "State": 105, "Resolutions": 120, "Period": 150, "Last change": 90,
                 "Language": 65, "Cited in Progress Reports": 90, "Return comment": 90}


def _period(start, end) -> str:
    if pd.isna(start) and pd.isna(end):
        return "—"
    return f"{fmt_date(None if pd.isna(start) else start)} – {fmt_date(None if pd.isna(end) else end)}"


def _years(frame: pd.DataFrame) -> list[int]:
    """Every year some report's period touches (undated drafts: the year they were made)."""
    years: set[int] = set()
    for r in frame.itertuples():
        if pd.isna(r.period_start):
            years.add(r.updated_at.year)
        else:
            end = r.period_start if pd.isna(r.period_end) else r.period_end
            years.update(range(r.period_start.year, end.year + 1))
    return sorted(years, reverse=True)


# What the reporter can do next with a report in each state (the panel of the selected report).
NEXT_STEP = {
    "draft": (N_("A draft: only your component sees it. Open it to finish it, then submit it."),
              ":material/edit_note:"),
    "returned": (N_("Returned to you: read the comment, open the report to change what it asks, then submit it "
                    "again. Until then the Secretariat cannot draw on it."), ":material/assignment_return:"),
    "submitted": (N_("Submitted: the Secretariat focal points of its Resolutions can draw on it. To change it, "
                     "withdraw it to a draft first."), ":material/outgoing_mail:"),
    "locked": (N_("Cited by a published Progress Report, so it is kept as it was cited. To change it, make a "
                  "correction: a new version you edit and submit."), ":material/lock:"),
}
IN_PREPARATION = ", in preparation)"  # how the reader marks a citing Progress Report not yet published


def _citations(cited_by: str) -> tuple[list[str], list[str]]:
    """The citing Progress Reports of a row: (published ones, ones in preparation), as "CODE (year)"."""
    labels = [c for c in cited_by.split("; ") if c]
    preparing = [c.replace(IN_PREPARATION, ")") for c in labels if c.endswith(IN_PREPARATION)]
    return [c for c in labels if not c.endswith(IN_PREPARATION)], preparing


def _state_label(row) -> str:
    label = _(ar.STATE_LABELS[row.state])
    return _("{state} (cited, locked)").format(state=label) if row.locked else label


def _act(action: str, report_id: int, report_version: int) -> None:
    """Button callback: withdraw, or make a new version of a cited report and open it."""
    st.session_state["mr_message"] = None  # the success of the latest action; a refusal is the feedback's
    # A fresh table key clears the selection: after the change the rows move, and the same row
    # position would point at another report.
    st.session_state["mr_round"] = st.session_state.get("mr_round", 0) + 1
    if action == "withdraw":
        if feedback.run(ar.withdraw, actor=actor, report_id=report_id, version=report_version) is not FAILED:
            st.session_state["mr_message"] = ("success", _("Report {id} is back to draft: open it to edit, then "
                                                         "submit it again.").format(id=report_id))
    else:
        copy = feedback.run(ar.new_version, actor=actor, report_id=report_id)
        if copy is not FAILED:
            st.session_state["mr_open"] = copy.id


st.title(":material/folder_shared: " + _("My reports"))
if st.session_state.get("mr_open"):
    st.switch_page("pages/report_activity.py", query_params={"id": str(st.session_state.pop("mr_open"))})

components = readers.reporting_components(actor=actor)
everything = readers.my_reports(actor=actor)
mine = [name for cid, name in components if cid in actor.component_ids]
st.caption((_("The Activity Reports of {components}.").format(components=", ".join(escape_md(n) for n in mine))
            if mine else _("The Activity Reports of your account.")) + " "
           + _("Drafts are visible only to your component; submitted reports are visible to IUCN."))
st.page_link("pages/report_activity.py", label=_("Report a new activity"), icon=":material/add_circle:")
show_flash()
nothing_to_report.component_section(actor, date.today().year)  # reported on last year, not yet this year

message = st.session_state.get("mr_message")
if message:
    st.success(escape_md(message[1]))
feedback.summary()

if everything.empty:
    st.info(_("No report yet. Use **Report a new activity** to file your first one."), icon=":material/inbox:")
    st.stop()

years = _years(everything)
codes = sorted({c for cell in everything["resolutions"] for c in cell.split("; ") if c}, reverse=True)
url_state.init_text("state", "", list(ar.STATE_LABELS))
url_state.init_text("year", "", [str(y) for y in years])
url_state.init_text("resolution", "", codes)
url_state.init_text("language", "", list(vocab.LANGUAGES))
cols = st.columns([2, 1, 2, 1])
cols[0].segmented_control(_("State"), list(ar.STATE_LABELS), key="state",
                          format_func=lambda state: _(ar.STATE_LABELS[state]),
                          help=_("Leave all off to see every state."))
cols[1].selectbox(_("Year"), [""] + [str(y) for y in years], key="year",
                  format_func=lambda y: y or _("All years"), help=_("Reports whose period touches this year."))
cols[2].selectbox(_("Resolution"), [""] + codes, key="resolution",
                  format_func=lambda c: c or _("All Resolutions"))
cols[3].selectbox(_("Language"), ["", *vocab.LANGUAGES], key="language",
                  format_func=lambda code: vocab.LANGUAGE_LABELS.get(code) or _("All languages"),
                  help=_("The language each report was written in."))
url_state.write_back({"state": "", "year": "", "resolution": "", "language": ""})

rows = readers.my_reports(actor=actor, state=st.session_state["state"] or None,
                          year=int(st.session_state["year"]) if st.session_state["year"] else None,
                          resolution_code=st.session_state["resolution"] or None,
                          languages=(st.session_state["language"],) if st.session_state["language"] else ())
if rows.empty:
    st.info(_("No report matches these filters."), icon=":material/search_off:")
    st.stop()

# What the table shows is also exactly what the exports hold.
shown = pd.DataFrame({
    "Report": rows["id"],
    "Title": rows["title"],
    "State": [_state_label(r) for r in rows.itertuples()],
    "Resolutions": rows["resolutions"],
    "Period": [_period(r.period_start, r.period_end) for r in rows.itertuples()],
    "Last change": rows["updated_at"].map(lambda at: at.date()),  # a date (shown "12 Mar 2025"), sortable
    "Language": rows["language"].map(lambda code: vocab.LANGUAGE_LABELS.get(code, code)),
    "Cited in Progress Reports": rows["cited_by"],
    "Return comment": rows["return_comment"].fillna(""),
})
if not shown["Return comment"].any():
    shown = shown.drop(columns="Return comment")
shown_table = export_tables.my_reports_table(shown)  # the headers and kinds of the screen and the files
state_label = ar.STATE_LABELS.get(st.session_state["state"])
said = [f"{name}: {value}" for name, value in (
    (_("State"), _(state_label) if state_label else None), (_("Year"), st.session_state["year"]),
    (_("Resolution"), st.session_state["resolution"]),
    (_("Language"), vocab.LANGUAGE_LABELS.get(st.session_state["language"]))) if value]

left, right = st.columns([3, 1])
left.caption(ngettext("{n} report. Select a row (tick its box) to read it in full and to open, withdraw or reuse it.",
                      "{n} reports. Select a row (tick its box) to read it in full and to open, withdraw or reuse it.",
                      len(shown)).format(n=len(shown)))
with right:
    dl1, dl2 = st.columns(2)
    # Built when asked for (Streamlit calls the function on the click), not on every run.
    dl1.download_button("CSV", lambda: csv_bytes(shown_table), "my-activity-reports.csv", "text/csv",
                        icon=":material/download:", width="stretch", on_click="ignore")
    excel_title = _("Activity Reports of {who}").format(who=", ".join(mine) or actor.display_name)
    dl2.download_button("Excel", lambda: excel_bytes([shown_table], title=excel_title, filters=said),
                        "my-activity-reports.xlsx",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/download:", width="stretch", on_click="ignore")

actions = st.container()  # above the table, so the actions on a selected row are in sight
event = st.dataframe(
    shown, hide_index=True, width="stretch", height=min(38 + 35 * len(shown), 560),
    on_select="rerun", selection_mode="single-row",
    key=f"my_reports_table_{st.session_state.get('mr_round', 0)}",
    column_config=tables.column_config(shown_table, widths=SCREEN_WIDTHS),
)
if not event.selection.rows:
    st.stop()

row = rows.iloc[event.selection.rows[0]]
report_id, report_version = int(row["id"]), int(row["version"])
with actions, st.container(border=True):
    # The whole row, readable in full whatever the table's width cuts.
    st.markdown(_("**{title}** · report {id} · {state}").format(title=escape_md(row["title"]), id=report_id,
                                                                  state=_state_label(row)))
    st.caption(_("Resolutions: {codes} · Period: {period} · Last change: {date} · Written in {language}").format(
        codes=escape_md(row["resolutions"] or "—"), period=_period(row["period_start"], row["period_end"]),
        date=fmt_date(row["updated_at"]), language=vocab.LANGUAGE_LABELS.get(row["language"], row["language"])))
    step, icon = NEXT_STEP["locked" if row["locked"] else row["state"]]
    st.info(_(step), icon=icon)
    if row["state"] == "returned" and row["return_comment"]:
        st.warning(_("**Returned with this comment:** {comment}").format(comment=escape_md(row["return_comment"])),
                   icon=":material/reply:")
    published, preparing = _citations(row["cited_by"])
    if published:
        st.success(_("Cited in the published Progress Reports of {reports}.").format(
            reports=escape_md(", ".join(published))), icon=":material/verified:")
    if preparing:
        st.caption(":material/pending: " + _("Drawn on by Progress Reports still in preparation: {reports}. "
                                             "Publishing one of them locks this report as it then is.").format(
            reports=escape_md(", ".join(preparing))))
    buttons = st.columns(3)
    if row["state"] in ar.EDITABLE_STATES and not row["locked"]:
        buttons[0].page_link("pages/report_activity.py", label=_("Open to edit"), icon=":material/edit:",
                             query_params={"id": str(report_id)})
    elif row["locked"]:
        buttons[0].button(_("Correct (new version)"), icon=":material/difference:", on_click=_act,
                          args=("new_version", report_id, report_version),
                          help=_("Cited reports are kept as they were: your correction becomes a new version."))
    else:
        buttons[0].button(_("Withdraw to edit"), icon=":material/undo:", on_click=_act,
                          args=("withdraw", report_id, report_version),
                          help=_("Back to draft: the Secretariat no longer sees it until you submit it again."))
    buttons[1].page_link("pages/report_activity.py", label=_("Start a new report from this one"),
                         icon=":material/content_copy:", query_params={"from": str(report_id)})
    for code in [c for c in row["resolutions"].split("; ") if c][:3]:
        buttons[2].page_link("pages/resolution.py", label=_("See {code}").format(code=code),
                             icon=":material/description:", query_params={"code": code})
