"""Incremental: an order or an interaction of a member recomputes that member's features, tags, segments and RFM."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.audience import service
from linli.core import clock
from linli.core.outbox import Event

TOPICS = ("order.paid", "order.refunded", "order.cancelled", "order.picked_up", "member.joined")


def on_member_changed(s: Session, ev: Event) -> None:
    service.refresh_member(s, ev.tenant_id, int(ev.payload["member_id"]), changed_at=ev.created_at)


def on_member_interacted(s: Session, ev: Event) -> None:
    kind = str(ev.payload.get("kind", "other"))
    if kind == "login":
        return  # no feature counts logins
    at = ev.payload.get("at")
    when = clock.as_utc(datetime.fromisoformat(at)) if isinstance(at, str) else ev.created_at
    member_id = int(ev.payload["member_id"])
    service.record_interaction(s, ev.tenant_id, ev.id, member_id, kind, when)
    # check-ins and reviews live in their own tables, which a later bulk run read; other kinds only now got a row
    seen = ev.created_at if kind in service.OWN_TABLE_KINDS else None
    service.refresh_member(s, ev.tenant_id, member_id, changed_at=seen)
