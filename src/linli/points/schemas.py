from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from linli.core.schemas import Id, In, Instant, Name, Out, ShortText

Points = Annotated[int, Field(gt=0, le=10**9)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ACTIONS = ("order_paid", "checkin", "checkin_streak", "review", "share", "invite", "content")


class Rule(In):
    """points per unit of the action; daily_cap: at most this many points a day (None: no cap)."""

    points: Annotated[int, Field(ge=0, le=10**6)]
    daily_cap: Annotated[int, Field(ge=1, le=10**9)] | None = None
    enabled: bool = True


class RulesIn(In):
    """A tenant's whole points configuration (PUT replaces it; omitted fields take the defaults)."""

    order_paid: Rule = Rule(points=1)  # per yuan paid
    checkin: Rule = Rule(points=5, daily_cap=5)
    checkin_streak: Rule = Rule(points=10)  # bonus on every streak_days-th consecutive day
    streak_days: Annotated[int, Field(ge=2, le=365)] = 7
    review: Rule = Rule(points=10, daily_cap=30)
    share: Rule = Rule(points=5, daily_cap=20)
    invite: Rule = Rule(points=1)  # referral ladder rewards carry their own points (units)
    content: Rule = Rule(points=2, daily_cap=10)
    points_per_yuan_deduction: Annotated[int, Field(ge=1, le=10**6)] = 100  # 100 points = 1 yuan
    max_order_deduction_percent: Annotated[int, Field(ge=0, le=100)] = 50
    expiry: Literal["end_of_next_year", "days"] = "end_of_next_year"
    expiry_days: Annotated[int, Field(ge=1, le=36500)] | None = None

    @model_validator(mode="after")
    def _days_given(self) -> RulesIn:
        if self.expiry == "days" and self.expiry_days is None:
            raise ValueError("expiry_days is required when expiry is 'days'")
        return self


class RulesOut(Out):
    order_paid: dict[str, int | bool | None]
    checkin: dict[str, int | bool | None]
    checkin_streak: dict[str, int | bool | None]
    streak_days: int
    review: dict[str, int | bool | None]
    share: dict[str, int | bool | None]
    invite: dict[str, int | bool | None]
    content: dict[str, int | bool | None]
    points_per_yuan_deduction: int
    max_order_deduction_percent: int
    expiry: str
    expiry_days: int | None


class GrantIn(In):
    member_id: Id
    amount: Points
    reason: Reason


class TransactionOut(Out):
    transaction_id: int
    member_id: int
    kind: str
    amount: int
    balance: int


class RedemptionIn(In):
    """goods: amount must equal the item's points_cost × quantity (the price the member saw);
    property_fee: note names the bill or house; charity: credited to the member's community."""

    amount: Points
    kind: Literal["goods", "property_fee", "charity"]
    item_id: Id | None = None
    quantity: Annotated[int, Field(ge=1, le=100)] | None = None
    note: ShortText | None = None

    @model_validator(mode="after")
    def _fields_of_kind(self) -> RedemptionIn:
        if self.kind == "goods" and self.item_id is None:
            raise ValueError("item_id is required for goods")
        if self.kind != "goods" and (self.item_id is not None or self.quantity is not None):
            raise ValueError("item_id and quantity are only for goods")
        if self.kind == "property_fee" and not self.note:
            raise ValueError("note (the property bill or house) is required for property_fee")
        return self


class RedemptionOut(Out):
    id: int
    kind: str
    amount: int
    balance: int
    item_id: int | None
    quantity: int | None
    value_fen: int | None
    community_id: int | None
    note: str | None
    created_at: Instant


class ExpiringOut(Out):
    amount: int
    expires_at: Instant


class MyPointsOut(Out):
    balance: int
    expiring_soon: list[ExpiringOut]  # within the next 30 days
    next_expiry: ExpiringOut | None
    points_per_yuan_deduction: int
    max_order_deduction_percent: int  # this member's own cap (超级拼手 raises the tenant's by half)


class EntryOut(Out):
    id: int
    transaction_id: int
    kind: str
    amount: int
    balance_after: int | None
    reason: str | None
    reference: str | None
    created_at: Instant


class MemberPointsOut(Out):
    member_id: int
    balance: int
    items: list[EntryOut]
    next_cursor: str | None


class CatalogItemIn(In):
    name: Name
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    points_cost: Points
    stock: Annotated[int, Field(ge=0, le=10**7)]
    active: bool = True


class CatalogItemPatch(In):
    name: Name | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    points_cost: Points | None = None
    stock: Annotated[int, Field(ge=0, le=10**7)] | None = None  # sets the stock (a restock or a count)
    active: bool | None = None


class CatalogItemOut(Out):
    id: int
    name: str
    description: str | None
    points_cost: int
    stock: int
    active: bool
    created_at: Instant


class CharityOut(Out):
    community_id: int
    total_points: int
    donors: int
