from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from linli.core.schemas import Id, In, Instant, Out, PositiveFen
from linli.flashsale.schemas import TimeIn


class PresaleIn(In):
    product_id: Id
    price_fen: PositiveFen
    quantity: Annotated[int, Field(gt=0, le=10**7)]
    per_member_limit: Annotated[int, Field(gt=0, le=1000)] = 10
    starts_at: TimeIn
    ends_at: TimeIn
    delivers_at: TimeIn
    deposit_fen: PositiveFen | None = None  # per unit; none: the full price is paid at once
    balance_due_at: TimeIn | None = None  # with a deposit: the balance by then (default: delivers_at)

    @model_validator(mode="after")
    def _dates(self) -> PresaleIn:
        if not self.starts_at < self.ends_at <= self.delivers_at:
            raise ValueError("need starts_at < ends_at <= delivers_at")
        if self.deposit_fen is None:
            if self.balance_due_at is not None:
                raise ValueError("balance_due_at needs a deposit_fen")
            return self
        if self.deposit_fen >= self.price_fen:
            raise ValueError("deposit_fen must be below price_fen")
        self.balance_due_at = self.balance_due_at or self.delivers_at
        if not self.ends_at <= self.balance_due_at <= self.delivers_at:
            raise ValueError("need ends_at <= balance_due_at <= delivers_at")
        return self


class PresaleOut(Out):
    id: int
    product_id: int
    price_fen: int
    quantity: int
    sold: int
    remaining: int
    per_member_limit: int
    starts_at: Instant
    ends_at: Instant
    delivers_at: Instant
    deposit_fen: int | None = None
    balance_due_at: Instant | None = None
    status: Literal["scheduled", "selling", "awaiting_delivery", "delivering"]


class PresaleOrderIn(In):
    quantity: Annotated[int, Field(gt=0, le=1000)] = 1
    pickup_point_id: Id | None = None
