"""User accounts, for the administrator ("users.manage"): search, create, edit, deactivate and reactivate
(never delete), password-reset links, an all-or-nothing CSV import and its export; and `create_admin` for
the command line.

- A new account has no password: the user gets an "activate your account" mail with a link that sets one
  (services.account_tokens). Mail only goes to the outbox table, so accounts can be made before SMTP is set up.
- One validation (`check_user`) for the form, the edit and the import; every problem is reported at once.
- Deactivation ends every session of the user at once. An administrator may not deactivate themselves, and
  the last active administrator keeps the Administrator role.
- Roles and components are re-read on every run (services.users.actor_for), so a change takes effect at
  the user's next click.

CSV format (UTF-8, a header row): username,display_name,email,roles,components. `roles` are role codes and
`components` component names, each `;`-separated. A cell starting with = + - @ (a spreadsheet formula) is
exported with a leading apostrophe, which the import strips again, so an export imports back unchanged.
"""

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import delete, func, insert, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import Component, User, UserComponent, UserRole, as_utc
from db.security import DEFAULT_ROUNDS, hash_password
from db.settings import Settings
from db.sql import string_agg
from locales import N_, _
from services import audit, passwords, text_rules
from services.csv_file import data_rows
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require
from services.tabular import CsvRows, safe_cell, unquote_cell

ENTITY = "user"
COLUMNS = ("username", "display_name", "email", "roles", "components")
SEARCH_COLUMNS = ["id", "username", "display_name", "email", "roles", "components", "active",
                  "last_sign_in_at"]
