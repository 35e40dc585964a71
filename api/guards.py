"""What stands in front of every open-data endpoint, as pure ASGI middleware (no body buffering):

- PublicSiteSwitch: RT_PUBLIC_SITE=0 answers every request 404, as if there were no API;
- RateLimit: a token bucket per client address (RT_API_RATE_PER_MINUTE), 429 with Retry-After when empty;
- CatchAll: an unexpected error becomes a 500 JSON answer with an error id, the traceback goes to the log
  only (never to the client).
"""

import logging
import math
import threading
import time
import uuid

from starlette.responses import JSONResponse

log = logging.getLogger("resolutions_tracker.api")


def error_response(status: int, error: str, message: str, *, fields: list[dict] | None = None,
                   error_id: str | None = None, headers: dict | None = None) -> JSONResponse:
    """The one shape of every error answer (api.schemas.Error)."""
    body = {"status": status, "error": error, "message": message, "fields": fields or [], "error_id": error_id}
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store", **(headers or {})})


class PublicSiteSwitch:
    def __init__(self, app, *, enabled: bool) -> None:
        self.app, self.enabled = app, enabled

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not self.enabled:
            await error_response(404, "not_found", "This site publishes no open data.")(scope, receive, send)
            return
        await self.app(scope, receive, send)


class TokenBuckets:
    """Per key, a bucket of `per_minute` tokens refilled continuously; a request takes one. Buckets that are
    full again are forgotten now and then, so memory stays bounded by the clients of the last minute."""

    def __init__(self, per_minute: int, *, clock=time.monotonic) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0  # tokens per second
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds until a token is there."""
        now = self.clock()
        with self._lock:
            tokens, then = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.refill)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.refill
            if len(self._buckets) > 10_000:
                self._forget_full(now)
            return wait

    def _forget_full(self, now: float) -> None:
        full = [k for k, (tokens, then) in self._buckets.items()
                if tokens + (now - then) * self.refill >= self.capacity]
        for key in full:
            del self._buckets[key]


class RateLimit:
    def __init__(self, app, *, per_minute: int, clock=time.monotonic) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute, clock=clock)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.buckets.take(client[0] if client else "unknown")
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            response = error_response(429, "too_many_requests",
                                      f"Too many requests from your address: try again in {seconds} s.",
                                      headers={"Retry-After": str(seconds)})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CatchAll:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            error_id = uuid.uuid4().hex[:12]
            log.exception("open-data API: unexpected error %s on %s", error_id, scope.get("path"),
                          extra={"event": "api_error", "error_id": error_id})
            if started:  # the answer has begun: nothing better to do than to end it
                return
            await error_response(500, "internal_error", "Something went wrong on our side; it was logged.",
                                 error_id=error_id)(scope, receive, send)
