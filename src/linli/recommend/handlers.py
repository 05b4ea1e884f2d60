"""Recommendation reactions: a paid order's products become purchase events (once per order and product)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.core.security import Principal
from linli.member import service as members
from linli.order import service as orders
from linli.recommend import service


def on_order_paid(s: Session, ev: Event) -> None:
    """Reads the order's lines as its owner would (the order service checks that); idempotent: lines already
    recorded for this order are skipped, and the unique (tenant, order, product) key refuses a racing copy."""
    order_id, member_id = ev.payload.get("order_id"), ev.payload.get("member_id")
    if not isinstance(order_id, int) or not isinstance(member_id, int):
        return
    owner = Principal(0, ev.tenant_id, "", "member", member_id=member_id)
    order = orders.get(s, owner, order_id)
    community_id = members.communities_of(s, ev.tenant_id, [member_id]).get(member_id)
    service.record_purchase(s, ev.tenant_id, member_id, order_id, [i.product_id for i in order.items],
                            order.paid_at or ev.created_at, community_id)
