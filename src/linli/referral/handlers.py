"""Referral reactions to order events."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.referral import service


def on_order_paid(s: Session, ev: Event) -> None:
    # the window runs from the payment itself, however late the event is handled
    service.first_order_paid(s, ev.tenant_id, ev.payload["member_id"], ev.payload["order_id"], ev.created_at)


def on_order_refunded(s: Session, ev: Event) -> None:
    """A full refund (or a paid order cancelled with its money back) undoes the invite."""
    full = ev.payload.get("full") if ev.topic == "order.refunded" else ev.payload.get("refunded_fen", 0) > 0
    if full:
        service.order_refunded(s, ev.tenant_id, ev.payload["member_id"], ev.payload["order_id"])
