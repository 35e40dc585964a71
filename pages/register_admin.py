"""Register import and export (Secretariat, admin): all-or-nothing CSV import with every bad row listed."""

import streamlit as st
from sqlmodel import Session

from services.errors import PermissionDenied, ValidationFailed
from services.register_file import COLUMNS, export_register, import_register
from ui import readers
from ui.auth import signed_in_actor
from ui.data import data_version, engine
from ui.import_problems import show_import_problems

actor = signed_in_actor()
st.title(":material/upload_file: Register import and export")

st.subheader("Import", anchor=False)
st.markdown(
    "Upload a CSV file (UTF-8) with the columns, in this order: `" + ",".join(COLUMNS) + "`. "
    "`congress` is a Congress code such as `WCC-2020`; `themes` is a `;`-separated list; `status` is "
    "`active` or `archived`, with `archived_on` as YYYY-MM-DD. Every row is checked first: if one is "
    "wrong, nothing is imported and you get the list of problems. Existing codes are updated."
)
with st.form("import", clear_on_submit=False):
    upload = st.file_uploader("Register file", type=["csv"])
    submitted = st.form_submit_button("Check and import", type="primary", icon=":material/upload:")
if submitted:
    if upload is None:
        st.error("Choose a CSV file first.")
    else:
        try:
            result = import_register(engine=engine(), actor=actor, data=upload.getvalue())
        except ValidationFailed as failed:
            show_import_problems(failed)
        except PermissionDenied as denied:
            st.error(str(denied))
        else:
            st.success(f"Imported: {result.created} new, {result.updated} updated, "
                       f"{result.unchanged} unchanged.", icon=":material/check_circle:")

st.subheader("Export", anchor=False)
congresses = readers.congresses(data_version())
held = congresses[congresses["resolutions"] > 0]
choice = st.selectbox("Congress", ["All"] + list(held["code"]),
                      format_func=lambda c: "All Congresses" if c == "All" else c)
export_engine = engine()


def export_file() -> bytes:
    """Built only when the download is asked for (Streamlit runs it on the click), not on every run."""
    with Session(export_engine) as s:
        return export_register(session=s, actor=actor, congress=None if choice == "All" else choice)


st.download_button("Download CSV", export_file, file_name=f"register-{choice.lower()}.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")
