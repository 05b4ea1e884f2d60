"""Delivery reactions to the order's life: the promise starts at payment; a cancelled or refunded order's
delivery is called off."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.delivery import service


def on_order_paid(s: Session, ev: Event) -> None:
    order_id = ev.payload.get("order_id")
    if isinstance(order_id, int):
        service.on_order_paid(s, ev.tenant_id, order_id, ev.created_at)


def on_order_closed(s: Session, ev: Event) -> None:
    order_id = ev.payload.get("order_id")
    if isinstance(order_id, int):
        service.on_order_closed(s, ev.tenant_id, order_id)
