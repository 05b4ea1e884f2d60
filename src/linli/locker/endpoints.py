"""HTTP for locker (智能柜): compartments (operators), deposits (the locker's leader or an operator), opening
with the code (a member's phone or the kiosk), the member's parcels, expired parcels to take back, settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, LeaderOrOperator, MemberP, Operator, count_failure, idempotent
from linli.core.schemas import Id, Limit
from linli.locker import collect, deposit, service
from linli.locker.schemas import (
    AwaitingOut,
    CollectIn,
    CollectOut,
    CompartmentOut,
    CompartmentsIn,
    CompartmentStatusIn,
    DepositIn,
    LockerOut,
    ParcelOut,
    SettingsIn,
    SettingsOut,
)

router = APIRouter(prefix="/lockers", tags=["locker"])
ParcelStatus = Annotated[str | None, Query(pattern="^(live|collected|expired)$")]


@router.get("", response_model=list[LockerOut])
def lockers(p: LeaderOrOperator, s: Db) -> list[LockerOut]:
    return service.overview(s, p)


@router.get("/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p)


@router.put("/settings", response_model=SettingsOut)
def save_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.save_settings(s, p, data)


@router.get("/mine", response_model=list[ParcelOut])
def mine(p: MemberP, s: Db, limit: Limit = 50) -> list[ParcelOut]:
    return service.my_parcels(s, p, limit)


@router.get("/expired", response_model=list[ParcelOut])
def expired(p: LeaderOrOperator, s: Db) -> list[ParcelOut]:
    return service.to_take_back(s, p)


@router.post("/parcels/{parcel_id}/taken-back", response_model=ParcelOut)
def taken_back(parcel_id: Id, p: LeaderOrOperator, s: Db) -> ParcelOut:
    return service.taken_back(s, p, parcel_id)


@router.post("/compartments/{compartment_id}/status", response_model=CompartmentOut)
def compartment_status(compartment_id: Id, data: CompartmentStatusIn, p: LeaderOrOperator,
                       s: Db) -> CompartmentOut:
    return service.set_compartment_status(s, p, compartment_id, data.status)


@router.post("/{locker_id}/compartments", status_code=201, response_model=list[CompartmentOut])
def add_compartments(locker_id: Id, data: CompartmentsIn, p: Operator, s: Db) -> list[CompartmentOut]:
    return service.add_compartments(s, p, locker_id, data)


@router.get("/{locker_id}/compartments", response_model=list[CompartmentOut])
def compartments(locker_id: Id, p: LeaderOrOperator, s: Db) -> list[CompartmentOut]:
    return service.compartments(s, p, locker_id)


@router.get("/{locker_id}/awaiting", response_model=list[AwaitingOut])
def awaiting(locker_id: Id, p: LeaderOrOperator, s: Db) -> list[AwaitingOut]:
    return deposit.awaiting(s, p, locker_id)


@router.get("/{locker_id}/parcels", response_model=list[ParcelOut])
def parcels(locker_id: Id, p: LeaderOrOperator, s: Db, status: ParcelStatus = None,
            limit: Limit = 50) -> list[ParcelOut]:
    return service.parcels_at(s, p, locker_id, [status] if status else None, limit)


@router.post("/{locker_id}/deposits", status_code=201, response_model=ParcelOut)
def make_deposit(locker_id: Id, data: DepositIn, p: LeaderOrOperator, s: Db, request: Request,
                 key: IdemKey = None) -> JSONResponse:
    def work() -> ParcelOut:
        parcel = deposit.deposit(s, p, locker_id, data)
        return service.outs(s, p.tenant_id, [parcel], p)[0]
    return idempotent(s, p, request, key, data, 201, work)


@router.post("/{locker_id}/collect", response_model=CollectOut)
def collect_parcel(locker_id: Id, data: CollectIn, p: Auth, s: Db) -> CollectOut:
    try:
        return collect.collect(s, p, locker_id, data.code)
    except collect.WrongCode:
        count_failure(s, list(collect.throttle_keys(p, locker_id)), collect.WINDOW)
        raise
