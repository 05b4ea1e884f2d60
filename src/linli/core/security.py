"""Password hashing and signed bearer tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from linli.config import get_settings
from linli.core import clock
from linli.core.errors import Unauthorized


def _hasher() -> PasswordHasher:
    s = get_settings()
    return _hasher_with(s.password_hash_time_cost, s.password_hash_memory_kib, s.password_hash_parallelism)


@lru_cache(maxsize=4)
def _hasher_with(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """The cost is the one recorded in the hash, whatever the settings are now."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class Principal:
    """Who is calling. The tenant and role come from the token only."""

    user_id: int
    tenant_id: int
    tenant_slug: str
    role: str  # operator | leader | member
    member_id: int | None = None
    leader_id: int | None = None


def load_secret(configured: str | None, var_dir: Path) -> bytes:
    if configured:
        return configured.encode()
    path = var_dir / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.replace(path)
    return path.read_text().strip().encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenSigner:
    """HMAC-SHA256 signed, expiring tokens: verifying one needs no database round trip."""

    def __init__(self, secret: bytes, ttl: timedelta) -> None:
        self._secret = secret
        self.ttl = ttl

    def issue(self, p: Principal) -> str:
        claims = {
            "u": p.user_id, "t": p.tenant_id, "s": p.tenant_slug, "r": p.role,
            "m": p.member_id, "l": p.leader_id,
            "exp": int((clock.now() + self.ttl).timestamp()),
        }
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def verify(self, token: str) -> Principal:
        body, _, sig = token.partition(".")
        if not token.isascii() or not body or not sig or not hmac.compare_digest(sig, self._sign(body)):
            raise _invalid()
        try:
            c = json.loads(_unb64(body))
        except (ValueError, RecursionError) as exc:
            raise _invalid() from exc
        p, exp = _claims(c)
        if exp < clock.now().timestamp():
            raise Unauthorized("token expired", code="token_expired")
        return p

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self._secret, body.encode(), hashlib.sha256).digest()[:24])


ROLES = frozenset({"operator", "leader", "member"})


def _invalid() -> Unauthorized:
    return Unauthorized("invalid token", code="invalid_token")


def _claims(c: object) -> tuple[Principal, int]:
    """The principal and expiry of decoded claims, checked key by key: a signature proves who wrote a token, not
    that its shape is one this version understands (an older or hand-made one must be refused, not crash)."""
    if not isinstance(c, dict):
        raise _invalid()
    u, t, s, r, m, ld, exp = (c.get(k) for k in ("u", "t", "s", "r", "m", "l", "exp"))
    if not (_is_int(u) and _is_int(t) and isinstance(s, str) and r in ROLES and _is_int(exp)
            and (m is None or _is_int(m)) and (ld is None or _is_int(ld))):
        raise _invalid()
    return Principal(u, t, s, r, m, ld), exp


def _is_int(v: object) -> TypeGuard[int]:
    return type(v) is int and 0 < v < 2**63  # not bool, not float; a BIGINT id (a larger one fails in SQL)
