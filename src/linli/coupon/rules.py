"""Pure coupon rules: what a template gives on some order lines, and when a coupon may be used.
No database here, so the arithmetic is easy to test and to read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from linli.models import CouponTemplate

NEW_MEMBER_DAYS = 7  # seed 000: a member is "new" for their first 7 days


@dataclass(frozen=True)
class Line:
    """One order line as the coupon sees it (category from the catalogue, amount after other prices)."""

    product_id: int
    category_id: int | None
    amount_fen: int


def in_scope(t: CouponTemplate, line: Line) -> bool:
    """No scope lists: every line. Otherwise a line counts if its product or its category is listed."""
    if not t.category_ids and not t.product_ids:
        return True
    return line.product_id in (t.product_ids or []) or (
        line.category_id is not None and line.category_id in (t.category_ids or []))


def scoped_amount(t: CouponTemplate, lines: Sequence[Line]) -> int:
    return sum(max(0, ln.amount_fen) for ln in lines if in_scope(t, ln))


def discount(t: CouponTemplate, amount_fen: int) -> int:
    """The discount on an in-scope amount: never more than that amount; percentages round down."""
    if t.kind == "percent":
        off = amount_fen * (t.percent_off or 0) // 100
        if t.max_discount_fen is not None:
            off = min(off, t.max_discount_fen)
    else:
        off = t.discount_fen
    return max(0, min(off, amount_fen))


def unusable_reason(t: CouponTemplate, amount_fen: int) -> str | None:
    """Why the threshold/scope rules refuse these lines (None: usable)."""
    if amount_fen <= 0:
        return "nothing in this order is covered by the coupon"
    if amount_fen < t.min_spend_fen:
        return f"the coupon needs {t.min_spend_fen} fen of eligible goods; this order has {amount_fen}"
    return None


def window_for_claim(t: CouponTemplate, at: datetime) -> tuple[datetime, datetime]:
    """A claimed coupon's own validity: the template's window, or claim time + valid_days (still
    never past the template's valid_to)."""
    if t.valid_days is not None:
        end = at + timedelta(days=t.valid_days)
        return at, min(end, t.valid_to) if t.valid_to is not None else end
    assert t.valid_to is not None  # the validity CHECK constraint
    return t.valid_from or at, t.valid_to


def open_for_claims(t: CouponTemplate, at: datetime) -> bool:
    """Templates hand out coupons from valid_from (if set) until valid_to (if set)."""
    return (t.valid_from is None or t.valid_from <= at) and (t.valid_to is None or at < t.valid_to)


def is_new_member(joined_at: datetime, at: datetime) -> bool:
    return at - joined_at < timedelta(days=NEW_MEMBER_DAYS)
