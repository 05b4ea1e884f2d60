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
from linli.order import benefits
from linli.order import repository as repo
from linli.order.events import SYSTEM, Actor, record
from linli.order.service import FROM_PRODUCT_STOCK, visible
from linli.payment import service as payment

CANCELLABLE = ("pending_payment", "awaiting_balance", "paid")


def cancel(s: Session, p: Principal, order_id: int, reason: str) -> Order:
    """Unpaid: release stock. Paid but not yet picked up: refund in full and release stock. A deposit
    (定金) is kept when the member walks away from the balance; customer service may give it back."""
    order = visible(s, p, order_id, lock=True)
    if order.status not in CANCELLABLE:
        raise Conflict(f"an order that is {order.status} cannot be cancelled", code="not_cancellable")
    _close(s, order, Actor.of(p), reason or "cancelled by " + p.role, keep_deposit=p.role == "member")
    return order


def cancel_by_system(s: Session, tenant_id: int, order_id: int, reason: str) -> bool:
    """Cancel an unpaid order for a platform reason (e.g. its group closed). Idempotent."""
    order = repo.get(s, tenant_id, order_id, lock=True)
    if order is None or order.status != "pending_payment":
        return False
    _close(s, order, SYSTEM, reason)
    return True


def expire_unpaid(db: Database, at: datetime) -> int:
    """Due job: cancel every unpaid order whose payment window has closed."""
    return _close_overdue(db, at, "pending_payment")


def forfeit_unpaid_balances(db: Database, at: datetime) -> int:
    """Due job: a deposit order whose balance was not paid by its deadline is cancelled, its units go
    back and the deposit is kept (定金不退)."""
    return _close_overdue(db, at, "awaiting_balance")


# status -> (the column holding its deadline, the reason recorded, whether a paid deposit is kept)
_DEADLINES = {"pending_payment": ("expires_at", "payment_timeout", False),
              "awaiting_balance": ("balance_due_at", "balance_overdue", True)}


def _close_overdue(db: Database, at: datetime, status: str) -> int:
    """Each order in its own transaction, re-checked under its row lock, so a payment racing in wins or
    loses cleanly and one failure does not block the rest."""
    deadline, reason, keep_deposit = _DEADLINES[status]
    done = 0
    while True:
        with db.unit_of_work() as s:
            batch = repo.overdue(s, status, deadline, at, 200)
        if not batch:
            return done
        for tenant_id, order_id in batch:
            with db.unit_of_work() as s:
                order = repo.get(s, tenant_id, order_id, lock=True)
                due = getattr(order, deadline) if order is not None else None
                if order is None or order.status != status or due is None or due > at:
                    continue
                _close(s, order, SYSTEM, reason, keep_deposit=keep_deposit)
                done += 1


def _close(s: Session, order: Order, actor: Actor, reason: str, keep_deposit: bool = False) -> None:
    items = repo.items(s, order.tenant_id, [order.id])[order.id]
    outstanding = [(i, i.quantity - i.refunded_quantity) for i in items]  # earlier refunds restocked theirs
    paid = order.status == "paid"
    received = {"paid": order.payable_fen, "awaiting_balance": order.deposit_fen}.get(order.status, 0)
    remaining = received - order.refunded_fen - order.points_withheld_fen
    kept = order.deposit_fen if keep_deposit and order.status == "awaiting_balance" else 0
    # paid: the share still paid for settles its points; unpaid: every point spent comes back
    withheld = benefits.settle(s, order, remaining if paid else order.payable_fen, f"order:{order.id}:cancel",
                               closes=True)
    refunded = remaining - kept - withheld
    if refunded > 0:
        ref = payment.refund_order(s, order.tenant_id, order.id, refunded, f"order:{order.id}:cancel",
                                   order.refunded_fen)
        repo.add_refund(s, Refund(tenant_id=order.tenant_id, order_id=order.id, amount_fen=refunded,
                                  points_withheld_fen=withheld, reason=reason, provider_ref=ref,
                                  actor_user_id=actor.user_id,
                                  lines=[{"item_id": i.id, "quantity": q} for i, q in outstanding if q]))
        for i, _q in outstanding:
            i.refunded_quantity = i.quantity
    returned = [(i.product_id, q) for i, q in outstanding]
    if order.source in FROM_PRODUCT_STOCK:
        stock.put_back(s, order.tenant_id, returned, order.id, "cancel", actor.user_id)
    order.status, order.closed_at = "cancelled", clock.now()
    order.refunded_fen += refunded
    order.points_withheld_fen += withheld
    record(s, order, "cancelled", actor, "order.cancelled", reason=reason, refunded_fen=refunded,
           points_withheld_fen=withheld, deposit_kept_fen=kept,
           returned=[{"product_id": pid, "quantity": q} for pid, q in returned if q])
