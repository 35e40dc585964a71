"""My account: what every signed-in user may change about themselves ("account.edit"; admin too): display
name, email and preferred language (that of their mail and notifications too), their password, their other
open sessions, and which mail they receive (services.mail_preferences)."""

import re
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from db import vocab
from db.models import Component, SignInSession, User, UserComponent, utcnow
from db.security import DEFAULT_ROUNDS, check_password, hash_password, token_digest
from db.settings import Settings
from locales import N_, _
from services import audit, mail_preferences, passwords, sign_in, text_rules
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, can, require

ENTITY = "user"
NAME_MAX = 120
EMAIL_MAX = 200
ROUNDS = DEFAULT_ROUNDS  # bcrypt cost of a new password (tests lower it)
EMAIL_SHAPE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
WRONG_CURRENT = N_("This is not your current password")


def _me(session: Session, actor: Actor) -> User:
    require(actor, "account.edit")
    user = session.get(User, actor.id)
    if user is None or not user.active:
        raise NotFound(_("Your account no longer exists or is deactivated."))
    return user


def _open_sessions(user_id: int, settings: Settings | None):
    now = utcnow()
    query = select(func.count()).select_from(SignInSession).where(
        SignInSession.user_id == user_id, SignInSession.ended_at.is_(None), SignInSession.expires_at > now)
    if settings is not None:
        query = query.where(SignInSession.last_seen_at > now - timedelta(days=settings.session_idle_days))
    return query


def profile(*, session: Session, actor: Actor, keep_token: str | None = None,
            settings: Settings | None = None) -> dict:
    """What the account page shows. `open_sessions` counts every open session of the user; with the current
    browser's token and the settings, `other_sessions` leaves that one out (otherwise it equals
    `open_sessions`)."""
    user = _me(session, actor)
    components = session.exec(
        select(Component.name).join(UserComponent, UserComponent.component_id == Component.id)
        .where(UserComponent.user_id == user.id).order_by(Component.name)).all()
    open_count = session.exec(_open_sessions(user.id, settings)).one()
    other_count = open_count
    if keep_token and settings is not None:
        other_count = session.exec(_open_sessions(user.id, settings).where(
            SignInSession.token_hash != token_digest(keep_token, settings.cookie_key))).one()
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "language": user.language,
        "roles": sorted(actor.roles, key=vocab.ROLES.index),
        "components": list(components),
        "last_sign_in_at": user.last_sign_in_at,
        "has_password": user.password_hash is not None,
        "created_at": user.created_at,
        "open_sessions": open_count,
        "other_sessions": other_count,
    }


def _has_control(text: str) -> bool:
    """One line of plain text: no control character, line break or tab (services.text_rules)."""
    return text_rules.has_control(text)


def update_profile(*, session: Session, actor: Actor, display_name: str, email: str, language: str) -> User:
    """Change one's display name, email and preferred language; every problem is reported at once."""
    user = _me(session, actor)
    name = (display_name or "").strip()
    address = (email or "").strip().lower()
    errors: list[FieldError] = []
    if not name:
        errors.append(FieldError("display_name", _("Enter the name others see")))
    elif len(name) > NAME_MAX:
        errors.append(FieldError("display_name", _("Use at most {max} characters (this one has {length})").format(
            max=NAME_MAX, length=len(name))))
    elif _has_control(name):
        errors.append(FieldError("display_name", _("Remove the line breaks and control characters")))
    if not address:
        errors.append(FieldError("email", _("Enter your email address")))
    elif len(address) > EMAIL_MAX:
        errors.append(FieldError("email", _("Use at most {max} characters (this one has {length})").format(
            max=EMAIL_MAX, length=len(address))))
    elif _has_control(address) or not EMAIL_SHAPE.match(address):
        errors.append(FieldError("email", _("This is not an email address (for example: name@iucn.org)")))
    elif session.exec(select(User.id).where(User.email == address, User.id != user.id)).first() is not None:
        errors.append(FieldError("email", _("Another account already uses this email address")))
    if language not in vocab.LANGUAGES:
        errors.append(FieldError("language", _("Choose one of the languages listed")))
    if errors:
        raise ValidationFailed(errors)

    before = {"display_name": user.display_name, "email": user.email, "language": user.language}
    after = {"display_name": name, "email": address, "language": language}
    old, new = audit.changes(before, after)
    if not new:
        return user
    user.display_name, user.email, user.language = name, address, language
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="update_profile", entity=ENTITY, entity_id=user.username,
                 before=old, after=new)
    return user


