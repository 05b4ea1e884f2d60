from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core.http import Db, IdemKey, MemberOrOperator, MemberP, Operator, idempotent
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.coupon import geo, service
from linli.coupon.schemas import (
    CheckinIn,
    CheckinOut,
    ClaimOut,
    CouponIn,
    CouponOut,
    CouponPatch,
    GeoSpotIn,
    GeoSpotOut,
    GeoSpotPatch,
    IssueIn,
    IssueOut,
    MemberCouponOut,
    Status,
)

router = APIRouter(tags=["coupons"])
Cursor = Annotated[str | None, Query(max_length=20)]


@router.post("/coupons", status_code=201, response_model=CouponOut)
def create_coupon(data: CouponIn, p: Operator, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: service.create(s, p, data))


@router.get("/coupons", response_model=Page[CouponOut])
def list_coupons(p: MemberOrOperator, s: Db, active: bool | None = None, limit: Limit = 50,
                 cursor: Cursor = None) -> Page[CouponOut]:
    items, nxt = service.search(s, p, active, limit, cursor)
    return Page[CouponOut](items=items, next_cursor=nxt)


@router.get("/coupons/{coupon_id}", response_model=CouponOut)
def get_coupon(coupon_id: Id, p: MemberOrOperator, s: Db) -> CouponOut:
    return service.get(s, p, coupon_id)


@router.patch("/coupons/{coupon_id}", response_model=CouponOut)
def patch_coupon(coupon_id: Id, data: CouponPatch, p: Operator, s: Db) -> CouponOut:
    return service.set_active(s, p, coupon_id, data.active)


@router.post("/coupons/{coupon_id}/claim", status_code=201, response_model=ClaimOut)
def claim_coupon(coupon_id: Id, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, None, 201, lambda: service.claim(s, p, coupon_id))


@router.post("/coupons/{coupon_id}/issue", response_model=IssueOut)
def issue_coupon(coupon_id: Id, data: IssueIn, p: Operator, s: Db, request: Request,
                 key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 200, lambda: service.issue(s, p, coupon_id, data))


@router.get("/me/coupons", response_model=Page[MemberCouponOut])
def my_coupons(p: MemberP, s: Db, status: Status | None = None, limit: Limit = 50,
               cursor: Cursor = None) -> Page[MemberCouponOut]:
    items, nxt = service.mine(s, p, status, limit, cursor)
    return Page[MemberCouponOut](items=items, next_cursor=nxt)


@router.post("/geo-spots", status_code=201, response_model=GeoSpotOut)
def create_geo_spot(data: GeoSpotIn, p: Operator, s: Db) -> GeoSpotOut:
    return geo.create_spot(s, p, data)


@router.get("/geo-spots", response_model=Page[GeoSpotOut])
def list_geo_spots(p: MemberOrOperator, s: Db, limit: Limit = 50, cursor: Cursor = None) -> Page[GeoSpotOut]:
    items, nxt = geo.search_spots(s, p, limit, cursor)
    return Page[GeoSpotOut](items=items, next_cursor=nxt)


@router.patch("/geo-spots/{spot_id}", response_model=GeoSpotOut)
def patch_geo_spot(spot_id: Id, data: GeoSpotPatch, p: Operator, s: Db) -> GeoSpotOut:
    return geo.update_spot(s, p, spot_id, data)


@router.post("/geo-checkins", status_code=201, response_model=CheckinOut)
def geo_checkin(data: CheckinIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201, lambda: geo.check_in(s, p, data))
