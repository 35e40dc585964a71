"""Configuration: outside demo mode the app refuses a missing, default or short cookie key and says why."""

import pytest

from db.settings import DEFAULT_SQLITE_URL, DEMO_COOKIE_KEY, ConfigurationError, load_settings


@pytest.fixture
def env(monkeypatch):
    for name in ("RT_DEMO", "RT_COOKIE_KEY", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_missing_key_is_refused_with_a_clear_message(env):
    with pytest.raises(ConfigurationError, match="RT_COOKIE_KEY is not set") as refused:
        load_settings().check()
    assert "secrets.token_urlsafe" in str(refused.value)


def test_demo_key_is_refused_outside_demo_mode(env):
    env.setenv("RT_COOKIE_KEY", DEMO_COOKIE_KEY)
    with pytest.raises(ConfigurationError, match="demo key"):
        load_settings().check()


def test_short_key_is_refused(env):
    env.setenv("RT_COOKIE_KEY", "too-short")
    with pytest.raises(ConfigurationError, match="too short"):
        load_settings().check()


@pytest.mark.parametrize("flag", ["0", "no", ""])
def test_falsy_demo_flags_do_not_turn_demo_mode_on(env, flag):
    env.setenv("RT_DEMO", flag)
    assert not load_settings().demo_mode
    with pytest.raises(ConfigurationError):
        load_settings().check()


def test_a_long_secret_key_is_accepted(env):
    env.setenv("RT_COOKIE_KEY", "k" * 32)
    env.setenv("DATABASE_URL", "postgresql://tracker@db/tracker")
    settings = load_settings()
    settings.check()
    assert (settings.cookie_key, settings.database_url, settings.demo_mode) == (
        "k" * 32, "postgresql://tracker@db/tracker", False)


@pytest.mark.parametrize("flag", ["1", "true", "yes"])
def test_demo_mode_runs_with_the_demo_key_on_sqlite(env, flag):
    env.setenv("RT_DEMO", flag)
    settings = load_settings()
    settings.check()
    assert settings.demo_mode
    assert settings.cookie_key == DEMO_COOKIE_KEY
    assert settings.database_url == DEFAULT_SQLITE_URL
