"""Full and partial refunds, and no-reason returns within the return window."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.catalog import stock
from linli.config import get_settings
from linli.core import clock
from linli.core.errors import Conflict, Invalid
from linli.core.security import Principal
from linli.models import Order, OrderItem, Refund
from linli.order import benefits
from linli.order import repository as repo
from linli.order.events import SYSTEM, Actor, record
from linli.order.schemas import RefundIn
from linli.order.service import FROM_PRODUCT_STOCK, visible
from linli.payment import service as payment

REFUNDABLE = ("paid", "awaiting_group", "picked_up")


def refund(s: Session, p: Principal, order_id: int, data: RefundIn) -> Order:
    order = visible(s, p, order_id, lock=True)
    # customer service may refund outside the return window; members may not
    return _refund(s, order, Actor.of(p), data, check_window=p.role != "operator")


def refund_in_full_by_system(s: Session, tenant_id: int, order_id: int, reason: str) -> bool:
    """Refund what is left of an order for a platform reason (e.g. its group failed). Idempotent:
    an order already closed is left alone. Returns whether money moved."""
    order = repo.get(s, tenant_id, order_id, lock=True)
    if order is None or order.status not in REFUNDABLE \
            or order.payable_fen == order.refunded_fen + order.points_withheld_fen:
        return False
    _refund(s, order, SYSTEM, RefundIn(reason=reason), check_window=False)
    return True


def _refund(s: Session, order: Order, actor: Actor, data: RefundIn, check_window: bool) -> Order:
    if order.status not in REFUNDABLE:
        raise Conflict(f"an order that is {order.status} cannot be refunded", code="not_refundable")
    tenant_id = order.tenant_id
    items = repo.items(s, tenant_id, [order.id])[order.id]
    lines = _lines(items, data)
    if check_window:
        _check_window(order, [it for it, _ in lines])
    amount = _amount(order, items, lines)
    seq = len(repo.timeline(s, tenant_id, order.id))
    for it, q in lines:
        it.refunded_quantity += q
    full = all(it.refunded_quantity == it.quantity for it in items)
    withheld = benefits.settle(s, order, amount, f"order:{order.id}:refund:{seq}", closes=full)
    money = amount - withheld
    if money > 0:
        ref = payment.refund_order(s, tenant_id, order.id, money, f"order:{order.id}:refund:{seq}",
                                   order.refunded_fen)
        repo.add_refund(s, Refund(tenant_id=tenant_id, order_id=order.id, amount_fen=money,
                                  points_withheld_fen=withheld, reason=data.reason, provider_ref=ref,
                                  actor_user_id=actor.user_id,
                                  lines=[{"item_id": it.id, "quantity": q} for it, q in lines]))
    # goods not yet handed over go back on the shelf; returned fresh goods are written off
    restock = [(it.product_id, q) for it, q in lines if order.status != "picked_up" or not it.is_fresh]
    if order.source in FROM_PRODUCT_STOCK:
        stock.put_back(s, tenant_id, restock, order.id, "refund", actor.user_id)
    order.refunded_fen += money
    order.points_withheld_fen += withheld
    if full:
        order.status, order.closed_at = "refunded", clock.now()
    record(s, order, "refunded" if full else "partially_refunded", actor, "order.refunded",
           amount_fen=money, points_withheld_fen=withheld, full=full, reason=data.reason,
           lines=[{"item_id": it.id, "product_id": it.product_id, "quantity": q} for it, q in lines],
           returned=[{"product_id": pid, "quantity": q} for pid, q in restock])
    return order


def _lines(items: list[OrderItem], data: RefundIn) -> list[tuple[OrderItem, int]]:
    if data.lines is None:
        rest = [(it, it.quantity - it.refunded_quantity) for it in items]
        return [(it, q) for it, q in rest if q > 0]
    by_id = {it.id: it for it in items}
    wanted: dict[int, int] = {}
    for line in data.lines:
        if line.item_id not in by_id:
            raise Invalid(f"item {line.item_id} is not in this order", code="unknown_item")
        wanted[line.item_id] = wanted.get(line.item_id, 0) + line.quantity
    for item_id, q in wanted.items():
        it = by_id[item_id]
        if q > it.quantity - it.refunded_quantity:
            raise Invalid(f"item {item_id}: only {it.quantity - it.refunded_quantity} left to refund",
                          code="refund_exceeds_quantity")
    if not wanted:
        raise Invalid("lines must not be empty", code="no_lines")
    return [(by_id[i], q) for i, q in wanted.items()]


def _check_window(order: Order, items: list[OrderItem]) -> None:
    if order.picked_up_at is None:
        return  # not handed over yet: always refundable
    cfg = get_settings()
    days = cfg.fresh_return_window_days if any(it.is_fresh for it in items) else cfg.return_window_days
    if clock.now() > order.picked_up_at + timedelta(days=days):
        raise Conflict(f"the {days}-day return window has closed", code="return_window_closed")


def _amount(order: Order, items: list[OrderItem], lines: list[tuple[OrderItem, int]]) -> int:
    remaining = order.payable_fen - order.refunded_fen - order.points_withheld_fen
    if remaining <= 0:
        raise Conflict("nothing left to refund", code="not_refundable")
    after = {it.id: it.refunded_quantity for it in items}
    for it, q in lines:
        after[it.id] += q
    if all(after[it.id] == it.quantity for it in items):
        return remaining  # the last refund takes exactly what is left, whatever the rounding
    gross = sum(it.unit_price_fen * q for it, q in lines)
    # a discount is shared across lines in proportion to their price
    return min(remaining, gross * order.payable_fen // order.total_fen if order.total_fen else 0) or 1
