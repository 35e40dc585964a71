"""Which mail each user receives, and the unsubscribe link every optional mail carries.

- A user chooses per kind of mail (db/vocab.MAIL_KINDS) whether it is off, sent immediately, or gathered
  in a daily digest (table mail_preference). Without a row the kind's default applies (MAIL_KIND_DEFAULTS;
  the weekly digest is on by default for the roles that may receive it, "digest.weekly", and only they
  may turn it on).
- `unsubscribe_link` signs (user id, kind) with HMAC-SHA256 under a key derived from the cookie key: the link
  needs no table and never expires, and nobody can forge one for another user or kind. `unsubscribe`
  honours it at once (delivery "off", an audit event) and refuses a forged or damaged token.
"""

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from db import vocab
from db.engine import transaction
from db.models import MailPreference, User, UserRole
from db.settings import Settings
from locales import N_, _
from services import audit
from services.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from services.permissions import Actor, can, roles_for

QUERY_PARAM = "unsubscribe"  # the app opens an unsubscribe link at ?unsubscribe=<token> (ui/unsubscribe.py)
BAD_TOKEN = N_("This unsubscribe link is not valid (it was changed or cut short). Change your mail choices on My "
               "account.")


def _roles(session: Session, user_id: int) -> frozenset[str]:
    return frozenset(session.exec(select(UserRole.role).where(UserRole.user_id == user_id)).all())


def _may_receive_weekly_digest(session: Session, user_id: int) -> bool:
    """The digest tells what is overdue by focal point and component: only for the roles of "digest.weekly"
    (and the administrator, who may choose it)."""
    return can(Actor(id=user_id, username="", display_name="", roles=_roles(session, user_id)), "digest.weekly")


def _default(session: Session, user_id: int, kind: str) -> str:
    if kind == "weekly_digest":  # on for the roles the table names; the administrator chooses it
        return "immediate" if _roles(session, user_id) & roles_for("digest.weekly") else "off"
    return vocab.MAIL_KIND_DEFAULTS[kind]


def _check_kind(kind: str) -> None:
    if kind not in vocab.MAIL_KINDS:
        raise ValueError(f"kind must be one of {vocab.MAIL_KINDS}, not {kind!r}")


def delivery(session: Session, user_id: int, kind: str) -> str:
    """How `user_id` wants mail of `kind`: "off", "immediate" or "digest" (the default without a choice)."""
    _check_kind(kind)
    row = session.get(MailPreference, (user_id, kind))
    return row.delivery if row else _default(session, user_id, kind)


def preferences(session: Session, user_id: int) -> dict[str, str]:
    """Every kind with the user's delivery, in the order of MAIL_KINDS."""
    return {kind: delivery(session, user_id, kind) for kind in vocab.MAIL_KINDS}


def _store(session: Session, *, actor: Actor | None, user_id: int, kind: str, choice: str, action: str) -> None:
    before = delivery(session, user_id, kind)
    row = session.get(MailPreference, (user_id, kind))
    if row is None:
        session.add(MailPreference(user_id=user_id, kind=kind, delivery=choice))
    else:
        row.delivery = choice
        session.add(row)
    session.flush()
    audit.record(session, actor=actor, action=action, entity="mail_preference", entity_id=f"{user_id}:{kind}",
                 before={"delivery": before}, after={"delivery": choice})


