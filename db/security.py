"""Security primitives, below db and services alike: password hashes (bcrypt), random tokens and their
stored digests. Nothing here knows a table; everything that stores a secret goes through it."""

import hashlib
import hmac
import secrets
from functools import cache

import bcrypt

BCRYPT_MAX_BYTES = 72  # bcrypt reads no further: a longer password would be cut silently
DEFAULT_ROUNDS = 12


def hash_password(password: str, rounds: int = DEFAULT_ROUNDS) -> str:
    data = password.encode("utf-8")
    if len(data) > BCRYPT_MAX_BYTES:
        raise ValueError(f"a password is at most {BCRYPT_MAX_BYTES} bytes for bcrypt")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds)).decode("ascii")


def check_password(password: str, password_hash: str | None) -> bool:
    """True when `password` matches. With no hash (an account without a password yet) a dummy hash is
    checked all the same, so the answer takes as long whether or not the account can sign in."""
    data = password.encode("utf-8")[:BCRYPT_MAX_BYTES]
    matches = bcrypt.checkpw(data, (password_hash or _dummy_hash()).encode("ascii"))
    return matches and password_hash is not None


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def new_token() -> str:
    """A random, URL-safe secret of 256 bits, for a cookie or a link."""
    return secrets.token_urlsafe(32)


def token_digest(token: str, key: str = "") -> str:
    """What is stored for a token: its HMAC-SHA256 under `key` (the cookie key for sessions, so changing
    RT_COOKIE_KEY ends every session). The token has 256 random bits, so no salt or slow hash is needed,
    and a leaked table gives nobody a working link or cookie."""
    return hmac.new(key.encode("utf-8"), token.encode("utf-8"), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
