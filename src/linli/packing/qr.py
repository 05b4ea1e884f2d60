"""The member's pickup QR code: a signed token naming the order and the tenant, with a short expiry, its
signature bound to the order's pickup code. The leader's scan proves the member holds the order's page now
(the code is only shown to the owner), without putting the 6-digit code itself into the picture."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

import qrcode

from linli.core import clock
from linli.core.errors import Invalid
from linli.core.runtime import get_runtime
from linli.core.security import load_secret

TTL = timedelta(minutes=15)  # the member's page shows a fresh one each time it is opened
PREFIX = "LLQ1"  # a version tag: a QR code of anything else is refused at a glance


@dataclass(frozen=True)
class Claims:
    order_id: int
    tenant_id: int
    expires_at: datetime
    body: str
    signature: str

    def proves(self, pickup_code: str) -> bool:
        return hmac.compare_digest(self.signature, _sign(self.body, pickup_code))


def issue(tenant_id: int, order_id: int, pickup_code: str) -> tuple[str, datetime]:
    expires = clock.now() + TTL
    claims = {"o": order_id, "t": tenant_id, "e": int(expires.timestamp())}
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{PREFIX}.{body}.{_sign(body, pickup_code)}", expires


def read(token: str) -> Claims:
    """The token's claims when it is well formed and not expired; its signature is checked against the order
    (Claims.proves) once the order is found."""
    prefix, _, rest = token.strip().partition(".")
    body, _, signature = rest.partition(".")
    if prefix != PREFIX or not token.isascii() or not body or not signature:
        raise Invalid("not a pickup QR code", code="qr_invalid")
    try:
        c = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, RecursionError) as exc:
        raise Invalid("not a pickup QR code", code="qr_invalid") from exc
    if not isinstance(c, dict) or not (_is_id(c.get("o")) and _is_id(c.get("t")) and _is_id(c.get("e"))):
        raise Invalid("not a pickup QR code", code="qr_invalid")
    expires = datetime.fromtimestamp(c["e"], clock.now().tzinfo)
    if expires <= clock.now():
        raise Invalid("the pickup QR code has expired", code="qr_expired")
    return Claims(c["o"], c["t"], expires, body, signature)


def png(token: str, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(border=2, box_size=box_size, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(token)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").get_image().save(buffer, format="PNG")
    return buffer.getvalue()


def _sign(body: str, pickup_code: str) -> str:
    settings = get_runtime().settings
    key = _key(settings.secret_key, str(settings.var_dir))
    return _b64(hmac.new(key, f"{body}|{pickup_code}".encode(), hashlib.sha256).digest()[:18])


@lru_cache(maxsize=4)
def _key(configured: str | None, var_dir: str) -> bytes:
    """A key of its own, derived from the app's secret: a QR token can never pass for a bearer token."""
    return hmac.new(load_secret(configured, Path(var_dir)), b"linli:pickup-qr", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _is_id(v: object) -> TypeGuard[int]:
    return type(v) is int and 0 < v < 2**62
