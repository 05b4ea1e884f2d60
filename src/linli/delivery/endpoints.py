"""HTTP for delivery (即时配送)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Auth, Db, IdemKey, LeaderOrOperator, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.delivery import dispatch, service, stats
from linli.delivery.schemas import (
    BatchIn,
    BatchOut,
    DeliveryOut,
    FailIn,
    QuoteOut,
    RiderIn,
    RiderOut,
    RiderPatch,
    SettingsIn,
    StatsOut,
    WarehouseOut,
)

router = APIRouter(prefix="/delivery", tags=["delivery"])
Status = Annotated[str | None, Query(pattern="^(awaiting_payment|pending|batched|out|delivered|failed|cancelled)$")]
WarehouseQ = Annotated[int | None, Query(ge=1, le=2**62)]


# --- warehouses and riders -----------------------------------------------------------------------------------------

@router.get("/warehouses", response_model=Page[WarehouseOut])
def warehouses(p: LeaderOrOperator, s: Db) -> Page[WarehouseOut]:
    return Page(items=service.warehouses(s, p))


@router.put("/warehouses/{warehouse_id}", response_model=WarehouseOut)
def save_settings(warehouse_id: Id, data: SettingsIn, p: Operator, s: Db) -> WarehouseOut:
    return service.save_settings(s, p, warehouse_id, data)


@router.get("/riders", response_model=Page[RiderOut])
def riders(p: LeaderOrOperator, s: Db, warehouse_id: WarehouseQ = None) -> Page[RiderOut]:
    return Page(items=service.riders(s, p, warehouse_id))


@router.post("/warehouses/{warehouse_id}/riders", status_code=201, response_model=RiderOut)
def add_rider(warehouse_id: Id, data: RiderIn, p: LeaderOrOperator, s: Db) -> RiderOut:
    return service.add_rider(s, p, warehouse_id, data)


@router.patch("/riders/{rider_id}", response_model=RiderOut)
def update_rider(rider_id: Id, data: RiderPatch, p: LeaderOrOperator, s: Db) -> RiderOut:
    return service.update_rider(s, p, rider_id, data)


# --- the member's side ------------------------------------------------------------------------------------------

@router.get("/quote", response_model=QuoteOut)
def quote(p: MemberP, s: Db) -> QuoteOut:
    return service.quote(s, p)


@router.post("/orders/{order_id}", status_code=201, response_model=DeliveryOut)
def request_delivery(order_id: Id, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, None, 201,
                      lambda: service.out(service.request(s, p, order_id)))


@router.get("/orders/{order_id}", response_model=DeliveryOut)
def of_order(order_id: Id, p: Auth, s: Db) -> DeliveryOut:
    return service.for_order(s, p, order_id)


# --- dispatch -----------------------------------------------------------------------------------------------------

@router.get("/deliveries", response_model=Page[DeliveryOut])
def deliveries(p: LeaderOrOperator, s: Db, warehouse_id: WarehouseQ = None, status: Status = None,
               limit: Limit = 200) -> Page[DeliveryOut]:
    """Soonest promise first (a dispatcher's queue, not an archive: the console page lists everything)."""
    return Page(items=service.deliveries(s, p, warehouse_id, [status] if status else None, limit))


@router.post("/batches", status_code=201, response_model=BatchOut)
def make_batch(data: BatchIn, p: LeaderOrOperator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201,
                      lambda: dispatch.batch_out(s, p, dispatch.make_batch(s, p, data)))


@router.get("/batches", response_model=Page[BatchOut])
def batches(p: LeaderOrOperator, s: Db, warehouse_id: WarehouseQ = None, limit: Limit = 50) -> Page[BatchOut]:
    """The newest batches first."""
    return Page(items=dispatch.batches(s, p, warehouse_id, limit))


@router.get("/batches/{delivery_batch_id}", response_model=BatchOut)
def batch(delivery_batch_id: Id, p: LeaderOrOperator, s: Db) -> BatchOut:
    return dispatch.batch_out(s, p, dispatch.require_batch(s, p, delivery_batch_id))


@router.post("/batches/{delivery_batch_id}/depart", response_model=BatchOut)
def depart(delivery_batch_id: Id, p: LeaderOrOperator, s: Db) -> BatchOut:
    return dispatch.batch_out(s, p, dispatch.depart(s, p, delivery_batch_id))


@router.post("/deliveries/{home_delivery_id}/delivered", response_model=DeliveryOut)
def delivered(home_delivery_id: Id, p: LeaderOrOperator, s: Db) -> DeliveryOut:
    return service.out(dispatch.delivered(s, p, home_delivery_id))


@router.post("/deliveries/{home_delivery_id}/failed", response_model=DeliveryOut)
def failed(home_delivery_id: Id, data: FailIn, p: LeaderOrOperator, s: Db) -> DeliveryOut:
    return service.out(dispatch.failed(s, p, home_delivery_id, data.reason))


@router.post("/deliveries/{home_delivery_id}/redispatch", response_model=DeliveryOut)
def redispatch(home_delivery_id: Id, p: LeaderOrOperator, s: Db) -> DeliveryOut:
    return service.out(dispatch.redispatch(s, p, home_delivery_id))


@router.get("/stats", response_model=StatsOut)
def delivery_stats(p: Operator, s: Db, days: Annotated[int, Query(ge=1, le=90)] = 14) -> StatsOut:
    return stats.stats(s, p, days)
