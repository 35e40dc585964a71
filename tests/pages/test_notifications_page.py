"""The bell and the Notifications page (every role), driven with AppTest on a copy of the demo data."""

import pytest
from sqlmodel import Session, select

from db.engine import make_engine, transaction
from db.models import ActivityReport, Notification, User
from services import notifications
from tests.pages.apptest import PASSWORDS, open_page
from ui.format import escape_md

PAGE = "pages/notifications.py"
HOSTILE = "**Bold** <img src=x onerror=alert(1)> [link](javascript:alert(1))"


def user_id(app_db, username: str) -> int:
    with Session(make_engine(app_db)) as s:
        return s.exec(select(User.id).where(User.username == username)).one()


def tell(app_db, username: str, code: str, link: str, kind: str = "progress_published",
         comment: str = "C") -> None:
    with transaction(make_engine(app_db)) as s:
        notifications.notify(s, user_id=user_id(app_db, username), kind=kind,
                             values={"by": "Sam Secretariat", "code": code, "year": 2026, "title": "T",
                                     "comment": comment},
                             link=link)


def unread(app_db, username: str) -> int:
    with Session(make_engine(app_db)) as s:
        return len(s.exec(select(Notification.id).where(Notification.user_id == user_id(app_db, username),
                                                        Notification.read_at.is_(None))).all())


def bell(at) -> str:
    (link,) = [link for link in at.sidebar.get("page_link") if link.proto.label.startswith("Notifications")]
    return link.proto.label


def button(at, key: str):
    return at.button(key=key)


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_role_sees_its_bell_and_list_and_marks_read(app_db, user):
    tell(app_db, user, "WCC-2020-Res-001", "resolution?code=WCC-2020-Res-001")
    tell(app_db, user, "WCC-2020-Res-002", "resolution?code=WCC-2020-Res-002")
    tell(app_db, "admin" if user != "admin" else "leader", "WCC-2020-Res-003", "resolution?code=x")  # not theirs
    at = open_page(PAGE, user)
    assert not at.exception
    assert bell(at) == "Notifications · 2 unread"
    assert "**2 unread notifications**" in markdown(at)
    titles = [m for m in markdown(at) if "Progress Report on" in m and "published" in m and "Sam" not in m]
    # newest first, unread marked
    title = "The Progress Report on WCC-2020-Res-00{} (2026) is published"
    assert titles == [f":blue-badge[New] **{escape_md(title.format(n))}**" for n in (2, 1)]
    assert not any("Res-003" in m for m in markdown(at))

    with Session(make_engine(app_db)) as s:
        ids = s.exec(select(Notification.id).where(Notification.user_id == user_id(app_db, user))
                     .order_by(Notification.id)).all()
    button(at, f"read_{ids[1]}").click().run()
    assert not at.exception
    assert unread(app_db, user) == 1 and bell(at) == "Notifications · 1 unread"
    assert f"read_{ids[1]}" not in [b.key for b in at.button]

    button(at, "notifications_all").click().run()
    assert not at.exception
    assert unread(app_db, user) == 0 and bell(at) == "Notifications"
    assert "Marked 1 notification as read." in [m.value for m in at.success]
    assert "Nothing unread." in markdown(at)
    assert button(at, "notifications_all").disabled
    other = "admin" if user != "admin" else "leader"
    assert unread(app_db, other) == 1  # someone else's stays unread


def test_open_marks_read_and_goes_to_the_report(app_db):
    with Session(make_engine(app_db)) as s:
        report = s.exec(select(ActivityReport).join(User, User.id == ActivityReport.author_id)
                        .where(User.username == "reporter").order_by(ActivityReport.id)).first()
    tell(app_db, "reporter", "x", f"report_activity?id={report.id}", kind="activity_returned", comment=HOSTILE)
    at = open_page(PAGE, "reporter")
    (note_id,) = [int(b.key.split("_")[1]) for b in at.button if b.key and b.key.startswith("open_")]
    body = next(m for m in markdown(at) if "with this comment" in m)
    assert escape_md(HOSTILE) in body  # user text shown literally: no bold, image or link
    button(at, f"open_{note_id}").click().run()
    assert not at.exception
    assert unread(app_db, "reporter") == 0
    assert at.query_params["id"] == str(report.id)
    assert any(report.title in t.value or "activity" in t.value.lower() for t in at.title)


def test_a_link_to_a_page_one_may_not_open_has_no_open_button(app_db):
    tell(app_db, "leader", "x", "review_queue")  # leadership does not review
    tell(app_db, "leader", "y", "https://evil.example.org/resolution?code=x")  # not one of the app's links
    at = open_page(PAGE, "leader")
    assert not at.exception
    assert not [b for b in at.button if b.key and b.key.startswith("open_")]
    assert len([b for b in at.button if b.key and b.key.startswith("read_")]) == 2


def test_no_notifications_says_so(app_db):
    at = open_page(PAGE, "focal")
    assert not at.exception
    assert bell(at) == "Notifications" and "Nothing unread." in markdown(at)
    assert any("No notifications yet" in i.value for i in at.info)


def test_signed_out_the_page_shows_nothing_of_anyone(app_db):
    tell(app_db, "reporter", "WCC-2020-Res-001", "resolution?code=WCC-2020-Res-001")
    at = open_page(PAGE, None)
    assert not at.exception
    assert "actor" not in at.session_state
    assert not any("Notifications" in t.value for t in at.title)
    assert not any("Progress Report on" in m for m in markdown(at))
    assert not [link for link in at.sidebar.get("page_link") if link.proto.label.startswith("Notifications")]
