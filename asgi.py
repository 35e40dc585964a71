"""The app as an ASGI application, for production: `streamlit run asgi.py` (Streamlit finds `app` and
serves it on its usual port and options) or `uvicorn asgi:app`. It is app.py, plus:

- security headers on every HTTP response (`streamlit run app.py` has no way to add headers);
- the error screen of ui/errors.py for an error in any widget callback too, not only in the page;
- the database prepared when the server starts, before its first request (a fresh demo database too), so
  `/api/health` is 200 from the start and a load balancer sends traffic: it is not left waiting for a page
  view that would prepare it;
- `/mail/unsubscribe`, the one-click unsubscribe of the mails' List-Unsubscribe header (RFC 8058: a POST turns
  the mail off; a GET is sent on to the page that asks, as mail scanners open links);
- `/api/health` for the load balancer: 200 when the database answers and has the schema this code expects,
  503 otherwise, with a JSON body (status, database, schema_revision, expected_revision, app_version);
- the read-only open-data API (api/, issue 16) under `/api`: `/api/v1/...`, `/api/openapi.json`, `/api/docs`,
  on the app's own engine (ui/data.py: one per process, the database prepared once);
- the app's logs as JSON lines on standard error from the start (services/logs.py; level RT_LOG_LEVEL).
"""

import asyncio
import logging
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import streamlit as st
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from api import create_app as create_api
from db import status
from db.settings import load_settings
from services import logs, mail_preferences
from services.errors import ValidationFailed
from ui.data import engine
from ui.errors import on_script_error

logs.configure()
log = logging.getLogger(logs.APP_LOGGER)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",  # nobody embeds the tracker in another site
    "Content-Security-Policy": "frame-ancestors 'self'",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                          "bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()",
}


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering; WebSocket traffic passes untouched): adds each header the
    response does not already have."""

    def __init__(self, app) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (name, value) for name, value in self.headers if name not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


@cache
def _health_engine(url: str):
    return status.health_engine(url)


def health(_request: Request) -> JSONResponse:
    """A plain function: Starlette runs it in a worker thread, so a slow database never blocks the server."""
    report = status.check(_health_engine(load_settings().database_url))
    return JSONResponse(report.as_json(), status_code=200 if report.ok else 503,
                        headers={"Cache-Control": "no-store"})


@asynccontextmanager
async def prepare_at_start(_app):
    """The process's engine made and its database prepared (ui/data.engine: migrations, reference data, the
    demo data in demo mode) off the event loop, before the server answers. A database that cannot be prepared
    does not stop the server: /api/health says 503 and why, pages show the error screen."""
    try:
        await asyncio.to_thread(engine)
    except Exception:
        log.exception("The database could not be prepared at start")
    yield


def one_click_unsubscribe(request: Request) -> Response:
    """RFC 8058: the mail client POSTs List-Unsubscribe=One-Click; anything else is a person or a scanner, who
    is sent to the page that asks (ui/unsubscribe.py). A plain function: run in a worker thread."""
    token = request.query_params.get("token", "")
    if request.method != "POST":
        # Relative: the app may be served under a path prefix (/mail/unsubscribe -> /).
        return RedirectResponse(f"../?{mail_preferences.QUERY_PARAM}={quote(token)}", status_code=303)
    try:
        mail_preferences.unsubscribe(engine(), token)
    except ValidationFailed:
        return PlainTextResponse("This unsubscribe link does not work.", status_code=400)
    return PlainTextResponse("Unsubscribed.")


# /api/health first: the API's mount would otherwise answer it.
app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(SecurityHeaders)],
             routes=[Route("/api/health", health, methods=["GET"]),
                     Route(mail_preferences.ONE_CLICK_PATH, one_click_unsubscribe, methods=["GET", "POST"]),
                     Mount("/api", app=create_api(engine))],
             on_script_error=on_script_error, lifespan=prepare_at_start)
