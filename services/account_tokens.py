"""Single-use links that set a password: account activation and "Forgot your password?".

A link carries a random token (db.security.new_token); only its digest is stored (table account_token),
so the table gives nobody a working link. A token works once, until it expires (a reset link after
`settings.reset_link_minutes`, an activation link after `settings.activation_link_days`); issuing a new one
of a purpose voids the user's older unused ones. Setting the password ends every session of the user.

"Forgot your password?" never says whether an account matched: the caller shows one sentence either way,
and at most RESETS_PER_HOUR reset mails go to one user in an hour (the rest are dropped silently).
"""

from datetime import timedelta

from sqlalchemy import func, or_, update
from sqlmodel import Session, select

import locales
from db.models import AccountToken, User, as_utc, utcnow
from db.security import DEFAULT_ROUNDS, hash_password, new_token, token_digest
from db.settings import Settings
from locales import N_, _, ngettext
from services import audit, mail, passwords, sign_in
from services.errors import FieldError, ValidationFailed
from services.permissions import Actor

PURPOSES = ("activate", "reset")
ROUNDS = DEFAULT_ROUNDS  # bcrypt cost of a password set by link (tests lower it)
RESETS_PER_HOUR = 3
SENT_SENTENCE = N_("If an account matches, a link to set a new password is on its way to its email address. "
                   "It works once, within {minutes} minutes. No mail? Check the spelling, your spam folder, "
                   "or ask an administrator.")
BAD_LINK = N_("This link does not work: it was already used, it has expired, or it is incomplete. "
              "Ask for a new one below.")


def _actor(user: User) -> Actor:
    """The user as the author of their own audit events (roles do not matter there)."""
    return Actor(id=user.id, username=user.username, display_name=user.display_name, roles=frozenset())


def sent_sentence(settings: Settings) -> str:
    """What "Forgot your password?" answers, whether or not an account matched."""
    return _(SENT_SENTENCE).format(minutes=settings.reset_link_minutes)


# -- issuing ----------------------------------------------------------------------------------------

def _lifetime(purpose: str, settings: Settings) -> timedelta:
    if purpose == "reset":
        return timedelta(minutes=settings.reset_link_minutes)
    return timedelta(days=settings.activation_link_days)


def issue(session: Session, *, user: User, purpose: str, settings: Settings) -> str:
    """A new link for `user` (older unused links of that purpose stop working). Returns the full link."""
    return _issue_many(session, users=[user], purpose=purpose, settings=settings)[0]


def _issue_many(session: Session, *, users: list[User], purpose: str, settings: Settings) -> list[str]:
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}, not {purpose!r}")
    now = utcnow()
    session.execute(
        update(AccountToken)
        .where(AccountToken.user_id.in_([u.id for u in users]), AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},  # nothing loaded here can hold those rows
    )
    tokens = [new_token() for _ in users]
    session.add_all([AccountToken(token_hash=token_digest(token, ""), user_id=user.id, purpose=purpose,
                                  created_at=now, expires_at=now + _lifetime(purpose, settings))
                     for user, token in zip(users, tokens)])
    session.flush()
    return [f"{settings.public_url.rstrip('/')}/?set_password={token}" for token in tokens]


def _when(purpose: str, settings: Settings) -> str:
    """How long a link lives, in the current language (the recipient's, under locales.use)."""
    if purpose == "reset":
        minutes = settings.reset_link_minutes
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes) if minutes != 60 else _("one hour")
    days = settings.activation_link_days
    return ngettext("{n} day", "{n} days", days).format(n=days)


def _contact() -> str:
    return _("If you did not expect this mail, you can ignore it; if you have questions, ask the "
             "administrator of the Resolutions Tracker (reply to this mail or contact your IUCN focal point).")


def send_activation(session: Session, *, user: User, settings: Settings) -> None:
    """Mail `user` a link to choose their first password."""
    send_activations(session, users=[user], settings=settings)


def send_activations(session: Session, *, users: list[User], settings: Settings) -> None:
    """Mail each of `users` a link to choose their first password (an import: written in bulk), each in the
    user's language."""
    links = _issue_many(session, users=users, purpose="activate", settings=settings)
    mail.queue_many(session, [(user.email, *activation_mail(user, link, settings)) for user, link in zip(users, links)])
    for user in users:
        audit.record(session, actor=None, action="activation_sent", entity="user", entity_id=user.username,
                     after={"email": user.email})
    session.flush()