USERNAME_MIN, USERNAME_MAX = 3, 60
NAME_MAX = 120
EMAIL_MAX = 200
MAX_FILE_BYTES = 5 * 1024 * 1024
ROUNDS = DEFAULT_ROUNDS  # bcrypt cost of create_admin's password (tests lower it)
USERNAME_SHAPE = re.compile(r"^[A-Za-z0-9._-]+$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class UserValues:
    """What `check_user` accepted, cleaned: email lower-case, roles in vocabulary order, component ids sorted."""

    username: str | None
    display_name: str
    email: str
    roles: list[str]
    component_ids: list[int]


@dataclass
class _Known:
    """Who holds which username and email, and the components, as the validation sees them."""

    username_owner: Mapping[str, int]  # lower-case username -> user id
    email_owner: Mapping[str, int]  # email -> user id
    components: Mapping  # id (page) or name (file) -> Component


# -- spreadsheet cells --------------------------------------------------------------------------------

# -- validation ---------------------------------------------------------------------------------------

def _has_control(text: str) -> bool:
    """One line of plain text: no control character, line break or tab (services.text_rules); direction marks
    and other format characters of right-to-left names are fine."""
    return text_rules.has_control(text)


def _email_problem(email: str) -> str | None:
    if not email:
        return _("enter an email address")
    if len(email) > EMAIL_MAX:
        return _("use at most {max} characters (this one has {length})").format(max=EMAIL_MAX, length=len(email))
    if any(c.isspace() for c in email) or _has_control(email):
        return _("an email address has no spaces")
    local, at, domain = email.partition("@")
    if not at or "@" in domain or not local:
        return _("{email} is not an email address (it needs exactly one @ with a name before it)").format(
            email=repr(email))
    if "." not in domain or domain.startswith(".") or domain.endswith(".") or ".." in domain:
        return _("{email} is not an email address (the part after @ needs a dot, as in example.org)").format(
            email=repr(email))
    return None


def check_user(*, username: str | None, display_name: str, email: str, roles: Iterable[str],
               components: Iterable, known: _Known, user_id: int | None = None,
               kept_component_ids: Iterable[int] = ()) -> tuple[UserValues, list[FieldError]]:
    """Validate one account (create, update and import alike) and return the cleaned values with every
    problem found. `username` None: not checked (an update keeps it). `components` are keys of
    `known.components` (ids from the page, names from a file); a deactivated component may stay on a user who
    already has it (`kept_component_ids`) but not be given anew. `user_id` is the account being changed, so
    its own username and email are not "taken"."""
    errors: list[FieldError] = []
    name = (username or "").strip()
    if username is not None:
        if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
            errors.append(FieldError("username", _("use {min} to {max} characters (this one has {length})").format(
                min=USERNAME_MIN, max=USERNAME_MAX, length=len(name))))
        elif not USERNAME_SHAPE.match(name):
            errors.append(FieldError("username", _("use only letters, digits and . _ - (no spaces or accents)")))
        else:
            owner = known.username_owner.get(name.lower())
            if owner is not None and owner != user_id:
                errors.append(FieldError("username", _("the username {name} is already taken").format(name=name)))
    display = (display_name or "").strip()
    if not display:
        errors.append(FieldError("display_name", _("enter the person's name")))
    elif len(display) > NAME_MAX:
        errors.append(FieldError("display_name", _("use at most {max} characters (this one has {length})").format(
            max=NAME_MAX, length=len(display))))
    elif _has_control(display):
        errors.append(FieldError("display_name", _("the name may not contain control characters (tabs, line breaks)")))
    address = (email or "").strip().lower()
    problem = _email_problem(address)
    if problem:
        errors.append(FieldError("email", problem))
    else:
        owner = known.email_owner.get(address)
        if owner is not None and owner != user_id:
            errors.append(FieldError("email", _("another account already has the email {email}").format(email=address)))
    wanted_roles = [r.strip() for r in roles if r and r.strip()]
    unknown_roles = [r for r in dict.fromkeys(wanted_roles) if r not in vocab.ROLES]
    if unknown_roles:
        errors.append(FieldError("roles", _("unknown role(s): {roles} (use {known})").format(
            roles=", ".join(map(text_rules.shown, unknown_roles)), known=", ".join(vocab.ROLES))))
    elif not wanted_roles:
        errors.append(FieldError("roles", _("choose at least one role")))
    kept = set(kept_component_ids)
    component_ids: list[int] = []
    unknown, inactive = [], []
    for key in dict.fromkeys(c.strip() if isinstance(c, str) else c for c in components):
        if key in ("", None):
            continue
        found = known.components.get(key)
        if found is None:
            unknown.append(str(key))
        elif not found.active and found.id not in kept:
            inactive.append(found.name)
        else:
            component_ids.append(found.id)
    if unknown:
        errors.append(FieldError("components", _("unknown component(s): {names}").format(names=", ".join(unknown))))
    if inactive:
        errors.append(FieldError("components", _("deactivated component(s): {names}").format(
            names=", ".join(inactive))))
    values = UserValues(
        username=name if username is not None else None, display_name=display, email=address,
        roles=[r for r in vocab.ROLES if r in wanted_roles], component_ids=sorted(set(component_ids)),
    )
    return values, errors


def known_for(session: Session, *, username: str | None, email: str) -> _Known:
    """Lookups for one account: only the rows that could clash, and every component by id."""
    # A name or address no account can have (a NUL, longer than its column) is not looked up: the database
    # would answer a NUL with an error, and check_user refuses it anyway.
    owners: dict[str, int] = {}
    name = (text_rules.lookup_key(username, max_len=USERNAME_MAX) or "").lower()
    if name:
        found = session.exec(select(User.id).where(func.lower(User.username) == name)).first()
        if found is not None:
            owners[name] = found
    emails: dict[str, int] = {}
    address = (text_rules.lookup_key(email, max_len=EMAIL_MAX) or "").lower()
    if address:
        found = session.exec(select(User.id).where(User.email == address)).first()
        if found is not None:
            emails[address] = found
    return _Known(owners, emails, {c.id: c for c in session.exec(select(Component))})


def _other_active_admins(session: Session, excluding: Iterable[int]) -> int:
    return session.exec(
        select(func.count()).select_from(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.active, UserRole.role == "admin", User.id.not_in(list(excluding) or [-1]))
    ).one()


LAST_ADMIN = N_("{name} is the last active administrator: give another account the Administrator role "
                "first")


# -- reading ------------------------------------------------------------------------------------------

def _aggregates(session: Session):
    dialect = session.get_bind().dialect.name
    roles = (select(UserRole.user_id, string_agg(dialect, UserRole.role, "; ").label("names"))
             .group_by(UserRole.user_id).subquery())
    components = (select(UserComponent.user_id, string_agg(dialect, Component.name, "; ").label("names"))
                  .join(Component, Component.id == UserComponent.component_id)
                  .group_by(UserComponent.user_id).subquery())
    return roles, components


def _sorted_roles(text: str | None) -> str:
    if not isinstance(text, str) or not text:
        return ""
    have = set(text.split("; "))
    return "; ".join(r for r in vocab.ROLES if r in have)


def _sorted_names(text: str | None) -> str:
    if not isinstance(text, str) or not text:  # no row in the outer join: None, or NaN from pandas
        return ""
    return "; ".join(sorted(text.split("; "), key=str.casefold))


def search_users(*, session: Session, actor: Actor, text: str = "", roles: Iterable[str] = (),
                 component_id: int | None = None, active: bool | None = None,
                 signed_in_since: datetime | None = None, never_signed_in: bool = False) -> pd.DataFrame:
    """The accounts matching every filter given, one row each, roles and components aggregated in SQL:
    id, username, display_name, email, roles ("a; b", vocabulary order), components ("name; name"), active,
    last_sign_in_at (UTC). `text` matches words in the username, name or email."""
    require(actor, "users.manage")
    role_names, component_names = _aggregates(session)
    query = (
        select(User.id, User.username, User.display_name, User.email, role_names.c.names,
               component_names.c.names, User.active, User.last_sign_in_at)
        .join(role_names, role_names.c.user_id == User.id, isouter=True)
        .join(component_names, component_names.c.user_id == User.id, isouter=True)
        .order_by(func.lower(User.display_name), User.username)
    )
    for word in text_rules.search_text(text).split():
        pattern = f"%{word}%"
        query = query.where(or_(User.username.ilike(pattern), User.display_name.ilike(pattern),
                                User.email.ilike(pattern)))
    roles = [r for r in roles if r]
    if roles:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles))))
    if component_id is not None:
        query = query.where(User.id.in_(select(UserComponent.user_id)
                                        .where(UserComponent.component_id == component_id)))
    if active is not None:
        query = query.where(User.active == active)
    if signed_in_since is not None:
        since = signed_in_since if signed_in_since.tzinfo else signed_in_since.replace(tzinfo=UTC)
        query = query.where(User.last_sign_in_at >= since.astimezone(UTC))
    if never_signed_in:
        query = query.where(User.last_sign_in_at.is_(None))
    frame = pd.DataFrame(session.exec(query).all(), columns=SEARCH_COLUMNS)
    frame["roles"] = frame["roles"].map(_sorted_roles)
    frame["components"] = frame["components"].map(_sorted_names)
    frame["active"] = frame["active"].astype(bool)
    frame["last_sign_in_at"] = pd.to_datetime(frame["last_sign_in_at"].map(as_utc), utc=True)
    return frame


