"""HTTP caching of the open-data API: an ETag from the data version, 304 for a client that already has it.

Every write records an audit event, so the newest event id (services/audit.data_version, the same rule as
the pages' cached reads) changes whenever data does; with the code's version and the licence it names the
state every answer was built from. A GET carrying that ETag in If-None-Match gets 304 Not Modified before
any query of the endpoint runs. Answers may be kept by any cache for a short while (MAX_AGE), then
revalidated.
"""

import hashlib

import anyio.to_thread
from sqlmodel import Session
from starlette.datastructures import Headers
from starlette.responses import Response

from services import audit

MAX_AGE = 60  # seconds a cache may serve an answer without asking again


def etag_for(version: int, *, salt: str) -> str:
    digest = hashlib.sha256(f"{version}|{salt}".encode()).hexdigest()[:16]
    return f'W/"{version}-{digest}"'


def _matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in wanted or etag.removeprefix("W/") in wanted


class ETags:
    """Pure ASGI middleware: adds ETag and Cache-Control to each 200 answer to a GET, answers 304 when
    If-None-Match names the current ETag. `engine_factory` gives the database; `salt` the code version and
    settings that shape the answers."""

    def __init__(self, app, *, engine_factory, salt: str) -> None:
        self.app, self.engine_factory, self.salt = app, engine_factory, salt

    def _version(self) -> int:
        with Session(self.engine_factory()) as session:
            return audit.data_version(session)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        etag = etag_for(await anyio.to_thread.run_sync(self._version), salt=self.salt)
        cache_control = f"public, max-age={MAX_AGE}"
        if _matches(Headers(scope=scope).get("if-none-match"), etag):
            await Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache_control})(
                scope, receive, send)
            return

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"cache-control"]
                message["headers"] = headers + [(b"etag", etag.encode()), (b"cache-control", cache_control.encode())]
            await send(message)

        await self.app(scope, receive, with_headers)
