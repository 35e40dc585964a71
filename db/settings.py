"""One settings object, read from the environment (or Streamlit secrets through the environment)."""

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_URL = f"sqlite:///{ROOT / 'data' / 'tracker.db'}"
DEMO_COOKIE_KEY = "demo-only-cookie-key-not-for-production"
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")


class ConfigurationError(RuntimeError):
    """The app must not start with this configuration; the message says why."""


@dataclass(frozen=True)
class Smtp:
    """The mail server (RT_SMTP_*). No host: mail waits in the outbox (and, in demo mode, is shown on the
    admin's "Sent mail" page)."""

    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "Resolutions Tracker <no-reply@localhost>"
    starttls: bool = True  # RT_SMTP_STARTTLS=0 for a local relay that speaks plain SMTP


@dataclass(frozen=True)
class Settings:
    database_url: str
    demo_mode: bool
    cookie_key: str
    cookie_name: str = "resolutions_tracker_session"
    public_url: str = "http://localhost:8501"  # RT_PUBLIC_URL: links in mails, and the Secure cookie flag
    password_login: bool = True  # RT_PASSWORD_LOGIN=0: single sign-on only
    session_idle_days: float = 7.0  # RT_SESSION_IDLE_DAYS: a session unused this long ends
    session_max_days: float = 30.0  # RT_SESSION_MAX_DAYS: and every session ends this long after sign-in
    reset_link_minutes: int = 60
    activation_link_days: int = 14
    smtp: Smtp = Smtp()
    product_name: str = "Resolutions Tracker"  # RT_PRODUCT_NAME: the header and the browser tab
    logo_path: str | None = None  # RT_LOGO_PATH: an SVG, PNG or JPEG file; none: the app's own logo (ui/assets)
    public_site: bool = True  # RT_PUBLIC_SITE=0: no public pages, no open-data API, no bulk downloads
    open_data_licence: str = "CC BY 4.0"  # RT_OPEN_DATA_LICENCE: the licence the open data is published under
    api_rate_per_minute: int = 120  # RT_API_RATE_PER_MINUTE: open-data API requests per client address a minute

    @property
    def logo_usable(self) -> bool:
        """RT_LOGO_PATH names an existing file of a kind the header can show."""
        path = Path(self.logo_path) if self.logo_path else None
        return path is not None and path.is_file() and path.suffix.lower() in LOGO_SUFFIXES

    @property
    def secure_cookie(self) -> bool:
        return self.public_url.lower().startswith("https://")

    def check(self) -> None:
        """Refuse to run with a logo that cannot be shown, and outside demo mode with a missing or default
        cookie key."""
        if self.logo_path and not self.logo_usable:
            raise ConfigurationError(f"RT_LOGO_PATH must name an existing {', '.join(LOGO_SUFFIXES)} file.")
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


def _number(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, not {value!r}.") from None


def load_settings() -> Settings:
    env = os.environ
    demo = _flag(env.get("RT_DEMO"))
    return Settings(
        database_url=env.get("DATABASE_URL") or DEFAULT_SQLITE_URL,
        demo_mode=demo,
        cookie_key=env.get("RT_COOKIE_KEY") or (DEMO_COOKIE_KEY if demo else ""),
        public_url=(env.get("RT_PUBLIC_URL") or Settings.public_url).rstrip("/"),
        password_login=_flag(env.get("RT_PASSWORD_LOGIN", "1")),
        session_idle_days=_number("RT_SESSION_IDLE_DAYS", Settings.session_idle_days),
        session_max_days=_number("RT_SESSION_MAX_DAYS", Settings.session_max_days),
        smtp=Smtp(
            host=env.get("RT_SMTP_HOST") or None,
            port=int(_number("RT_SMTP_PORT", Smtp.port)),
            user=env.get("RT_SMTP_USER") or None,
            password=env.get("RT_SMTP_PASSWORD") or None,
            sender=env.get("RT_SMTP_FROM") or Smtp.sender,
            starttls=_flag(env.get("RT_SMTP_STARTTLS", "1")),
        ),
        product_name=(env.get("RT_PRODUCT_NAME") or "").strip()[:60] or Settings.product_name,
        logo_path=env.get("RT_LOGO_PATH") or None,
        public_site=_flag(env.get("RT_PUBLIC_SITE", "1")),
        open_data_licence=(env.get("RT_OPEN_DATA_LICENCE") or "").strip()[:100] or Settings.open_data_licence,
        api_rate_per_minute=max(1, int(_number("RT_API_RATE_PER_MINUTE", Settings.api_rate_per_minute))),
    )
