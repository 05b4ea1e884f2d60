"""A cap on request bodies: 413 `payload_too_large` instead of reading (and buffering) whatever a client sends.

A declared Content-Length over the cap is refused before anything is read. A body without one (chunked) or
with a false one is counted as it arrives, and the read that crosses the cap fails with the same 413 — through
the app's error handlers when a route is reading, or answered here when nothing has been sent yet. JSON bodies
(the API) get a smaller cap than others (form posts with image uploads)."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request

from linli.core.error_handlers import respond

Scope = dict[str, Any]


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")
        self.limit = limit


class BodyLimit:
    def __init__(self, app: Any, max_bytes: int, max_json_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_json_bytes = max_json_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        is_json = b"json" in headers.get(b"content-type", b"").lower()
        limit = min(self.max_json_bytes, self.max_bytes) if is_json else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(scope, receive, send, BodyTooLarge(limit) if declared.isdigit()
                          else HTTPException(400, "invalid Content-Length"))
            return

        seen = 0
        started = False

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message: dict[str, Any] = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge as exc:  # read outside a route (e.g. by the flash-sale fast lane)
            if started:
                raise
            await _refuse(scope, receive, send, exc)


async def _refuse(scope: Scope, receive: Any, send: Any, exc: HTTPException) -> None:
    code = "payload_too_large" if exc.status_code == 413 else "bad_request"
    headers = {"Connection": "close"}  # the rest of the body is never read
    await respond(Request(scope, receive), exc.status_code, code, exc.detail, headers)(scope, receive, send)
