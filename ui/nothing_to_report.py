""""Nothing to report this year" in one click (services/nothing_to_report.py): the focal point's button on My
Resolutions, and the component's list on My reports of the Resolutions it reported on last year."""

import streamlit as st

from locales import _
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
        flash(_("Noted: nothing to report on {code} for {year}. No more reminders for it.").format(
            code=escape_md(code), year=year))


def _undo(feedback: Feedback, actor, year: int, code: str, component_id: int | None) -> None:
    if feedback.run(nothing_to_report.undo, actor=actor, year=year, code=code,
                    component_id=component_id) is not FAILED:
        flash(_("Undone: {code} is to report on again for {year}.").format(code=escape_md(code), year=year),
              icon=":material/undo:")


def toggle(actor, year: int, code: str, declared: bool, reason: str | None, component_id: int | None = None,
           where=None) -> None:
    """The button (with an optional reason) or, once said, the note and its Undo, for one Resolution."""
    where = where or st.container()
    key = f"ntr_{code}_{component_id or 'focal'}"
    feedback = Feedback(key, fields=("reason",), not_done=_("Not noted"))
    with where:
        feedback.summary()
        if declared:
            said = (_("Nothing to report: {reason}").format(reason=escape_md(reason)) if reason
                    else _("Nothing to report"))
            st.caption(":material/do_not_disturb_on: " + said)
            st.button(_("Undo"), key=f"{key}_undo", icon=":material/undo:", on_click=_undo,
                      args=(feedback, actor, year, code, component_id))
            return
        with st.popover(_("Nothing to report"), icon=":material/do_not_disturb_on:"):
            st.caption(_("Nothing to report on {code} for {year}: it counts as an answer and stops the "
                         "reminders. You can undo it.").format(code=escape_md(code), year=year))
            st.text_input(_("Reason (optional)"), key=f"{key}_reason", max_chars=nothing_to_report.REASON_MAX)
            feedback.field("reason")
            st.button(_("Confirm: nothing to report"), key=f"{key}_confirm", type="primary", on_click=_declare,
                      args=(feedback, actor, year, code, component_id, f"{key}_reason"))


def component_section(actor, year: int) -> None:
    """My reports: the Resolutions the user's components reported on in year - 1 and not yet in `year`."""
    owed = reported_last_year(actor=actor, year=year)
    if not owed:
        return
    open_ones = sum(1 for r in owed if not r["nothing_to_report"])
    with st.expander(_("Reported on in {last}, not yet in {year} ({n})").format(last=year - 1, year=year, n=open_ones),
                     icon=":material/event_repeat:", expanded=bool(open_ones)):
        st.caption(_("Your component reported on these Resolutions in {last}. Report what you did in {year}, or "
                     "say there is nothing to report: either way the reminders stop.").format(last=year - 1, year=year))
        for row in owed:
            text, button = st.columns([4, 2], vertical_alignment="center")
            text.markdown(f"**{escape_md(row['code'])}** · {escape_md(row['component'])}  \n"
                          f":gray[{escape_md(row['title'])}]")
            toggle(actor, year, row["code"], row["nothing_to_report"], row["reason"], row["component_id"], button)
