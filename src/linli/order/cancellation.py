"""Cancelling orders, by hand or when the payment window closes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.core import clock
from linli.core.db import Database
from linli.core.errors import Conflict
from linli.core.security import Principal
from linli.models import Order, Refund
from linli.order import repository as repo
from linli.order.events import SYSTEM, Actor, record
from linli.order.service import FROM_PRODUCT_STOCK, visible
from linli.payment import service as payment

CANCELLABLE = ("pending_payment", "paid")


def cancel(s: Session, p: Principal, order_id: int, reason: str) -> Order:
    """Unpaid: release stock. Paid but not yet picked up: refund in full and release stock."""
    order = visible(s, p, order_id, lock=True)
    if order.status not in CANCELLABLE:
        raise Conflict(f"an order that is {order.status} cannot be cancelled", code="not_cancellable")
    _close(s, order, Actor.of(p), reason or "cancelled by " + p.role)
    return order


def cancel_by_system(s: Session, tenant_id: int, order_id: int, reason: str) -> bool:
    """Cancel an unpaid order for a platform reason (e.g. its group closed). Idempotent."""
    order = repo.get(s, tenant_id, order_id, lock=True)
    if order is None or order.status != "pending_payment":
        return False
    _close(s, order, SYSTEM, reason)
    return True


def expire_unpaid(db: Database, at: datetime) -> int:
    """Due job: cancel every unpaid order whose payment window has closed; each in its own
    transaction, guarded by its status so a payment racing in wins or loses cleanly."""
    done = 0
    while True:
        with db.unit_of_work() as s:
            batch = repo.expired_pending(s, at, 200)
        if not batch:
            return done
        for tenant_id, order_id in batch:
            with db.unit_of_work() as s:
                order = repo.get(s, tenant_id, order_id, lock=True)
                if order is None or order.status != "pending_payment" or order.expires_at > at:
                    continue
                _close(s, order, SYSTEM, "payment_timeout")
                done += 1


def _close(s: Session, order: Order, actor: Actor, reason: str) -> None:
    items = repo.items(s, order.tenant_id, [order.id])[order.id]
    outstanding = [(i, i.quantity - i.refunded_quantity) for i in items]  # earlier refunds restocked theirs
    refunded = order.payable_fen - order.refunded_fen if order.status == "paid" else 0
    if refunded > 0:
        ref = payment.refund_order(s, order.tenant_id, order.id, refunded, f"order:{order.id}:cancel")
        repo.add_refund(s, Refund(tenant_id=order.tenant_id, order_id=order.id, amount_fen=refunded,
                                  reason=reason, provider_ref=ref, actor_user_id=actor.user_id,
                                  lines=[{"item_id": i.id, "quantity": q} for i, q in outstanding if q]))
        for i, _q in outstanding:
            i.refunded_quantity = i.quantity
    returned = [(i.product_id, q) for i, q in outstanding]
    if order.source in FROM_PRODUCT_STOCK:
        stock.put_back(s, order.tenant_id, returned, order.id, "cancel", actor.user_id)
    order.status, order.closed_at = "cancelled", clock.now()
    order.refunded_fen += refunded
    record(s, order, "cancelled", actor, "order.cancelled", reason=reason, refunded_fen=refunded,
           returned=[{"product_id": pid, "quantity": q} for pid, q in returned if q])
