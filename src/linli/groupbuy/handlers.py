"""Group-buy reactions to order events, and the per-seat refund of a failed group."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.outbox import Event
from linli.groupbuy import settlement


def on_order_paid(s: Session, ev: Event) -> None:
    if ev.payload.get("source") == "group_buy":
        settlement.seat_paid(s, ev.tenant_id, ev.payload["order_id"])


def on_order_returned(s: Session, ev: Event) -> None:
    if ev.payload.get("source") == "group_buy":
        settlement.seat_returned(s, ev.tenant_id, ev.payload["order_id"])


def on_refund_seat(s: Session, ev: Event) -> None:
    settlement.refund_seat(s, ev.tenant_id, ev.payload["order_id"])
