"""Access requests: someone signed in by single sign-on whose email has no account asks for an
organisation and a role; an administrator approves (which creates the account) or declines.

- `submit_request` needs no actor: the identity provider vouched for the email. One pending request per
  address; every active administrator is told by mail.
- `approve` creates the account without a password (the person signs in with single sign-on), with the
  roles and organisations the administrator chose, and tells the person by mail; `decline` tells them too.
- A request is decided once: the decision is a conditional UPDATE on a pending row, so two administrators
  deciding the same request at once cannot both succeed.
"""

import re
import unicodedata
from datetime import datetime

import pandas as pd
from sqlalchemy import func, update
from sqlmodel import Session, select

import locales
from db import vocab
from db.models import AccessRequest, Component, User, UserComponent, UserRole, utcnow
from db.settings import Settings
from locales import N_, _
from services import accounts, audit, mail, text_rules
from services.errors import FieldError, NotFound, ValidationFailed
from services.permissions import Actor, require

MAX_MESSAGE = 2000
MAX_NOTE = 2000
ASKABLE_ROLES = tuple(r for r in vocab.ROLES if r != "admin")  # nobody asks to be administrator
# Shown as _(USERNAME_RULE).format(min=accounts.USERNAME_MIN, max=accounts.USERNAME_MAX)
USERNAME_RULE = N_("{min} to {max} characters: letters, digits and . _ - (no spaces or accents)")
LIST_COLUMNS = ["id", "created_at", "name", "email", "component", "role", "message", "state",
                "decided_at", "decided_by", "component_id", "decision_note", "language"]


# -- small checks ---------------------------------------------------------------------------------------

def _has_control(text: str) -> bool:
    """Control characters other than newline and tab (a pasted NUL, escape sequences, ...): services.text_rules."""
    return text_rules.has_control(text, multiline=True)


def _free_text(value: str | None, field: str, limit: int, errors: list[FieldError]) -> str | None:
    text = text_rules.check_text(
        value, field=field, max_len=limit, multiline=True, errors=errors,
        too_long=_("use at most {max_len} characters (this text has {length})"),
        control=_("remove the control characters ({chars}): only line breaks and tabs are allowed"))
    return text or None


