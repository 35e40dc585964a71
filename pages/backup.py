"""Backup (admin): download a fresh archive of the whole database, see when the last one was made, and what
is running (the app's version, the schema revision). Restoring is a command-line job (README: Operations)."""

from datetime import UTC, datetime

import streamlit as st

import locales
from locales import _
from services import backup
from ui.auth import signed_in_actor
from ui.data import engine, session

actor = signed_in_actor()
st.title(":material/backup: " + _("Backup"))
st.caption(_("One archive holds every table of the database, with the schema revision and a checksum per file. "
             "It restores into an empty SQLite or PostgreSQL database, which is also how the data move from one "
             "to the other."))

with session() as s:
    about = backup.about(session=s)
    last = backup.last_backup(session=s, actor=actor)

left, middle, right = st.columns(3)
left.metric(_("App version"), about["app_version"])
middle.metric(_("Schema revision"), about["schema_revision"] or _("none"))
right.metric(_("Database"), "PostgreSQL" if about["database"] == "postgresql" else "SQLite")
if about["schema_revision"] != about["newest_revision"]:
    st.warning(_("The database is at schema revision {revision}; this version of the app expects {expected}.").format(
        revision=about["schema_revision"], expected=about["newest_revision"]), icon=":material/warning:")

if last is None:
    st.info(_("No backup has been made yet."), icon=":material/info:")
else:
    size = (_("{size} MB").format(size=locales.format_decimal(last["bytes"] / 1_000_000, digits=1)) if last["bytes"]
            else _("size unknown"))
    st.text(_("Last backup: {at} UTC by {by} ({rows} rows in {tables} tables, {size}).").format(
        at=f"{last['at']:%Y-%m-%d %H:%M}", by=last["by"], rows=locales.format_number(last["rows"] or 0),
        tables=last["tables"] or 0, size=size))

archive_engine = engine()  # the callable runs outside this script run: it takes what it needs with it
st.download_button(
    _("Download a backup"), icon=":material/download:", type="primary", mime="application/zip",
    file_name=backup.file_name(datetime.now(UTC)), on_click="ignore",
    data=lambda: backup.make_archive(engine=archive_engine, actor=actor),  # made when clicked, not now
    help=_("Made when you click: a consistent copy of every table at that moment."),
)

st.subheader(_("Restore"), divider="gray")
st.markdown(_("Restoring replaces a whole database, so it is done on the command line, on the database named by "
              "`DATABASE_URL` (empty, or with `--replace`):"))
st.code("python -m db.backup restore resolutions-tracker-backup.zip", language="bash")
