"""HTTP for localservice (本地生活服务): operators set up merchants, services, schedules and slots; members
browse what serves their community, book (Idempotency-Key), cancel and rate; operators list, cancel and
complete bookings."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from linli.core import clock
from linli.core.http import Db, IdemKey, MemberOrOperator, MemberP, Operator, idempotent
from linli.core.listing import Filters
from linli.core.pagination import Page
from linli.core.schemas import Id, Limit
from linli.localservice import booking, service
from linli.localservice.schemas import (
    BookingIn,
    BookingOut,
    BookingStatus,
    CancelIn,
    Category,
    MerchantIn,
    MerchantOut,
    MerchantPatch,
    RatingIn,
    RatingOut,
    ScheduleIn,
    ScheduleOut,
    ServiceIn,
    ServiceOut,
    SlotIn,
    SlotOut,
)

router = APIRouter(prefix="/local-services", tags=["localservice"])
Cursor = Annotated[str | None, Query(max_length=20)]


# --- merchants and services ---------------------------------------------------------------------

@router.post("/merchants", status_code=201, response_model=MerchantOut)
def create_merchant(data: MerchantIn, p: Operator, s: Db) -> MerchantOut:
    return service.create_merchant(s, p, data)


@router.get("/merchants", response_model=Page[MerchantOut])
def list_merchants(p: MemberOrOperator, s: Db, category: Category | None = None, limit: Limit = 50,
                   cursor: Cursor = None) -> Page[MerchantOut]:
    items, nxt = service.search_merchants(s, p, category, limit, cursor)
    return Page[MerchantOut](items=items, next_cursor=nxt)


@router.get("/merchants/{merchant_id}", response_model=MerchantOut)
def get_merchant(merchant_id: Id, p: MemberOrOperator, s: Db) -> MerchantOut:
    return service.get_merchant(s, p, merchant_id)


@router.patch("/merchants/{merchant_id}", response_model=MerchantOut)
def update_merchant(merchant_id: Id, data: MerchantPatch, p: Operator, s: Db) -> MerchantOut:
    return service.update_merchant(s, p, merchant_id, data)


@router.get("/merchants/{merchant_id}/services", response_model=list[ServiceOut])
def merchant_services(merchant_id: Id, p: MemberOrOperator, s: Db) -> list[ServiceOut]:
    return service.services_of(s, p, merchant_id)


@router.get("/merchants/{merchant_id}/ratings", response_model=list[RatingOut])
def merchant_ratings(merchant_id: Id, p: MemberOrOperator, s: Db, limit: Limit = 20) -> list[RatingOut]:
    return booking.merchant_ratings(s, p, merchant_id, limit)


@router.post("/merchants/{merchant_id}/services", status_code=201, response_model=ServiceOut)
def create_service(merchant_id: Id, data: ServiceIn, p: Operator, s: Db) -> ServiceOut:
    return service.create_service(s, p, merchant_id, data)


@router.get("/services/{service_id}", response_model=ServiceOut)
def get_service(service_id: Id, p: MemberOrOperator, s: Db) -> ServiceOut:
    return service.get_service(s, p, service_id)


@router.post("/services/{service_id}/schedules", status_code=201, response_model=ScheduleOut)
def add_schedule(service_id: Id, data: ScheduleIn, p: Operator, s: Db) -> ScheduleOut:
    return service.add_schedule(s, p, service_id, data)


@router.get("/services/{service_id}/schedules", response_model=list[ScheduleOut])
def list_schedules(service_id: Id, p: Operator, s: Db) -> list[ScheduleOut]:
    return service.schedules_of(s, p, service_id)


@router.post("/services/{service_id}/slots", status_code=201, response_model=SlotOut)
def add_slot(service_id: Id, data: SlotIn, p: Operator, s: Db) -> SlotOut:
    return service.add_slot(s, p, service_id, data)


@router.get("/services/{service_id}/slots", response_model=list[SlotOut])
def list_slots(service_id: Id, p: MemberOrOperator, s: Db) -> list[SlotOut]:
    return service.upcoming_slots(s, p, service_id)


# --- bookings -----------------------------------------------------------------------------------

@router.post("/bookings", status_code=201, response_model=BookingOut)
def book(data: BookingIn, p: MemberP, s: Db, request: Request, key: IdemKey = None) -> JSONResponse:
    return idempotent(s, p, request, key, data, 201,
                      lambda: BookingOut.model_validate(booking.book(s, p, data)))


@router.get("/bookings", response_model=Page[BookingOut])
def list_bookings(p: MemberOrOperator, s: Db, status: BookingStatus | None = None, merchant_id: Id | None = None,
                  community_id: Id | None = None, since: datetime | None = None, until: datetime | None = None,
                  limit: Limit = 50, cursor: Cursor = None) -> Page[BookingOut]:
    f = Filters(community_id=community_id, since=clock.as_utc(since) if since else None,
                until=clock.as_utc(until) if until else None)
    items, nxt = booking.search(s, p, status, merchant_id, f, limit, cursor)
    return Page[BookingOut](items=items, next_cursor=nxt)


@router.get("/bookings/{booking_id}", response_model=BookingOut)
def get_booking(booking_id: Id, p: MemberOrOperator, s: Db) -> BookingOut:
    return BookingOut.model_validate(booking.visible(s, p, booking_id))


@router.post("/bookings/{booking_id}/cancel", response_model=BookingOut)
def cancel_booking(booking_id: Id, p: MemberOrOperator, s: Db, data: CancelIn | None = None) -> BookingOut:
    return BookingOut.model_validate(booking.cancel(s, p, booking_id, data.reason if data else ""))


@router.post("/bookings/{booking_id}/complete", response_model=BookingOut)
def complete_booking(booking_id: Id, p: Operator, s: Db) -> BookingOut:
    return BookingOut.model_validate(booking.complete(s, p, booking_id))


@router.post("/bookings/{booking_id}/rating", status_code=201, response_model=RatingOut)
def rate_booking(booking_id: Id, data: RatingIn, p: MemberP, s: Db) -> RatingOut:
    return booking.rating_out(booking.rate(s, p, booking_id, data), owner=True)
