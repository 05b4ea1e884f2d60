"""The ladder reacts to orders at a leader's pickup points: promotion as soon as a threshold is met."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.leader import service


def on_order_at_point(s: Session, ev: Event) -> None:
    """order.paid / order.picked_up: re-measure that point's leader (idempotent: promote never demotes
    and does nothing when the tier is already earned)."""
    point_id = ev.payload.get("pickup_point_id")
    if point_id is None:
        return
    leader_id = service.leader_of_point(s, ev.tenant_id, point_id)
    if leader_id is not None:
        service.promote(s, ev.tenant_id, leader_id)
