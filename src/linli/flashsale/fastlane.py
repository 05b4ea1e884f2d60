"""The sold-out fast lane: plain ASGI in front of the API for `POST /api/v1/flash-sales/{id}/purchase`.

Once a sale has sold out, a flash sale's herd is almost all refusals. Routing, dependency injection and a
worker thread cost far more than the answer, so the lane gives the one answer it can be sure of — 409
`sold_out` — in the event loop, with no database or Redis trip. It answers only when the full path would
give the same answer: a valid member token, no Idempotency-Key (a repeat must replay its first answer), a
valid body, a sale whose terms this process knows, inside its window, within the limit, and marked sold out
a moment ago (`soldout.py`). Anything else goes down the full path unchanged, body included."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from pydantic import ValidationError
from starlette.responses import JSONResponse

from linli.core import clock
from linli.core.errors import LinliError, error_body
from linli.core.http import principal_from_token
from linli.flashsale import service
from linli.flashsale.schemas import PurchaseIn

PURCHASE = re.compile(r"/api/v1/flash-sales/([1-9][0-9]{0,17})/purchase")
# the route metrics and logs label the answer with: the one the full path's answers carry
ROUTE = SimpleNamespace(path="/flash-sales/{flash_sale_id}/purchase")
MAX_BODY = 1024  # a purchase body is a few bytes; a larger one goes down the full path
SOLD_OUT = error_body("sold_out", "sold out")

Scope = dict[str, Any]


class SoldOutLane:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        found = PURCHASE.fullmatch(scope["path"]) if scope["type"] == "http" and scope["method"] == "POST" else None
        if found is None:
            await self.app(scope, receive, send)
            return
        body, receive = await _read_body(receive)
        if body is not None and _refused(scope, int(found[1]), body):
            scope["route"] = ROUTE
            await JSONResponse(SOLD_OUT, status_code=409)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _refused(scope: Scope, sale_id: int, body: bytes) -> bool:
    headers = dict(scope["headers"])
    if b"idempotency-key" in headers:
        return False
    scheme, _, token = headers.get(b"authorization", b"").decode("latin-1").partition(" ")
    if scheme.lower() != "bearer":
        return False
    try:
        p = principal_from_token(token)
    except LinliError:
        return False
    if p.role != "member":
        return False
    quantity = _quantity(headers, body)
    terms = service.known_terms(p.tenant_id, sale_id)
    return quantity is not None and terms is not None and service.refused_as_sold_out(terms, quantity, clock.now())


def _quantity(headers: dict[bytes, bytes], body: bytes) -> int | None:
    """The attempt's quantity if the body is one the full path accepts, else None."""
    if not body:
        return PurchaseIn().quantity
    if not headers.get(b"content-type", b"").startswith(b"application/json"):
        return None
    try:
        return PurchaseIn.model_validate_json(body).quantity
    except ValidationError:
        return None


async def _read_body(receive: Any) -> tuple[bytes | None, Any]:
    """The whole body (None if longer than MAX_BODY), and a receive that replays it to the full path."""
    messages: list[dict[str, Any]] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        if size > MAX_BODY or not message.get("more_body", False):
            break
    complete = size <= MAX_BODY and messages[-1]["type"] == "http.request"
    body = b"".join(m.get("body", b"") for m in messages) if complete else None

    async def replay() -> dict[str, Any]:
        return messages.pop(0) if messages else await receive()

    return body, replay
