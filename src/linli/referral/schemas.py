from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, model_validator

from linli.core.schemas import In, Instant, Out

Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=12, pattern=r"^[A-Z0-9]+$")]
DeviceId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class Rung(In):
    invites: Annotated[int, Field(gt=0, le=1000)]
    points: Annotated[int, Field(gt=0, le=10**7)]


class ProgramIn(In):
    ladder: Annotated[list[Rung], Field(min_length=1, max_length=20)]
    unlock_at: Annotated[int, Field(gt=0, le=1000)] = 3
    privilege: Annotated[str, StringConstraints(min_length=1, max_length=40)] = "super_grouper"
    bind_within_days: Annotated[int, Field(gt=0, le=365)] = 7

    @model_validator(mode="after")
    def _ascending(self) -> ProgramIn:
        counts = [r.invites for r in self.ladder]
        if counts != sorted(set(counts)):
            raise ValueError("ladder rungs must have increasing, distinct invite counts")
        return self


class ProgramOut(Out):
    ladder: list[dict[str, int]]
    unlock_at: int
    privilege: str
    bind_within_days: int


class BindIn(In):
    code: Code
    device_id: DeviceId | None = None


class ReferralOut(Out):
    id: int
    inviter_member_id: int
    invitee_member_id: int
    status: str
    flag_reason: str | None
    first_order_id: int | None
    qualifies_at: Instant | None
    created_at: Instant


class RewardOut(Out):
    rung: int
    points: int
    status: str
    created_at: Instant


class MyReferralOut(Out):
    code: str
    link: str
    invited: int
    qualified: int
    rewards: list[RewardOut]
    privilege: str
    privilege_unlocked: bool  # recorded once the registered invites reached unlock_at; kept afterwards
    unlock_at: int
    next_rung: int | None


class ReviewIn(In):
    approve: bool
