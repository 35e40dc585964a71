"""Notifications (every role): what happened to one's reports and what waits for one, newest first; open
each, mark it read, or mark all read. Which mail one receives is chosen on My account."""

import streamlit as st

import locales
from locales import _, ngettext
from services import notifications
from ui import bell
from ui.auth import signed_in_actor
from ui.data import session
from ui.flash import flash, show_flash
from ui.format import escape_md, fmt_date
from ui.write import FAILED, Feedback

actor = signed_in_actor()
st.title(":material/notifications: " + _("Notifications"))
st.caption(_("What happened to your reports and what waits for you. Which of these also come by mail, at once "
             "or in a daily digest, you choose on My account."))
show_flash()

with session() as s:
    items = notifications.recent(session=s, actor=actor)
unread = [item for item in items if not item["read"]]
feedback = Feedback("notifications")
feedback.summary()

left, right = st.columns([3, 1])
left.markdown("**" + ngettext("{n} unread notification", "{n} unread notifications", len(unread)).format(
    n=locales.format_number(len(unread))) + "**" if unread else _("Nothing unread."))
if right.button(_("Mark all as read"), icon=":material/done_all:", disabled=not unread, key="notifications_all"):
    done = feedback.run(notifications.mark_all_read, actor=actor)
    if done is not FAILED:
        flash(ngettext("Marked {n} notification as read.", "Marked {n} notifications as read.", done).format(
            n=locales.format_number(done)))
    st.rerun()

if not items:
    st.info(_("No notifications yet. You are told here when a report of yours is returned, cited or published, "
              "and, for the Secretariat, when a Progress Report enters review."), icon=":material/notifications_off:")

for item in items:
    with st.container(border=True):
        text, actions = st.columns([5, 1])
        title = escape_md(item["title"])
        new = _("New")  # outside the f-string: Babel does not read inside one
        text.markdown(f":blue-badge[{new}] **{title}**" if not item["read"] else title)
        text.caption(fmt_date(item["created_at"]))
        # user text (a comment, a title): every character literal, line breaks kept
        text.markdown("  \n".join(escape_md(line) for line in item["body"].splitlines()))
        where = bell.target(actor, item["link"])
        if where and actions.button(_("Open"), key=f"open_{item['id']}", icon=":material/open_in_new:", type="primary"):
            if item["read"] or feedback.run(notifications.mark_read, actor=actor, ids=[item["id"]]) is not FAILED:
                st.switch_page(where[0], query_params=where[1])
            st.rerun()
        if not item["read"] and actions.button(_("Mark read"), key=f"read_{item['id']}", icon=":material/done:"):
            feedback.run(notifications.mark_read, actor=actor, ids=[item["id"]])
            st.rerun()
if len(items) == notifications.RECENT:
    st.caption(_("The {n} newest are shown.").format(n=notifications.RECENT))
