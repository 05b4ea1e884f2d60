"""Packing's shapes: the stock-up list (备货单), the sorting list (分拣单), the settings and a scan's answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from linli.core.schemas import In, Instant, Out


class StockLine(BaseModel):
    """One product to prepare for a day: the quantity still owed (refunded units taken off) and in how many orders."""

    product_id: int
    product_name: str
    unit: str
    quantity: int
    orders: int


class PointStock(BaseModel):
    point_id: int
    point_name: str
    lines: list[StockLine]


class StockList(BaseModel):
    day: date
    lines: list[StockLine]  # every point in scope together
    by_point: list[PointStock]
    total_quantity: int
    total_orders: int


class BagItem(BaseModel):
    product_name: str
    unit: str
    quantity: int


class Bag(BaseModel):
    """One order's bag on the sorting table: who it is for and where they live; the pickup code is never shown."""

    order_id: int
    status: str  # paid (待提货) | picked_up (已提货)
    point_id: int
    point_name: str
    member_id: int
    member_name: str
    phone_masked: str
    building: str
    unit_no: str
    items: list[BagItem]
    quantity: int


class SortingList(BaseModel):
    day: date
    bags: list[Bag]
    total_bags: int
    total_quantity: int
    picked_up: int


class SettingsIn(In):
    # the daily cut-off, HH:MM Asia/Shanghai; 24:00 is midnight
    cutoff: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")]


class SettingsOut(Out):
    cutoff: str
    cutoff_minutes: int


class ScanIn(In):
    token: Annotated[str, Field(min_length=1, max_length=400)]


class ScanOut(Out):
    order_id: int
    status: str
    member_name: str
    phone_masked: str
    picked_up_at: Instant | None


class PickupTokenOut(Out):
    order_id: int
    token: str
    expires_at: Instant
