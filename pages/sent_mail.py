"""Sent mail (admin): the outbox, newest first, each mail readable, and a button that sends what waits."""

import pandas as pd
import streamlit as st

import locales
from db.settings import load_settings
from locales import N_, _, ngettext
from services import mail
from services.errors import NotFound
from ui.auth import signed_in_actor
from ui.data import engine, session
from ui.flash import flash, show_flash

STATUS = {"sent": N_("sent"), "retrying": N_("retrying"), "waiting": N_("waiting")}  # services.mail's codes

actor = signed_in_actor()
settings = load_settings()
st.title(":material/outgoing_mail: " + _("Sent mail"))
st.caption(_("Every mail the app sends (set-password links, notices) waits in the outbox until the mail server "
             "takes it; a failed attempt is tried again later, waiting longer each time."))
show_flash()

if not settings.smtp.host:
    if settings.demo_mode:
        st.info(_("Demo mode, and no mail server is configured: mail is not sent, it is kept here so the demo "
                  "works offline. Open a mail below to read it (and use its link)."), icon=":material/info:")
    else:
        st.warning(_("No mail server is configured: mail waits here until RT_SMTP_HOST (and RT_SMTP_PORT, "
                     "RT_SMTP_USER, RT_SMTP_PASSWORD, RT_SMTP_FROM) is set, then goes out."),
                   icon=":material/warning:")


def _send_now() -> None:
    with st.spinner(_("Sending…")):
        sent, failed = mail.deliver_pending(engine(), settings, limit=50)
    if failed:
        flash(ngettext("{n} mail sent, {failed} failed: see the last error of each. They are tried again later.",
                       "{n} mails sent, {failed} failed: see the last error of each. They are tried again later.",
                       sent).format(n=locales.format_number(sent), failed=failed), icon=":material/warning:")
    else:
        flash(ngettext("{n} mail sent.", "{n} mails sent.", sent).format(n=locales.format_number(sent)) if sent
              else _("No mail was waiting."))


st.button(_("Send waiting mail now"), icon=":material/send:", on_click=_send_now,
          disabled=not settings.smtp.host,
          help=None if settings.smtp.host else _("No mail server is configured (RT_SMTP_HOST)."))

with session() as s:
    table = mail.outbox(session=s, actor=actor)

if table.empty:
    st.info(_("No mail yet."), icon=":material/inbox:")
    st.stop()


def _when(value) -> str:
    return "" if value is None or pd.isna(value) else value.strftime("%Y-%m-%d %H:%M UTC")


waiting = int((table["status"] != "sent").sum())
st.caption(ngettext("The newest {n} mail; {waiting} not sent yet.", "The newest {n} mails; {waiting} not sent yet.",
                    len(table)).format(n=locales.format_number(len(table)), waiting=locales.format_number(waiting)))
shown = table.assign(created_at=table["created_at"].map(_when), sent_at=table["sent_at"].map(_when),
                     status=table["status"].map(lambda code: _(STATUS.get(code, code))))
st.dataframe(
    shown.drop(columns=["id"]), hide_index=True, width="stretch",
    column_config={"to": _("To"), "subject": _("Subject"), "created_at": _("Queued"), "sent_at": _("Sent"),
                   "attempts": _("Attempts"), "last_error": _("Last error"), "status": _("Status")},
)

ids = {f"{r.created_at} · {r.to} · {r.subject} (#{r.id})": int(r.id) for r in shown.itertuples()}
label = st.selectbox(_("Read a mail"), list(ids), index=None, placeholder=_("Choose a mail"))
chosen = ids.get(label)
if chosen is not None:
    try:
        with session() as s:
            one = mail.message(session=s, actor=actor, mail_id=chosen)
    except NotFound as missing:
        st.error(str(missing))
    else:
        with st.container(border=True):
            status = _(STATUS.get(one["status"], one["status"])) + (
                f" ({_when(one['sent_at'])})" if one["sent_at"] else "")
            head = _("To: {to}\nSubject: {subject}\nQueued: {queued}\nStatus: {status}").format(
                to=one["to"], subject=one["subject"], queued=_when(one["created_at"]), status=status)
            if one["last_error"]:
                head += "\n" + _("Last error: {error}").format(error=one["last_error"])
            st.text(head)
            st.code(one["body"], language=None, wrap_lines=True)
