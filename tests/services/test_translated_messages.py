"""Issue 14, I18N-D: services answer in the user's language, and every mail is written in its recipient's
language (subject and body translated, placeholders filled), on SQLite and PostgreSQL."""

import pytest
from sqlmodel import select

import locales
from db.engine import transaction
from db.models import OutboxMail, User
from db.settings import Settings
from services import access_requests, account_tokens, activity_reports, my_account, notification_texts, passwords
from services.errors import ConflictError, PermissionDenied, ValidationFailed
from services.permissions import require
from tests import factories as f

SETTINGS = Settings(database_url="", demo_mode=True, cookie_key="k" * 20, public_url="https://rt.example.org")


@pytest.fixture(autouse=True)
def _catalogues():
    locales.reload()  # the catalogues as they are now on disk (python -m locales.build)
    yield


def outbox(engine) -> list[OutboxMail]:
    with transaction(engine) as s:
        rows = s.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
        s.expunge_all()
        return rows


# -- service messages in the run's language ---------------------------------------------------------------
@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Another account already uses this email address"),
    ("fr", "Un autre compte utilise déjà cette adresse électronique"),
    ("es", "Otra cuenta ya usa esta dirección de correo"),
])
def test_a_validation_message_comes_back_in_the_users_language(engine, language, expected):
    with transaction(engine) as s:
        f.user(s, "taken")
        me = f.actor(s, f.user(s, "lea"))
    with locales.use(language), transaction(engine) as s, pytest.raises(ValidationFailed) as failed:
        my_account.update_profile(session=s, actor=me, display_name="Léa", email="taken@example.org",
                                  language=language)
    assert failed.value.for_field("email") == [expected]


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "utilisez au moins 12 caractères (celui-ci en a 5)"),
    ("es", "use al menos 12 caracteres (esta tiene 5)"),
])
def test_placeholders_are_filled_in_the_translation(language, expected):
    with locales.use(language):
        assert passwords.problems("short") == [expected]


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "rosa n’a pas le droit d’effectuer cette action (users manage)."),
    ("es", "rosa no tiene permiso para realizar esta acción (users manage)."),
])
def test_a_refusal_is_translated(engine, language, expected):
    with transaction(engine) as s:
        rosa = f.actor(s, f.user(s, "rosa"))
    with locales.use(language), pytest.raises(PermissionDenied) as refused:
        require(rosa, "users.manage")
    assert str(refused.value) == expected


@pytest.mark.parametrize(("language", "start"), [
    ("fr", "Seul un rapport soumis peut être retiré."),
    ("es", "Solo puede retirarse un informe enviado."),
])
def test_a_conflict_is_translated(engine, language, start):
    with transaction(engine) as s:
        member = f.component(s)
        rosa = f.user(s, "rosa", components=(member,))
        report = f.activity_report(s, member, rosa, (f.resolution(s, 1),), state="draft")
        actor, report_id, version = f.actor(s, rosa), report.id, report.version
    with locales.use(language), transaction(engine) as s, pytest.raises(ConflictError) as conflict:
        activity_reports.withdraw(session=s, actor=actor, report_id=report_id, version=version)
    assert str(conflict.value) == start


# -- mails in the recipient's language ------------------------------------------------------------------
def _user_speaking(engine, language: str) -> int:
    with transaction(engine) as s:
        row = f.user(s, f"user_{language}")
        row.display_name, row.language = f"Name {language}", language
        s.add(row)
        return row.id


@pytest.mark.parametrize(("language", "subject", "hello", "expires", "username"), [
    ("fr", "Votre compte Resolutions Tracker : choisissez votre mot de passe", "Bonjour Name fr,",
     "expire dans 14 jours", "Votre nom d’utilisateur : user_fr"),
    ("es", "Su cuenta del Resolutions Tracker: elija su contraseña", "Hola, Name es:",
     "caduca en 14 días", "Su nombre de usuario: user_es"),
])
def test_the_activation_mail_is_in_the_recipients_language(engine, language, subject, hello, expires, username):
    user_id = _user_speaking(engine, language)
    with locales.use("en"), transaction(engine) as s:  # the administrator works in English
        account_tokens.send_activation(s, user=s.get(User, user_id), settings=SETTINGS)
    (sent,) = outbox(engine)
    assert sent.subject == subject
    assert sent.body.startswith(hello)
    assert expires in sent.body and username in sent.body
    assert "https://rt.example.org/?set_password=" in sent.body
    assert "{" not in sent.body and "Hello" not in sent.body and "Your username" not in sent.body


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("fr", "Choisissez un nouveau mot de passe pour le Resolutions Tracker", "expire dans une heure"),
    ("es", "Elija una nueva contraseña para el Resolutions Tracker", "caduca en una hora"),
])
def test_the_reset_mail_is_in_the_recipients_language(engine, language, subject, words):
    _user_speaking(engine, language)
    with transaction(engine) as s:
        account_tokens.request_reset(s, email_or_username=f"user_{language}", settings=SETTINGS)
    (sent,) = outbox(engine)
    assert sent.subject == subject and words in sent.body and "{" not in sent.body


def test_the_access_request_notice_is_in_each_administrators_language(engine):
    with transaction(engine) as s:
        for name, language in (("admin_fr", "fr"), ("admin_es", "es")):
            row = f.user(s, name, roles=("admin",))
            row.language = language
            s.add(row)
    with locales.use("en"), transaction(engine) as s:
        access_requests.submit_request(session=s, email="jane@example.org", name="Jane Doe", component_id=None,
                                       role="secretariat", message="Bonjour", settings=SETTINGS)
    mails = {m.to_address: m for m in outbox(engine)}
    fr, es = mails["admin_fr@example.org"], mails["admin_es@example.org"]
    assert fr.subject == "Demande d’accès de Jane Doe"
    assert "Rôle demandé : " in fr.body and "https://rt.example.org/access_requests" in fr.body
    assert es.subject == "Solicitud de acceso de Jane Doe"
    assert "Rol solicitado: " in es.body and "Role wanted" not in es.body


@pytest.mark.parametrize(("language", "subject", "stop"), [
    ("fr", "Le rapport d’avancement sur WCC-2020-Res-001 (2026) est publié", "Ne plus recevoir ces courriels"),
    ("es", "El informe de progreso sobre WCC-2020-Res-001 (2026) está publicado", "Dejar de recibir estos correos"),
])
def test_a_notification_mail_and_its_unsubscribe_words_follow_the_recipient(engine, language, subject, stop):
    from services import notifications

    user_id = _user_speaking(engine, language)
    with locales.use("en"), transaction(engine) as s:  # the one publishing works in English
        notifications.notify(s, user_id=user_id, kind="progress_published", link="/resolution",
                             values={"by": "Sam", "code": "WCC-2020-Res-001", "year": 2026}, settings=SETTINGS)
    (sent,) = outbox(engine)
    assert sent.subject == subject
    assert stop in sent.body and "Stop these mails" not in sent.body


def test_an_unknown_language_falls_back_to_english():
    assert notification_texts.word("hello", "de", name="Kim") == "Hello Kim,"
    assert notification_texts.daily_subject("fr", 2) == "Votre résumé du jour : 2 notifications"
    assert notification_texts.daily_subject("es", 1) == "Su resumen diario: 1 notificación"
