"""Handing out an order at its pickup point against the member's 6-digit code."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.core import clock, throttle
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal
from linli.models import Order
from linli.order import repository as repo
from linli.order.events import Actor, record
from linli.order.service import visible

MAX_WRONG_CODES = 5
WINDOW = timedelta(minutes=15)


class WrongCode(Conflict):
    code = "wrong_code"


def throttle_key(tenant_id: int, order_id: int) -> str:
    return f"pickup:{tenant_id}:{order_id}"


def verify(s: Session, p: Principal, order_id: int, code: str) -> Order:
    order = visible(s, p, order_id, lock=True)
    throttle.check(s, {throttle_key(p.tenant_id, order.id): MAX_WRONG_CODES}, WINDOW)
    _require_ready(order)
    # bytes: compare_digest refuses non-ASCII str (a TypeError); any such code is simply a wrong one
    if not order.pickup_code or not hmac.compare_digest(order.pickup_code.encode(), code.encode()):
        raise WrongCode("the pickup code does not match")
    throttle.clear(s, throttle_key(p.tenant_id, order.id))
    return _picked_up(s, order, Actor.of(p), "pickup_code")


def verify_signed(s: Session, p: Principal, order_id: int, proof: Callable[[str], bool]) -> Order:
    """The leader scanned the member's QR code: `proof` checks the code's signature, which is bound to the
    order's pickup code (so a token is worthless for any other order). The row lock makes a second scan,
    however close, find the order handed out (already_picked_up) rather than hand it out twice."""
    order = visible(s, p, order_id, lock=True)
    if not order.pickup_code or not proof(order.pickup_code):
        raise Invalid("the QR code does not belong to this order", code="qr_invalid")
    if order.status == "picked_up":
        raise Conflict("this order was already picked up", code="already_picked_up")
    _require_ready(order)
    return _picked_up(s, order, Actor.of(p), "qr_scan")


def hand_over(s: Session, tenant_id: int, order_id: int, actor: Actor, via: str) -> Order:
    """The goods reached the member another way than the leader's code check (a locker opened with its code, a
    rider at the door, a scanned QR code): the same end state and event as a pickup, with `via` in the detail.
    The caller has checked who may do it."""
    order = repo.get(s, tenant_id, order_id, lock=True)
    if order is None:
        raise NotFound("order not found", code="order_not_found")
    _require_ready(order)
    return _picked_up(s, order, actor, via)


def _require_ready(order: Order) -> None:
    if order.status != "paid":
        raise Conflict(f"an order that is {order.status} cannot be picked up", code="not_ready_for_pickup")
    if order.deliverable_from is not None and clock.now() < order.deliverable_from:
        raise Conflict("this presale order is delivered later", code="not_yet_delivered")


def _picked_up(s: Session, order: Order, actor: Actor, via: str) -> Order:
    order.status, order.picked_up_at = "picked_up", clock.now()
    record(s, order, "picked_up", actor, "order.picked_up", via=via)
    return order
