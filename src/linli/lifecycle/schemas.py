from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from linli.core.schemas import In, Instant, Out

Days = Annotated[int, Field(ge=1, le=3650)]


class SettingsIn(In):
    new_days: Days = 7
    silent_days: Days = 30
    dormant_days: Days = 90
    core_days: Days = 90
    core_orders: Annotated[int, Field(ge=1, le=1000)] = 3

    @model_validator(mode="after")
    def _ordered(self) -> SettingsIn:
        if self.dormant_days <= self.silent_days:
            raise ValueError("dormant_days must be greater than silent_days")
        return self


class SettingsOut(Out):
    new_days: int
    silent_days: int
    dormant_days: int
    core_days: int
    core_orders: int


class HistoryOut(Out):
    from_stage: str | None
    to_stage: str
    at: Instant
    reason: str


class MyLifecycleOut(Out):
    stage: str
    label: str
    since: Instant


class LifecycleOut(MyLifecycleOut):
    member_id: int
    joined_at: Instant
    last_order_at: Instant | None
    last_interaction_at: Instant | None
    paid_orders: int
    history: list[HistoryOut]


class DayCounts(Out):
    day: date
    new: int
    active: int
    silent: int
    dormant: int
    core: int


class DistributionOut(Out):
    stages: list[str]
    items: list[DayCounts]  # oldest day first; counts at the end of each day (Asia/Shanghai)
