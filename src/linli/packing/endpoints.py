"""HTTP for packing (备货与分拣): the day's lists, the cut-off setting, the member's pickup QR token and the
leader's scan."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from linli.core.http import Db, LeaderOrOperator, MemberP, Operator
from linli.core.schemas import Id
from linli.packing import lists, service
from linli.packing.schemas import PickupTokenOut, ScanIn, ScanOut, SettingsIn, SettingsOut, SortingList, StockList

router = APIRouter(prefix="/packing", tags=["packing"])


@router.get("/stock-list", response_model=StockList)
def stock_list(p: LeaderOrOperator, s: Db, day: date | None = None, point_id: Id | None = None,
               community_id: Id | None = None, leader_id: Id | None = None) -> StockList:
    """备货单: per product, what the day's orders still owe (refunded units taken off)."""
    return lists.stock_list(s, p, day or service.default_day(s, p.tenant_id), point_id, community_id,
                            leader_id if p.role == "operator" else None)


@router.get("/sorting-list", response_model=SortingList)
def sorting_list(p: LeaderOrOperator, s: Db, day: date | None = None, point_id: Id | None = None,
                 community_id: Id | None = None, leader_id: Id | None = None) -> SortingList:
    """分拣单: one bag per order, by building then unit; phones masked, pickup codes never shown."""
    return lists.sorting_list(s, p, day or service.default_day(s, p.tenant_id), point_id, community_id,
                              leader_id if p.role == "operator" else None)


@router.get("/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p)


@router.put("/settings", response_model=SettingsOut)
def put_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.update_settings(s, p, data)


@router.get("/orders/{order_id}/pickup-token", response_model=PickupTokenOut)
def pickup_token(order_id: Id, p: MemberP, s: Db) -> PickupTokenOut:
    """The owner's signed QR token of an order awaiting pickup (valid for a few minutes)."""
    return service.pickup_token(s, p, order_id)


@router.post("/scan", response_model=ScanOut)
def scan(data: ScanIn, p: LeaderOrOperator, s: Db) -> ScanOut:
    """Hand out the order a scanned QR code names; a second scan answers 409 already_picked_up."""
    return service.scan(s, p, data.token)