def set_language(*, session: Session, actor: Actor, language: str) -> User:
    """The sidebar's language switch (issue 14): the preferred language alone, checked and audited as a profile
    change."""
    user = _me(session, actor)
    return update_profile(session=session, actor=actor, display_name=user.display_name, email=user.email,
                          language=language)


def change_password(*, session: Session, actor: Actor, current: str | None, new: str, confirm: str,
                    keep_token: str | None, settings: Settings) -> None:
    """Set a new password (fields "current", "new", "confirm" on refusal). An account with no password yet
    (single sign-on only) sets its first one without `current`. Every other session of the user ends; the
    one holding `keep_token` (this browser) stays open."""
    user = _me(session, actor)
    had_password = user.password_hash is not None
    errors: list[FieldError] = []
    if had_password:
        if not current:
            errors.append(FieldError("current", _("Enter your current password")))
        elif not check_password(current, user.password_hash):
            errors.append(FieldError("current", _(WRONG_CURRENT)))
    try:
        passwords.check(new or "", confirm=confirm or "", username=user.username, email=user.email,
                        field="new")
    except ValidationFailed as failed:
        errors.extend(failed.errors)
    if not errors and had_password and check_password(new, user.password_hash):
        errors.append(FieldError("new", _("This is already your password; choose a new one")))
    if errors:
        raise ValidationFailed(errors)

    user.password_hash = hash_password(new, rounds=ROUNDS)
    session.add(user)
    session.flush()
    ended = sign_in.end_sessions(session=session, user_id=user.id, reason="password_change", actor=actor,
                                 keep_token=keep_token, settings=settings)
    sign_in.clear_throttle(session=session, username=user.username)
    audit.record(session, actor=actor, action="set_password" if not had_password else "change_password",
                 entity=ENTITY, entity_id=user.username,
                 after={"had_password": had_password, "other_sessions_ended": ended})


def end_other_sessions(*, session: Session, actor: Actor, keep_token: str | None, settings: Settings) -> int:
    """"Sign out everywhere else": end every open session of the user but this browser's. Returns how many
    ended (end_sessions records the audit event when there were any)."""
    user = _me(session, actor)
    return sign_in.end_sessions(session=session, user_id=user.id, reason="sign_out_others", actor=actor,
                                keep_token=keep_token, settings=settings)


# -- mail choices ---------------------------------------------------------------------------------------
# Who each kind of mail concerns (an action of services.permissions): the others are not offered.
MAIL_KIND_ACTIONS = {
    "reminders": "activity.write",  # focal points of components and Secretariat focal points are reminded
    "activity_returned": "activity.write",
    "activity_cited": "activity.write",
    "progress_returned": "progress.write",
    "progress_published": "progress.write",
    "progress_in_review": "progress.review",
    "weekly_digest": "digest.weekly",
}
# A reminder is about a date and the weekly digest is a digest already: on or off, no daily digest.
ON_OR_OFF = ("reminders", "weekly_digest")
assert set(MAIL_KIND_ACTIONS) == set(vocab.MAIL_KINDS)


def mail_choices(*, session: Session, actor: Actor) -> list[dict]:
    """The kinds of mail that concern the actor, in the order of MAIL_KINDS: kind, label, delivery (the
    actor's choice or the default) and the deliveries offered."""
    user = _me(session, actor)
    chosen = mail_preferences.preferences(session, user.id)
    return [{"kind": kind, "label": vocab.MAIL_KIND_LABELS[kind], "delivery": chosen[kind],
             "options": ("off", "immediate") if kind in ON_OR_OFF else vocab.MAIL_DELIVERIES}
            for kind in vocab.MAIL_KINDS if can(actor, MAIL_KIND_ACTIONS[kind])]


def set_mail_choices(*, session: Session, actor: Actor, choices: dict[str, str]) -> int:
    """Save the actor's choices ({kind: delivery}) for the kinds that concern them; returns how many changed
    (each change is audited by services.mail_preferences)."""
    offered = {c["kind"]: c for c in mail_choices(session=session, actor=actor)}
    errors = [FieldError(f"mail_{kind}", _("Choose one of the options listed")) for kind, delivery in choices.items()
              if kind not in offered or delivery not in offered[kind]["options"]]
    if errors:
        raise ValidationFailed(errors)
    changed = [(kind, delivery) for kind, delivery in choices.items() if offered[kind]["delivery"] != delivery]
    for kind, delivery in changed:
        mail_preferences.set_delivery(session, actor, actor.id, kind, delivery)
    return len(changed)
