"""The open-data API as a FastAPI application, mounted under /api by asgi.py (one process, one port with
the Streamlit app): /api/v1/..., its OpenAPI document at /api/openapi.json and its interactive
documentation at /api/docs.

Read-only and public: every answer comes from services/public.py. Around the endpoints (outermost first):
errors as JSON (api/guards.CatchAll), the public-site switch (RT_PUBLIC_SITE), CORS for GET from any
origin, the rate limit per client address, and the ETag / Cache-Control headers (api/caching.py).
"""

from collections.abc import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.engine import Engine
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware

from api import caching, guards, v1
from db.settings import Settings, load_settings
from db.status import app_version
from services import open_data
from services.errors import NotFound, ValidationFailed

DESCRIPTION = """Open data of the IUCN Resolutions Tracker: the Resolution register, the published Progress
Reports and the Activity Reports their components chose to publish, read-only, as JSON. Nothing unpublished
and no person's name or e-mail address is ever part of an answer.

- Lists are paginated: `limit` (at most 500) and `offset`; `total` counts every match, `next_offset` is the
  next page's offset (null on the last page). A filter given several times matches any of its values.
- Answers carry an `ETag` (it changes whenever the data do): send it back in `If-None-Match` to get
  `304 Not Modified`. They may be cached for a minute.
- Errors are JSON with their status: 400 for a bad filter, 404 for an unknown code, 429 when one address
  sends too many requests (wait `Retry-After` seconds).
- Bulk downloads of every table as CSV and JSON, with a README of the columns and the licence: `/api/v1/downloads`.
"""

_REASONS = {404: "not_found", 405: "method_not_allowed", 400: "bad_request"}


def _fields(errors: list[dict]) -> list[dict]:
    """FastAPI's problems as (field, message): the parameter's name is the loc's first text after its place
    ("query", "kind", 0 -> "kind")."""
    def name(loc) -> str:
        names = [str(part) for part in loc[1:] if isinstance(part, str)]
        return names[0] if names else "request"

    return [{"field": name(e.get("loc") or ()), "message": e.get("msg", "invalid")} for e in errors]


def create_app(engine_factory: Callable[[], Engine], *, settings: Settings | None = None,
               clock=None) -> FastAPI:
    """The API on the database `engine_factory()` gives (called per request, so the app's one cached engine
    can serve it), under `settings` (default: from the environment, read now). `clock` (tests): the rate
    limit's time source."""
    settings = settings or load_settings()
    app = FastAPI(title="IUCN Resolutions Tracker open data", version=app_version(), description=DESCRIPTION,
                  openapi_url="/openapi.json", docs_url="/docs", redoc_url=None)
    app.state.engine_factory = engine_factory
    app.state.licence = settings.open_data_licence
    app.state.open_data = open_data.OpenDataCache()
    app.include_router(v1.router)

    @app.exception_handler(ValidationFailed)
    def _bad_filter(_request: Request, error: ValidationFailed):
        fields = [{"field": e.field, "message": e.message} for e in error.errors]
        return guards.error_response(400, "bad_request", " ".join(e.message for e in error.errors), fields=fields)

    @app.exception_handler(RequestValidationError)
    def _bad_request(_request: Request, error: RequestValidationError):
        fields = _fields(list(error.errors()))
        message = "; ".join(f"{f['field']}: {f['message']}" for f in fields) or "Bad request."
        return guards.error_response(400, "bad_request", message, fields=fields)

    @app.exception_handler(NotFound)
    def _not_found(_request: Request, error: NotFound):
        return guards.error_response(404, "not_found", str(error))

    @app.exception_handler(HTTPException)
    def _http_error(_request: Request, error: HTTPException):
        message = "No such endpoint; the list is at /api/docs." if error.status_code == 404 else str(error.detail)
        return guards.error_response(error.status_code, _REASONS.get(error.status_code, "error"), message,
                                     headers=dict(error.headers or {}))

    # add_middleware puts each new one outside the previous: this order is innermost first.
    app.add_middleware(caching.ETags, engine_factory=engine_factory,
                       salt=f"{app_version()}|{settings.open_data_licence}")
    app.add_middleware(guards.RateLimit, per_minute=settings.api_rate_per_minute,
                       **({"clock": clock} if clock else {}))
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"],
                       allow_headers=["If-None-Match"], expose_headers=["ETag", "Retry-After"], max_age=600)
    app.add_middleware(guards.PublicSiteSwitch, enabled=settings.public_site)
    app.add_middleware(guards.CatchAll)
    return app
