"""Pydantic in/out for 即时配送."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from linli.core.schemas import Id, In, Instant

RiderName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^1\d{10}$")]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
MAX_STOPS = 30  # a batch of more stops than this is no longer a 30-minute trip

STATUS_NAMES = {"awaiting_payment": "待支付", "pending": "待配送", "batched": "待出发", "out": "配送中",
                "delivered": "已送达", "failed": "配送失败", "cancelled": "已取消"}
BATCH_STATUS_NAMES = {"planned": "待出发", "out": "配送中", "done": "已完成"}


class SettingsIn(In):
    radius_m: int = Field(default=3000, ge=100, le=20000)
    promise_minutes: int = Field(default=30, ge=10, le=240)
    max_batch: int = Field(default=10, ge=1, le=MAX_STOPS)
    active: bool = True


class WarehouseOut(BaseModel):
    id: int  # the warehouse pickup point
    name: str
    community_id: int
    lat: float
    lng: float
    leader_id: int | None
    radius_m: int
    promise_minutes: int
    max_batch: int
    active: bool


class RiderIn(In):
    name: RiderName
    phone: Phone


class RiderPatch(In):
    name: RiderName | None = None
    phone: Phone | None = None
    active: bool | None = None


class RiderOut(BaseModel):
    id: int
    warehouse_id: int
    name: str
    phone: str
    active: bool


class QuoteOut(BaseModel):
    """Whether the member may choose 送货上门, from which warehouse, and by when."""

    eligible: bool
    reason: str | None = None  # no_address | out_of_range
    warehouse_id: int | None = None
    warehouse_name: str | None = None
    distance_m: int | None = None
    promise_minutes: int | None = None
    address: str | None = None


class DeliveryOut(BaseModel):
    id: int
    order_id: int
    member_id: int
    warehouse_id: int
    address: str
    lat: float
    lng: float
    distance_m: int
    status: str
    status_name: str
    promise_minutes: int
    promised_at: Instant | None
    batch_id: int | None
    stop_seq: int | None
    eta_at: Instant | None
    attempts: int
    delivered_at: Instant | None
    failed_at: Instant | None
    failure_reason: str | None
    on_time: bool | None  # delivered: by the promised time
    created_at: Instant


class BatchIn(In):
    warehouse_id: Id
    rider_id: Id
    delivery_ids: list[Id] = Field(min_length=1, max_length=MAX_STOPS)


class BatchOut(BaseModel):
    id: int
    warehouse_id: int
    warehouse_lat: float
    warehouse_lng: float
    rider_id: int
    rider_name: str
    status: str
    status_name: str
    stops: int
    total_distance_m: int
    planned_seconds: int
    solver: str
    created_at: Instant
    departed_at: Instant | None
    finished_at: Instant | None
    route: list[DeliveryOut]  # in visiting order


class FailIn(In):
    reason: Reason


class DayStat(BaseModel):
    day: str
    delivered: int
    on_time: int


class StatsOut(BaseModel):
    delivered: int
    on_time: int
    on_time_rate: float | None
    average_minutes: float | None  # payment to the door
    failed: int
    pending: int
    days: list[DayStat]
