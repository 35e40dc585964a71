"""Every mail the app sends goes through here.

- `queue` adds a mail to the outbox in the caller's transaction: it touches no network, so a mail never
  blocks or undoes the write that caused it, and a write rolled back sends nothing. A mail of an optional
  kind (`unsubscribe_kind`: reminders, notifications, digests) has a plain text part and an HTML part (built
  from the escaped text unless the caller gives one, user text in it escaped), both ending with an
  unsubscribe link in the recipient's language, and the List-Unsubscribe header. Account mail (set-password
  links, access requests) stays plain text, unless the caller gives an HTML part.
- `deliver_pending` hands due mail to the SMTP server of the configuration (RT_SMTP_*), one row per short
  transaction; a failure is retried later with a growing back-off (1, 2, 4 ... minutes, at most an hour).
  Two processes may run it at once: a row is claimed (its next attempt pushed into the future by a
  conditional UPDATE) before it is sent, so only one of them sends it. Once sent, the secret of a
  set-password link is removed from the copy the outbox keeps.
- `outbox` and `message` show the outbox to the administrator ("Sent mail").

Command line (for cron): `python -m services.mail send` delivers what is due once and prints the counts.
"""

import argparse
import html as html_lib
import re
import smtplib
import sys
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import pandas as pd
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import locales
from db.engine import transaction
from db.models import OutboxMail, User, as_utc, utcnow
from db.settings import Settings, Smtp, load_settings
from locales import N_, _
from services import mail_preferences
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require

TIMEOUT_SECONDS = 10
CLAIM_FOR = timedelta(minutes=5)  # a claimed row is left alone this long by other senders
MAX_BACKOFF = timedelta(hours=1)
# Once a mail is sent, the secret of a set-password link is removed from the copy kept in the outbox, so the
# table (or a look at "Sent mail") gives nobody a working link.
SECRET_IN_LINK = re.compile(r"(\?set_password=)[A-Za-z0-9_\-]+")
REDACTED = r"\1(removed once sent)"
OUTBOX_COLUMNS = ["id", "to", "subject", "created_at", "sent_at", "attempts", "last_error", "status"]
# A link in escaped text: it ends where an escaped <, >, " or ' begins.
LINK = re.compile(r"https?://(?:(?!&lt;|&gt;|&quot;|&#x27;)[^\s<>\"'])+")
# The last lines of an optional mail, translated in the recipient's language (locales).
UNSUBSCRIBE_LINE = N_("You receive this mail because of your choices in the Resolutions Tracker. Stop these mails:")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- queueing ---------------------------------------------------------------------------------------

def html_from_text(text: str) -> str:
    """The HTML part of a plain-text mail: every character escaped, paragraphs kept, links clickable."""
    def paragraph(block: str) -> str:
        escaped = html_lib.escape(block)  # links are found in the escaped text, so their href is escaped too
        return "<p>" + LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped).replace(
            "\n", "<br>\n") + "</p>"

    blocks = [b for b in re.split(r"\n\s*\n", text.strip("\n")) if b.strip()]
    return "<!DOCTYPE html>\n<html><body>\n" + "\n".join(paragraph(b) for b in blocks) + "\n</body></html>\n"


def _with_unsubscribe(body: str, html: str, link: str, language: str) -> tuple[str, str]:
    with locales.use(language):
        line = _(UNSUBSCRIBE_LINE)
    text = f"{body.rstrip()}\n\n-- \n{line}\n{link}\n"
    footer = (f'<hr>\n<p style="font-size:small">{html_lib.escape(line)} '
              f'<a href="{html_lib.escape(link)}">{html_lib.escape(link)}</a></p>\n')
    closing = html.rfind("</body>")
    html = html[:closing] + footer + html[closing:] if closing >= 0 else html + footer
    return text, html


def _outbox_row(to: str, subject: str, body: str, html: str | None = None,
                unsubscribe_url: str | None = None) -> OutboxMail:
    address = (to or "").strip()
    _name, parsed = parseaddr(address)
    if not parsed or "@" not in parsed or any(c in address for c in "\r\n") or len(address) > 200:
        message = _("not a mail address: {address}").format(address=repr(address[:60]))
        raise ValidationFailed([FieldError("to", message)])
    return OutboxMail(to_address=address, subject=_one_line(subject)[:200], body=body,
                      html_body=html,
                      unsubscribe_url=unsubscribe_url, next_attempt_at=utcnow())


def queue(session: Session, *, to: str, subject: str, body: str, html: str | None = None,
          unsubscribe_kind: str | None = None, user_id: int | None = None,
          settings: Settings | None = None) -> OutboxMail:
    """Add a mail to the outbox, in the caller's transaction. No network is involved.

    `html`: the HTML part, user text in it already escaped (none: plain text only, but see below).
    `unsubscribe_kind` (a db/vocab.MAIL_KINDS kind, with the recipient's `user_id`): the mail has an HTML part
    (built from `body`, escaped, when not given), both parts end with that user's unsubscribe link in their
    language, and the List-Unsubscribe header names it. `settings`: for the link (the public address, the
    signing key); read from the environment when not given."""
    link = None
    if unsubscribe_kind is not None:
        html = html if html is not None else html_from_text(body)
        if user_id is None:
            raise ValueError("an unsubscribe link needs the recipient's user_id")
        link = mail_preferences.unsubscribe_link(settings or load_settings(), user_id, unsubscribe_kind)
        user = session.get(User, user_id)
        body, html = _with_unsubscribe(body, html, link, user.language if user else "en")
    mail = _outbox_row(to, subject, body, html, link)
    session.add(mail)
    session.flush()
    return mail


