from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from linli.assessment.schemas import RatingOut
from linli.core.schemas import In, Instant, Out, PositiveFen
from linli.leader.schemas import TierOut

Period = Literal["today", "7d", "month"]
WithdrawalStatus = Literal["requested", "approved", "rejected"]


class AccountOut(Out):
    leader_id: int
    pending_fen: int
    available_fen: int
    held_fen: int
    withdrawn_fen: int
    owed_fen: int


class EntryOut(Out):
    id: int
    kind: str
    amount_fen: int
    bucket: str | None
    owed_fen: int
    rate_bp: int | None
    order_id: int | None
    withdrawal_id: int | None
    created_at: Instant


class CommissionOut(AccountOut):
    entries: list[EntryOut]
    next_cursor: str | None = None


class StatementOut(Out):
    leader_id: int
    month: str
    opening_fen: int
    accrued_fen: int
    reversed_fen: int
    subsidy_fen: int  # the tier's marketing subsidy for the month before, credited when it was assessed
    settled_fen: int
    withdrawn_fen: int
    closing_fen: int
    orders: int


class WithdrawalIn(In):
    amount_fen: PositiveFen


class RejectIn(In):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class WithdrawalOut(Out):
    id: int
    leader_id: int
    amount_fen: int
    status: str
    reason: str | None
    created_at: Instant
    decided_at: Instant | None


class DashboardOut(Out):
    period: str
    gmv_fen: int
    orders: int
    members: int
    new_members: int
    commission_fen: int
    tier: str
    tier_progress: Any = None
    benefits: TierOut | None = None  # what my tier gives: commission rate, training, priority selection, subsidy
    next_benefits: TierOut | None = None  # and what the next tier would
    recent_feedback: list[RatingOut] = Field(default_factory=list)  # members' latest ratings after pickup
