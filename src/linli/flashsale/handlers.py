"""Flash-sale reactions to order events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.flashsale import service


def on_order_returned(s: Session, ev: Event) -> None:
    """order.cancelled / order.refunded of a flash-sale order: units not handed over go back."""
    if ev.payload.get("source") != "flash_sale":
        return
    returned = sum(line["quantity"] for line in ev.payload.get("returned", []))
    service.release(s, ev.tenant_id, ev.payload["order_id"], returned)
