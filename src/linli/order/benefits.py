"""A member's coupon and points on an order: applied when it is placed, given back when it is cancelled
or refunded. Everything happens in the order's own transaction, so an order is never placed with a coupon
that was not used, nor refunded without its points settled."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from linli.catalog.stock import Taken
from linli.core.errors import Invalid
from linli.coupon import service as coupons
from linli.models import Order
from linli.points import service as points
from linli.tier import service as tiers

MIN_PAYABLE_FEN = 1  # a payment provider takes at least 0.01 yuan: discounts stop one fen short


def apply_tier(s: Session, order: Order) -> None:
    """The member's tier discount, on a shop order not yet written (a bundle already has its own price)."""
    if order.source == "shop":
        percent = tiers.benefits_of(s, order.tenant_id, order.member_id).discount_percent
        off = min(order.payable_fen * percent // 100, order.payable_fen - MIN_PAYABLE_FEN)
        order.member_discount_fen = off
        order.payable_fen -= off
    order.discount_fen = order.total_fen - order.payable_fen


def apply(s: Session, order: Order, taken: Sequence[Taken], coupon_id: int | None, points_to_use: int) -> bool:
    """After the tier discount (apply_tier), on the written order: the coupon (its threshold is on the
    goods), then points on what is left (their cap is a share of the payable amount). Raises, leaving the
    caller to roll back, when the coupon or the points cannot be used. Returns whether the amounts changed."""
    if coupon_id is None and not points_to_use:
        return False
    if coupon_id is not None:
        lines = [coupons.Line(t.product_id, t.category_id, t.unit_price_fen * t.quantity) for t in taken]
        off = coupons.use(s, order.tenant_id, order.member_id, coupon_id, order.id, lines)
        off = min(off, order.payable_fen - MIN_PAYABLE_FEN)
        order.member_coupon_id, order.coupon_discount_fen = coupon_id, off
        order.payable_fen -= off
    if points_to_use:
        off = points.spend_on_order(s, order.tenant_id, order.member_id, order.id, points_to_use,
                                    order.payable_fen)
        if off > order.payable_fen - MIN_PAYABLE_FEN:
            raise Invalid("points may not pay the whole order", code="points_over_limit")
        order.points_used, order.points_discount_fen = points_to_use, off
        order.payable_fen -= off
    order.discount_fen = order.total_fen - order.payable_fen
    return True


def settle(s: Session, order: Order, share_fen: int, key: str, closes: bool) -> int:
    """`share_fen` of the order's payable amount is being refunded (or, unpaid, cancelled). Return that
    share of the points spent on it and take back that share of the points it earned; the value of earned
    points the member has already spent is withheld from the money. Returns the fen withheld. When the
    order `closes` (cancelled or refunded in full) its coupon comes back if still valid."""
    withheld = 0
    if share_fen > 0 and order.payable_fen > 0:
        withheld = points.settle_refund(s, order.tenant_id, order.member_id, order.id, share_fen,
                                        order.payable_fen, key)
        withheld = min(withheld, share_fen)
    if closes and order.member_coupon_id is not None:
        coupons.restore(s, order.tenant_id, order.id)
    return withheld
