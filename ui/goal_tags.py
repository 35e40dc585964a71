"""The global goals of a Resolution on its page (issue 18): the targets it is tagged with, and, for whoever may
edit the register, a form to change them, one list per framework (KMGBF, SDGs, Nature 2030)."""

import streamlit as st

from db import vocab
from locales import _, ngettext
from services import goal_tags
from services.permissions import Actor, can
from ui import goal_readers
from ui.write import FAILED, Feedback

_FORM = Feedback("goal_tags", fields=("targets",))
_SAVED = "_goal_tags_saved"  # the message of the save, shown in the form after the rerun


def show_targets(code: str) -> None:
    """The Resolution's targets, one line each, in the reader's language (plain text, never Markdown)."""
    labels = goal_readers.target_labels()
    tagged = goal_readers.targets_of(code=code)
    st.markdown("**" + _("Global goals and targets") + "**")
    st.text("\n".join(labels.get(t, t) for t in tagged) or _("No global goal or target tagged"))


def offer_tagging(actor: Actor | None, code: str) -> None:
    """The tagging form, for those who may edit the register."""
    if not can(actor, "register.edit"):
        return
    targets = goal_readers.goal_targets()
    tagged = goal_readers.targets_of(code=code)
    saved_code, saved_message = st.session_state.pop(_SAVED, (None, None))
    saved_message = saved_message if saved_code == code else None
    with st.expander(_("Tag with global goals and targets"), icon=":material/sell:",
                     expanded=bool(saved_message or _FORM.outcome)):
        if saved_message:
            st.success(saved_message, icon=":material/check_circle:")
        _FORM.summary()
        with st.form(f"goal_tags_{code}"):
            chosen: list[str] = []
            for framework in vocab.GOAL_FRAMEWORKS:
                part = targets[targets["framework"] == framework]
                labels = dict(zip(part["code"], part["label"]))
                chosen += st.multiselect(goal_tags.framework_label(framework), list(labels),
                                         default=[t for t in tagged if t in labels], format_func=labels.get,
                                         key=f"goal_tags_{framework}_{code}",
                                         placeholder=_("Choose goals or targets"))
            _FORM.field("targets")
            saved = st.form_submit_button(_("Save the tags"), icon=":material/save:")
        if saved:
            result = _FORM.run(goal_tags.set_targets, actor=actor, code=code, targets=chosen)
            if result is not FAILED:
                message = ngettext("Saved: {n} goal or target.", "Saved: {n} goals and targets.",
                                   len(chosen)).format(n=len(chosen))
                st.session_state[_SAVED] = (code, message if result else
                                            _("Nothing to save: the tags were already these."))
            st.rerun()  # the outcome (saved, or the refusal above the form) is drawn by the next run
