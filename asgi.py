"""The app as an ASGI application, for production: `streamlit run asgi.py` (Streamlit finds `app` and
serves it on its usual port and options) or `uvicorn asgi:app`. It is app.py, plus:

- security headers on every HTTP response (`streamlit run app.py` has no way to add headers);
- the error screen of ui/errors.py for an error in any widget callback too, not only in the page.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.errors import on_script_error

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


app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(SecurityHeaders)],
             on_script_error=on_script_error)