def queue_many(session: Session, mails: list[tuple[str, str, str]]) -> None:
    """Add many (to, subject, body) mails at once (an import of 2,000 users): one INSERT, not 2,000."""
    session.add_all([_outbox_row(*m) for m in mails])


# -- delivery ---------------------------------------------------------------------------------------

def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 6)), MAX_BACKOFF)


def _message(row: OutboxMail, smtp: Smtp) -> EmailMessage:
    message = EmailMessage()
    message["From"] = smtp.sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Date"] = formatdate(localtime=False)
    domain = parseaddr(smtp.sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    if row.unsubscribe_url:  # one click for mail clients (RFC 8058); the text's link asks first
        message["List-Unsubscribe"] = f"<{mail_preferences.one_click_link(row.unsubscribe_url)}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.body)  # text/plain, utf-8
    if row.html_body:  # rows queued before the HTML part existed have none
        message.add_alternative(row.html_body, subtype="html")
    return message


def _send(message: EmailMessage, smtp: Smtp) -> None:
    with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS) as client:
        client.ehlo()
        if smtp.starttls:
            client.starttls()
            client.ehlo()
        if smtp.user:
            client.login(smtp.user, smtp.password or "")
        client.send_message(message)


def _error_text(error: Exception, smtp: Smtp) -> str:
    """A short description of what went wrong, without the password (or the user name) in it."""
    text = f"{type(error).__name__}: {error}"
    for secret in (smtp.password, smtp.user):
        if secret:
            text = text.replace(secret, "***")
    return _one_line(text)[:300]


def _claim(engine: Engine, mail_id: int) -> OutboxMail | None:
    """Take one due row for this process (None when another one took it first, or it is no longer due)."""
    now = utcnow()
    with transaction(engine) as s:
        claimed = s.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= now)
            .values(next_attempt_at=now + CLAIM_FOR)
        ).rowcount
        if claimed != 1:
            return None
        row = s.get(OutboxMail, mail_id)
        s.expunge(row)
        return row


def deliver_pending(engine: Engine, settings: Settings, *, limit: int = 100) -> tuple[int, int]:
    """Send what is due; returns (sent, failed). With no SMTP host configured nothing is sent."""
    smtp = settings.smtp
    if not smtp.host:
        return 0, 0
    with Session(engine) as s:
        due = s.exec(
            select(OutboxMail.id)
            .where(OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= utcnow())
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(limit)
        ).all()
    sent = failed = 0
    for mail_id in due:
        row = _claim(engine, mail_id)
        if row is None:
            continue
        try:
            _send(_message(row, smtp), smtp)
        except (OSError, smtplib.SMTPException, ValueError, UnicodeError) as error:
            failed += 1
            attempts = row.attempts + 1
            with transaction(engine) as s:
                s.execute(update(OutboxMail).where(OutboxMail.id == mail_id).values(
                    attempts=attempts, last_error=_error_text(error, smtp),
                    next_attempt_at=utcnow() + backoff(attempts)))
        else:
            sent += 1
            with transaction(engine) as s:
                s.execute(update(OutboxMail).where(OutboxMail.id == mail_id).values(
                    sent_at=utcnow(), attempts=row.attempts + 1, last_error=None,
                    body=SECRET_IN_LINK.sub(REDACTED, row.body),
                    html_body=SECRET_IN_LINK.sub(REDACTED, row.html_body) if row.html_body else None))
    return sent, failed


# -- the administrator's view -----------------------------------------------------------------------

def _status(row: OutboxMail) -> str:
    if row.sent_at is not None:
        return "sent"
    return "retrying" if row.attempts else "waiting"


def outbox(*, session: Session, actor: Actor | None, limit: int = 200) -> pd.DataFrame:
    """The newest mails first: to, subject, created_at, sent_at, attempts, last_error, status."""
    require(actor, "mail.view")
    rows = session.exec(
        select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc()).limit(limit)
    ).all()
    return pd.DataFrame(
        [{"id": r.id, "to": r.to_address, "subject": r.subject, "created_at": as_utc(r.created_at),
          "sent_at": as_utc(r.sent_at), "attempts": r.attempts, "last_error": r.last_error,
          "status": _status(r)} for r in rows],
        columns=OUTBOX_COLUMNS,
    )


def message(*, session: Session, actor: Actor | None, mail_id: int) -> dict:
    """One mail with its body."""
    require(actor, "mail.view")
    row = session.get(OutboxMail, mail_id)
    if row is None:
        raise NotFound(_("There is no mail {id}.").format(id=mail_id))
    return {"id": row.id, "to": row.to_address, "subject": row.subject, "body": row.body,
            "created_at": as_utc(row.created_at), "sent_at": as_utc(row.sent_at),
            "attempts": row.attempts, "last_error": row.last_error,
            "next_attempt_at": as_utc(row.next_attempt_at), "status": _status(row)}


# -- command line -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.mail", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    send = commands.add_parser("send", help="deliver the mail that is due, once (for cron)")
    send.add_argument("--limit", type=int, default=100)
    args = parser.parse_args(argv)

    from db.engine import make_engine
    from db.settings import load_settings

    settings = load_settings()
    if not settings.smtp.host:
        print("RT_SMTP_HOST is not set: mail waits in the outbox.", file=sys.stderr)
    engine = make_engine(settings.database_url)
    sent, failed = deliver_pending(engine, settings, limit=args.limit)
    print(f"sent {sent}, failed {failed}")
    return 1 if failed and not sent else 0


if __name__ == "__main__":
    sys.exit(main())