def set_delivery(session_or_engine: Session | Engine, actor: Actor | None, user_id: int, kind: str,
                 delivery: str) -> None:
    """Choose how `user_id` receives `kind`: one's own account, or any account for the administrator. Given
    an engine, the change is committed in a transaction of its own."""
    if isinstance(session_or_engine, Engine):
        with transaction(session_or_engine) as session:
            return set_delivery(session, actor, user_id, kind, delivery)
    session = session_or_engine
    if actor is None or not ((actor.id == user_id and can(actor, "account.edit")) or can(actor, "users.manage")):
        who = actor.username if actor else _("an anonymous user")
        raise PermissionDenied(_("{who} may not change the mail choices of another account.").format(who=who))
    if kind not in vocab.MAIL_KINDS:
        raise ValidationFailed([FieldError("kind", _("Choose one of the kinds of mail listed"))])
    if delivery not in vocab.MAIL_DELIVERIES:
        raise ValidationFailed([FieldError(kind, _("Choose off, immediately or in a daily digest"))])
    if session.get(User, user_id) is None:
        raise NotFound(_("There is no user {id}.").format(id=user_id))
    if kind == "weekly_digest" and delivery != "off" and not _may_receive_weekly_digest(session, user_id):
        raise PermissionDenied(_("The weekly digest is for the Secretariat and leadership."))
    _store(session, actor=actor, user_id=user_id, kind=kind, choice=delivery, action="mail_preference.set")


# -- unsubscribe links --------------------------------------------------------------------------------

def _key(settings: Settings) -> bytes:
    # A key of its own, derived from the cookie key: a signature made here is worth nothing as a cookie.
    return hmac.new(settings.cookie_key.encode(), b"resolutions-tracker unsubscribe v1", hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def unsubscribe_token(settings: Settings, user_id: int, kind: str) -> str:
    _check_kind(kind)
    payload = f"{user_id}:{kind}".encode()
    signature = hmac.new(_key(settings), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def unsubscribe_link(settings: Settings, user_id: int, kind: str) -> str:
    """The link in the mail's text: it opens the app's page that asks, without signing in, whether to turn mail
    of `kind` off for `user_id` (ui/unsubscribe.py). It asks rather than acts: mail scanners open links."""
    return f"{settings.public_url.rstrip('/')}/?{QUERY_PARAM}={unsubscribe_token(settings, user_id, kind)}"


ONE_CLICK_PATH = "/mail/unsubscribe"  # served by asgi.py


def one_click_link(page_link: str) -> str:
    """The List-Unsubscribe address of a mail whose text carries `page_link` (RFC 8058): a mail client POSTs
    "List-Unsubscribe=One-Click" to it and the mail is turned off at once; a GET (a person, a scanner) is sent
    on to the asking page. Derived from the stored page link, so mails already queued get it too."""
    parts = urlsplit(page_link)
    token = parse_qs(parts.query).get(QUERY_PARAM, [""])[0]
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + ONE_CLICK_PATH,
                       urlencode({"token": token}), ""))


def read_token(settings: Settings, token: str) -> tuple[int, str]:
    """(user id, kind) of a genuine token; ValidationFailed for anything else."""
    try:
        payload_text, signature_text = (token or "").strip().split(".")
        payload, signature = _unb64(payload_text), _unb64(signature_text)
        expected = hmac.new(_key(settings), payload, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):  # constant time
            raise ValueError("bad signature")
        user_text, kind = payload.decode().split(":")
        user_id = int(user_text)
    except (ValueError, UnicodeError):  # binascii.Error is a ValueError
        raise ValidationFailed([FieldError(QUERY_PARAM, _(BAD_TOKEN))]) from None
    if kind not in vocab.MAIL_KINDS:
        raise ValidationFailed([FieldError(QUERY_PARAM, _(BAD_TOKEN))])
    return user_id, kind


def unsubscribe(engine: Engine, token: str, settings: Settings | None = None) -> tuple[int, str]:
    """Turn off the mail the link names (at once; an audit event); returns (user id, kind)."""
    if settings is None:
        from db.settings import load_settings

        settings = load_settings()
    user_id, kind = read_token(settings, token)
    with transaction(engine) as session:
        user = session.get(User, user_id)
        if user is None:
            raise ValidationFailed([FieldError(QUERY_PARAM, _(BAD_TOKEN))])
        owner = Actor(id=user.id, username=user.username, display_name=user.display_name, roles=frozenset())
        _store(session, actor=owner, user_id=user_id, kind=kind, choice="off", action="mail_preference.unsubscribe")
    return user_id, kind