def user_detail(*, session: Session, actor: Actor, user_id: int) -> dict:
    """One account as the edit form shows it: roles and component ids as lists, never the password hash."""
    require(actor, "users.manage")
    user = _get(session, user_id)
    return {
        "id": user.id, "username": user.username, "display_name": user.display_name, "email": user.email,
        "roles": _roles(session, user.id), "component_ids": _component_ids(session, user.id),
        "active": user.active, "has_password": user.password_hash is not None,
        "created_at": as_utc(user.created_at), "last_sign_in_at": as_utc(user.last_sign_in_at),
    }


def component_choices(*, session: Session, actor: Actor) -> pd.DataFrame:
    """Every component for the forms and filters: id, name, active (sorted by name)."""
    require(actor, "users.manage")
    rows = session.exec(select(Component.id, Component.name, Component.active).order_by(Component.name)).all()
    return pd.DataFrame(rows, columns=["id", "name", "active"])


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no account {id}.").format(id=user_id))
    return user


def _roles(session: Session, user_id: int) -> list[str]:
    have = set(session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all())
    return [r for r in vocab.ROLES if r in have]


def _component_ids(session: Session, user_id: int) -> list[int]:
    return sorted(session.exec(select(UserComponent.component_id).where(UserComponent.user_id == user_id)).all())


def _names(components: Mapping[int, Component], ids: Iterable[int]) -> list[str]:
    return sorted((components[i].name for i in ids if i in components), key=str.casefold)


# -- writing ------------------------------------------------------------------------------------------

def _snapshot(values: UserValues, components: Mapping[int, Component]) -> dict:
    return {"display_name": values.display_name, "email": values.email, "roles": list(values.roles),
            "components": _names(components, values.component_ids)}


def _set_links(session: Session, user_id: int, roles: list[str], component_ids: list[int]) -> None:
    session.execute(delete(UserRole).where(UserRole.user_id == user_id))
    session.execute(delete(UserComponent).where(UserComponent.user_id == user_id))
    if roles:
        session.execute(insert(UserRole), [{"user_id": user_id, "role": r} for r in roles])
    if component_ids:
        session.execute(insert(UserComponent), [{"user_id": user_id, "component_id": c} for c in component_ids])


