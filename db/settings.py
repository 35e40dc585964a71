"""One settings object, read from the environment (or Streamlit secrets through the environment)."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT / 'data' / 'tracker.db'}"
DEMO_COOKIE_KEY = "demo-only-cookie-key-not-for-production"


class ConfigurationError(RuntimeError):
    """The app must not start with this configuration; the message says why."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_mode: bool
    cookie_key: str
    cookie_name: str = "resolutions_tracker_auth"
    cookie_expiry_days: float = 7.0
    max_failed_logins: int = 5
    lock_minutes: int = 15

    def check(self) -> None:
        """Refuse to run outside demo mode with a missing or default cookie key."""
        if self.demo_mode:
            return
        if not self.cookie_key or self.cookie_key == DEMO_COOKIE_KEY:
            raise ConfigurationError(
                "RT_COOKIE_KEY is not set (or is the demo key). Outside demo mode the app needs a "
                "secret cookie key of its own: set RT_COOKIE_KEY to a long random string, "
                "for example the output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`."
            )
        if len(self.cookie_key) < 16:
            raise ConfigurationError("RT_COOKIE_KEY is too short: use at least 16 random characters.")


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def load_settings() -> Settings:
    demo = _flag(os.environ.get("RT_DEMO"))
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL,
        demo_mode=demo,
        cookie_key=os.environ.get("RT_COOKIE_KEY") or (DEMO_COOKIE_KEY if demo else ""),
    )
