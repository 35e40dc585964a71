"""Notifications: who is told of which event, in the app (the bell) and by mail as each chose.

Events, each recorded in the transaction of the write that caused it (so a write rolled back tells nobody):
- an Activity Report returned (with the comment): its author;
- an Activity Report cited by a Progress Report published (the first publication that cites it): its author;
- a Progress Report returned to draft (with the comment) or published: its author and the focal points
  assigned to its Resolution;
- a Progress Report entering review: every Secretariat user (those who review: "progress.review").
Whoever acted is not told of their own act; deactivated users are told nothing.

Every notification is shown in the app until read. Its mail follows the recipient's choice for its kind
(services.mail_preferences): off, at once (queued now, in the recipient's language, with the unsubscribe
link of that kind), or in the daily digest (services/digests.py). Texts: services/notification_texts.py.
Links are paths in the app with the page's own query parameters ("report_activity?id=12"); a mail carries
them after RT_PUBLIC_URL, and the app keeps the address through sign-in.

Reading and marking read are the actor's own notifications only. Marking read is not audited: it changes
nothing anyone else sees (like a session's last-seen time).
"""

from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from sqlalchemy import func, update
from sqlmodel import Session, select

from db.models import (
    ActivityReport,
    FocalPointAssignment,
    Notification,
    ProgressReport,
    Resolution,
    User,
    UserRole,
    utcnow,
)
from db.settings import Settings, load_settings
from locales import _
from services import mail, mail_preferences
from services import notification_texts as texts
from services.errors import PermissionDenied
from services.permissions import Actor, require, roles_for

ACTION = "notifications.view"
RECENT = 100  # the list shows this many, newest first
IDS_MAX = 500  # ids one "mark read" may name


def link_to(page: str, **query: object) -> str:
    """A path in the app: the page's URL name and its query parameters ("progress_report?code=...&year=2026")."""
    return page + ("?" + urlencode({k: str(v) for k, v in query.items()}) if query else "")


def absolute(settings: Settings, link: str) -> str:
    return f"{settings.public_url.rstrip('/')}/{link.lstrip('/')}"


# -- the mails ------------------------------------------------------------------------------------------

def _paragraphs_html(text: str) -> str:
    """Plain text as HTML paragraphs, every character escaped, line breaks kept."""
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n") if p.strip())


def mail_parts(user: User, items: list[tuple[str, str, str]], settings: Settings,
               intro: str | None = None) -> tuple[str, str]:
    """The (plain, html) body of a mail to `user` telling of `items` (title, body, link), in their language."""
    language = user.language
    hello = texts.word("hello", language, name=user.display_name)
    plain = [hello]
    html = [f"<p>{escape(hello)}</p>"]
    if intro:
        plain.append(intro)
        html.append(f"<p>{escape(intro)}</p>")
    many = len(items) > 1 or intro is not None  # a digest names each item; a single mail's subject does
    for title, body, link in items:
        url = absolute(settings, link)
        plain.append((f"* {title}\n\n" if many else "") + body + "\n\n" + texts.word("open", language, link=url))
        html.append((f"<h3>{escape(title)}</h3>" if many else "") + _paragraphs_html(body)
                    + f'<p><a href="{escape(url, quote=True)}">{escape(texts.word("open_label", language))}</a></p>')
    plain.append(f"— {settings.product_name}")
    html.append(f"<p>— {escape(settings.product_name)}</p>")
    return "\n\n".join(plain) + "\n", "<!DOCTYPE html>\n<html><body>\n" + "\n".join(html) + "\n</body></html>\n"


def _mail_now(session: Session, user: User, row: Notification, settings: Settings) -> None:
    plain, html = mail_parts(user, [(row.title, row.body, row.link)], settings)
    mail.queue(session, to=user.email, subject=row.title, body=plain, html=html, unsubscribe_kind=row.kind,
               user_id=user.id, settings=settings)
    row.mailed_at = utcnow()


# -- telling ---------------------------------------------------------------------------------------------

