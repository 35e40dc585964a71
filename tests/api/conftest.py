"""The open-data API under test: the FastAPI app of api/, mounted under /api as asgi.py mounts it, on the
`engine` fixture's database (both backends), driven by Starlette's test client."""

from dataclasses import replace

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from api import create_app
from db.settings import Settings
from tests import public_world as world

SETTINGS = Settings(database_url="sqlite://", demo_mode=True, cookie_key="test-cookie-key-0123456789",
                    api_rate_per_minute=100_000)


def api_app(engine_factory, **changes):
    """The API's own app (paths /v1/..., /openapi.json), on `engine_factory` and SETTINGS with `changes`."""
    return create_app(engine_factory, settings=replace(SETTINGS, **{k: v for k, v in changes.items() if k != "clock"}),
                      clock=changes.get("clock"))


def mounted(engine_factory, **changes):
    """An ASGI app with the API under /api, as asgi.py mounts it."""
    return Starlette(routes=[Mount("/api", app=api_app(engine_factory, **changes))])


def client_for(engine, client=("203.0.113.7", 50000), **changes) -> TestClient:
    return TestClient(mounted(lambda: engine, **changes), client=client)


@pytest.fixture
def built(engine):
    return world.build(engine)


@pytest.fixture
def client(engine, built):
    with client_for(engine) as c:
        yield c
