from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from linli.core.schemas import In, Instant, Out

TierCode = Literal["regular", "silver", "gold"]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Kind = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,30}$")]


class BenefitsIn(In):
    discount_percent: Annotated[int, Field(ge=0, le=50)] = 0
    flash_sale_early_minutes: Annotated[int, Field(ge=0, le=1440)] = 0
    group_size_max: Annotated[int, Field(ge=2, le=1000)] = 10
    priority_service: bool = False


class LevelIn(BenefitsIn):
    code: TierCode
    name: Label
    min_growth: Annotated[int, Field(ge=0, le=10**9)]


class BlackCardIn(BenefitsIn):
    name: Label = "黑卡会员"


class ProgramIn(In):
    levels: Annotated[list[LevelIn], Field(min_length=3, max_length=3)]
    black_card: BlackCardIn
    growth_per_yuan: Annotated[int, Field(ge=0, le=100)] = 1
    action_growth: Annotated[dict[Kind, Annotated[int, Field(ge=0, le=1000)]], Field(max_length=20)] = {}

    @model_validator(mode="after")
    def _ladder(self) -> ProgramIn:
        if [lv.code for lv in self.levels] != ["regular", "silver", "gold"]:
            raise ValueError("levels must be regular, silver, gold in that order")
        growth = [lv.min_growth for lv in self.levels]
        if growth[0] != 0 or not growth[0] < growth[1] < growth[2]:
            raise ValueError("min_growth must start at 0 and increase")
        return self


class TierBenefits(Out):
    """What a tier gives (seed 000/001): a discount, early access to flash sales, larger group-buys
    (黄金 may start 百人团) and priority service (专属客服)."""

    discount_percent: int
    flash_sale_early_minutes: int
    group_size_max: int
    priority_service: bool


class LevelOut(TierBenefits):
    code: str
    name: str
    min_growth: int


class BlackCardOut(TierBenefits):
    name: str


class ProgramOut(Out):
    levels: list[LevelOut]
    black_card: BlackCardOut
    growth_per_yuan: int
    action_growth: dict[str, int]


class TierHistoryOut(Out):
    from_tier: str
    to_tier: str
    at: Instant
    reason: str


class MyTierOut(Out):
    tier: str  # what tier_of() answers: regular | silver | gold | black
    name: str
    earned_tier: str  # the ladder tier under a black card
    black_card: bool
    growth: int
    next_tier: str | None
    next_tier_name: str | None
    growth_needed: int | None
    benefits: TierBenefits


class MemberTierOut(MyTierOut):
    member_id: int
    history: list[TierHistoryOut]


class BlackCardRunOut(Out):
    month: str
    spenders: int  # members with trailing-12-month spend > 0
    holders: int
    cutoff_fen: int | None  # spend of the last place; everyone tied with it holds a card too
    granted: int
    revoked: int
