"""Backup (admin): download a fresh archive of the whole database, see when the last one was made, and what
is running (the app's version, the schema revision). Restoring is a command-line job (README: Operations)."""

from datetime import UTC, datetime

import streamlit as st

from services import backup
from ui.auth import signed_in_actor
from ui.data import engine, session

actor = signed_in_actor()
st.title(":material/backup: Backup")
st.caption("One archive holds every table of the database, with the schema revision and a checksum per file. "
           "It restores into an empty SQLite or PostgreSQL database, which is also how the data move from one "
           "to the other.")

with session() as s:
    about = backup.about(session=s)
    last = backup.last_backup(session=s, actor=actor)

left, middle, right = st.columns(3)
left.metric("App version", about["app_version"])
middle.metric("Schema revision", about["schema_revision"] or "none")
right.metric("Database", "PostgreSQL" if about["database"] == "postgresql" else "SQLite")
if about["schema_revision"] != about["newest_revision"]:
    st.warning(f"The database is at schema revision {about['schema_revision']}; this version of the app expects "
               f"{about['newest_revision']}.", icon=":material/warning:")

if last is None:
    st.info("No backup has been made yet.", icon=":material/info:")
else:
    size = f"{last['bytes'] / 1_000_000:,.1f} MB" if last["bytes"] else "size unknown"
    st.text(f"Last backup: {last['at']:%Y-%m-%d %H:%M} UTC by {last['by']} "
            f"({last['rows'] or 0:,} rows in {last['tables'] or 0} tables, {size}).")

archive_engine = engine()  # the callable runs outside this script run: it takes what it needs with it
st.download_button(
    "Download a backup", icon=":material/download:", type="primary", mime="application/zip",
    file_name=backup.file_name(datetime.now(UTC)), on_click="ignore",
    data=lambda: backup.make_archive(engine=archive_engine, actor=actor),  # made when clicked, not now
    help="Made when you click: a consistent copy of every table at that moment.",
)

st.subheader("Restore", divider="gray")
st.markdown("Restoring replaces a whole database, so it is done on the command line, on the database named by "
            "`DATABASE_URL` (empty, or with `--replace`):")
st.code("python -m db.backup restore resolutions-tracker-backup.zip", language="bash")
