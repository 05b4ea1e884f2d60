"""Coupons on orders: quote (what it would take off), use (mark it used, once) and restore (the order
was cancelled or fully refunded). One coupon per order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.errors import Conflict, Invalid
from linli.coupon import repository as repo
from linli.coupon import rules
from linli.coupon.rules import Line
from linli.models import CouponTemplate, MemberCoupon


def _unusable(message: str) -> Conflict:
    return Conflict(message, code="coupon_unusable")


def _load(s: Session, tenant_id: int, member_id: int, member_coupon_id: int) -> tuple[MemberCoupon, CouponTemplate]:
    mc = repo.coupon(s, tenant_id, member_coupon_id)
    t = repo.template(s, tenant_id, mc.template_id) if mc is not None and mc.member_id == member_id else None
    if mc is None or t is None:
        raise Invalid("coupon_id: you hold no such coupon", code="unknown_coupon")
    return mc, t


def _discount(mc: MemberCoupon, t: CouponTemplate, lines: Sequence[Line], now: datetime) -> int:
    if mc.status != "available":
        raise _unusable(f"this coupon is {mc.status}")
    if now < mc.valid_from:
        raise _unusable("this coupon is not valid yet")
    if now >= mc.valid_to:
        raise _unusable("this coupon has expired")
    amount = rules.scoped_amount(t, lines)
    reason = rules.unusable_reason(t, amount)
    if reason:
        raise _unusable(reason)
    return rules.discount(t, amount)


def quote(s: Session, tenant_id: int, member_id: int, member_coupon_id: int, lines: Sequence[Line]) -> int:
    """The discount in fen this coupon gives these lines now, without using it."""
    mc, t = _load(s, tenant_id, member_id, member_coupon_id)
    return _discount(mc, t, lines, clock.now())


def use(s: Session, tenant_id: int, member_id: int, member_coupon_id: int, order_id: int,
        lines: Sequence[Line]) -> int:
    """Quote, then mark the coupon used on the order (available -> used, conditional). Returns the discount."""
    mc, t = _load(s, tenant_id, member_id, member_coupon_id)
    now = clock.now()
    off = _discount(mc, t, lines, now)
    if not repo.mark_used(s, tenant_id, mc.id, order_id, off, now):
        raise _unusable("this coupon was just used")
    outbox.emit(s, tenant_id, "coupon.used", {"member_coupon_id": mc.id, "member_id": member_id,
                                              "template_id": t.id, "order_id": order_id, "discount_fen": off})
    return off


def restore(s: Session, tenant_id: int, order_id: int) -> bool:
    """The order's coupon comes back: available if still within its validity, else expired.
    Idempotent: only a coupon still marked used on this order changes."""
    now = clock.now()
    changed = False
    for mc in repo.used_on(s, tenant_id, order_id):
        status = "available" if mc.valid_to > now else "expired"
        if repo.release(s, tenant_id, mc.id, order_id, status):
            changed = True
            outbox.emit(s, tenant_id, "coupon.restored", {
                "member_coupon_id": mc.id, "member_id": mc.member_id, "template_id": mc.template_id,
                "order_id": order_id, "status": status})
    return changed
