"""Mail choices per user and kind, the signed unsubscribe link, and the mail parts it adds, on both databases."""

import pytest
from sqlmodel import Session, select

from db.engine import transaction
from db.models import AuditEvent, MailPreference, OutboxMail
from db.settings import Settings, Smtp
from services import mail, mail_preferences
from services.errors import PermissionDenied, ValidationFailed
from tests import factories as f
from tests.e2e import smtp

smtp_server = smtp.smtp_server

SETTINGS = Settings(database_url="", demo_mode=True, cookie_key="k" * 20, public_url="https://tracker.example.org")


@pytest.fixture
def people(engine):
    with transaction(engine) as s:
        return {name: f.user(s, name, roles=roles).id for name, roles in
                (("ana", ("reporter",)), ("sec", ("secretariat",)), ("boss", ("leadership",)), ("root", ("admin",)),
                 ("focal", ("focal_point",)))}


def actor(engine, user_id):
    with Session(engine) as s:
        return f.actor(s, s.get(f.User, user_id))


def delivery(engine, user_id, kind):
    with Session(engine) as s:
        return mail_preferences.delivery(s, user_id, kind)


def test_defaults_without_a_choice(engine, people):
    assert delivery(engine, people["ana"], "reminders") == "immediate"
    assert delivery(engine, people["ana"], "activity_returned") == "immediate"
    # The weekly digest: on for the Secretariat and leadership only.
    assert delivery(engine, people["sec"], "weekly_digest") == "immediate"
    assert delivery(engine, people["boss"], "weekly_digest") == "immediate"
    assert delivery(engine, people["ana"], "weekly_digest") == "off"
    assert delivery(engine, people["focal"], "weekly_digest") == "off"
    with Session(engine) as s:
        assert set(mail_preferences.preferences(s, people["sec"])) == set(mail_preferences.vocab.MAIL_KINDS)
    with pytest.raises(ValueError), Session(engine) as s:
        mail_preferences.delivery(s, people["ana"], "spam")


def test_set_delivery_own_account_or_the_administrator_with_an_audit_event(engine, people):
    ana = actor(engine, people["ana"])
    mail_preferences.set_delivery(engine, ana, people["ana"], "reminders", "off")
    assert delivery(engine, people["ana"], "reminders") == "off"
    with transaction(engine) as s:
        mail_preferences.set_delivery(s, ana, people["ana"], "reminders", "digest")
    assert delivery(engine, people["ana"], "reminders") == "digest"
    with Session(engine) as s:
        events = s.exec(select(AuditEvent).where(AuditEvent.entity == "mail_preference").order_by(AuditEvent.id)).all()
        assert [(e.action, e.before, e.after) for e in events] == [
            ("mail_preference.set", {"delivery": "immediate"}, {"delivery": "off"}),
            ("mail_preference.set", {"delivery": "off"}, {"delivery": "digest"})]

    with pytest.raises(PermissionDenied):
        mail_preferences.set_delivery(engine, ana, people["sec"], "reminders", "off")
    with pytest.raises(PermissionDenied):
        mail_preferences.set_delivery(engine, None, people["ana"], "reminders", "off")
    mail_preferences.set_delivery(engine, actor(engine, people["root"]), people["sec"], "reminders", "off")
    assert delivery(engine, people["sec"], "reminders") == "off"

    with pytest.raises(ValidationFailed) as bad:
        mail_preferences.set_delivery(engine, ana, people["ana"], "reminders", "hourly")
    assert bad.value.for_field("reminders")
    # A reporter may not turn the weekly digest on (it tells what is overdue everywhere), only off.
    with pytest.raises(PermissionDenied):
        mail_preferences.set_delivery(engine, ana, people["ana"], "weekly_digest", "immediate")
    mail_preferences.set_delivery(engine, ana, people["ana"], "weekly_digest", "off")


