from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.order.schemas import OrderOut
from linli.presale import service
from linli.presale.schemas import PresaleIn, PresaleOrderIn, PresaleOut

router = APIRouter(tags=["presales"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/presales", status_code=201, response_model=PresaleOut)
def create_presale(data: PresaleIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/presales", response_model=Page[PresaleOut])
def list_presales(p: Auth, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[PresaleOut]:
    items, nxt = service.search(s, p, limit, cursor)
    return Page[PresaleOut](items=items, next_cursor=nxt)


@router.get("/presales/{presale_id}", response_model=PresaleOut)
def get_presale(presale_id: Id, p: Auth, s: Db) -> PresaleOut:
    return service.get(s, p, presale_id)


@router.post("/presales/{presale_id}/orders", status_code=201, response_model=OrderOut)
def order_presale(presale_id: Id, p: MemberP, s: Db, request: Request, data: PresaleOrderIn | None = None,
                  key: IdemKey = None) -> JSONResponse:
    body = data or PresaleOrderIn()
    return idempotent(s, p, request, key, body, 201, lambda: service.order(s, p, presale_id, body))


@router.get("/presales/{presale_id}/orders", response_model=Page[OrderOut])
def presale_orders(presale_id: Id, p: Operator, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[OrderOut]:
    items, nxt = service.orders_of(s, p, presale_id, limit, cursor)
    return Page[OrderOut](items=items, next_cursor=nxt)
