"""Reminder rules, set by the Secretariat: when (days from a reporting year's deadline), whom (an audience
of db/vocab.REMINDER_AUDIENCES) and the wording, a subject and body template per language.

Templates use the placeholders of db/vocab.REMINDER_PLACEHOLDERS ({name}, {year}, ...); anything else in
braces is refused next to its field, so a rule saved always renders. English is required; a language left
empty is sent in English. `preview` renders a wording with sample values, before it is saved.
"""

import string
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db import vocab
from db.models import ReminderRule, utcnow
from db.reminder_defaults import DEFAULT_RULES, default_wording
from locales import _, ngettext
from services import audit, locking
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require

ACTION = "reminders.manage"
MAX_DAYS = 366
PARTS = ("subject", "body")
SUBJECT_MAX = 150
BODY_MAX = 5000
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}
SAMPLE = {"name": "Ana Example", "year": "2026", "deadline": "15 December 2026", "days": "7",
          "resolutions": "- WCC-2020-Res-001: Strengthening the Union's work on biodiversity\n"
                         "- WCC-2020-Res-010: Protecting deep-ocean ecosystems",
          "link": "https://tracker.example.org/my_resolutions"}


def field_name(language: str, part: str) -> str:
    """The form field of one template: en_subject, fr_body ..."""
    return f"{language}_{part}"


def fmt_deadline(day: date, language: str) -> str:
    months = MONTHS.get(language, MONTHS["en"])
    return f"{day.day} {months[day.month - 1]} {day.year}"


def placeholder_problem(template: str) -> str | None:
    """Why `template` cannot be rendered (an unknown placeholder, a stray brace), or None."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        return _("A brace is not closed: write {example}, or {braces} for a brace itself.").format(
            example="{name}", braces="{{ and }}")
    allowed = ", ".join("{" + p + "}" for p in vocab.REMINDER_PLACEHOLDERS)
    for _text, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in vocab.REMINDER_PLACEHOLDERS or spec or conversion:
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            return _("Unknown placeholder {placeholder}: use {allowed}.").format(placeholder=shown, allowed=allowed)
    return None


def render(template: str, values: dict[str, str]) -> str:
    """The template with its placeholders filled (the template passed placeholder_problem)."""
    return template.format_map({p: values.get(p, "") for p in vocab.REMINDER_PLACEHOLDERS})


def wording_for(wording: dict, language: str) -> dict[str, str]:
    """The subject and body to send in `language`: that language's when written, else English."""
    chosen = wording.get(language) or {}
    if all((chosen.get(p) or "").strip() for p in PARTS):
        return {p: chosen[p] for p in PARTS}
    return {p: wording["en"][p] for p in PARTS}


def _clean_wording(wording: dict) -> tuple[dict, list[FieldError]]:
    errors, clean = [], {}
    for language in vocab.LANGUAGES:
        given = (wording or {}).get(language) or {}
        texts = {p: (given.get(p) or "").strip() for p in PARTS}
        if language != "en" and not any(texts.values()):
            continue  # sent in English
        for part in PARTS:
            name, text = field_name(language, part), texts[part]
            if not text:
                errors.append(FieldError(name, _("Write the subject and the body (or leave both empty to send this "
                                                 "language in English)") if language != "en" else _("Required")))
            elif part == "subject" and ("\n" in text or len(text) > SUBJECT_MAX):
                errors.append(FieldError(name, _("One line of at most {max} characters").format(max=SUBJECT_MAX)))
            elif len(text) > BODY_MAX:
                errors.append(FieldError(name, _("At most {max} characters").format(max=BODY_MAX)))
            elif problem := placeholder_problem(text):
                errors.append(FieldError(name, problem))
        clean[language] = texts
    return clean, errors


def _as_dict(rule: ReminderRule) -> dict:
    return {"id": rule.id, "days": rule.days, "audience": rule.audience, "wording": rule.wording,
            "active": rule.active, "version": rule.version}


