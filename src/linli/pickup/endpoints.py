"""HTTP for pickup (自提网络): the network's points with status and load, the operators' actions, assignment
runs, and the member's nearby points."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from linli.core.http import Db, IdemKey, MemberP, Operator, idempotent
from linli.core.schemas import Id, Limit
from linli.pickup import assignment, nearby, network, service
from linli.pickup.schemas import (
    CapacityIn,
    ClosureIn,
    ClosureOut,
    HoursIn,
    NearbyOut,
    PauseIn,
    PointOut,
    ReasonIn,
    RunIn,
    RunOut,
    SettingsIn,
    SettingsOut,
)

router = APIRouter(prefix="/pickup", tags=["pickup"])


class ClosedOut(BaseModel):
    point: PointOut
    run: RunOut


class ClosureAddedOut(BaseModel):
    closure: ClosureOut
    run: RunOut | None


@router.get("/points", response_model=list[PointOut])
def points(p: Operator, s: Db, community_id: Annotated[Id | None, Query()] = None) -> list[PointOut]:
    return network.network(s, p.tenant_id, community_id)


@router.get("/points/{point_id}", response_model=PointOut)
def point(point_id: Id, p: Operator, s: Db) -> PointOut:
    return network.point(s, p.tenant_id, point_id)


@router.post("/points/{point_id}/pause", response_model=PointOut)
def pause(point_id: Id, data: PauseIn, p: Operator, s: Db) -> PointOut:
    return service.pause(s, p, point_id, data)


@router.post("/points/{point_id}/close", response_model=ClosedOut)
def close(point_id: Id, data: ReasonIn, p: Operator, s: Db) -> ClosedOut:
    view, run = service.close(s, p, point_id, data)
    return ClosedOut(point=view, run=run)


@router.post("/points/{point_id}/reopen", response_model=PointOut)
def reopen(point_id: Id, data: ReasonIn, p: Operator, s: Db) -> PointOut:
    return service.reopen(s, p, point_id, data)


@router.post("/points/{point_id}/closures", status_code=201, response_model=ClosureAddedOut)
def add_closure(point_id: Id, data: ClosureIn, p: Operator, s: Db) -> ClosureAddedOut:
    closure, run = service.add_closure(s, p, point_id, data)
    return ClosureAddedOut(closure=closure, run=run)


@router.put("/points/{point_id}/capacity", response_model=PointOut)
def set_capacity(point_id: Id, data: CapacityIn, p: Operator, s: Db) -> PointOut:
    return service.set_capacity(s, p, point_id, data)


@router.put("/points/{point_id}/hours", response_model=PointOut)
def set_hours(point_id: Id, data: HoursIn, p: Operator, s: Db) -> PointOut:
    return service.set_hours(s, p, point_id, data)


@router.get("/settings", response_model=SettingsOut)
def get_settings(p: Operator, s: Db) -> SettingsOut:
    return service.get_settings(s, p.tenant_id)


@router.put("/settings", response_model=SettingsOut)
def save_settings(data: SettingsIn, p: Operator, s: Db) -> SettingsOut:
    return service.save_settings(s, p, data)


@router.post("/assignment-runs", status_code=201, response_model=RunOut)
def run(data: RunIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    def work() -> RunOut:
        trigger = "delivery_day" if data.paid_from or data.paid_until else "manual"
        return assignment.reassign(s, p.tenant_id, data.key or key, trigger, point_ids=data.point_ids,
                                   paid_from=data.paid_from, paid_until=data.paid_until, user_id=p.user_id)
    return idempotent(s, p, request, key, data, 201, work)


@router.get("/assignment-runs", response_model=list[RunOut])
def runs(p: Operator, s: Db, limit: Limit = 20) -> list[RunOut]:
    return assignment.recent_runs(s, p.tenant_id, limit)


@router.get("/nearby", response_model=list[NearbyOut])
def near_me(p: MemberP, s: Db) -> list[NearbyOut]:
    return nearby.for_member(s, p)
