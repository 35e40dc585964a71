"""Sent mail (admin): the outbox, newest first, each mail readable, and a button that sends what waits."""

import pandas as pd
import streamlit as st

from db.settings import load_settings
from services import mail
from services.errors import NotFound
from ui.auth import signed_in_actor
from ui.data import engine, session
from ui.flash import flash, show_flash
from ui.format import plural

actor = signed_in_actor()
settings = load_settings()
st.title(":material/outgoing_mail: Sent mail")
st.caption("Every mail the app sends (set-password links, notices) waits in the outbox until the mail server "
           "takes it; a failed attempt is tried again later, waiting longer each time.")
show_flash()

if not settings.smtp.host:
    if settings.demo_mode:
        st.info("Demo mode, and no mail server is configured: mail is not sent, it is kept here so the demo "
                "works offline. Open a mail below to read it (and use its link).", icon=":material/info:")
    else:
        st.warning("No mail server is configured: mail waits here until RT_SMTP_HOST (and RT_SMTP_PORT, "
                   "RT_SMTP_USER, RT_SMTP_PASSWORD, RT_SMTP_FROM) is set, then goes out.",
                   icon=":material/warning:")


def _send_now() -> None:
    with st.spinner("Sending…"):
        sent, failed = mail.deliver_pending(engine(), settings, limit=50)
    if failed:
        flash(f"{plural(sent, 'mail')} sent, {failed} failed: see the last error of each. They are tried "
              "again later.", icon=":material/warning:")
    else:
        flash(f"{plural(sent, 'mail')} sent." if sent else "No mail was waiting.")


st.button("Send waiting mail now", icon=":material/send:", on_click=_send_now,
          disabled=not settings.smtp.host,
          help=None if settings.smtp.host else "No mail server is configured (RT_SMTP_HOST).")

with session() as s:
    table = mail.outbox(session=s, actor=actor)

if table.empty:
    st.info("No mail yet.", icon=":material/inbox:")
    st.stop()


def _when(value) -> str:
    return "" if value is None or pd.isna(value) else value.strftime("%Y-%m-%d %H:%M UTC")


waiting = int((table["status"] != "sent").sum())
st.caption(f"The newest {plural(len(table), 'mail')}; {waiting:,} not sent yet.")
shown = table.assign(created_at=table["created_at"].map(_when), sent_at=table["sent_at"].map(_when))
st.dataframe(
    shown.drop(columns=["id"]), hide_index=True, width="stretch",
    column_config={"to": "To", "subject": "Subject", "created_at": "Queued", "sent_at": "Sent",
                   "attempts": "Attempts", "last_error": "Last error", "status": "Status"},
)

ids = {f"{r.created_at} · {r.to} · {r.subject} (#{r.id})": int(r.id) for r in shown.itertuples()}
label = st.selectbox("Read a mail", list(ids), index=None, placeholder="Choose a mail")
chosen = ids.get(label)
if chosen is not None:
    try:
        with session() as s:
            one = mail.message(session=s, actor=actor, mail_id=chosen)
    except NotFound as missing:
        st.error(str(missing))
    else:
        with st.container(border=True):
            st.text(f"To: {one['to']}\nSubject: {one['subject']}\nQueued: {_when(one['created_at'])}\n"
                    f"Status: {one['status']}" + (f" ({_when(one['sent_at'])})" if one["sent_at"] else "")
                    + (f"\nLast error: {one['last_error']}" if one["last_error"] else ""))
            st.code(one["body"], language=None, wrap_lines=True)
