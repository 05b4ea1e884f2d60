"""Lifecycle reactions: joining, paying, refunds and interactions keep the activity facts current."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.outbox import Event
from linli.lifecycle import service


def on_member_joined(s: Session, ev: Event) -> None:
    service.joined(s, ev.tenant_id, ev.payload["member_id"])


def on_order_paid(s: Session, ev: Event) -> None:
    # the event's creation is the payment time, however late it is handled
    service.order_paid(s, ev.tenant_id, ev.payload["member_id"], ev.created_at)


def on_order_returned(s: Session, ev: Event) -> None:
    """Refunded or cancelled: the order may no longer count towards the repeat-buyer rule."""
    service.order_returned(s, ev.tenant_id, ev.payload["member_id"])


def on_member_interacted(s: Session, ev: Event) -> None:
    at = ev.payload.get("at")
    when = clock.as_utc(datetime.fromisoformat(at)) if isinstance(at, str) else ev.created_at
    service.interacted(s, ev.tenant_id, ev.payload["member_id"], str(ev.payload.get("kind", "other")), when)
