"""Growth from order and interaction events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.outbox import Event
from linli.tier import service


def on_order_paid(s: Session, ev: Event) -> None:
    p = ev.payload
    service.order_paid(s, ev.tenant_id, p["member_id"], p["order_id"], p["payable_fen"], ev.created_at)


def on_order_refunded(s: Session, ev: Event) -> None:
    p = ev.payload
    service.order_refunded(s, ev.tenant_id, p["member_id"], p["order_id"], p.get("amount_fen", 0),
                           bool(p.get("full")), f"refund:{ev.id}", ev.created_at)


def on_order_cancelled(s: Session, ev: Event) -> None:
    """A paid order cancelled with its money back gives back all its growth."""
    p = ev.payload
    if p.get("refunded_fen", 0) > 0:
        service.order_refunded(s, ev.tenant_id, p["member_id"], p["order_id"], p["refunded_fen"], True,
                               f"cancel:{p['order_id']}", ev.created_at)


def on_member_interacted(s: Session, ev: Event) -> None:
    at = ev.payload.get("at")
    when = clock.as_utc(datetime.fromisoformat(at)) if isinstance(at, str) else ev.created_at
    service.interacted(s, ev.tenant_id, ev.payload["member_id"], str(ev.payload.get("kind", "")), when)
