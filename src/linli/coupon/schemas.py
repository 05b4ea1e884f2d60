from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from linli.core.clock import as_utc
from linli.core.schemas import Fen, Id, In, Instant, Lat, Lng, Name, Out, PositiveFen


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at)
    except OverflowError as exc:  # e.g. 0001-01-01 with a positive offset
        raise ValueError("time out of range") from exc


# Times may come with an offset; a naive time means Asia/Shanghai.
TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]
TierCode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20,
                                            pattern=r"^[a-z][a-z0-9_]*$")]
IdList = Annotated[list[Id], Field(min_length=1, max_length=500)]
Status = Literal["available", "used", "expired"]


class CouponIn(In):
    """The API.md core is {name, discount_fen, min_spend_fen, total, per_member_limit, valid_from, valid_to};
    everything else is optional."""

    name: Name
    kind: Literal["fixed", "percent"] = "fixed"
    discount_fen: Fen = 0
    percent_off: Annotated[int, Field(ge=1, le=99)] | None = None
    max_discount_fen: PositiveFen | None = None
    min_spend_fen: Fen = 0
    total: Annotated[int, Field(gt=0, le=10**8)]
    per_member_limit: Annotated[int, Field(gt=0, le=100)] = 1
    valid_from: TimeIn | None = None
    valid_to: TimeIn | None = None
    valid_days: Annotated[int, Field(gt=0, le=3650)] | None = None
    category_ids: IdList | None = None
    product_ids: IdList | None = None
    new_member_only: bool = False
    tier_only: Annotated[list[TierCode], Field(min_length=1, max_length=20)] | None = None
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> CouponIn:
        if self.kind == "fixed" and (self.discount_fen <= 0 or self.percent_off is not None):
            raise ValueError("a fixed coupon needs discount_fen > 0 and no percent_off")
        if self.kind == "percent" and (self.percent_off is None or self.discount_fen):
            raise ValueError("a percent coupon needs percent_off (1-99) and no discount_fen")
        if self.max_discount_fen is not None and self.kind != "percent":
            raise ValueError("max_discount_fen caps percent coupons only")
        if self.valid_to is None and self.valid_days is None:
            raise ValueError("give valid_to, valid_days, or both")
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must be after valid_from")
        return self


class CouponPatch(In):
    active: bool


class CouponOut(Out):
    id: int
    name: str
    kind: str
    discount_fen: int
    percent_off: int | None
    max_discount_fen: int | None
    min_spend_fen: int
    category_ids: list[int] | None
    product_ids: list[int] | None
    new_member_only: bool
    tier_only: list[str] | None
    total: int
    claimed: int
    remaining: int
    per_member_limit: int
    valid_from: Instant | None
    valid_to: Instant | None
    valid_days: int | None
    active: bool
    created_at: Instant
    used: int | None = None  # operators: how many were used on orders
    claimable: bool | None = None  # members: whether the caller may claim one now


class ClaimOut(Out):
    member_coupon_id: int
    template_id: int
    status: str
    valid_from: Instant
    valid_to: Instant
    claimed_at: Instant


class MemberCouponOut(Out):
    id: int
    template_id: int
    name: str
    kind: str
    discount_fen: int
    percent_off: int | None
    max_discount_fen: int | None
    min_spend_fen: int
    status: str
    source: str
    valid_from: Instant
    valid_to: Instant
    claimed_at: Instant
    used_at: Instant | None
    order_id: int | None


class IssueIn(In):
    """Either a list of members or a whole community (a segment)."""

    member_ids: Annotated[list[Id], Field(min_length=1, max_length=1000)] | None = None
    community_id: Id | None = None

    @model_validator(mode="after")
    def _one_target(self) -> IssueIn:
        if (self.member_ids is None) == (self.community_id is None):
            raise ValueError("give exactly one of member_ids or community_id")
        return self


class IssueOut(Out):
    issued: int
    skipped: int


class GeoSpotIn(In):
    name: Name
    kind: Literal["partner", "pickup_point"]
    lat: Lat
    lng: Lng
    radius_m: Annotated[int, Field(gt=0, le=50_000)] = 3000
    coupon_template_id: Id
    active: bool = True


class GeoSpotPatch(In):
    name: Name | None = None
    radius_m: Annotated[int, Field(gt=0, le=50_000)] | None = None
    active: bool | None = None


class GeoSpotOut(Out):
    id: int
    name: str
    kind: str
    lat: float
    lng: float
    radius_m: int
    coupon_template_id: int
    active: bool
    created_at: Instant


class CheckinIn(In):
    spot_id: Id
    lat: Lat
    lng: Lng


class CheckinOut(Out):
    checkin_id: int
    spot_id: int
    member_coupon_id: int
    distance_m: int
