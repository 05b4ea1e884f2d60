"""Locker reactions: an order refunded or cancelled while it waits in a compartment is withdrawn from it."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.locker import expiry


def on_order_closed(s: Session, ev: Event) -> None:
    """Idempotent: only a parcel still waiting, of an order no longer paid, changes."""
    order_id = ev.payload.get("order_id")
    if isinstance(order_id, int):
        expiry.withdraw(s, ev.tenant_id, order_id)
