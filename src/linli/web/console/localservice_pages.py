"""本地生活服务 in the console: the merchants (create, turn on/off), a merchant's services with their weekly
schedules and slots, and the bookings list (filters, page numbers, totals, CSV/Excel export, cancel with a
reason, mark done)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.localservice import booking, service
from linli.localservice import listing as bookings_listing
from linli.localservice.schemas import (
    BOOKING_STATUS,
    CATEGORIES,
    BookingOut,
    MerchantIn,
    MerchantPatch,
    ScheduleIn,
    ServiceIn,
    SlotIn,
)
from linli.member import service as members
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source, money
from linli.web.console.templating import is_id, render

router = APIRouter()
Text = Annotated[str, Form(max_length=1000)]
Many = Annotated[list[str] | None, Form()]
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
ERRORS = {"schedule_exists": "该时段已在每周排期中。", "slot_exists": "该服务在这个时间已有时段。",
          "slot_in_past": "时段开始时间须晚于当前时间。", "slot_too_far": "时段最多提前一年添加。",
          "unknown_community": "请选择本平台的小区。", "not_cancellable": "该预约已取消或已完成。",
          "not_completable": "只有已预约的订单可以标记完成。", "not_started": "服务尚未开始，不能标记完成。"}

VIEW = ListView(
    "/console/services/bookings", "服务预约", "服务预约", date_label="服务时间", statuses=BOOKING_STATUS,
    community=True, sums={"price_fen": "预约金额合计（到店/上门支付）"},
    columns=[
        Column("预约ID", lambda b, x: b.id),
        Column("服务", lambda b, x: x["services"].get(b.service_id, ("", ""))[0]),
        Column("商户", lambda b, x: x["services"].get(b.service_id, ("", ""))[1]),
        Column("会员", lambda b, x: x["names"].get(b.member_id, f"会员 #{b.member_id}")),
        Column("小区ID", lambda b, x: b.community_id),
        Column("服务时间", lambda b, x: b.starts_at),
        Column("人数", lambda b, x: b.seats),
        Column("金额（元）", lambda b, x: money(b.price_fen)),
        Column("状态", lambda b, x: BOOKING_STATUS.get(b.status, b.status)),
        Column("取消原因", lambda b, x: b.cancel_reason or ""),
        Column("备注", lambda b, x: b.note),
        Column("预约时间", lambda b, x: b.created_at),
    ])


def _lookup(s: Session, p: Principal) -> Callable[[Any], dict[str, Any]]:
    def lookup(rows: list[BookingOut]) -> dict[str, Any]:
        return {"names": members.names(s, p.tenant_id, sorted({b.member_id for b in rows})),
                "services": service.names(s, p.tenant_id, [b.service_id for b in rows])}
    return lookup


def _error(e: Conflict | Invalid | NotFound | Forbidden) -> str:
    return ERRORS.get(e.code or "", "操作失败。")


# --- merchants ----------------------------------------------------------------------------------

def _merchants(request: Request, p: Principal, s: Session, status_code: int = 200, error: str | None = None,
               typed: dict[str, Any] | None = None) -> Response:
    merchants = service.all_merchants(s, p)
    found, _ = communities.search_communities(s, p, None, 500, None)
    return render(request, "console/localservice/merchants.html", status_code=status_code, p=p, nav="services",
                  title="本地服务商户", merchants=merchants, counts=bookings_listing.counts(s, p),
                  service_counts=service.service_counts(s, p, [m.id for m in merchants]),
                  communities=sorted(((c.id, c.name) for c in found), key=lambda c: c[0]),
                  categories=CATEGORIES, error=error, typed=typed or {}, done=request.query_params.get("done", ""))


@router.get("/services")
def merchants_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _merchants(request, p, s)


@router.post("/services/merchants")
def create_merchant(request: Request, p: ConsoleOperator, s: Db, name: Text = "", category: Text = "",
                    phone: Text = "", address: Text = "", description: Text = "",
                    community_ids: Many = None) -> Response:
    typed = {"name": name, "category": category, "phone": phone, "address": address, "description": description}
    try:
        data = MerchantIn.model_validate({**typed, "community_ids": [int(c) for c in community_ids or []
                                                                    if is_id(c)]})
    except ValidationError:
        return _merchants(request, p, s, 422, "请填写商户名称、分类、电话，并至少选择一个服务小区。", typed)
    try:
        m = service.create_merchant(s, p, data)
    except Invalid as e:
        s.rollback()
        return _merchants(request, p, s, 422, _error(e), typed)
    return RedirectResponse(f"/console/services/merchants/{m.id}?done=created", status_code=303)


def _merchant(request: Request, p: Principal, s: Session, merchant_id: str, status_code: int = 200,
              error: str | None = None) -> Response:
    try:
        if not is_id(merchant_id):
            raise NotFound("not found", code="merchant_not_found")
        m = service.get_merchant(s, p, int(merchant_id))
    except NotFound:
        return _merchants(request, p, s, 404, f"商户 #{merchant_id} 不存在。")
    offered = service.services_of(s, p, m.id)
    found, _ = communities.search_communities(s, p, None, 500, None)
    return render(request, "console/localservice/merchant.html", status_code=status_code, p=p, nav="services",
                  title=m.name, m=m, offered=offered,
                  schedules={x.id: service.schedules_of(s, p, x.id) for x in offered},
                  slots={x.id: service.upcoming_slots(s, p, x.id) for x in offered},
                  ratings=booking.merchant_ratings(s, p, m.id, 20), weekdays=WEEKDAYS,
                  community_names={c.id: c.name for c in found}, error=error,
                  done=request.query_params.get("done", ""))


@router.get("/services/merchants/{merchant_id}")
def merchant_page(request: Request, p: ConsoleOperator, s: Db, merchant_id: str) -> Response:
    return _merchant(request, p, s, merchant_id)


def _act(request: Request, p: Principal, s: Session, merchant_id: str, done: str,
         act: Callable[[], object]) -> Response:
    try:
        act()
    except NotFound:
        s.rollback()
        return _merchants(request, p, s, 404, "商户或服务不存在。")
    except (Conflict, Invalid) as e:
        s.rollback()
        return _merchant(request, p, s, merchant_id, e.status, _error(e))
    return RedirectResponse(f"/console/services/merchants/{merchant_id}?done={done}", status_code=303)


@router.post("/services/merchants/{merchant_id}/active")
def toggle(request: Request, p: ConsoleOperator, s: Db, merchant_id: str, active: Text = "") -> Response:
    if not is_id(merchant_id):
        return _merchants(request, p, s, 404, "商户不存在。")
    return _act(request, p, s, merchant_id, "saved", lambda: service.update_merchant(
        s, p, int(merchant_id), MerchantPatch(active=active == "1")))


@router.post("/services/merchants/{merchant_id}/services")
def add_service(request: Request, p: ConsoleOperator, s: Db, merchant_id: str, name: Text = "",
                description: Text = "", price_yuan: Text = "0", duration_minutes: Text = "",
                capacity: Text = "1") -> Response:
    try:
        fen = round(float(price_yuan or "0") * 100)
        data = ServiceIn.model_validate({"name": name, "description": description, "price_fen": fen,
                                         "duration_minutes": int(duration_minutes) if duration_minutes.isdigit()
                                         else 0, "capacity": int(capacity) if capacity.isdigit() else 0})
    except (ValidationError, ValueError, OverflowError):
        return _merchant(request, p, s, merchant_id, 422, "请填写服务名称、价格、时长（5-1440 分钟）和名额（1-1000）。")
    if not is_id(merchant_id):
        return _merchants(request, p, s, 404, "商户不存在。")
    return _act(request, p, s, merchant_id, "service", lambda: service.create_service(s, p, int(merchant_id), data))


def _service_merchant(s: Session, p: Principal, service_id: str) -> str | None:
    if not is_id(service_id):
        return None
    try:
        return str(service.get_service(s, p, int(service_id)).merchant_id)
    except NotFound:
        return None


@router.post("/services/services/{service_id}/schedules")
def add_schedule(request: Request, p: ConsoleOperator, s: Db, service_id: str, weekday: Text = "",
                 start_time: Text = "", capacity: Text = "") -> Response:
    merchant_id = _service_merchant(s, p, service_id)
    if merchant_id is None:
        return _merchants(request, p, s, 404, "服务不存在。")
    try:
        data = ScheduleIn.model_validate({"weekday": int(weekday) if weekday.isdigit() else -1,
                                          "start_time": start_time,
                                          "capacity": int(capacity) if capacity.isdigit() else None})
    except ValidationError:
        return _merchant(request, p, s, merchant_id, 422, "请选择星期并填写开始时间（如 09:30）。")
    return _act(request, p, s, merchant_id, "schedule", lambda: service.add_schedule(s, p, int(service_id), data))


@router.post("/services/services/{service_id}/slots")
def add_slot(request: Request, p: ConsoleOperator, s: Db, service_id: str, starts_at: Text = "",
             capacity: Text = "") -> Response:
    merchant_id = _service_merchant(s, p, service_id)
    if merchant_id is None:
        return _merchants(request, p, s, 404, "服务不存在。")
    try:
        data = SlotIn.model_validate({"starts_at": starts_at,
                                      "capacity": int(capacity) if capacity.isdigit() else None})
    except ValidationError:
        return _merchant(request, p, s, merchant_id, 422, "请填写时段开始时间。")
    return _act(request, p, s, merchant_id, "slot", lambda: service.add_slot(s, p, int(service_id), data))


# --- bookings -----------------------------------------------------------------------------------

def _bookings(request: Request, p: Principal, s: Session, status_code: int = 200,
              error: str | None = None) -> Response:
    params = listing.read(request, VIEW)
    return listing.answer(request, p, s, VIEW, params, Source(bookings_listing.page, bookings_listing.export),
                          template="console/localservice/bookings.html", nav="services",
                          lookup=_lookup(s, p), status_code=status_code, statuses=BOOKING_STATUS, error=error,
                          counts=bookings_listing.counts(s, p), done=request.query_params.get("done", ""))


@router.get("/services/bookings")
def bookings_page(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _bookings(request, p, s)


def _booking_act(request: Request, p: Principal, s: Session, booking_id: str, done: str,
                 act: Callable[[int], object]) -> Response:
    try:
        if not is_id(booking_id):
            raise NotFound("not found", code="booking_not_found")
        act(int(booking_id))
    except NotFound:
        s.rollback()
        return _bookings(request, p, s, 404, f"预约 #{booking_id} 不存在。")
    except (Conflict, Invalid) as e:
        s.rollback()
        return _bookings(request, p, s, e.status, _error(e))
    return RedirectResponse(f"/console/services/bookings?done={done}", status_code=303)


@router.post("/services/bookings/{booking_id}/cancel")
def cancel(request: Request, p: ConsoleOperator, s: Db, booking_id: str, reason: Text = "") -> Response:
    reason = reason.strip()
    if not reason or len(reason) > 200:
        return _bookings(request, p, s, 422, "请填写取消原因（200 字以内），会通知到会员。")
    return _booking_act(request, p, s, booking_id, "cancelled", lambda i: booking.cancel(s, p, i, reason))


@router.post("/services/bookings/{booking_id}/complete")
def complete(request: Request, p: ConsoleOperator, s: Db, booking_id: str) -> Response:
    return _booking_act(request, p, s, booking_id, "completed", lambda i: booking.complete(s, p, i))
