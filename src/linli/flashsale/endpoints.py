from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, MemberP, Operator, hot_write, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.flashsale import editing, service
from linli.flashsale.schemas import FlashSaleEdit, FlashSaleIn, FlashSaleOut, PurchaseIn, PurchaseOut

router = APIRouter(tags=["flash sales"])


@router.post("/flash-sales", status_code=201, response_model=FlashSaleOut)
def create_flash_sale(data: FlashSaleIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/flash-sales", response_model=Page[FlashSaleOut])
def list_flash_sales(p: Auth, s: Db, limit: Limit = 50,
                     cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[FlashSaleOut]:
    items, nxt = service.search(s, p, limit, cursor)
    return Page[FlashSaleOut](items=items, next_cursor=nxt)


@router.get("/flash-sales/{flash_sale_id}", response_model=FlashSaleOut)
def get_flash_sale(flash_sale_id: Id, p: Auth, s: Db) -> FlashSaleOut:
    return service.get(s, p, flash_sale_id)


@router.post("/flash-sales/{flash_sale_id}/purchase", status_code=201, response_model=PurchaseOut)
async def purchase(flash_sale_id: Id, p: MemberP, s: Db, request: Request, data: PurchaseIn | None = None,
                   key: IdemKey = None) -> JSONResponse:
    body = data or PurchaseIn()
    return await hot_write(lambda: idempotent(s, p, request, key, body, 201,
                                              lambda: service.purchase(s, p, flash_sale_id, body)))


@router.patch("/flash-sales/{flash_sale_id}", response_model=FlashSaleOut)
def edit_flash_sale(flash_sale_id: Id, data: FlashSaleEdit, p: Operator, s: Db) -> FlashSaleOut:
    """Before the sale starts and before anyone bought: price, quantity (stock moves), limit, window."""
    return editing.edit(s, p, flash_sale_id, data)


@router.post("/flash-sales/{flash_sale_id}/stop", response_model=FlashSaleOut)
def stop_flash_sale(flash_sale_id: Id, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    """结束: closes the sale now and returns its unsold units to the product's stock."""
    return idempotent(s, p, request, key, None, 200, lambda: editing.stop(s, p, flash_sale_id))
