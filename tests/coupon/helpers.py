"""Shared builders for the coupon tests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from linli.core import clock


def window(days_from: float = -1, days_to: float = 30) -> dict[str, str]:
    now = clock.now()
    return {"valid_from": (now + timedelta(days=days_from)).isoformat(),
            "valid_to": (now + timedelta(days=days_to)).isoformat()}


def coupon(t: Any, **kw: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "满50减10", "discount_fen": 1000, "min_spend_fen": 5000, "total": 100,
                            "per_member_limit": 1, **window()}
    body.update(kw)
    return t.post("/coupons", {k: v for k, v in body.items() if v is not None})


def claim(t: Any, h: dict[str, str], coupon_id: int, key: str | None = None) -> Any:
    headers = h | ({"Idempotency-Key": key} if key else {})
    return t.client.post(f"/api/v1/coupons/{coupon_id}/claim", headers=headers)


def code(r: Any) -> str | None:
    return (r.json().get("error") or {}).get("code")
