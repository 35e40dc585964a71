"""Users, roles and sign-in: the users table is the source of truth for the authenticator."""

from datetime import timedelta

import bcrypt
from sqlmodel import Session, select

from db.models import User, UserComponent, UserRole, utcnow
from services import audit
from services.permissions import Actor


def hash_password(password: str, rounds: int = 12) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode("utf-8"), password_hash.encode("ascii"))


def credentials(*, session: Session, max_failed_logins: int) -> dict:
    """The authenticator's credentials dict, built from active users. A locked user is handed over
    with their failure count at the maximum, so the authenticator refuses them without checking."""
    now = utcnow()
    roles = _roles_by_user(session)
    users = {}
    for user in session.exec(select(User).where(User.active)):
        locked = user.locked_until is not None and user.locked_until > now
        users[user.username] = {
            "name": user.display_name,
            "email": user.email,
            "password": user.password_hash,
            "roles": roles.get(user.id, []),
            "failed_login_attempts": max_failed_logins if locked else 0,
            "locked": locked,
        }
    return {"usernames": users}


def _roles_by_user(session: Session) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for user_id, role in session.exec(select(UserRole.user_id, UserRole.role)):
        out.setdefault(user_id, []).append(role)
    return out


def record_failed_login(*, session: Session, username: str, max_failed_logins: int, lock_minutes: int) -> int:
    """Count a failed sign-in; at the limit the account is locked for a while. Returns minutes locked (0 if not)."""
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None:
        return 0
    now = utcnow()
    if user.locked_until and user.locked_until <= now:
        user.failed_logins = 0
        user.locked_until = None
    user.failed_logins += 1
    if user.failed_logins >= max_failed_logins:
        user.locked_until = now + timedelta(minutes=lock_minutes)
        audit.record(session, actor=None, action="lock", entity="user", entity_id=username,
                     after={"locked_until": user.locked_until, "failed_logins": user.failed_logins})
        return lock_minutes
    return 0


def lock_remaining_minutes(*, session: Session, username: str) -> int:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is None or user.locked_until is None:
        return 0
    seconds = (user.locked_until - utcnow()).total_seconds()
    return max(0, int(seconds // 60) + 1) if seconds > 0 else 0


def record_successful_login(*, session: Session, username: str) -> None:
    user = session.exec(select(User).where(User.username == username)).first()
    if user is not None and (user.failed_logins or user.locked_until):
        user.failed_logins = 0
        user.locked_until = None


def actor_for(*, session: Session, username: str) -> Actor | None:
    user = session.exec(select(User).where(User.username == username, User.active)).first()
    if user is None:
        return None
    roles = session.exec(select(UserRole.role).where(UserRole.user_id == user.id)).all()
    components = session.exec(
        select(UserComponent.component_id).where(UserComponent.user_id == user.id)
    ).all()
    return Actor(
        id=user.id, username=user.username, display_name=user.display_name,
        roles=frozenset(roles), component_ids=frozenset(components),
    )
