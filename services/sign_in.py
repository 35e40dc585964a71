"""Signing in and staying signed in.

- Password sign-in: bcrypt against the users table. An unknown username, an account with no password yet
  and a wrong password get the same answer in about the same time (a dummy hash is checked).
- Throttling instead of a lock: after a few failures for a username, or from one client address, each
  further attempt must wait longer (doubling, capped at a few minutes), so a stranger cannot lock the owner
  out for long, a password reset link always works, and only a password sign-in clears a username's count.
- Sessions: a sign-in (password or single sign-on) makes a random id whose keyed digest is stored; the
  re-login cookie carries the id and every run checks it. Sign-out, deactivation, password change and reset
  end the rows, so the next click of that browser (or of a copied cookie) finds no session. A session ends
  after `session_idle_days` without use and `session_max_days` after sign-in, whichever comes first.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from db.models import SignInSession, SignInThrottle, User, as_utc, utcnow
from db.security import check_password, new_token, token_digest
from db.settings import Settings
from locales import N_, _
from services import audit, text_rules
from services.permissions import Actor
from services.users import actor_for

FREE_FAILURES = 3  # failures before any wait
MAX_WAIT = {"user": timedelta(minutes=5), "ip": timedelta(minutes=15)}
FORGET_AFTER = timedelta(hours=24)  # a failure count this old starts again from zero
TOUCH_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often
WRONG = N_("Wrong username or password. Check both and try again.")
UNUSABLE = "\ufffd"  # stands for a typed username that no account can have


@dataclass(frozen=True)
class SignedIn:
    token: str  # goes into the re-login cookie; only its digest is stored
    actor: Actor


@dataclass(frozen=True)
class Refused:
    """A sign-in that did not succeed. The message is safe to show: it never says whether the username
    exists. Returned, not raised, so the caller's transaction keeps the failure count it recorded."""

    message: str
    wait_seconds: int = 0


# -- throttling -------------------------------------------------------------------------------------

def _keys(username: str, client: str | None) -> list[str]:
    keys = [f"user:{username.strip().lower()[:100]}"]
    if client:
        keys.append(f"ip:{client[:100]}")
    return keys


def wait_seconds(*, session: Session, username: str, client: str | None) -> int:
    """How long the next attempt for this username or from this address must wait (0: it may go ahead)."""
    now = utcnow()
    waits = [0]
    for row in session.exec(select(SignInThrottle).where(SignInThrottle.key.in_(_keys(username, client)))):
        if row.blocked_until and as_utc(row.blocked_until) > now:
            waits.append(int((as_utc(row.blocked_until) - now).total_seconds()) + 1)
    return max(waits)


def _record_failure(session: Session, username: str, client: str | None) -> None:
    now = utcnow()
    for key in _keys(username, client):
        row = session.get(SignInThrottle, key)
        if row is None:
            row = SignInThrottle(key=key, failures=0)
            session.add(row)
        elif now - as_utc(row.last_failure_at) > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        if row.failures > FREE_FAILURES:
            wait = min(timedelta(seconds=2 ** (row.failures - FREE_FAILURES)), MAX_WAIT[key.split(":")[0]])
            row.blocked_until = now + wait
            if row.failures == FREE_FAILURES + 1:  # the first wait: worth a line in the audit trail
                audit.record(session, actor=None, action="throttle", entity="sign_in", entity_id=key,
                             after={"failures": row.failures, "blocked_until": row.blocked_until})


def clear_throttle(*, session: Session, username: str) -> None:
    """Forget a username's failures (a good password, or a password set through a reset link)."""
    row = session.get(SignInThrottle, _keys(username, None)[0])
    if row is not None:
        session.delete(row)


# -- sign-in ----------------------------------------------------------------------------------------

DEACTIVATED = N_("This account is deactivated. Ask an administrator if you need access again.")


