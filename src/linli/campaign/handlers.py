"""Campaign reactions: the sender's next batch, and conversions of A/B exposures on paid orders."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.campaign import experiments, service
from linli.core.outbox import Event


def on_send(s: Session, ev: Event) -> None:
    service.send_batch(s, ev.tenant_id, int(ev.payload["campaign_id"]))


def on_order_paid(s: Session, ev: Event) -> None:
    """Idempotent: an exposure converts once (converted_at IS NULL), so a redelivery changes nothing."""
    member_id, order_id = ev.payload.get("member_id"), ev.payload.get("order_id")
    if isinstance(member_id, int) and isinstance(order_id, int):
        experiments.order_converts(s, ev.tenant_id, member_id, ev.created_at, order_id)
