from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.bundle import service
from linli.bundle.schemas import BundleIn, BundleOrderIn, BundleOut
from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.order.schemas import OrderOut

router = APIRouter(tags=["bundles"])


@router.post("/bundles", status_code=201, response_model=BundleOut)
def create_bundle(data: BundleIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/bundles", response_model=Page[BundleOut])
def list_bundles(p: Auth, s: Db, limit: Limit = 50,
                 cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[BundleOut]:
    items, nxt = service.search(s, p, limit, cursor)
    return Page[BundleOut](items=items, next_cursor=nxt)


@router.get("/bundles/{bundle_id}", response_model=BundleOut)
def get_bundle(bundle_id: Id, p: Auth, s: Db) -> BundleOut:
    return service.get(s, p, bundle_id)


@router.post("/bundles/{bundle_id}/orders", status_code=201, response_model=OrderOut)
def order_bundle(bundle_id: Id, p: MemberP, s: Db, request: Request, data: BundleOrderIn | None = None,
                 key: IdemKey = None) -> JSONResponse:
    body = data or BundleOrderIn()
    return idempotent(s, p, request, key, body, 201, lambda: service.order(s, p, bundle_id, body))