def create_user(*, session: Session, actor: Actor, username: str, display_name: str, email: str,
                roles: Iterable[str], components: Iterable[int], settings: Settings) -> User:
    """A new account with no password; the user is mailed a link to choose one (it waits in the outbox)."""
    from services import account_tokens

    require(actor, "users.manage")
    known = known_for(session, username=username, email=email)
    values, errors = check_user(username=username, display_name=display_name, email=email, roles=roles,
                                components=components, known=known)
    if errors:
        raise ValidationFailed(errors)
    user = User(username=values.username, display_name=values.display_name, email=values.email,
                password_hash=None)
    session.add(user)
    session.flush()
    _set_links(session, user.id, values.roles, values.component_ids)
    audit.record(session, actor=actor, action="create", entity=ENTITY, entity_id=user.username,
                 after={"username": user.username, **_snapshot(values, known.components), "active": True})
    account_tokens.send_activation(session=session, user=user, settings=settings)
    return user


def update_user(*, session: Session, actor: Actor, user_id: int, display_name: str, email: str,
                roles: Iterable[str], components: Iterable[int]) -> User:
    """Change an account's name, email, roles and components (the username stays)."""
    require(actor, "users.manage")
    user = _get(session, user_id)
    known = known_for(session, username=None, email=email)
    current_ids = _component_ids(session, user.id)
    values, errors = check_user(username=None, display_name=display_name, email=email, roles=roles,
                                components=components, known=known, user_id=user.id,
                                kept_component_ids=current_ids)
    current_roles = _roles(session, user.id)
    if ("admin" in current_roles and "admin" not in values.roles and user.active
            and not _other_active_admins(session, [user.id])):
        errors.append(FieldError("roles", _(LAST_ADMIN).format(name=user.display_name)))
    if errors:
        raise ValidationFailed(errors)
    before = {"display_name": user.display_name, "email": user.email, "roles": current_roles,
              "components": _names(known.components, current_ids)}
    after = _snapshot(values, known.components)
    if before == after:
        return user
    user.display_name, user.email = values.display_name, values.email
    session.add(user)
    if current_roles != values.roles or current_ids != values.component_ids:
        _set_links(session, user.id, values.roles, values.component_ids)
    session.flush()
    old, new = audit.changes(before, after)
    audit.record(session, actor=actor, action="update", entity=ENTITY, entity_id=user.username,
                 before=old, after=new)
    return user


def set_active(*, session: Session, actor: Actor, user_id: int, active: bool,
               settings: Settings | None = None) -> User:
    """Deactivate (every session of the user ends at once) or reactivate an account. Never deletes."""
    from services import sign_in

    require(actor, "users.manage")
    user = _get(session, user_id)
    if user.active == active:
        return user
    if not active:
        if user.id == actor.id:
            raise ValidationFailed([FieldError("active", _("You cannot deactivate your own account."))])
        if "admin" in _roles(session, user.id) and not _other_active_admins(session, [user.id]):
            raise ValidationFailed([FieldError("active", _(LAST_ADMIN).format(name=user.display_name))])
    user.active = active
    session.add(user)
    session.flush()
    audit.record(session, actor=actor, action="reactivate" if active else "deactivate", entity=ENTITY,
                 entity_id=user.username, before={"active": not active}, after={"active": active})
    if not active:
        sign_in.end_sessions(session=session, user_id=user.id, reason="deactivated", actor=actor,
                             settings=settings)
    return user


def send_reset_link(*, session: Session, actor: Actor, user_id: int, settings: Settings) -> None:
    """Mail the user a link to set a new password (their current one keeps working until then)."""
    from services import account_tokens

    require(actor, "users.manage")
    user = _get(session, user_id)
    if not user.active:
        raise ValidationFailed([FieldError("active", _("This account is deactivated: reactivate it first."))])
    account_tokens.send_reset(session=session, user=user, settings=settings)
    audit.record(session, actor=actor, action="send_reset_link", entity=ENTITY, entity_id=user.username,
                 after={"email": user.email})


def create_admin(*, session: Session, username: str, email: str, display_name: str, password: str) -> User:
    """The command line's first administrator (or another one): with a password, no mail."""
    known = known_for(session, username=username, email=email)
    values, errors = check_user(username=username, display_name=display_name, email=email, roles=["admin"],
                                components=(), known=known)
    try:
        passwords.check(password or "", username=values.username, email=values.email)
    except ValidationFailed as weak:
        errors += weak.errors
    if errors:
        raise ValidationFailed(errors)
    user = User(username=values.username, display_name=values.display_name, email=values.email,
                password_hash=hash_password(password, rounds=ROUNDS))
    session.add(user)
    session.flush()
    _set_links(session, user.id, ["admin"], [])
    audit.record(session, actor=None, action="create_admin", entity=ENTITY, entity_id=user.username,
                 after={"username": user.username, "display_name": user.display_name, "email": user.email,
                        "roles": ["admin"]})
    return user


