"""HTTP shapes of local services: merchants, services, schedules, slots, bookings and ratings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints

from linli.core.clock import as_utc
from linli.core.schemas import Fen, Id, In, Instant, Name, Out

# the categories the member app groups merchants by, in its order (接入家政维修、宠物托管、亲子活动报名等周边商户服务)
CATEGORIES = ("家政维修", "宠物托管", "亲子活动", "健康养老", "教育培训", "其他")
Category = Literal["家政维修", "宠物托管", "亲子活动", "健康养老", "教育培训", "其他"]
BOOKING_STATUS = {"confirmed": "已预约", "cancelled": "已取消", "completed": "已完成"}
BookingStatus = Literal["confirmed", "cancelled", "completed"]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=5, max_length=30,
                                         pattern=r"^[0-9+\- ]+$")]
Text200 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Text500 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Text1000 = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
HHMM = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


def _utc(at: datetime) -> datetime:
    try:
        return as_utc(at)
    except OverflowError as exc:
        raise ValueError("time out of range") from exc


TimeIn = Annotated[datetime, Field(strict=False), AfterValidator(_utc)]  # naive: Asia/Shanghai


class MerchantIn(In):
    name: Name
    category: Category
    phone: Phone
    address: Text200 = ""
    description: Text1000 = ""
    community_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    active: bool = True


class MerchantPatch(In):
    name: Name | None = None
    phone: Phone | None = None
    address: Text200 | None = None
    description: Text1000 | None = None
    community_ids: Annotated[list[Id], Field(min_length=1, max_length=500)] | None = None
    active: bool | None = None


class MerchantOut(Out):
    id: int
    name: str
    category: str
    phone: str
    address: str
    description: str
    active: bool
    rating_count: int
    rating_avg: float | None = None
    community_ids: list[int] = []


class ServiceIn(In):
    name: Name
    description: Text1000 = ""
    price_fen: Fen = 0
    duration_minutes: Annotated[int, Field(ge=5, le=24 * 60)]
    capacity: Annotated[int, Field(ge=1, le=1000)] = 1


class ServiceOut(Out):
    id: int
    merchant_id: int
    name: str
    description: str
    price_fen: int
    duration_minutes: int
    capacity: int
    active: bool


class ScheduleIn(In):
    weekday: Annotated[int, Field(ge=0, le=6)]  # 0 Monday
    start_time: HHMM  # local (Asia/Shanghai)
    capacity: Annotated[int, Field(ge=1, le=1000)] | None = None


class ScheduleOut(Out):
    id: int
    service_id: int
    weekday: int
    start_minute: int
    capacity: int | None
    active: bool


class SlotIn(In):
    starts_at: TimeIn
    capacity: Annotated[int, Field(ge=1, le=1000)] | None = None


class SlotOut(Out):
    id: int
    service_id: int
    merchant_id: int
    starts_at: Instant
    ends_at: Instant
    capacity: int
    booked: int
    status: str
    remaining: int = 0


class BookingIn(In):
    slot_id: Id
    seats: Annotated[int, Field(ge=1, le=20)] = 1
    note: Text200 = ""


class CancelIn(In):
    reason: Text200 = ""


class BookingOut(Out):
    id: int
    slot_id: int
    service_id: int
    merchant_id: int
    member_id: int
    community_id: int | None
    seats: int
    price_fen: int
    note: str
    status: str
    starts_at: Instant
    ends_at: Instant
    cancelled_at: Instant | None
    cancelled_by: str | None
    cancel_reason: str | None
    completed_at: Instant | None
    created_at: Instant
    payment: str = "pay_at_service"  # 到店/上门付款: no money moves in linli for a booking


class RatingIn(In):
    stars: Annotated[int, Field(ge=1, le=5)]
    comment: Text500 = ""


class RatingOut(Out):
    id: int
    booking_id: int
    merchant_id: int
    service_id: int
    stars: int
    comment: str
    comment_visible: bool
    created_at: Instant
