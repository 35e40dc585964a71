"""What is running and on what: the app's version, the schema revision of a database and the newest one this
code knows, and the health check the load balancer asks (asgi.py serves it as /api/health)."""

import logging
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import metadata

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine, make_url

from db.engine import make_engine, normalise_url
from db.migrate import alembic_config
from db.settings import ROOT

log = logging.getLogger("resolutions_tracker.health")
HEALTH_CONNECT_SECONDS = 5  # a PostgreSQL server that does not answer: the check fails instead of hanging


@cache
def app_version() -> str:
    """The version in pyproject.toml (the source of truth next to the code), else the installed package's."""
    pyproject = ROOT / "pyproject.toml"
    if pyproject.exists():
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    return metadata.version("resolutions-tracker")


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest schema revision of the migrations shipped with this code."""
    return _scripts().get_current_head()


def known_revision(revision: str) -> bool:
    """Whether `revision` is one of this code's migrations (an unknown one comes from a newer version)."""
    try:
        return _scripts().get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for an unknown or malformed id
        return False


def schema_revision(connection: Connection) -> str | None:
    """The database's schema revision; None when it has no schema yet."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@dataclass(frozen=True)
class Health:
    database_reachable: bool
    schema_revision: str | None

    @property
    def ok(self) -> bool:
        """Serve only on the schema this code was written for: a missing or other revision (a replica of
        another version upgraded it, or nothing has prepared it yet) is as unusable as no database."""
        return self.database_reachable and self.schema_revision == head_revision()

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.ok else "unavailable",
            "database": "reachable" if self.database_reachable else "unreachable",
            "schema_revision": self.schema_revision,
            "expected_revision": head_revision(),
            "app_version": app_version(),
        }


def health_engine(url: str) -> Engine:
    """A small engine of its own for the health check: it never prepares the database, never waits long."""
    if make_url(normalise_url(url)).get_backend_name() == "postgresql":
        return make_engine(url, pool_size=1, max_overflow=1, connect_args={"connect_timeout": HEALTH_CONNECT_SECONDS})
    return make_engine(url)


def check(engine: Engine) -> Health:
    try:
        with engine.connect() as connection:
            return Health(True, schema_revision(connection))
    except Exception as error:  # any failure to reach it or read it: unhealthy, and why goes to the log only
        log.warning("health check: database unreachable (%s)", type(error).__name__,
                    extra={"event": "health", "error_type": type(error).__name__})
        return Health(False, None)
