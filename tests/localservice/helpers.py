"""Shared steps of the local-service tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from linli.core.jobs import run_due
from linli.events import build_registry
from linli.localservice.jobs import JOBS
from linli.models import MessageDelivery, ServiceSlot

API = "/api/v1/local-services"


def merchant(t, community_ids: list[int], category: str = "家政维修", **kw: Any) -> dict[str, Any]:
    body = {"name": "安心家政", "category": category, "phone": "0571-88886666", "address": "文三路 88 号",
            "community_ids": community_ids, **kw}
    return t.post("/local-services/merchants", body)


def service(t, merchant_id: int, capacity: int = 1, price_fen: int = 8000, **kw: Any) -> dict[str, Any]:
    body = {"name": "日常保洁 2 小时", "description": "两小时上门保洁", "price_fen": price_fen,
            "duration_minutes": 120, "capacity": capacity, **kw}
    return t.post(f"/local-services/merchants/{merchant_id}/services", body)


def slot(t, service_id: int, starts_at: str = "2026-10-13T10:00:00+08:00", **kw: Any) -> dict[str, Any]:
    return t.post(f"/local-services/services/{service_id}/slots", {"starts_at": starts_at, **kw})


def setup(t, capacity: int = 1) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """A community, a merchant serving it, a service and one slot tomorrow 10:00: (community, service, slot)."""
    cid = t.default_community()
    m = merchant(t, [cid])
    svc = service(t, m["id"], capacity=capacity)
    return cid, svc, slot(t, svc["id"])


def book(t, headers, slot_id: int, expect: int = 201, key: str | None = None, **kw: Any) -> Any:
    h = {**headers, **({"Idempotency-Key": key} if key else {})}
    r = t.client.post(f"{API}/bookings", json={"slot_id": slot_id, **kw}, headers=h)
    assert r.status_code == expect, r.text
    return r.json()


def code(r) -> str | None:
    return (r.json().get("error") or {}).get("code")


def booked(t, slot_id: int) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(ServiceSlot.booked).where(ServiceSlot.id == slot_id)) or 0)


def inbox(t, member_id: int) -> list[str]:
    with t.db.unit_of_work() as s:
        return list(s.scalars(select(MessageDelivery.title).where(
            MessageDelivery.member_id == member_id, MessageDelivery.source == "localservice")
            .order_by(MessageDelivery.id)))


def due(t, at: datetime) -> dict[str, int]:
    return run_due(t.db, JOBS, build_registry(), at)
