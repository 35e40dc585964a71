"""The language of a run (ui/language.py): the signed-in user's preference, else ?lang=, else English (AppTest
has no browser locale); the sidebar switch saves the preference through services.my_account (audited)."""

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from db.engine import make_engine, transaction
from db.models import AuditEvent, User
from services import my_account, users
from services.errors import ValidationFailed
from tests import factories as f
from tests.pages.apptest import signed_in_app


def test_set_language_saves_the_preference_audited_and_refuses_an_unknown_one(engine):
    with transaction(engine) as s:
        row = f.user(s, "rosa")
        actor = f.actor(s, row)
    with transaction(engine) as s:
        my_account.set_language(session=s, actor=actor, language="es")
    with Session(engine) as s:
        assert users.actor_for(session=s, username="rosa").language == "es"  # every run reads it afresh
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "update_profile")).one()
        assert (event.before, event.after) == ({"language": "en"}, {"language": "es"})
    with pytest.raises(ValidationFailed) as refused, transaction(engine) as s:
        my_account.set_language(session=s, actor=actor, language="de")
    assert [e.field for e in refused.value.errors] == ["language"]
    with Session(engine) as s:
        assert s.exec(select(User.language).where(User.username == "rosa")).one() == "es"


def _prefer(url: str, username: str, language: str) -> None:
    engine = make_engine(url)
    with engine.begin() as c:
        c.execute(text("UPDATE app_user SET language = :l WHERE username = :u"), {"l": language, "u": username})
    engine.dispose()


def test_signed_out_the_link_chooses_and_the_switch_changes_the_screen_at_once(app_db):
    at = signed_in_app(None)
    at.run()
    assert "Sign in" in [b.label for b in at.button]  # no preference, no link: English
    at.query_params["lang"] = "es"
    at.run()
    assert "Iniciar sesión" in [b.label for b in at.button]
    at.sidebar.button_group[0].set_value("fr").run()  # the switch
    assert "Se connecter" in [b.label for b in at.button]
    assert at.query_params["lang"] == "fr"


def test_signed_in_the_preference_wins_over_the_link_and_the_switch_saves_it(app_db):
    _prefer(app_db, "leader", "fr")
    at = signed_in_app("leader")
    at.query_params["lang"] = "es"  # a link in another language than the user's own
    at.run()
    assert not at.exception
    assert "Se déconnecter" in [b.label for b in at.sidebar.button]
    assert at.query_params["lang"] == "fr"  # the address says the language shown
    at.sidebar.button_group[0].set_value("es").run()
    assert "Cerrar sesión" in [b.label for b in at.sidebar.button]
    engine = make_engine(app_db)
    with engine.connect() as c:
        assert c.execute(text("SELECT language FROM app_user WHERE username = 'leader'")).scalar_one() == "es"
    engine.dispose()


def test_english_pages_get_no_lang_parameter(app_db):
    at = signed_in_app("leader")
    at.run()
    assert "lang" not in at.query_params
    assert "Sign out" in [b.label for b in at.sidebar.button]
