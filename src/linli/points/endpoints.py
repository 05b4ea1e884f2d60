from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.points import redemptions, service
from linli.points.schemas import (
    CatalogItemIn,
    CatalogItemOut,
    CatalogItemPatch,
    CharityOut,
    EntryOut,
    GrantIn,
    MemberPointsOut,
    MyPointsOut,
    RedemptionIn,
    RedemptionOut,
    RulesIn,
    RulesOut,
    TransactionOut,
)

router = APIRouter(tags=["points"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.get("/me/points", response_model=MyPointsOut)
def my_points(p: MemberP, s: Db) -> MyPointsOut:
    return service.mine(s, p)


@router.get("/me/points/entries", response_model=Page[EntryOut])
def my_entries(p: MemberP, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[EntryOut]:
    assert p.member_id is not None
    return service.entries(s, p.tenant_id, p.member_id, limit, cursor)


@router.get("/members/{member_id}/points", response_model=MemberPointsOut)
def member_points(member_id: Id, p: Operator, s: Db, limit: Limit = 50, cursor: Cursor = None) -> MemberPointsOut:
    return service.member_points(s, p, member_id, limit, cursor)


@router.post("/points/grants", status_code=201, response_model=TransactionOut)
def grant(data: GrantIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.grant_by_operator(s, p, data, key))


@router.post("/points/redemptions", status_code=201, response_model=RedemptionOut)
def redeem(data: RedemptionIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: redemptions.redeem(s, p, data, key))


@router.get("/points/rules", response_model=RulesOut)
def get_rules(p: Operator, s: Db) -> RulesOut:
    return service.rules(s, p.tenant_id)


@router.put("/points/rules", response_model=RulesOut)
def put_rules(data: RulesIn, p: Operator, s: Db) -> RulesOut:
    return service.set_rules(s, p, data)


@router.get("/communities/{community_id}/charity", response_model=CharityOut)
def charity(community_id: Id, p: Auth, s: Db) -> CharityOut:
    return redemptions.charity(s, p, community_id)


@router.post("/points/catalog-items", status_code=201, response_model=CatalogItemOut)
def create_item(data: CatalogItemIn, p: Operator, s: Db) -> CatalogItemOut:
    return redemptions.create_item(s, p, data)


@router.get("/points/catalog-items", response_model=Page[CatalogItemOut])
def list_items(p: Auth, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[CatalogItemOut]:
    items, nxt = redemptions.list_items(s, p, limit, cursor)
    return Page[CatalogItemOut](items=items, next_cursor=nxt)


@router.get("/points/catalog-items/{catalog_item_id}", response_model=CatalogItemOut)
def get_item(catalog_item_id: Id, p: Auth, s: Db) -> CatalogItemOut:
    return redemptions.get_item(s, p, catalog_item_id)


@router.patch("/points/catalog-items/{catalog_item_id}", response_model=CatalogItemOut)
def update_item(catalog_item_id: Id, data: CatalogItemPatch, p: Operator, s: Db) -> CatalogItemOut:
    return redemptions.update_item(s, p, catalog_item_id, data)
