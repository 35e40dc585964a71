"""Register import and export (Secretariat, admin): all-or-nothing CSV import with every bad row listed."""

import streamlit as st
from sqlmodel import Session

from locales import _
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
with st.form("import", clear_on_submit=False):
    upload = st.file_uploader(_("Register file"), type=["csv"])
    submitted = st.form_submit_button(_("Check and import"), type="primary", icon=":material/upload:")
importing = Feedback("register_import", not_done=_("Not imported"))
importing.summary()
if submitted:
    if upload is None:
        st.error(_("Choose a CSV file first."))
    else:
        result = importing.run_import(import_register, actor=actor, data=upload.getvalue())
        if result is not FAILED:
            flash(_("Imported: {created} new, {updated} updated, {unchanged} unchanged.").format(
                created=result.created, updated=result.updated, unchanged=result.unchanged))
        st.rerun()

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
