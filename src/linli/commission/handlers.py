"""Commission reactions to order events and to the monthly assessment. An order event brings the order's
commission to what the order now warrants (see ledger.sync_order), so any redelivery or any order of delivery
gives the same ledger; the subsidy is keyed per leader and month."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.commission import service
from linli.core.outbox import Event


def on_order_changed(s: Session, ev: Event) -> None:
    """order.paid → accrual; order.refunded / order.cancelled → reversal; order.picked_up → settle date."""
    service.on_order_event(s, ev.tenant_id, ev.payload["order_id"])


def on_leader_assessed(s: Session, ev: Event) -> None:
    """leader.assessed → the tier's marketing subsidy for the assessed month (keyed: once per leader and month)."""
    p = ev.payload
    service.pay_subsidy(s, ev.tenant_id, p["leader_id"], p["month"], p["tier"], ev.created_at)
