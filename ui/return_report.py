"""Send a submitted Activity Report back to its author with a comment: the one widget of every page that
offers it (the Progress Report editor's source cards, the Resolution page).

Who may return which report, and when, is services.activity_reports.returnable's answer (the rules of
return_report): a page asks it once for the reports it lists and draws `offer` for those. The author then
finds the report, with the comment, on My reports."""

import streamlit as st

from locales import N_, _
from services import activity_reports as ar
from services.permissions import Actor
from ui.cached import cached
from ui.flash import flash
from ui.write import FAILED, Feedback

returnable = cached(ar.returnable)  # (actor, report_ids) -> {report id: version} the actor may return now

DONE = N_("Returned to its author with your comment: they find it on My reports.")


def _key(report_id: int) -> str:
    return f"return_activity_{report_id}"


def _feedback(report_id: int) -> Feedback:
    return Feedback(_key(report_id), fields=("comment",), not_done=_("Not returned"))


def _return(actor: Actor, report_id: int, version: int) -> None:
    """The button's callback: the comment is kept on a refusal, emptied once the report is returned."""
    comment = st.session_state.get(f"{_key(report_id)}_comment", "")
    if _feedback(report_id).run(ar.return_report, actor=actor, report_id=report_id, version=version,
                                comment=comment) is not FAILED:
        st.session_state.pop(f"{_key(report_id)}_comment", None)
        flash(_(DONE), icon=":material/undo:")


def offer(*, actor: Actor, report_id: int, version: int) -> None:
    """'Return to its author': an expander holding the comment box and the button, open while the last try
    needs correcting. `version`: the one returnable() gave. The success message is a flash (ui/flash.py),
    shown by the page's show_flash: the report itself then leaves the lists of submitted reports."""
    feedback = _feedback(report_id)
    with st.expander(_("Return to its author"), icon=":material/undo:", expanded=feedback.outcome is not None):
        feedback.summary()
        with st.form(f"{_key(report_id)}_form", border=False):
            st.text_area(_("Comment for the author"), key=f"{_key(report_id)}_comment",
                         max_chars=ar.LIMITS["comment"],
                         placeholder=_("What should be corrected or added before it can be used?"))
            feedback.field("comment")
            st.form_submit_button(_("Return with this comment"), icon=":material/undo:", on_click=_return,
                                  args=(actor, report_id, version))
