"""HTTP shapes of the smart lockers: compartments, deposits, collection with the code, settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Out

Size = Literal["S", "M", "L"]
SIZES = ("S", "M", "L")
SIZE_NAMES = {"S": "小格", "M": "中格", "L": "大格"}
PARCEL_STATUS_NAMES = {"live": "待取件", "collected": "已取件", "expired": "已超时退回"}
COMPARTMENT_STATUS_NAMES = {"free": "空闲", "occupied": "占用", "out_of_order": "故障"}
Count = Annotated[int, Field(ge=0, le=200)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=12)]


class CompartmentsIn(In):
    """How many compartments of each size to add (numbered on from the locker's last one)."""

    small: Count = 0
    medium: Count = 0
    large: Count = 0


class CompartmentOut(Out):
    id: int
    pickup_point_id: int
    label: str
    size: str
    status: str


class CompartmentStatusIn(In):
    status: Literal["free", "out_of_order"]


class SizeCount(Out):
    size: str
    total: int
    free: int
    occupied: int
    out_of_order: int


class LockerOut(Out):
    """A locker with its occupancy (per size), its live parcels and those expiring within the hours asked."""

    pickup_point_id: int
    name: str
    community_id: int
    leader_id: int | None
    capacity: int | None
    compartments: int
    free: int
    occupied: int
    out_of_order: int
    live_parcels: int
    expiring_soon: int
    sizes: list[SizeCount]


class DepositIn(In):
    order_id: Id
    size: Size


class ParcelOut(Out):
    id: int
    pickup_point_id: int
    compartment_id: int
    compartment_label: str
    size: str
    order_id: int
    member_id: int
    status: str
    deposited_at: Instant
    expires_at: Instant
    reminded_at: Instant | None
    collected_at: Instant | None
    expired_at: Instant | None
    returned_at: Instant | None
    code: str | None = None  # only to the parcel's owner, while it waits


class AwaitingOut(Out):
    """A paid order of the locker's pickup point not in a compartment yet."""

    order_id: int
    paid_at: Instant
    payable_fen: int


class CollectIn(In):
    code: Code


class CollectOut(Out):
    parcel_id: int
    order_id: int
    compartment_label: str
    status: Literal["collected"]


class SettingsIn(In):
    hold_hours: Annotated[int, Field(ge=1, le=24 * 14)]
    remind_hours: Annotated[int, Field(ge=0, le=24 * 13)]


class SettingsOut(Out):
    hold_hours: int
    remind_hours: int
