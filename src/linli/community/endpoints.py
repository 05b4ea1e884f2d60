from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.community import service
from linli.community.schemas import (
    BuildingIn,
    BuildingOut,
    CommunityIn,
    CommunityOut,
    HouseholdIn,
    HouseholdOut,
    PickupPointIn,
    PickupPointOut,
)
from linli.core.http import Auth, Db, IdemKey, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, Search
from linli.leader import service as leaders

router = APIRouter(tags=["communities"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/communities", status_code=201, response_model=CommunityOut)
def create_community(data: CommunityIn, p: Operator, s: Db, request: Request,
                     key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create_community(s, p.tenant_id, data))


@router.get("/communities", response_model=Page[CommunityOut])
def list_communities(p: Operator, s: Db, q: Search = None,
                     limit: Limit = 50, cursor: Cursor = None) -> Page[CommunityOut]:
    items, nxt = service.search_communities(s, p, q, limit, cursor)
    return Page[CommunityOut](items=items, next_cursor=nxt)


@router.get("/communities/{community_id}", response_model=CommunityOut)
def get_community(community_id: Id, p: Operator, s: Db) -> CommunityOut:
    return service.get_community(s, p, community_id)


@router.post("/pickup-points", status_code=201, response_model=PickupPointOut)
def create_pickup_point(data: PickupPointIn, p: Operator, s: Db, request: Request,
                        key: IdemKey = None) -> JSONResponse:
    leader_ok = data.leader_id is None or leaders.exists(s, p.tenant_id, data.leader_id)
    return idempotent(s, p, request, key, data, 201,
                      lambda: service.create_pickup_point(s, p.tenant_id, data, leader_ok))


@router.get("/pickup-points", response_model=Page[PickupPointOut])
def list_pickup_points(p: Auth, s: Db, community_id: Id | None = None, leader_id: Id | None = None,
                       limit: Limit = 50, cursor: Cursor = None) -> Page[PickupPointOut]:
    items, nxt = service.list_pickup_points(s, p, community_id, leader_id, limit, cursor)
    return Page[PickupPointOut](items=items, next_cursor=nxt)


@router.post("/communities/{community_id}/buildings", status_code=201, response_model=BuildingOut)
def add_building(community_id: Id, data: BuildingIn, p: Operator, s: Db, request: Request,
                 key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.add_building(s, p, community_id, data))


@router.get("/communities/{community_id}/buildings", response_model=Page[BuildingOut])
def list_buildings(community_id: Id, p: Operator, s: Db, limit: Limit = 50,
                   cursor: Cursor = None) -> Page[BuildingOut]:
    items, nxt = service.list_buildings(s, p, community_id, limit, cursor)
    return Page[BuildingOut](items=items, next_cursor=nxt)


@router.post("/buildings/{building_id}/households", status_code=201, response_model=HouseholdOut)
def add_household(building_id: Id, data: HouseholdIn, p: Operator, s: Db, request: Request,
                  key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.add_household(s, p, building_id, data))


@router.get("/buildings/{building_id}/households", response_model=Page[HouseholdOut])
def list_households(building_id: Id, p: Operator, s: Db, limit: Limit = 50,
                    cursor: Cursor = None) -> Page[HouseholdOut]:
    items, nxt = service.list_households(s, p, building_id, limit, cursor)
    return Page[HouseholdOut](items=items, next_cursor=nxt)