def _clean_name(name: str | None, email: str) -> str:
    """The display name as the provider gave it, made safe: one line, no control characters, at most 120."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in (name or ""))
    text = " ".join(text.split())[:120]
    return text or email.partition("@")[0][:120]


def _date(moment: datetime) -> str:
    return locales.format_short_date(moment)


def _component_label(component: Component | None) -> str:
    if component is None:
        return "—"
    return f"{component.name} ({component.acronym})" if component.acronym else component.name


def _get(session: Session, request_id: int) -> AccessRequest:
    request = session.get(AccessRequest, request_id)
    if request is None:
        raise NotFound(_("There is no access request {id}.").format(id=request_id))
    return request


# -- reads ----------------------------------------------------------------------------------------------

def organisations(*, session: Session) -> pd.DataFrame:
    """The active organisations a person may ask to report for (id, label, kind), by name. Public: the
    person asking has no account yet."""
    rows = session.exec(select(Component).where(Component.active).order_by(Component.name)).all()
    return pd.DataFrame([{"id": c.id, "label": _component_label(c), "kind": c.kind} for c in rows],
                        columns=["id", "label", "kind"])


def pending_for(*, session: Session, email: str) -> AccessRequest | None:
    """The pending request of this address, if there is one."""
    address = (text_rules.lookup_key(email, max_len=200) or "").lower()  # a NUL: no request, not a database error
    if not address:
        return None
    return session.exec(select(AccessRequest).where(
        AccessRequest.email == address, AccessRequest.state == "pending")).first()


def list_requests(*, session: Session, actor: Actor | None, state: str | None = "pending") -> pd.DataFrame:
    """Access requests in `state` ("pending", "approved", "declined"; "decided" for both of the last two;
    None for all): pending ones oldest first (a queue), the others newest decision first."""
    require(actor, "access.review")
    query = select(AccessRequest)
    if state == "decided":
        query = query.where(AccessRequest.state != "pending")
    elif state is not None:
        if state not in vocab.ACCESS_REQUEST_STATES:
            raise ValidationFailed([FieldError("state", _("unknown state {state}").format(state=repr(state)))])
        query = query.where(AccessRequest.state == state)
    if state == "pending":
        query = query.order_by(AccessRequest.created_at, AccessRequest.id)
    else:
        query = query.order_by(AccessRequest.decided_at.desc(), AccessRequest.id.desc())
    requests = session.exec(query).all()
    components = {c.id: c for c in session.exec(select(Component).where(
        Component.id.in_({r.component_id for r in requests if r.component_id}))).all()}
    deciders = dict(session.exec(select(User.id, User.display_name).where(
        User.id.in_({r.decided_by for r in requests if r.decided_by}))).all())
    return pd.DataFrame([{
        "id": r.id, "created_at": r.created_at, "name": r.name, "email": r.email,
        "component": _component_label(components.get(r.component_id)) if r.component_id else None,
        "role": r.role, "message": r.message, "state": r.state, "decided_at": r.decided_at,
        "decided_by": deciders.get(r.decided_by), "component_id": r.component_id,
        "decision_note": r.decision_note, "language": r.language,
    } for r in requests], columns=LIST_COLUMNS)


def suggest_username(*, session: Session, email: str) -> str:
    """A free username from the email's local part: lower-case, only the allowed characters, numbered
    when taken ("jdoe", "jdoe2", ...)."""
    local = (email or "").partition("@")[0].lower()
    base = re.sub(r"[^a-z0-9._-]", "", unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode())
    base = base.lstrip("._-")[:accounts.USERNAME_MAX - 4] or "user"
    base = base.ljust(accounts.USERNAME_MIN, "1")
    taken = {name.lower() for name in session.exec(
        select(User.username).where(func.lower(User.username).startswith(base, autoescape=True))).all()}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


# -- the person asking ----------------------------------------------------------------------------------

def submit_request(*, session: Session, email: str, name: str | None, component_id: int | None, role: str,
                   message: str | None, settings: Settings | None = None,
                   language: str | None = None) -> AccessRequest:
    """Ask for access as `email` (vouched for by the identity provider; this person has no account), in
    `language` (the interface language of the form; by default the run's): the decision is mailed in it and
    an approved account starts in it. Raises ValidationFailed listing every problem (fields "email", "role",
    "component_id", "message")."""
    errors: list[FieldError] = []
    address = (email or "").strip().lower()
    if not address or "@" not in address or len(address) > 200 or any(c.isspace() for c in address) \
            or _has_control(address):
        errors.append(FieldError("email", _("the identity provider gave no usable email address")))
    elif session.exec(select(User.id).where(User.email == address)).first() is not None:
        errors.append(FieldError("email", _("an account already uses this address: sign in with it")))
    else:
        waiting = pending_for(session=session, email=address)
        if waiting is not None:
            errors.append(FieldError(
                "email", _("Your request of {date} is waiting for an administrator.").format(
                    date=_date(waiting.created_at))))
    if role not in ASKABLE_ROLES:
        errors.append(FieldError("role", _("choose one of the roles offered")))
    component = None
    if component_id is not None:
        component = session.get(Component, component_id)
        if component is None or not component.active:
            errors.append(FieldError("component_id", _("this organisation does not exist or is no longer active")))
    elif role == "reporter":
        errors.append(FieldError("component_id", _("choose the organisation you report for")))
    text = _free_text(message, "message", MAX_MESSAGE, errors)
    if errors:
        raise ValidationFailed(errors)

    request = AccessRequest(email=address, name=_clean_name(name, address), component_id=component_id,
                            role=role, message=text, language=locales.valid(language) or locales.current())
    session.add(request)
    session.flush()
    audit.record(session, actor=None, action="request_access", entity="access_request", entity_id=request.id,
                 after={"email": address, "name": request.name, "component_id": component_id, "role": role,
                        "language": request.language})
    for admin_email, admin_language in _admins(session):
        with locales.use(admin_language):  # each administrator in their own language
            link = f"{settings.public_url}/access_requests" if settings else _("the Access requests page")
            body = _("{name} <{email}> signed in with IUCN Accounts and asks for access to the "
                     "Resolutions Tracker.\n\n"
                     "Organisation: {organisation}\n"
                     "Role wanted: {role}\n"
                     "Message:\n{message}\n\n"
                     "Approve or decline it on {link}.\n").format(
                name=request.name, email=address, organisation=_component_label(component) if component else "—",
                role=_(vocab.ROLE_LABELS[role]), message=text or "—", link=link)
            subject = _("Access request from {name}").format(name=request.name)
        mail.queue(session, to=admin_email, subject=subject, body=body)
    return request


def _admins(session: Session) -> list[tuple[str, str]]:
    """(email, language) of every active administrator."""
    return list(session.exec(select(User.email, User.language).join(UserRole, UserRole.user_id == User.id).where(
        UserRole.role == "admin", User.active).order_by(User.email)).all())


# -- the administrator ----------------------------------------------------------------------------------

def _decide(session: Session, request: AccessRequest, actor: Actor, state: str, note: str | None,
            user_id: int | None = None) -> None:
    """Mark a pending request decided; refuses (ValidationFailed on "request") if someone else did first."""
    now = utcnow()
    done = session.execute(update(AccessRequest).where(
        AccessRequest.id == request.id, AccessRequest.state == "pending").values(
        state=state, decided_by=actor.id, decided_at=now, decision_note=note, user_id=user_id)).rowcount
    if not done:
        raise ValidationFailed([FieldError("request", _("this request has already been decided"))])
    session.refresh(request)


def approve(*, session: Session, actor: Actor | None, request_id: int, username: str, roles: list[str],
            component_ids: list[int], note: str | None, settings: Settings) -> User:
    """Create the account the request asks for (no password: the person signs in with single sign-on),
    with `roles` and `component_ids`, mark the request approved and mail the person."""
    require(actor, "access.review")
    request = _get(session, request_id)
    errors: list[FieldError] = []
    if request.state != "pending":
        errors.append(FieldError("request", _("this request has already been decided")))
    # The same checks as an account the administrator makes by hand (services.accounts).
    known = accounts.known_for(session, username=username, email=request.email)
    values, problems = accounts.check_user(username=username, display_name=request.name, email=request.email,
                                           roles=roles or [], components=component_ids or [], known=known)
    for problem in problems:
        # the email and name come from the request: a clash there is about the request, not a field
        errors.append(problem if problem.field in ("username", "roles", "components")
                      else FieldError("request", problem.message))
    if "reporter" in values.roles and not values.component_ids and not any(
            e.field == "components" for e in errors):
        errors.append(FieldError("components", _("a component focal point needs at least one organisation")))
    text = _free_text(note, "note", MAX_NOTE, errors)
    if errors:
        raise ValidationFailed(errors)

    user = User(username=values.username, display_name=values.display_name, email=values.email,
                password_hash=None, language=request.language)  # the language they asked in
    session.add(user)
    session.flush()
    for role in values.roles:
        session.add(UserRole(user_id=user.id, role=role))
    for component_id in values.component_ids:
        session.add(UserComponent(user_id=user.id, component_id=component_id))
    session.flush()
    _decide(session, request, actor, "approved", text, user.id)
    audit.record(session, actor=actor, action="create", entity="user", entity_id=user.username,
                 after={"username": user.username, "display_name": user.display_name, "email": user.email,
                        "roles": values.roles, "component_ids": values.component_ids,
                        "language": user.language, "access_request_id": request.id})
    audit.record(session, actor=actor, action="approve", entity="access_request", entity_id=request.id,
                 before={"state": "pending"},
                 after={"state": "approved", "user": user.username, "note": text})
    with locales.use(request.language):  # the language the request was made in (the new account's)
        labels = ", ".join(_(vocab.ROLE_LABELS[r]) for r in values.roles)
        subject = _("Your access to the Resolutions Tracker is approved")
        body = _("Hello {name},\n\nYour access to the Resolutions Tracker is approved (role: {roles}).\n"
                 "Sign in with IUCN Accounts at {link}\n").format(name=request.name, roles=labels,
                                                                   link=settings.public_url)
        if text:
            body += "\n" + _("Note from the administrator:\n{note}").format(note=text) + "\n"
    mail.queue(session, to=request.email, subject=subject, body=body)
    return user


def decline(*, session: Session, actor: Actor | None, request_id: int, note: str | None,
            settings: Settings) -> AccessRequest:
    """Decline a pending request and tell the person (with the note, if any)."""
    require(actor, "access.review")
    request = _get(session, request_id)
    errors: list[FieldError] = []
    if request.state != "pending":
        errors.append(FieldError("request", _("this request has already been decided")))
    text = _free_text(note, "note", MAX_NOTE, errors)
    if errors:
        raise ValidationFailed(errors)
    _decide(session, request, actor, "declined", text)
    audit.record(session, actor=actor, action="decline", entity="access_request", entity_id=request.id,
                 before={"state": "pending"}, after={"state": "declined", "note": text})
    with locales.use(request.language):  # the person has no account: the language they asked in
        subject = _("Your request for access to the Resolutions Tracker")
        body = _("Hello {name},\n\nAn administrator has declined your request for access to the Resolutions "
                 "Tracker ({link}).\n").format(name=request.name, link=settings.public_url)
        if text:
            body += "\n" + _("Their note:\n{note}").format(note=text) + "\n"
        body += "\n" + _("If you think this is a mistake, reply to the person who invited you or ask the "
                         "IUCN Secretariat.") + "\n"
    mail.queue(session, to=request.email, subject=subject, body=body)
    return request
