"""Moving paid orders that wait for pickup to another pickup point (the pickup network reassigns them when a
point closes or fills up). The move is a conditional UPDATE on the order's status and current point, so two
movers at once move an order once; each move writes a timeline row and an order.relocated event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

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
    return [Awaiting(*row) for row in repo.awaiting_rows(s, tenant_id, point_ids, paid_from, paid_until)]


def relocate(s: Session, tenant_id: int, order_id: int, from_point_id: int, to_point_id: int, actor: Actor,
             reason: str) -> bool:
    """Move the order from one point to another when it is still paid and still at `from_point_id`; False
    (and nothing written) when someone picked it up, refunded or moved it first."""
    if from_point_id == to_point_id or not repo.move_if_waiting(s, tenant_id, order_id, from_point_id, to_point_id):
        return False
    order = repo.get(s, tenant_id, order_id)
    assert order is not None
    s.refresh(order, ["pickup_point_id"])
    record(s, order, "relocated", actor, "order.relocated", from_pickup_point_id=from_point_id,
           to_pickup_point_id=to_point_id, reason=reason)
    return True


def load_of(s: Session, tenant_id: int, point_id: int) -> int:
    """Paid orders at the point not picked up yet (its load)."""
    return repo.awaiting_pickup_by_point(s, tenant_id, point_id=point_id).get(point_id, 0)


def awaiting_counts(s: Session, tenant_id: int) -> dict[int, int]:
    """pickup point id -> paid orders there not picked up yet (the load on the point)."""
    return repo.awaiting_pickup_by_point(s, tenant_id)
