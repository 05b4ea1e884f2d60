"""Moving paid orders that wait for pickup to another pickup point (the pickup network reassigns them when a
point closes or fills up). The move is a conditional UPDATE on the order's status and current point, so two
movers at once move an order once; each move writes a timeline row and an order.relocated event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from linli.models import Order
from linli.order import repository as repo
from linli.order.events import Actor, record


@dataclass(frozen=True)
class Awaiting:
    order_id: int
    member_id: int
    pickup_point_id: int
    paid_at: datetime | None


def awaiting_at(s: Session, tenant_id: int, point_ids: Sequence[int] | None = None,
                paid_from: datetime | None = None, paid_until: datetime | None = None) -> list[Awaiting]:
    """Paid orders not picked up yet, at these points (all points when None), paid in [paid_from, paid_until),
    by id."""
    stmt = (select(Order.id, Order.member_id, Order.pickup_point_id, Order.paid_at)
            .where(Order.tenant_id == tenant_id, Order.status == "paid", Order.pickup_point_id.is_not(None))
            .order_by(Order.id))
    if point_ids is not None:
        stmt = stmt.where(Order.pickup_point_id.in_(list(point_ids)))
    if paid_from is not None:
        stmt = stmt.where(Order.paid_at >= paid_from)
    if paid_until is not None:
        stmt = stmt.where(Order.paid_at < paid_until)
    return [Awaiting(o, m, p, at) for o, m, p, at in s.execute(stmt) if p is not None]


def relocate(s: Session, tenant_id: int, order_id: int, from_point_id: int, to_point_id: int, actor: Actor,
             reason: str) -> bool:
    """Move the order from one point to another when it is still paid and still at `from_point_id`; False
    (and nothing written) when someone picked it up, refunded or moved it first."""
    if from_point_id == to_point_id:
        return False
    result = s.execute(update(Order)
                      .where(Order.tenant_id == tenant_id, Order.id == order_id, Order.status == "paid",
                             Order.pickup_point_id == from_point_id)
                      .values(pickup_point_id=to_point_id)
                      .execution_options(synchronize_session=False))
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        return False
    order = repo.get(s, tenant_id, order_id)
    assert order is not None
    s.refresh(order, ["pickup_point_id"])
    record(s, order, "relocated", actor, "order.relocated", from_pickup_point_id=from_point_id,
           to_pickup_point_id=to_point_id, reason=reason)
    return True


def load_of(s: Session, tenant_id: int, point_id: int) -> int:
    """Paid orders at the point not picked up yet (its load)."""
    return int(s.scalar(select(func.count(Order.id)).where(Order.tenant_id == tenant_id, Order.status == "paid",
                                                           Order.pickup_point_id == point_id)) or 0)


def awaiting_counts(s: Session, tenant_id: int) -> dict[int, int]:
    """pickup point id -> paid orders there not picked up yet (the load on the point)."""
    rows = s.execute(select(Order.pickup_point_id, func.count(Order.id))
                     .where(Order.tenant_id == tenant_id, Order.status == "paid", Order.pickup_point_id.is_not(None))
                     .group_by(Order.pickup_point_id))
    return {p: int(n) for p, n in rows if p is not None}