def describe_days(days: int) -> str:
    """When a rule sends, in the current language: whole phrases, so each language words them."""
    if days == 0:
        return _("On the day of the deadline")
    if days < 0:
        return ngettext("{n} day before the deadline", "{n} days before the deadline", -days).format(n=-days)
    return ngettext("{n} day after the deadline", "{n} days after the deadline", days).format(n=days)


# -- reading and writing ------------------------------------------------------------------------------

def list_rules(*, session: Session, actor: Actor) -> list[dict]:
    """Every rule, by audience then from the earliest to the latest day."""
    require(actor, ACTION)
    rules = session.exec(select(ReminderRule)).all()
    order = {a: i for i, a in enumerate(vocab.REMINDER_AUDIENCES)}
    return [_as_dict(r) for r in sorted(rules, key=lambda r: (order[r.audience], r.days))]


def save_rule(*, session: Session, actor: Actor, days: int | None, audience: str, wording: dict,
              active: bool = True, rule_id: int | None = None, version: int | None = None) -> dict:
    """Add a rule (rule_id None) or change one (naming the version read). Every problem is reported at once,
    each next to its field: days, audience, en_subject, fr_body ..."""
    require(actor, ACTION)
    errors = []
    if days is None or not isinstance(days, int) or not -MAX_DAYS <= days <= MAX_DAYS:
        errors.append(FieldError("days", _("A whole number of days from -{max} to {max}").format(max=MAX_DAYS)))
    if audience not in vocab.REMINDER_AUDIENCES:
        errors.append(FieldError("audience", _("Choose one of the audiences listed")))
    clean, wording_errors = _clean_wording(wording)
    errors += wording_errors
    if errors:
        raise ValidationFailed(errors)
    if rule_id is None:
        rule, before = ReminderRule(days=days, audience=audience, wording=clean, active=active), None
    else:
        rule = session.get(ReminderRule, rule_id)
        if rule is None:
            raise NotFound(_("There is no reminder rule {id}.").format(id=rule_id))
        before = _as_dict(rule)
        locking.claim(session, rule, version, _("Someone else changed this rule since you opened it: reload to "
                                                "see their change, then make yours again."))
        rule.days, rule.audience, rule.wording, rule.active = days, audience, clean, active
    rule.updated_at = utcnow()
    try:
        with session.begin_nested():
            session.add(rule)
            session.flush()
    except IntegrityError:
        raise ValidationFailed([FieldError("days", _("A rule for this day and audience exists already: change "
                                                     "that one"))]) from None
    after = _as_dict(rule)
    audit.record(session, actor=actor, action="create" if before is None else "update", entity="reminder_rule",
                 entity_id=rule.id, before=before, after=after)
    return after


def preview(*, wording: dict, language: str = "en", values: dict | None = None) -> dict[str, str]:
    """The subject and body a wording gives with sample values (SAMPLE), or the errors of its templates
    (ValidationFailed, as save_rule would report them)."""
    clean, errors = _clean_wording(wording)
    if errors:
        raise ValidationFailed(errors)
    chosen = wording_for(clean, language)
    sample = SAMPLE | (values or {})
    return {p: render(chosen[p], sample) for p in PARTS}


def install_defaults(session: Session, actor: Actor | None = None) -> int:
    """Add the default rules (db/reminder_defaults.py) that are missing; returns how many were added. For a
    new installation (the demo data, `python -m services.reminders install-defaults`)."""
    have = {(r.audience, r.days) for r in session.exec(select(ReminderRule)).all()}
    added = 0
    for audience, days in DEFAULT_RULES:
        if (audience, days) in have:
            continue
        rule = ReminderRule(days=days, audience=audience, wording=default_wording(audience, days))
        session.add(rule)
        session.flush()
        audit.record(session, actor=actor, action="create", entity="reminder_rule", entity_id=rule.id,
                     after=_as_dict(rule))
        added += 1
    return added


def preview_rule(*, session: Session, actor: Actor, wording: dict, language: str = "en") -> dict[str, str]:
    """preview() for the rules page (the Secretariat's): the errors come back as save_rule's would."""
    require(actor, ACTION)
    return preview(wording=wording, language=language)
