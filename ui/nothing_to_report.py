""""Nothing to report this year" in one click (services/nothing_to_report.py): the focal point's button on My
Resolutions, and the component's list on My reports of the Resolutions it reported on last year."""

import streamlit as st

from services import nothing_to_report
from ui.cached import cached
from ui.flash import flash
from ui.format import escape_md
from ui.write import FAILED, Feedback

focal_statements = cached(nothing_to_report.focal_statements, max_entries=64)
reported_last_year = cached(nothing_to_report.reported_last_year, max_entries=64)


def _declare(feedback: Feedback, actor, year: int, code: str, component_id: int | None, reason_key: str) -> None:
    done = feedback.run(nothing_to_report.declare, actor=actor, year=year, code=code, component_id=component_id,
                        reason=st.session_state.get(reason_key))
    if done is not FAILED:
        flash(f"Noted: nothing to report on {escape_md(code)} for {year}. No more reminders for it.")


def _undo(feedback: Feedback, actor, year: int, code: str, component_id: int | None) -> None:
    if feedback.run(nothing_to_report.undo, actor=actor, year=year, code=code,
                    component_id=component_id) is not FAILED:
        flash(f"Undone: {escape_md(code)} is to report on again for {year}.", icon=":material/undo:")


def toggle(actor, year: int, code: str, declared: bool, reason: str | None, component_id: int | None = None,
           where=None) -> None:
    """The button (with an optional reason) or, once said, the note and its Undo, for one Resolution."""
    where = where or st.container()
    key = f"ntr_{code}_{component_id or 'focal'}"
    feedback = Feedback(key, fields=("reason",), not_done="Not noted")
    with where:
        feedback.summary()
        if declared:
            st.caption(":material/do_not_disturb_on: Nothing to report" + (f": {escape_md(reason)}" if reason else ""))
            st.button("Undo", key=f"{key}_undo", icon=":material/undo:", on_click=_undo,
                      args=(feedback, actor, year, code, component_id))
            return
        with st.popover("Nothing to report", icon=":material/do_not_disturb_on:"):
            st.caption(f"Nothing to report on {escape_md(code)} for {year}: it counts as an answer and stops the "
                       "reminders. You can undo it.")
            st.text_input("Reason (optional)", key=f"{key}_reason", max_chars=nothing_to_report.REASON_MAX)
            feedback.field("reason")
            st.button("Confirm: nothing to report", key=f"{key}_confirm", type="primary", on_click=_declare,
                      args=(feedback, actor, year, code, component_id, f"{key}_reason"))


def component_section(actor, year: int) -> None:
    """My reports: the Resolutions the user's components reported on in year - 1 and not yet in `year`."""
    owed = reported_last_year(actor=actor, year=year)
    if not owed:
        return
    open_ones = sum(1 for r in owed if not r["nothing_to_report"])
    with st.expander(f"Reported on in {year - 1}, not yet in {year} ({open_ones})", icon=":material/event_repeat:",
                     expanded=bool(open_ones)):
        st.caption(f"Your component reported on these Resolutions in {year - 1}. Report what you did in {year}, or "
                   "say there is nothing to report: either way the reminders stop.")
        for row in owed:
            text, button = st.columns([4, 2], vertical_alignment="center")
            text.markdown(f"**{escape_md(row['code'])}** · {escape_md(row['component'])}  \n"
                          f":gray[{escape_md(row['title'])}]")
            toggle(actor, year, row["code"], row["nothing_to_report"], row["reason"], row["component_id"], button)
