from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Out

Quantity = Annotated[int, Field(gt=0, le=999)]


class LineIn(In):
    product_id: Id
    quantity: Quantity


class OrderIn(In):
    items: Annotated[list[LineIn], Field(min_length=1, max_length=50)]
    pickup_point_id: Id | None = None
    coupon_id: Id | None = None
    points_to_use: Annotated[int, Field(ge=0, le=10**9)] = 0


class RefundLineIn(In):
    item_id: Id
    quantity: Quantity


class RefundIn(In):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    lines: Annotated[list[RefundLineIn], Field(max_length=50)] | None = None  # none: refund the rest


class CancelIn(In):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""


class PickupIn(In):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class ItemOut(Out):
    id: int
    product_id: int
    product_name: str
    unit_price_fen: int
    quantity: int
    amount_fen: int
    is_fresh: bool
    refunded_quantity: int


class TimelineOut(Out):
    action: str
    actor_role: str
    actor_user_id: int | None
    detail: dict[str, Any]
    at: Instant


class OrderOut(Out):
    id: int
    status: str
    member_id: int
    total_fen: int
    discount_fen: int
    payable_fen: int
    refunded_fen: int
    member_discount_fen: int = 0  # the member's tier discount (白银 2 %, 黄金 5 %, 黑卡 8 % by default)
    coupon_id: int | None = None  # the member coupon used on it
    coupon_discount_fen: int = 0
    points_used: int = 0
    points_discount_fen: int = 0
    points_withheld_fen: int = 0  # kept from refunds: the value of earned points already spent
    pickup_point_id: int | None
    source: str = "shop"  # shop | flash_sale | group_buy | …
    source_id: int | None = None
    deliverable_from: Instant | None = None
    deposit_fen: int = 0  # presale deposit, paid first; the rest is due by balance_due_at
    balance_due_at: Instant | None = None
    items: list[ItemOut]
    created_at: Instant
    expires_at: Instant
    paid_at: Instant | None
    picked_up_at: Instant | None
    pickup_code: str | None = None  # only the owner sees it, once paid


class OrderDetailOut(OrderOut):
    timeline: list[TimelineOut]


class StatusOut(Out):
    id: int
    status: str
