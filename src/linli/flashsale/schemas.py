from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from linli.core.clock import as_utc
from linli.core.schemas import Id, In, Instant, Out, PositiveFen


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at)
    except OverflowError as exc:  # e.g. 0001-01-01 with a positive offset: before datetime.min in UTC
        raise ValueError("time out of range") from exc


# Times may come with an offset; a naive time means Asia/Shanghai.
TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]


class FlashSaleIn(In):
    product_id: Id
    price_fen: PositiveFen
    quantity: Annotated[int, Field(gt=0, le=10**7)]
    per_member_limit: Annotated[int, Field(gt=0, le=1000)]
    starts_at: TimeIn
    ends_at: TimeIn
    tier_early_access: bool = False  # members of tiers with early minutes (黄金, 黑卡) may buy that much sooner

    @model_validator(mode="after")
    def _window(self) -> FlashSaleIn:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class FlashSaleEdit(In):
    """What may change before a sale starts (and before anyone bought): every term but the product. A new
    quantity moves the difference between the product's stock and the sale (ledger reason `flash_sale`)."""

    price_fen: PositiveFen | None = None
    quantity: Annotated[int, Field(gt=0, le=10**7)] | None = None
    per_member_limit: Annotated[int, Field(gt=0, le=1000)] | None = None
    starts_at: TimeIn | None = None
    ends_at: TimeIn | None = None
    tier_early_access: bool | None = None


class FlashSaleOut(Out):
    id: int
    product_id: int
    price_fen: int
    quantity: int
    sold: int
    remaining: int
    per_member_limit: int
    starts_at: Instant
    ends_at: Instant
    tier_early_access: bool = False
    status: Literal["scheduled", "active", "ended"]
    closed_at: Instant | None = None  # set when the sale was closed (at its end or stopped by an operator)


class PurchaseIn(In):
    quantity: Annotated[int, Field(gt=0, le=1000)] = 1
    pickup_point_id: Id | None = None


class PurchaseOut(Out):
    order_id: int
    flash_sale_id: int
    quantity: int
    payable_fen: int
