from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from linli.core import clock
from linli.core.schemas import Id, In, Instant, Out


def _utc(at: datetime) -> datetime:
    try:
        return clock.as_utc(at)
    except OverflowError as exc:  # e.g. 0001-01-01 with a positive offset: before datetime.min in UTC
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SpanText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
STATUS_NAMES = {"open": "营业中", "paused": "暂停", "closed": "已关闭"}
TRIGGER_NAMES = {"manual": "手动调度", "point_closed": "自提点关闭", "closure": "临时闭店", "pause": "暂停营业",
                 "delivery_day": "配送日分配"}
UNPLACED_NAMES = {"no_point_in_range": "附近没有营业中的自提点", "points_full": "附近自提点都已满"}


class ReasonIn(In):
    reason: Reason


class PauseIn(In):
    reason: Reason
    reassign: bool = False  # move the awaiting orders away now, too


class ClosureIn(In):
    starts_at: TimeIn
    ends_at: TimeIn | None = None
    reason: Reason

    @model_validator(mode="after")
    def _range(self) -> ClosureIn:
        if self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class CapacityIn(In):
    daily_capacity: Annotated[int, Field(ge=1, le=100_000)] | None


class DayHoursIn(In):
    weekday: Annotated[int, Field(ge=0, le=6)]  # 0 = Monday
    hours: SpanText  # "08:00-21:00"


class HoursIn(In):
    days: Annotated[list[DayHoursIn], Field(max_length=7)]  # a weekday left out is a day off


class SettingsIn(In):
    max_distance_m: Annotated[int, Field(ge=100, le=20_000)]
    preference_penalty_m: Annotated[int, Field(ge=0, le=5_000)]


class SettingsOut(Out):
    max_distance_m: int
    preference_penalty_m: int


class RunIn(In):
    key: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] | None = None
    point_ids: Annotated[list[Id], Field(max_length=500)] | None = None  # default: closed, paused, over capacity
    paid_from: TimeIn | None = None  # a delivery day's orders: paid in [paid_from, paid_until)
    paid_until: TimeIn | None = None


class ClosureOut(Out):
    id: int
    pickup_point_id: int
    starts_at: Instant
    ends_at: Instant | None
    reason: str
    reassigned_at: Instant | None


class PointOut(Out):
    id: int
    community_id: int
    name: str
    kind: str
    address: str
    lat: float
    lng: float
    status: Literal["open", "paused", "closed"]  # as set by the operators
    effective_status: Literal["open", "paused", "closed"]  # paused also while a closure runs
    reason: str
    capacity: int | None  # parcels awaiting pickup at most; None: no limit
    load: int  # parcels awaiting pickup now
    full: bool
    hours: str
    open_now: bool
    closures: list[ClosureOut]


class MoveOut(Out):
    order_id: int
    member_id: int
    from_point_id: int
    to_point_id: int | None
    distance_m: int | None
    outcome: Literal["moved", "unplaced"]
    reason: str


class RunOut(Out):
    id: int
    key: str
    trigger: str
    pickup_point_id: int | None
    considered: int
    moved: int
    kept: int
    unplaced: int
    total_distance_m: int
    solver: str
    created_at: Instant
    moves: list[MoveOut] = []


class NearbyOut(Out):
    point: PointOut
    distance_m: int
    chosen: bool  # the member's own pickup point (or their default when they chose none)
    label: str  # 营业中 / 暂停 / 已关闭 / 已满
