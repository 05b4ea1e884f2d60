from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from linli.core.schemas import Id, In, Instant, Out, PositiveFen

Size = Annotated[int, Field(ge=2, le=1000)]


class GroupBuyIn(In):
    product_id: Id
    price_fen: PositiveFen
    group_size: Size
    time_limit_hours: Annotated[int, Field(gt=0, le=24 * 30)]
    stock: Annotated[int, Field(gt=0, le=10**7)]
    # larger groups for higher member tiers (seed 000: 黄金 members may start 100-person groups)
    size_by_tier: dict[Annotated[str, Field(min_length=1, max_length=20)], Size] | None = None
    virtual_fill_percent: Annotated[int, Field(ge=1, le=100)] | None = None


class GroupBuyOut(Out):
    id: int
    product_id: int
    price_fen: int
    group_size: int
    size_by_tier: dict[str, int]
    time_limit_hours: int
    stock: int
    held: int
    remaining: int
    virtual_fill_percent: int | None
    status: Literal["active", "closed"]
    created_at: Instant


class JoinIn(In):
    pickup_point_id: Id | None = None


class StartIn(JoinIn):
    # the starter's choice (seed 000: 黄金用户可发起百人团): from the campaign's group_size up to their
    # tier's group_size_max (and the units left); absent: the campaign's size for their tier
    size: Size | None = None


class StartSizes(Out):
    default: int  # what a start without a size gets: the campaign's size_by_tier for the tier, else group_size
    smallest: int  # the campaign's group_size
    largest: int  # the tier's group_size_max, at most the units left (never below the default)
    tier_max: int  # the tier's group_size_max benefit (可发起 N 人团)


class StartedOut(Out):
    group_id: int
    order_id: int


class JoinedOut(Out):
    order_id: int
    group_id: int


class GroupEventOut(Out):
    action: str
    member_id: int | None
    at: Instant


class GroupOut(Out):
    id: int
    group_buy_id: int
    status: Literal["open", "succeeded", "failed"]
    size: int
    members_count: int
    paid_count: int
    expires_at: Instant
    time_left_seconds: int
    timeline: list[GroupEventOut] = []


class CommunityHeat(Out):
    community_id: int
    name: str
    lat: float
    lng: float
    members: int


class ProgressOut(Out):
    group_buy_id: int
    open_groups: list[GroupOut]
    groups_succeeded: int
    groups_failed: int
    communities: list[CommunityHeat]
