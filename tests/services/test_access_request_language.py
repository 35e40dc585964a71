"""An access request records the language it was made in (issue 14): the approval or refusal mail speaks it,
and the account an approval creates starts in it, whatever the deciding administrator's language."""

import pytest
from sqlmodel import Session, select

import locales
from db.models import AccessRequest, AuditEvent, OutboxMail, User
from services import access_requests as ar
from tests import factories as f
from tests.services.test_access_requests import SETTINGS, call, outbox


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as s:
        member = f.component(s, "Test Member")
        admin = f.user(s, "ada", ("admin",))
        s.get(User, admin.id).language = "en"
        actor = f.actor(s, admin)
        s.commit()
    return {"engine": engine, "member": member.id, "admin": actor}


def _ask(w, email: str, language: str | None = None, run_language: str = "en") -> AccessRequest:
    with locales.use(run_language):  # the run's language: the form's
        return call(w["engine"], ar.submit_request, email=email, name="Juana Pérez", component_id=w["member"],
                    role="reporter", message=None, language=language)


def _mail_to(engine, address: str) -> OutboxMail:
    return next(m for m in outbox(engine) if m.to_address == address)


def test_a_request_records_the_forms_language_or_the_one_given(world):
    w = world
    assert _ask(w, "juana@example.org", run_language="es").language == "es"
    assert _ask(w, "jean@example.org", language="fr-FR").language == "fr"
    assert _ask(w, "joe@example.org", language="xx").language == "en"  # unknown: the run's (English)
    with Session(w["engine"]) as s:
        stored = dict(s.exec(select(AccessRequest.email, AccessRequest.language)).all())
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "request_access")
                       .order_by(AuditEvent.id)).first()
    assert stored == {"juana@example.org": "es", "jean@example.org": "fr", "joe@example.org": "en"}
    assert event.after["language"] == "es"


def test_the_approval_speaks_the_requesters_language_and_the_account_starts_in_it(world):
    w = world
    request = _ask(w, "juana@example.org", run_language="es")
    with locales.use("en"):  # the administrator works in English
        user = call(w["engine"], ar.approve, actor=w["admin"], request_id=request.id, username="juana",
                    roles=["reporter"], component_ids=[w["member"]], note="Bienvenida", settings=SETTINGS)
    mail = _mail_to(w["engine"], "juana@example.org")
    assert mail.subject == "Su acceso al Resolutions Tracker está aprobado"
    assert "Juana Pérez" in mail.body and "Hello" not in mail.body and "Bienvenida" in mail.body
    with Session(w["engine"]) as s:
        assert s.get(User, user.id).language == "es"


def test_the_refusal_speaks_the_requesters_language(world):
    w = world
    request = _ask(w, "jean@example.org", run_language="fr")
    with locales.use("es"):  # the administrator works in Spanish
        call(w["engine"], ar.decline, actor=w["admin"], request_id=request.id, note="Pas de compte pour ce cas.",
             settings=SETTINGS)
    mail = _mail_to(w["engine"], "jean@example.org")
    with locales.use("fr"):
        subject = locales._("Your request for access to the Resolutions Tracker")
    assert mail.subject == subject and subject != "Your request for access to the Resolutions Tracker"
    assert "Bonjour" in mail.body and "Hola" not in mail.body and "Hello" not in mail.body


def test_the_admin_page_shows_the_language_each_request_was_made_in(app_db):
    from db.engine import make_engine, transaction
    from tests.pages.apptest import open_page
    from tests.pages.test_access_requests import component_id

    with transaction(make_engine(app_db)) as s, locales.use("es"):
        ar.submit_request(session=s, email="juana@example.org", name="Juana", component_id=component_id(app_db),
                          role="reporter", message=None)
    at = open_page("pages/access_requests.py", "admin")
    assert not at.exception
    pending = at.dataframe[0].value
    assert list(pending["language_name"]) == ["Español"]