def test_unsubscribe_link_is_signed_and_honoured_at_once(engine, people):
    link = mail_preferences.unsubscribe_link(SETTINGS, people["ana"], "reminders")
    assert link.startswith("https://tracker.example.org/?unsubscribe=")
    token = link.split("=", 1)[1]
    assert mail_preferences.unsubscribe(engine, token, SETTINGS) == (people["ana"], "reminders")
    assert delivery(engine, people["ana"], "reminders") == "off"
    assert delivery(engine, people["ana"], "activity_returned") == "immediate"  # only the kind named
    with Session(engine) as s:
        [event] = s.exec(select(AuditEvent).where(AuditEvent.action == "mail_preference.unsubscribe")).all()
        assert (event.user_id, event.entity_id, event.after) == (people["ana"], f"{people['ana']}:reminders",
                                                                 {"delivery": "off"})
    # Twice is harmless.
    assert mail_preferences.unsubscribe(engine, token, SETTINGS) == (people["ana"], "reminders")


def test_a_forged_or_damaged_token_is_refused_with_a_clear_message(engine, people):
    genuine = mail_preferences.unsubscribe_token(SETTINGS, people["ana"], "reminders")
    payload, signature = genuine.split(".")
    other_payload = mail_preferences.unsubscribe_token(SETTINGS, people["sec"], "reminders").split(".")[0]
    other_key = Settings(database_url="", demo_mode=True, cookie_key="x" * 20)
    forged = [
        f"{other_payload}.{signature}",  # another user's id under ana's signature
        mail_preferences.unsubscribe_token(other_key, people["ana"], "reminders"),  # signed with another key
        payload, "", "a.b.c", f"{payload}.{signature[:-2]}", "%%%.###",
    ]
    for token in forged:
        with pytest.raises(ValidationFailed) as refused:
            mail_preferences.unsubscribe(engine, token, SETTINGS)
        assert refused.value.for_field("unsubscribe") == [mail_preferences.BAD_TOKEN], token
    with Session(engine) as s:
        assert s.exec(select(MailPreference)).all() == []


def test_an_optional_mail_has_both_parts_an_unsubscribe_link_in_the_recipients_language(engine, people,
                                                                                         smtp_server):
    with transaction(engine) as s:
        s.get(f.User, people["ana"]).language = "fr"
        s.flush()
        mail.queue(s, to="ana@example.org", subject="Rappel", body="Bonjour <Ana>,\n\nhttps://x.example/a\n",
                   unsubscribe_kind="reminders", user_id=people["ana"], settings=SETTINGS)
        plain = mail.queue(s, to="sec@example.org", subject="Access", body="x")
    with Session(engine) as s:
        assert s.get(OutboxMail, plain.id).html_body is None  # account mail stays plain text
    settings = Settings(database_url="", demo_mode=True, cookie_key="k" * 20,
                        smtp=Smtp(host=smtp_server.host, port=smtp_server.port, starttls=False))
    assert mail.deliver_pending(engine, settings) == (2, 0)
    received = {m["To"]: m for m in smtp_server.wait_for(2)}
    message = received["ana@example.org"]
    link = mail_preferences.unsubscribe_link(SETTINGS, people["ana"], "reminders")
    one_click = "https://tracker.example.org/mail/unsubscribe?token=" + link.split("=", 1)[1]
    assert message["List-Unsubscribe"] == f"<{one_click}>" and link.startswith("https://tracker.example.org/?")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert text.startswith("Bonjour <Ana>,") and link in text
    assert "Ne plus recevoir ces courriels" in text
    assert "&lt;Ana&gt;" in html and "<Ana>" not in html
    assert f'<a href="{link}">' in html and '<a href="https://x.example/a">' in html
    assert received["sec@example.org"].get_content_type() == "text/plain"
    assert received["sec@example.org"]["List-Unsubscribe"] is None
    # The link in the mail works.
    assert mail_preferences.unsubscribe(engine, link.split("=", 1)[1], SETTINGS) == (people["ana"], "reminders")


def test_html_from_text_escapes_everything():
    html = mail.html_from_text('<script>alert(1)</script> "q" & https://a.example/?x=<y>\n\nsecond')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<a href="https://a.example/?x=">' in html
    assert html.count("<p>") == 2


def test_the_one_click_address_sits_beside_the_app_under_any_path():
    page = mail_preferences.unsubscribe_link(SETTINGS, 7, "reminders")
    token = page.split("=", 1)[1]
    assert mail_preferences.one_click_link(page) == f"https://tracker.example.org/mail/unsubscribe?token={token}"
    under = f"https://iucn.example/tracker/?unsubscribe={token}"
    assert mail_preferences.one_click_link(under) == f"https://iucn.example/tracker/mail/unsubscribe?token={token}"
