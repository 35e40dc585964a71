"""The Reminders page on the demo data: the Secretariat (and the administrator) sees the rules, previews and saves
one, and is told next to the field about an unknown placeholder; reporter, focal point and leadership cannot
open it. The sent reminders show their delivery status."""

from datetime import date

import pytest
from sqlmodel import Session, select

from db.engine import make_engine, transaction
from db.models import OutboxMail, ReminderRule
from db.settings import load_settings
from services import reminders
from tests.pages.apptest import open_page, reachable

PAGE = "pages/reminders.py"
NEW = "rule_new_0"


def button(at, label):
    return next(b for b in at.button if b.label == label)


def rules(app_db) -> list[tuple[int, str]]:
    with Session(make_engine(app_db)) as s:
        return sorted((r.days, r.audience) for r in s.exec(select(ReminderRule)).all())


def test_the_secretariat_sees_the_default_rules_previews_and_saves_a_new_one(app_db):
    assert rules(app_db) == [(-30, "components"), (-30, "focal_points"), (-7, "components"), (-7, "focal_points"),
                             (0, "focal_points"), (7, "focal_points")]
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    listed = at.dataframe[0].value
    assert len(listed) == 6 and "7 days after the deadline" in set(listed["when"])

    at.number_input(key=f"{NEW}_days").set_value(-3)
    at.text_input(key=f"{NEW}_en_subject").input("Only {days} days left for {year}")
    at.text_area(key=f"{NEW}_fr_body").input("")  # French left half-written: refused, see below
    button(at, "Preview").click().run()
    assert not at.exception
    assert any("Write the subject and the body" in e.value for e in at.error)
    assert at.text_input(key=f"{NEW}_en_subject").value == "Only {days} days left for {year}"  # input kept

    at.text_input(key=f"{NEW}_fr_subject").input("")
    button(at, "Preview").click().run()
    assert not at.exception and not at.error
    shown = [t.value for t in at.text]
    assert "Subject: Only 7 days left for 2026" in shown  # the sample values
    assert any("Ana Example" in t for t in shown)
    assert rules(app_db) == [(-30, "components"), (-30, "focal_points"), (-7, "components"), (-7, "focal_points"),
                             (0, "focal_points"), (7, "focal_points")]  # a preview saves nothing

    button(at, "Save").click().run()
    assert not at.exception
    assert (-3, "focal_points") in rules(app_db)
    assert any("Saved" in s.value for s in at.success)
    with Session(make_engine(app_db)) as s:
        saved = s.exec(select(ReminderRule).where(ReminderRule.days == -3)).one()
    assert saved.wording["en"]["subject"] == "Only {days} days left for {year}" and "fr" not in saved.wording


def test_an_unknown_placeholder_is_refused_next_to_its_field(app_db):
    at = open_page(PAGE, "secretariat")
    at.text_area(key=f"{NEW}_es_body").input("Hola {nombre}, {link}")
    button(at, "Save").click().run()
    assert not at.exception
    messages = [e.value.replace("\\", "") for e in at.error]  # shown Markdown-escaped
    assert any("Unknown placeholder {nombre}" in m and "{name}" in m for m in messages), messages
    assert any("Please correct this problem" in m for m in messages)
    assert len(rules(app_db)) == 6
    assert at.text_area(key=f"{NEW}_es_body").value == "Hola {nombre}, {link}"


def test_a_rule_that_exists_for_the_day_is_refused_on_the_days_field(app_db):
    at = open_page(PAGE, "secretariat")
    at.number_input(key=f"{NEW}_days").set_value(-7)
    button(at, "Save").click().run()
    assert any("A rule for this day and audience exists already" in e.value for e in at.error)


def test_changing_a_rule_and_turning_it_off(app_db):
    at = open_page(PAGE, "secretariat")
    with Session(make_engine(app_db)) as s:
        rule = s.exec(select(ReminderRule).where(ReminderRule.days == 7)).one()
    at.selectbox(key="rule_choice").set_value(rule.id).run()
    prefix = f"rule_{rule.id}_1"
    assert at.text_input(key=f"{prefix}_en_subject").value == "Progress Reports {year}: {days} days overdue"
    at.checkbox(key=f"{prefix}_active").uncheck()
    button(at, "Save").click().run()
    assert not at.exception
    with Session(make_engine(app_db)) as s:
        changed = s.get(ReminderRule, rule.id)
        assert (changed.active, changed.version) == (False, 2)


def test_sent_reminders_show_their_delivery_status(app_db):
    engine = make_engine(app_db)
    reminders.run(engine, today=date(2026, 12, 8), settings=load_settings())
    with transaction(engine) as s:
        first = s.exec(select(OutboxMail).order_by(OutboxMail.id)).first()
        first.attempts, first.last_error = 2, "ConnectionRefusedError: [Errno 111] Connection refused"
    at = open_page(PAGE, "secretariat")
    assert not at.exception
    sent = next(d.value for d in at.dataframe if "status" in d.value.columns)  # the sent reminders
    assert len(sent) > 0 and set(sent["status"]) <= {"waiting", "failed, retrying"}
    assert "failed, retrying" in set(sent["status"])
    assert any("could not be sent yet" in w.value for w in at.warning)


def test_the_administrator_may_open_it(app_db):
    assert reachable(PAGE, "admin")


@pytest.mark.parametrize("user", ["reporter", "focal", "leader"])
def test_other_roles_cannot_open_it(app_db, user):
    assert not reachable(PAGE, user)


def test_a_rule_changed_by_someone_else_meanwhile_is_not_overwritten(app_db):
    at = open_page(PAGE, "secretariat")
    with Session(make_engine(app_db)) as s:
        rule = s.exec(select(ReminderRule).where(ReminderRule.days == 0)).one()
    at.selectbox(key="rule_choice").set_value(rule.id).run()
    prefix = f"rule_{rule.id}_1"
    at.text_input(key=f"{prefix}_en_subject").input("Mine: due today")
    with transaction(make_engine(app_db)) as s:  # another Secretariat member saves first
        theirs = s.get(ReminderRule, rule.id)
        theirs.wording = {**theirs.wording, "en": {**theirs.wording["en"], "subject": "Theirs: due today"}}
        theirs.version = 2
    button(at, "Save").click().run()
    assert not at.exception
    assert any("Someone else changed this rule" in e.value for e in at.error)
    with Session(make_engine(app_db)) as s:
        assert s.get(ReminderRule, rule.id).wording["en"]["subject"] == "Theirs: due today"
    assert at.text_input(key=f"{prefix}_en_subject").value == "Mine: due today"  # kept
