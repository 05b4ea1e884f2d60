from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import (
    Auth,
    Db,
    IdemKey,
    LeaderOrOperator,
    MemberOrOperator,
    MemberP,
    count_failure,
    hot_write,
    idempotent,
)
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit, ShortSearch
from linli.order import cancellation, pickup, refunds, service
from linli.order.schemas import CancelIn, OrderDetailOut, OrderIn, OrderOut, PickupIn, RefundIn, StatusOut

router = APIRouter(tags=["orders"])
Status = Literal["pending_payment", "awaiting_balance", "paid", "awaiting_group", "cancelled", "refunded",
                 "picked_up"]


@router.post("/orders", status_code=201, response_model=OrderOut)
async def create_order(data: OrderIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return await hot_write(lambda: idempotent(s, p, request, key, data, 201, lambda: service.place(s, p, data)))


@router.post("/orders/{order_id}/pay", response_model=StatusOut)
def pay(order_id: Id, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, None, 200,
                      lambda: StatusOut.model_validate(service.pay(s, p, order_id)))


@router.post("/orders/{order_id}/cancel", response_model=StatusOut)
def cancel(order_id: Id, p: MemberOrOperator, s: Db, request: Request, data: CancelIn | None = None,
           key: IdemKey = None) -> JSONResponse:
    reason = data.reason if data else ""
    return idempotent(s, p, request, key, data, 200,
                      lambda: StatusOut.model_validate(cancellation.cancel(s, p, order_id, reason)))


@router.post("/orders/{order_id}/refund", response_model=StatusOut)
def refund(order_id: Id, data: RefundIn, p: MemberOrOperator, s: Db, request: Request,
           key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 200,
                      lambda: StatusOut.model_validate(refunds.refund(s, p, order_id, data)))


@router.post("/orders/{order_id}/pickup", response_model=StatusOut)
def verify_pickup(order_id: Id, data: PickupIn, p: LeaderOrOperator, s: Db) -> StatusOut:
    try:
        return StatusOut.model_validate(pickup.verify(s, p, order_id, data.code))
    except pickup.WrongCode:
        count_failure(s, [pickup.throttle_key(p.tenant_id, order_id)], pickup.WINDOW)
        raise


@router.get("/orders", response_model=Page[OrderOut])
def list_orders(p: Auth, s: Db, status: Status | None = None, member_id: Id | None = None,
                q: ShortSearch = None, limit: Limit = 50,
                cursor: Annotated[str | None, Query(max_length=20)] = None) -> Page[OrderOut]:
    items, nxt = service.search(s, p, status, member_id, q, limit, cursor)
    return Page[OrderOut](items=items, next_cursor=nxt)


@router.get("/orders/{order_id}", response_model=OrderDetailOut)
def get_order(order_id: Id, p: Auth, s: Db) -> OrderDetailOut:
    return service.get(s, p, order_id)