def activation_mail(user: User, link: str, settings: Settings) -> tuple[str, str]:
    """(subject, body) of the activation mail, in `user`'s language."""
    with locales.use(user.language):
        subject = _("Your Resolutions Tracker account: choose your password")
        body = _(
            "Hello {name},\n\n"
            "An account has been made for you in the IUCN Resolutions Tracker. To start using it, choose your "
            "password with this link:\n\n"
            "{link}\n\n"
            "The link works once and expires in {when}. After that, use \"Forgot your password?\" on the sign-in "
            "page to get a new one.\n\n"
            "Your username: {username}\n\n"
            "{contact}\n\n"
            "-- The Resolutions Tracker\n"
        ).format(name=user.display_name, link=link, when=_when("activate", settings), username=user.username,
                 contact=_contact())
    return subject, body


def reset_mail(user: User, link: str, settings: Settings) -> tuple[str, str]:
    """(subject, body) of the set-a-new-password mail, in `user`'s language."""
    with locales.use(user.language):
        subject = _("Set a new password for the Resolutions Tracker")
        body = _(
            "Hello {name},\n\n"
            "Someone (probably you) asked to set a new password for your account in the IUCN Resolutions "
            "Tracker. To choose a new password, open this link:\n\n"
            "{link}\n\n"
            "The link works once and expires in {when}. Your current password keeps working until you set a new "
            "one; setting it signs you out everywhere.\n\n"
            "Your username: {username}\n\n"
            "If you did not ask for this, ignore this mail: nothing changes. {contact}\n\n"
            "-- The Resolutions Tracker\n"
        ).format(name=user.display_name, link=link, when=_when("reset", settings), username=user.username,
                 contact=_contact())
    return subject, body


def send_reset(session: Session, *, user: User, settings: Settings) -> None:
    """Mail `user` a link to set a new password."""
    link = issue(session, user=user, purpose="reset", settings=settings)
    subject, body = reset_mail(user, link, settings)
    mail.queue(session, to=user.email, subject=subject, body=body)
    audit.record(session, actor=None, action="reset_sent", entity="user", entity_id=user.username,
                 after={"email": user.email})


def request_reset(session: Session, *, email_or_username: str, settings: Settings) -> None:
    """"Forgot your password?": mail a reset link to the active account with this email or username, if
    there is one. Says nothing either way (show `sent_sentence(settings)`)."""
    given = (email_or_username or "").strip()
    if not given or len(given) > 200:
        return
    user = session.exec(
        select(User).where(or_(User.email == given.lower(), func.lower(User.username) == given.lower()))
        .order_by(User.id)
    ).first()
    # The throttle count runs in both branches, so a miss costs about what a hit does.
    since = utcnow() - timedelta(hours=1)
    recent = session.exec(
        select(func.count()).select_from(AccountToken).where(
            AccountToken.user_id == (user.id if user is not None else -1),
            AccountToken.purpose == "reset", AccountToken.created_at >= since)
    ).one()
    if user is None or not user.active or recent >= RESETS_PER_HOUR:
        new_token()  # as much randomness as a hit draws
        return
    try:
        send_reset(session, user=user, settings=settings)
    except ValidationFailed:  # an address the mail server would refuse: the same silence as a miss
        return


# -- using a link -----------------------------------------------------------------------------------

def _valid_row(session: Session, token: str | None) -> AccountToken | None:
    if not token or len(token) > 200:
        return None
    row = session.exec(select(AccountToken).where(AccountToken.token_hash == token_digest(token, ""))).first()
    if row is None or row.used_at is not None or as_utc(row.expires_at) <= utcnow():
        return None
    return row


def check(session: Session, *, token: str | None) -> User | None:
    """The user a link is for, while it is valid (unused and unexpired, for an active user); else None."""
    row = _valid_row(session, token)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def set_password(session: Session, *, token: str | None, password: str, confirm: str) -> User:
    """Set the password of the user the link is for, use the link up, and end every session of the user."""
    row = _valid_row(session, token)
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None or not user.active:
        raise ValidationFailed([FieldError("token", _(BAD_LINK))])
    passwords.check(password, confirm=confirm, username=user.username, email=user.email)
    now = utcnow()
    # Use the link up first, conditionally: of two requests racing with one link, only one gets a row.
    used = session.execute(
        update(AccountToken).where(AccountToken.id == row.id, AccountToken.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if used != 1:
        raise ValidationFailed([FieldError("token", _(BAD_LINK))])
    # A password set by mail also proves the address: every other open link of the user stops working.
    session.execute(update(AccountToken).where(AccountToken.user_id == user.id, AccountToken.used_at.is_(None))
                    .values(used_at=now))
    had_password = user.password_hash is not None
    user.password_hash = hash_password(password, rounds=ROUNDS)
    session.add(user)
    session.flush()
    actor = _actor(user)
    sign_in.end_sessions(session=session, user_id=user.id, reason="password_reset", actor=actor)
    sign_in.clear_throttle(session=session, username=user.username)
    audit.record(session, actor=actor, action="password_set", entity="user", entity_id=user.username,
                 after={"by": row.purpose, "had_password": had_password})
    session.expire(row)
    return user
