"""Every mail the app sends goes through here.

- `queue` adds a plain-text mail to the outbox in the caller's transaction: it touches no network, so a
  mail never blocks or undoes the write that caused it, and a write rolled back sends nothing.
- `deliver_pending` hands due mail to the SMTP server of the configuration (RT_SMTP_*), one row per short
  transaction; a failure is retried later with a growing back-off (1, 2, 4 ... minutes, at most an hour).
  Two processes may run it at once: a row is claimed (its next attempt pushed into the future by a
  conditional UPDATE) before it is sent, so only one of them sends it. Once sent, the secret of a
  set-password link is removed from the copy the outbox keeps.
- `outbox` and `message` show the outbox to the administrator ("Sent mail").

Command line (for cron): `python -m services.mail send` delivers what is due once and prints the counts.
"""

import argparse
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

from db.engine import transaction
from db.models import OutboxMail, as_utc, utcnow
from db.settings import Settings, Smtp
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- queueing ---------------------------------------------------------------------------------------

def _outbox_row(to: str, subject: str, body: str) -> OutboxMail:
    address = (to or "").strip()
    _name, parsed = parseaddr(address)
    if not parsed or "@" not in parsed or any(c in address for c in "\r\n") or len(address) > 200:
        raise ValidationFailed([FieldError("to", f"not a mail address: {address[:60]!r}")])
    return OutboxMail(to_address=address, subject=_one_line(subject)[:200], body=body, next_attempt_at=utcnow())


def queue(session: Session, *, to: str, subject: str, body: str) -> OutboxMail:
    """Add a plain-text mail to the outbox, in the caller's transaction. No network is involved."""
    mail = _outbox_row(to, subject, body)
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
    message.set_content(row.body)  # text/plain, utf-8
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
                    body=SECRET_IN_LINK.sub(REDACTED, row.body)))
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
        raise NotFound(f"There is no mail {mail_id}.")
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