# -- CSV import and export ----------------------------------------------------------------------------

@dataclass
class _Row:
    line: int
    username: str
    values: UserValues


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def import_users(*, engine: Engine, actor: Actor, data: bytes, settings: Settings) -> ImportResult:
    """Check every row of the file, then write it in one transaction: new usernames become accounts (mailed an
    activation link), existing ones are updated where they differ; accounts absent from the file are left
    alone. One bad row and nothing is written: ValidationFailed lists every problem with its line."""
    from services import account_tokens

    require(actor, "users.manage")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationFailed([FieldError(
            "file", _("the file is {size} MB; at most {max} MB").format(
                size=f"{len(data) / 1024 / 1024:.1f}", max=MAX_FILE_BYTES // 1024 // 1024), 1)])
    with transaction(engine) as session:
        users = {u.username: u for u in session.exec(select(User))}
        role_sets: dict[int, list[str]] = {}
        for user_id, role in session.exec(select(UserRole.user_id, UserRole.role)):
            role_sets.setdefault(user_id, []).append(role)
        component_sets: dict[int, list[int]] = {}
        for user_id, component_id in session.exec(select(UserComponent.user_id, UserComponent.component_id)):
            component_sets.setdefault(user_id, []).append(component_id)
        components = {c.id: c for c in session.exec(select(Component))}
        known = _Known(
            username_owner={u.username.lower(): u.id for u in users.values()},
            email_owner={},
            components={c.name: c for c in components.values()},
        )

        raw_rows, errors = [], []
        for line, cells in data_rows(data, COLUMNS, errors=errors):  # + size, cell and control-character checks
            if len(cells) != len(COLUMNS):
                errors.append(FieldError("row", _("expected {expected} values, found {found}").format(
                    expected=len(COLUMNS), found=len(cells)), line))
            else:
                raw_rows.append((line, dict(zip(COLUMNS, (unquote_cell(c.strip()) for c in cells)))))
        # An account in the file gives up its current email (it may move to another row, as in a swap);
        # the emails of accounts absent from the file stay taken. Duplicates within the file are caught below.
        in_file = {raw["username"] for _, raw in raw_rows}
        known.email_owner = {u.email: u.id for u in users.values() if u.username not in in_file}

        rows: list[_Row] = []
        first_username: dict[str, int] = {}
        first_email: dict[str, int] = {}
        for line, raw in raw_rows:
            current = users.get(raw["username"])
            user_id = current.id if current else None
            values, row_errors = check_user(
                username=raw["username"], display_name=raw["display_name"], email=raw["email"],
                roles=_split(raw["roles"]), components=_split(raw["components"]), known=known,
                user_id=user_id, kept_component_ids=component_sets.get(user_id, ()) if user_id else (),
            )
            key = raw["username"].lower()
            if key and key in first_username:
                row_errors = [e for e in row_errors if e.field != "username"]
                row_errors.append(FieldError("username", _("duplicate username {name} (first on line {line})").format(
                    name=raw["username"], line=first_username[key])))
            elif key:
                first_username[key] = line
            if values.email and not any(e.field == "email" for e in row_errors):
                if values.email in first_email:
                    row_errors.append(FieldError("email", _("duplicate email {email} (first on line {line})").format(
                        email=values.email, line=first_email[values.email])))
                else:
                    first_email[values.email] = line
            for e in row_errors:
                e.line = line
            errors.extend(row_errors)
            if not row_errors:
                rows.append(_Row(line, values.username, values))

        if not errors:
            errors.extend(_admin_errors(rows, users, role_sets, actor))
        if errors:
            raise ValidationFailed(errors)

        result = ImportResult()
        new_rows: list[_Row] = []
        changed: list[tuple[User, _Row, dict, dict]] = []
        for row in rows:
            current = users.get(row.username)
            if current is None:
                new_rows.append(row)
                continue
            before = {"display_name": current.display_name, "email": current.email,
                      "roles": [r for r in vocab.ROLES if r in role_sets.get(current.id, [])],
                      "components": _names(components, component_sets.get(current.id, []))}
            after = _snapshot(row.values, components)
            if before == after:
                result.unchanged += 1
            else:
                changed.append((current, row, before, after))

        _apply_updates(session, actor, changed, role_sets, component_sets)
        result.updated = len(changed)

        created = [User(username=r.username, display_name=r.values.display_name, email=r.values.email,
                        password_hash=None) for r in new_rows]
        session.add_all(created)
        session.flush()  # one multi-row INSERT ... RETURNING: the ids
        role_links, component_links = [], []
        for user, row in zip(created, new_rows):
            role_links += [{"user_id": user.id, "role": r} for r in row.values.roles]
            component_links += [{"user_id": user.id, "component_id": c} for c in row.values.component_ids]
            audit.record(session, actor=actor, action="create", entity=ENTITY, entity_id=user.username,
                         after={"username": user.username, **_snapshot(row.values, components), "active": True})
        if role_links:
            session.execute(insert(UserRole), role_links)
        if component_links:
            session.execute(insert(UserComponent), component_links)
        if created:
            account_tokens.send_activations(session, users=created, settings=settings)
        result.created = len(created)
        audit.record(session, actor=actor, action="import", entity="users",
                     after={"created": result.created, "updated": result.updated, "unchanged": result.unchanged})
        return result


def _admin_errors(rows: list[_Row], users: dict[str, User], role_sets: dict[int, list[str]],
                  actor: Actor) -> list[FieldError]:
    """The file may not leave nobody active with the Administrator role."""
    in_file = {r.username: r for r in rows}
    remaining = 0
    losing: list[_Row] = []
    for user in users.values():
        had = "admin" in role_sets.get(user.id, [])
        row = in_file.get(user.username)
        keeps = ("admin" in row.values.roles) if row else had
        if user.active and keeps:
            remaining += 1
        if row and had and not keeps and user.active:
            losing.append(row)
    remaining += sum(1 for r in rows if r.username not in users and "admin" in r.values.roles)
    if remaining or not losing:
        return []
    return [FieldError("roles", _(LAST_ADMIN).format(name=users[r.username].display_name), r.line) for r in losing]


def _apply_updates(session: Session, actor: Actor, changed: list, role_sets: dict, component_sets: dict) -> None:
    if not changed:
        return
    # Two accounts swapping emails would clash halfway through on the unique index: free them first.
    moving = [user for user, row, before, after in changed if before["email"] != after["email"]]
    for user in moving:
        user.email = f"moving-{user.id}@import.invalid"
        session.add(user)
    session.flush()
    links_changed: list[tuple[int, UserValues]] = []
    for user, row, before, after in changed:
        user.display_name, user.email = row.values.display_name, row.values.email
        session.add(user)
        if before["roles"] != after["roles"] or sorted(component_sets.get(user.id, [])) != row.values.component_ids:
            links_changed.append((user.id, row.values))
        old, new = audit.changes(before, after)
        audit.record(session, actor=actor, action="update", entity=ENTITY, entity_id=user.username,
                     before=old, after=new)
    session.flush()
    if links_changed:
        ids = [user_id for user_id, _ in links_changed]
        session.execute(delete(UserRole).where(UserRole.user_id.in_(ids)))
        session.execute(delete(UserComponent).where(UserComponent.user_id.in_(ids)))
        roles = [{"user_id": i, "role": r} for i, v in links_changed for r in v.roles]
        comps = [{"user_id": i, "component_id": c} for i, v in links_changed for c in v.component_ids]
        if roles:
            session.execute(insert(UserRole), roles)
        if comps:
            session.execute(insert(UserComponent), comps)


def export_users(*, session: Session, actor: Actor) -> bytes:
    """Every account in the import format (UTF-8 with a byte-order mark, so spreadsheets read accents),
    formula-like cells neutralised; sorted by username."""
    require(actor, "users.manage")
    role_names, component_names = _aggregates(session)
    rows = session.exec(
        select(User.username, User.display_name, User.email, role_names.c.names, component_names.c.names)
        .join(role_names, role_names.c.user_id == User.id, isouter=True)
        .join(component_names, component_names.c.user_id == User.id, isouter=True)
        .order_by(User.username)
    ).all()
    out = io.StringIO(newline="")
    writer = CsvRows(out)  # csv.writer's rows, a carriage return quoted too
    writer.writerow(COLUMNS)
    for username, display_name, email, roles, components in rows:
        writer.writerow([safe_cell(v) for v in (username, display_name, email, _sorted_roles(roles),
                                                _sorted_names(components))])
    return out.getvalue().encode("utf-8-sig")