def password_sign_in(*, session: Session, username: str, password: str, client: str | None,
                     settings: Settings) -> SignedIn | Refused:
    """Check the password and open a session, or say why not (and count the failure)."""
    # A username no account can have (a control character, too long) is answered like any unknown one.
    username = text_rules.lookup_key(username, max_len=60) or (username.strip() and UNUSABLE)
    wait = wait_seconds(session=session, username=username, client=client)
    if wait:
        return Refused(_("Too many failed sign-ins. Wait {seconds} seconds and try again, or use \"Forgot your "
                         "password?\" to set a new password by mail.").format(seconds=wait), wait)
    user = session.exec(select(User).where(User.username == username)).first() if username else None
    if not check_password(password, user.password_hash if user else None):
        _record_failure(session, username, client)
        return Refused(_(WRONG))
    if not user.active:
        return Refused(_(DEACTIVATED))
    clear_throttle(session=session, username=username)
    return _open(session, user, "password", client, settings)


def sso_sign_in(*, session: Session, email: str, client: str | None,
                settings: Settings) -> SignedIn | Refused | None:
    """Open a session for the account whose email the identity provider vouched for (matched
    case-insensitively). None when there is no such account: the person may request access."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        return None
    if not user.active:
        return Refused(_(DEACTIVATED))
    return _open(session, user, "sso", client, settings)


def _open(session: Session, user: User, method: str, client: str | None, settings: Settings) -> SignedIn:
    token = new_token()
    now = utcnow()
    session.add(SignInSession(token_hash=token_digest(token, settings.cookie_key), user_id=user.id,
                              method=method, client=(client or "")[:64] or None, created_at=now,
                              last_seen_at=now, expires_at=now + timedelta(days=settings.session_max_days)))
    user.last_sign_in_at = now
    session.add(user)
    session.flush()
    actor = actor_for(session=session, username=user.username)
    audit.record(session, actor=actor, action="sign_in", entity="user", entity_id=user.username,
                 after={"method": method, "client": client})
    return SignedIn(token=token, actor=actor)


# -- every run --------------------------------------------------------------------------------------

def resume(*, session: Session, token: str, settings: Settings) -> Actor | None:
    """Who holds this session id, if it is still open and its user active; None otherwise. Runs on every
    click, so a role change or a deactivation takes effect at the next one."""
    row = session.exec(select(SignInSession).where(
        SignInSession.token_hash == token_digest(token, settings.cookie_key))).first()
    if row is None or row.ended_at is not None:
        return None
    now = utcnow()
    if as_utc(row.expires_at) <= now or now - as_utc(row.last_seen_at) > timedelta(days=settings.session_idle_days):
        row.ended_at, row.ended_reason = now, "expired"
        session.add(row)
        return None
    user = session.get(User, row.user_id)
    actor = actor_for(session=session, username=user.username) if user else None
    if actor is not None and now - as_utc(row.last_seen_at) > TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return actor


def sign_out(*, session: Session, token: str, settings: Settings) -> None:
    row = session.exec(select(SignInSession).where(
        SignInSession.token_hash == token_digest(token, settings.cookie_key))).first()
    if row is None or row.ended_at is not None:
        return
    row.ended_at, row.ended_reason = utcnow(), "sign_out"
    session.add(row)
    user = session.get(User, row.user_id)
    audit.record(session, actor=None if user is None else Actor(
        id=user.id, username=user.username, display_name=user.display_name, roles=frozenset()),
        action="sign_out", entity="user", entity_id=user.username if user else None)


def end_sessions(*, session: Session, user_id: int, reason: str, actor: Actor | None,
                 keep_token: str | None = None, settings: Settings | None = None) -> int:
    """End every open session of a user (deactivation, password change or reset), except the one holding
    `keep_token` (the browser that changed its own password). Returns how many were ended."""
    query = update(SignInSession).where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None))
    if keep_token and settings:
        query = query.where(SignInSession.token_hash != token_digest(keep_token, settings.cookie_key))
    ended = session.execute(query.values(ended_at=utcnow(), ended_reason=reason[:20])).rowcount
    if ended:
        audit.record(session, actor=actor, action="end_sessions", entity="user", entity_id=user_id,
                     after={"sessions": ended, "reason": reason})
    return ended
