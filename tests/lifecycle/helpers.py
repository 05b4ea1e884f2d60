"""Shared steps of the lifecycle and tier tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from linli.core import clock
from linli.core.jobs import run_due
from linli.core.outbox import OutboxEvent
from linli.events import build_registry
from linli.models import Member
from linli.schedule import DUE_JOBS


def due(t, at: datetime | None = None) -> dict[str, int]:
    return run_due(t.db, DUE_JOBS, build_registry(), at)


def joined_at(t, member_id: int) -> datetime:
    with t.db.unit_of_work() as s:
        return s.scalar(select(Member.joined_at).where(Member.id == member_id))


def member_id_of(t, headers) -> int:
    return t.client.get("/api/v1/me", headers=headers).json()["member_id"]


def events(t, topic: str, member_id: int | None = None) -> list[dict]:
    with t.db.unit_of_work() as s:
        rows = s.scalars(select(OutboxEvent.payload).where(OutboxEvent.tenant_id == t.tenant_id,
                                                           OutboxEvent.topic == topic).order_by(OutboxEvent.id))
        return [p for p in rows if member_id is None or p.get("member_id") == member_id]


def count(t, model) -> int:
    with t.db.unit_of_work() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.tenant_id == t.tenant_id))


def buy_and_pay(t, h, product_id: int, quantity: int = 1, at: datetime | None = None) -> int:
    """Place and pay an order, as of `at` for the API server too."""
    clock.set_process_time(at)
    try:
        order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": quantity}]}, h)
        t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    finally:
        clock.set_process_time(None)
    return order["id"]


def picked_up(t, h, product_id: int, point_id: int, leader_h) -> int:
    """An order placed, paid and handed over at the leader's pickup point: ready to be rated."""
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}], "pickup_point_id": point_id}, h)
    t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=h).json()["pickup_code"]
    t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)
    return order["id"]


def rate(t, h, order_id: int, stars: int = 5) -> None:
    """The member's review of a picked-up order: the real action behind the `review` interaction."""
    t.post(f"/orders/{order_id}/rating", {"stars": stars, "comment": "新鲜"}, h)
