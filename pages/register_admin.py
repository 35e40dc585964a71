"""Register import and export (Secretariat, admin): all-or-nothing CSV import with every bad row listed."""

import streamlit as st
from sqlmodel import Session

from locales import _
from services import goal_tags, paragraphs
from services.register_file import COLUMNS, TEXT_URL, export_register, import_register
from ui import readers
from ui.auth import signed_in_actor
from ui.data import engine
from ui.flash import flash, show_flash
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/upload_file: " + _("Register import and export"))
show_flash()

st.subheader(_("Import"), anchor=False)
st.markdown(_(
    "Upload a CSV file (UTF-8) with the columns, in this order: `{columns}`. "
    "`congress` is a Congress code such as `WCC-2020`; `themes` is a `;`-separated list; `status` is "
    "`active` or `archived`, with `archived_on` as YYYY-MM-DD. An optional last column `{text_url}` holds "
    "the link to the official text (https:// or http://). Every row is checked first: if one is "
    "wrong, nothing is imported and you get the list of problems. Existing codes are updated."
).format(columns=",".join(COLUMNS), text_url=TEXT_URL))
def import_form(name: str, file_label: str, button: str, service, done) -> None:
    """One all-or-nothing CSV import: the file, its button, every problem listed (ui/write.Feedback), and the
    sentence `done(result)` once imported."""
    with st.form(name, clear_on_submit=False):
        upload = st.file_uploader(file_label, type=["csv"])
        submitted = st.form_submit_button(button, type="primary", icon=":material/upload:")
    feedback = Feedback(f"{name}_import", not_done=_("Not imported"))
    feedback.summary()
    if not submitted:
        return
    if upload is None:
        st.error(_("Choose a CSV file first."))
        return
    result = feedback.run_import(service, actor=actor, data=upload.getvalue())
    if result is not FAILED:
        flash(done(result))
    st.rerun()


import_form("register", _("Register file"), _("Check and import"), import_register,
            lambda r: _("Imported: {created} new, {updated} updated, {unchanged} unchanged.").format(
                created=r.created, updated=r.updated, unchanged=r.unchanged))

st.subheader(_("Tag Resolutions with global goals"), anchor=False)
st.markdown(_(
    "Upload a CSV file (UTF-8) with the columns `{columns}`, one tag a line: a Resolution code and the code of "
    "a goal, target or programme area, such as `KMGBF-T3` (Target 3 of the Kunming-Montreal Global "
    "Biodiversity Framework), `SDG-14` or `SDG-14.2` (the Sustainable Development Goals and their targets) or "
    "`N2030-OCEANS` (Nature 2030). Tags are added, those already there are kept. Every row is checked first: "
    "if one is wrong, nothing is imported and you get the list of problems."
).format(columns=",".join(goal_tags.CSV_COLUMNS)))
import_form("goal_tags", _("Tags file"), _("Check and import the tags"), goal_tags.import_tags,
            lambda r: _("Tags imported: {created} added to {resolutions} Resolutions, {unchanged} already "
                        "there.").format(created=r.created, resolutions=r.resolutions, unchanged=r.unchanged))

st.subheader(_("Operative paragraphs"), anchor=False)
st.markdown(_(
    "Upload a CSV file (UTF-8) with the columns `{columns}`, one operative paragraph a line: the Resolution's "
    "code, the paragraph's number as printed (such as `1` or `4b`), whom it addresses (such as `Director "
    "General`, `Members` or `States`; may be empty) and its text. For each Resolution in the file, the file "
    "gives all its paragraphs in order: paragraphs with the same number are updated, new ones added, and those "
    "left out deleted (unless reports name them). Every row is checked first: if one is wrong, nothing is "
    "imported and you get the list of problems. They can also be edited one by one on each Resolution's page."
).format(columns=",".join(paragraphs.COLUMNS)))
import_form("paragraphs", _("Paragraphs file"), _("Check and import the paragraphs"), paragraphs.import_paragraphs,
            lambda r: _("Paragraphs imported: {summary}").format(summary=paragraphs.import_summary(r)))

st.subheader(_("Export"), anchor=False)
congresses = readers.congresses()
held = congresses[congresses["resolutions"] > 0]
all_congresses = _("All Congresses")  # made in this run: format_func may be called outside it
choice = st.selectbox(_("Congress"), ["All"] + list(held["code"]),
                      format_func=lambda c: all_congresses if c == "All" else c)
export_engine = engine()


def export_file() -> bytes:
    """Built only when the download is asked for (Streamlit runs it on the click), not on every run."""
    with Session(export_engine) as s:
        return export_register(session=s, actor=actor, congress=None if choice == "All" else choice)


st.download_button(_("Download CSV"), export_file, file_name=f"register-{choice.lower()}.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")