def notify(session: Session, *, user_id: int, kind: str, values: dict, link: str,
           settings: Settings | None = None) -> Notification | None:
    """Tell one user of an event, in the caller's transaction: the notification in their language, and its
    mail now, later (daily digest) or never, as they chose. None when the user is gone or deactivated."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    title, body = texts.event(kind, user.language, **values)
    delivery = mail_preferences.delivery(session, user.id, kind)
    row = Notification(user_id=user.id, kind=kind, title=" ".join(title.split())[:300], body=body,
                       link=link[:500], delivery=delivery)
    if delivery == "immediate" and user.email:
        _mail_now(session, user, row, settings or load_settings())
    session.add(row)
    session.flush()
    return row


def _tell(session: Session, actor: Actor, user_ids: Iterable[int], kind: str, values: dict, link: str) -> int:
    settings = load_settings()
    told = 0
    for user_id in sorted(set(user_ids) - {actor.id}):
        told += notify(session, user_id=user_id, kind=kind, values=values, link=link, settings=settings) is not None
    return told


def activity_returned(session: Session, *, actor: Actor, report_id: int, author_id: int, title: str,
                      comment: str) -> int:
    values = {"by": actor.display_name, "title": title, "comment": comment}
    return _tell(session, actor, [author_id], "activity_returned", values, link_to("report_activity", id=report_id))


def activity_cited(session: Session, *, actor: Actor, report_ids: Iterable[int], code: str, year: int) -> int:
    """Tell the authors of these Activity Reports that the Progress Report on `code` for `year`, published,
    cites them. The link opens the Resolution's page, where everyone reads the published report."""
    ids = list(report_ids)
    if not ids:
        return 0
    told = 0
    for author_id, title in session.exec(select(ActivityReport.author_id, ActivityReport.title)
                                         .where(ActivityReport.id.in_(ids)).order_by(ActivityReport.id)):
        told += _tell(session, actor, [author_id], "activity_cited", {"title": title, "code": code, "year": year},
                      link_to("resolution", code=code))
    return told


def _focal_points(session: Session, report: ProgressReport) -> set[int]:
    """The report's author and the focal points assigned to its Resolution."""
    assigned = session.exec(select(FocalPointAssignment.user_id)
                            .where(FocalPointAssignment.resolution_id == report.resolution_id)).all()
    return {report.author_id, *assigned}


def _progress_values(session: Session, actor: Actor, report: ProgressReport) -> tuple[dict, str]:
    code = session.get(Resolution, report.resolution_id).code
    return {"by": actor.display_name, "code": code, "year": report.year}, link_to("progress_report", code=code,
                                                                                  year=report.year)


def progress_returned(session: Session, *, actor: Actor, report: ProgressReport, comment: str) -> int:
    values, link = _progress_values(session, actor, report)
    return _tell(session, actor, _focal_points(session, report), "progress_returned", values | {"comment": comment},
                 link)


def progress_published(session: Session, *, actor: Actor, report: ProgressReport) -> int:
    values, link = _progress_values(session, actor, report)
    return _tell(session, actor, _focal_points(session, report), "progress_published", values, link)


def progress_in_review(session: Session, *, actor: Actor, report: ProgressReport) -> int:
    values, link = _progress_values(session, actor, report)
    reviewers = session.exec(select(UserRole.user_id).where(UserRole.role.in_(roles_for("progress.review")))).all()
    return _tell(session, actor, reviewers, "progress_in_review", values, link)


# -- reading and marking read ----------------------------------------------------------------------------

def unread_count(*, session: Session, actor: Actor) -> int:
    """The bell: one indexed count."""
    return session.exec(select(func.count()).select_from(Notification)
                        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))).one()


def recent(*, session: Session, actor: Actor, limit: int = RECENT) -> list[dict]:
    """The actor's notifications, newest first: id, kind, title, body, link, created_at, read (bool)."""
    require(actor, ACTION)
    rows = session.exec(select(Notification).where(Notification.user_id == actor.id)
                        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)).all()
    return [{"id": r.id, "kind": r.kind, "title": r.title, "body": r.body, "link": r.link,
             "created_at": r.created_at, "read": r.read_at is not None} for r in rows]


def mark_read(*, session: Session, actor: Actor, ids: Iterable[int]) -> int:
    """Mark some of one's own notifications read; naming another user's is refused. Returns how many changed."""
    require(actor, ACTION)
    wanted = sorted({int(i) for i in ids})[:IDS_MAX]
    if not wanted:
        return 0
    mine = set(session.exec(select(Notification.id).where(Notification.id.in_(wanted),
                                                          Notification.user_id == actor.id)).all())
    if mine != set(wanted):
        raise PermissionDenied(_("You may mark only your own notifications as read."))
    return session.execute(update(Notification).where(Notification.id.in_(wanted), Notification.read_at.is_(None))
                           .values(read_at=utcnow())).rowcount


def mark_all_read(*, session: Session, actor: Actor) -> int:
    require(actor, ACTION)
    return session.execute(update(Notification)
                           .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
                           .values(read_at=utcnow())).rowcount
