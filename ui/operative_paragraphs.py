"""The Resolution page's operative paragraphs (issue 18): each paragraph (number, addressee, text, all as plain
text) with who reported what on it and its status in the published Progress Reports by year; the Secretariat
adds, edits and deletes them here (the CSV import is on the register admin page)."""

import streamlit as st

from db import vocab
from locales import _, ngettext
from services import paragraphs
from services.permissions import Actor, can
from ui import paragraph_readers
from ui.flash import flash
from ui.format import escape_md
from ui.write import FAILED, Feedback

FIELDS = ("number", "addressee", "text")
ss = st.session_state


def addressee_label(value: str | None) -> str:
    """A stored addressee as read: one of the usual ones in the reader's language, any other as written."""
    return _(value) if value in vocab.PARAGRAPH_ADDRESSEES else (value or "")


def show(actor: Actor | None, code: str, public_rows: list[dict] | None = None) -> None:
    """The section. `public_rows`: a visitor's paragraphs (services/public.py); signed in, they are read here."""
    rows = public_rows if actor is None else paragraph_readers.per_paragraph(code=code)
    editor = actor is not None and can(actor, "paragraphs.edit")
    if not rows and not editor:
        return
    st.subheader(_("Operative paragraphs"), anchor=False)
    if rows:
        st.caption(ngettext("{n} operative paragraph. Under each, the Activity Reports that address it and its "
                            "status in the published Progress Reports, where one was given.",
                            "{n} operative paragraphs. Under each, the Activity Reports that address it and its "
                            "status in the published Progress Reports, where one was given.", len(rows)
                            ).format(n=len(rows)))
    else:
        st.caption(_("No operative paragraph entered yet. Add them below, or import them from a CSV file on the "
                     "register admin page."))
    for row in rows:
        with st.container(border=True):
            addressee = addressee_label(row["addressee"])
            st.markdown(f"**{escape_md(_('Paragraph {number}').format(number=row['number']))}**"
                        + (f" · {escape_md(addressee)}" if addressee else ""))
            st.text(row["text"])
            if row["activities"]:
                st.caption(ngettext("Addressed by {n} Activity Report:", "Addressed by {n} Activity Reports:",
                                    len(row["activities"])).format(n=len(row["activities"])))
                st.text("\n".join(f"{a['component']} · {a['title']}" + (f" ({a['year']})" if a["year"] else "")
                                  for a in row["activities"]))
            else:
                st.caption(_("No Activity Report addresses this paragraph yet."))
            if row["statuses"]:
                st.text(_("Status by year: {statuses}").format(statuses=", ".join(
                    f"{year}: {_(status)}" for year, status in sorted(row["statuses"].items()))))
            if editor:
                _edit_form(actor, row)
    if editor:
        _add_form(actor, code)


def _key(name: str, paragraph_id: int | str) -> str:
    return f"op_{paragraph_id}_{name}"


def _edit_form(actor: Actor, row: dict) -> None:
    pid = row["id"]
    feedback = Feedback(f"paragraph_{pid}", fields=FIELDS)
    with st.expander(_("Edit or delete paragraph {number}").format(number=row["number"]), icon=":material/edit:",
                     expanded=feedback.outcome is not None):
        feedback.summary()
        if _key("version", pid) not in ss or ss[_key("version", pid)] != row["version"]:
            ss.update({_key("number", pid): row["number"], _key("addressee", pid): row["addressee"],
                       _key("text", pid): row["text"], _key("version", pid): row["version"]})
        with st.form(f"paragraph_form_{pid}", border=False):
            _inputs(feedback, pid)
            save, delete, _rest = st.columns([1, 1, 2])
            save.form_submit_button(_("Save paragraph"), icon=":material/save:", on_click=_save,
                                    args=(actor, feedback, pid), width="stretch")
            delete.form_submit_button(_("Delete paragraph"), icon=":material/delete:", on_click=_delete,
                                      args=(actor, feedback, pid, row["number"]), width="stretch")


def _inputs(feedback: Feedback, pid: int | str) -> None:
    left, right = st.columns([1, 3])
    left.text_input(_("Number"), key=_key("number", pid), max_chars=paragraphs.NUMBER_MAX,
                    help=_("As printed in the Resolution, such as 1, 4b or 12(a)."))
    feedback.field("number", left)
    right.text_input(_("Addressee"), key=_key("addressee", pid), max_chars=paragraphs.ADDRESSEE_MAX,
                     help=_("Whom it addresses; usually one of: {usual}. Any other is accepted as written.").format(
                         usual=", ".join(_(a) for a in vocab.PARAGRAPH_ADDRESSEES)))
    feedback.field("addressee", right)
    st.text_area(_("Text"), key=_key("text", pid), height=100, max_chars=paragraphs.TEXT_MAX)
    feedback.field("text")


def _values(pid: int | str) -> dict:
    return {name: ss.get(_key(name, pid)) or "" for name in FIELDS}


def _save(actor: Actor, feedback: Feedback, pid: int) -> None:
    if feedback.run(paragraphs.edit_paragraph, actor=actor, paragraph_id=pid, version=ss.get(_key("version", pid)),
                    **_values(pid)) is not FAILED:
        flash(_("Paragraph saved."))


def _delete(actor: Actor, feedback: Feedback, pid: int, number: str) -> None:
    if feedback.run(paragraphs.delete_paragraph, actor=actor, paragraph_id=pid,
                    version=ss.get(_key("version", pid))) is not FAILED:
        flash(_("Paragraph {number} deleted.").format(number=number))


def _add_form(actor: Actor, code: str) -> None:
    feedback = Feedback(f"paragraph_new_{code}", fields=FIELDS)
    with st.expander(_("Add a paragraph"), icon=":material/add:", expanded=feedback.outcome is not None):
        feedback.summary()
        with st.form(f"paragraph_add_{code}", border=False):
            _inputs(feedback, "new")
            st.form_submit_button(_("Add paragraph"), icon=":material/add:", on_click=_add,
                                  args=(actor, feedback, code))


def _add(actor: Actor, feedback: Feedback, code: str) -> None:
    values = _values("new")
    if feedback.run(paragraphs.add_paragraph, actor=actor, code=code, **values) is not FAILED:
        flash(_("Paragraph {number} added.").format(number=values["number"].strip()))
        for name in FIELDS:  # an empty form for the next one
            ss[_key(name, "new")] = ""
