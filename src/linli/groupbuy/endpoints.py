from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.groupbuy import service
from linli.groupbuy.schemas import (
    GroupBuyIn,
    GroupBuyOut,
    GroupOut,
    JoinedOut,
    JoinIn,
    ProgressOut,
    StartedOut,
    StartIn,
    StartSizes,
)

router = APIRouter(tags=["group-buys"])


@router.post("/group-buys", status_code=201, response_model=GroupBuyOut)
def create_group_buy(data: GroupBuyIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/group-buys", response_model=Page[GroupBuyOut])
def list_group_buys(p: Auth, s: Db, limit: Limit = 50,
                    cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[GroupBuyOut]:
    items, nxt = service.search(s, p, limit, cursor)
    return Page[GroupBuyOut](items=items, next_cursor=nxt)


@router.get("/group-buys/{group_buy_id}", response_model=GroupBuyOut)
def get_group_buy(group_buy_id: Id, p: Auth, s: Db) -> GroupBuyOut:
    return service.get(s, p, group_buy_id)


@router.post("/group-buys/{group_buy_id}/close", response_model=GroupBuyOut)
def close_group_buy(group_buy_id: Id, p: Operator, s: Db) -> GroupBuyOut:
    return service.close(s, p, group_buy_id)


@router.get("/group-buys/{group_buy_id}/progress", response_model=ProgressOut)
def group_buy_progress(group_buy_id: Id, p: Auth, s: Db) -> ProgressOut:
    return service.progress(s, p, group_buy_id)


@router.post("/group-buys/{group_buy_id}/groups", status_code=201, response_model=StartedOut)
def start_group(group_buy_id: Id, p: MemberP, s: Db, request: Request, data: StartIn | None = None,
                key: IdemKey = None) -> JSONResponse:
    body = data or StartIn()
    return idempotent(s, p, request, key, body, 201, lambda: service.start(s, p, group_buy_id, body))


@router.get("/group-buys/{group_buy_id}/start-sizes", response_model=StartSizes)
def start_sizes(group_buy_id: Id, p: MemberP, s: Db) -> StartSizes:
    """The sizes the member may start a group in: the campaign's for their tier, and up to their tier's
    可发起 N 人团 benefit."""
    return service.start_sizes(s, p, group_buy_id)


@router.post("/groups/{group_id}/join", status_code=201, response_model=JoinedOut)
def join_group(group_id: Id, p: MemberP, s: Db, request: Request, data: JoinIn | None = None,
               key: IdemKey = None) -> JSONResponse:
    body = data or JoinIn()
    return idempotent(s, p, request, key, body, 201, lambda: service.join(s, p, group_id, body))


@router.get("/groups/{group_id}", response_model=GroupOut)
def get_group(group_id: Id, p: Auth, s: Db) -> GroupOut:
    return service.get_group(s, p, group_id)
