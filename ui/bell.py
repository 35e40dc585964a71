"""The bell in the sidebar: the signed-in user's unread notifications (one indexed count per run), linking to
the Notifications page; and how a notification's link (a path in the app, services/notifications.py) opens
its page."""

import re
from urllib.parse import parse_qsl, urlsplit

import streamlit as st

import locales
from locales import _
from services import notifications
from services.permissions import Actor
from ui.data import session
from ui.navigation import may_open

PAGE = "pages/notifications.py"
_PAGE_NAME = re.compile(r"[a-z_]{1,40}")


def show(actor: Actor) -> int:
    """Draw the bell; returns the unread count."""
    with session() as s:
        unread = notifications.unread_count(session=s, actor=actor)
    label = (_("Notifications · {n} unread").format(n=locales.format_number(unread)) if unread
             else _("Notifications"))
    st.page_link(PAGE, label=label, icon=":material/notifications_active:" if unread else ":material/notifications:",
                 help=_("What happened to your reports, and what waits for you."))
    return unread


def target(actor: Actor, link: str) -> tuple[str, dict[str, str]] | None:
    """The page file and query parameters a notification's link opens, or None when the actor may not open
    that page (any more) or the link is not one of the app's own."""
    parts = urlsplit(link or "")
    name = parts.path.strip("/")
    if parts.scheme or parts.netloc or not _PAGE_NAME.fullmatch(name):
        return None
    page = f"pages/{name}.py"
    if not may_open(actor, page):
        return None
    return page, dict(parse_qsl(parts.query))
