"""本地生活服务 in the member app: the merchants serving the member's community by category with their rating,
a service with its slot picker (days x times, full slots disabled), booking, my bookings with cancel and rate.
Payment is at the service (到店/上门付款): the pages show the price and take no money."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.localservice import booking, service
from linli.localservice.schemas import BOOKING_STATUS, CATEGORIES, BookingIn, RatingIn, SlotOut
from linli.web.member.guard import MemberPage
from linli.web.member.pages import not_found, path_id
from linli.web.member.templating import render

router = APIRouter()
Text = Annotated[str, Form(max_length=500)]
WEEKDAYS = "一二三四五六日"
ERRORS = {"slot_full": "该时段已约满，请选择其他时段。", "already_booked": "您已预约过这个时段。",
          "slot_closed": "该时段已关闭。", "slot_started": "该时段已开始，无法预约。",
          "too_late_to_cancel": "距开始不足 2 小时，无法取消，请直接联系商家。",
          "not_cancellable": "该预约已取消或已完成。", "not_completed": "服务完成后才能评价。",
          "already_rated": "您已评价过这次服务。"}


def _error(e: Conflict | Invalid) -> str:
    return e.message if e.code == "sensitive_content" else ERRORS.get(e.code or "", "操作失败，请稍后再试。")


@router.get("/services")
def services_home(request: Request, p: MemberPage, s: Db) -> Response:
    wanted = request.query_params.get("category", "")
    category = wanted if wanted in CATEGORIES else ""
    merchants = service.merchants_for_member(s, p, category or None)
    offered = {m.id: service.services_of(s, p, m.id) for m in merchants}
    return render(request, "member/localservice/home.html", p=p, title="周边服务", back="/m/me",
                  categories=CATEGORIES, category=category, merchants=merchants, offered=offered)


def _days(slots: list[SlotOut]) -> list[tuple[date, str, list[SlotOut]]]:
    """The picker's columns: each local day with slots, its label (10月13日 周二) and its slots by time."""
    by_day: dict[date, list[SlotOut]] = defaultdict(list)
    for sl in slots:
        by_day[clock.local(sl.starts_at).date()].append(sl)
    return [(d, f"{d.month}月{d.day}日 周{WEEKDAYS[d.weekday()]}", by_day[d]) for d in sorted(by_day)]


def _service_page(request: Request, p: Principal, s: Session, service_id: str, status_code: int = 200,
                  error: str | None = None) -> Response:
    try:
        svc = service.get_service(s, p, path_id(service_id, "service"))
        merchant = service.get_merchant(s, p, svc.merchant_id)
    except NotFound:
        return not_found(request, p, "服务不存在或不在您的小区服务范围内。")
    return render(request, "member/localservice/service.html", status_code=status_code, p=p, title=svc.name,
                  back="/m/services", svc=svc, merchant=merchant, days=_days(service.upcoming_slots(s, p, svc.id)),
                  ratings=booking.merchant_ratings(s, p, merchant.id, 10), error=error)


@router.get("/services/bookings")
def my_bookings(request: Request, p: MemberPage, s: Db) -> Response:
    return _bookings(request, p, s)


def _bookings(request: Request, p: Principal, s: Session, status_code: int = 200,
              error: str | None = None) -> Response:
    rows = booking.mine(s, p, 50)
    names = _service_names(s, p, {b.service_id for b in rows})
    now = clock.now()
    return render(request, "member/localservice/bookings.html", status_code=status_code, p=p, title="我的预约",
                  back="/m/services", bookings=rows, names=names, statuses=BOOKING_STATUS,
                  ratings=booking.ratings_of(s, p, [b.id for b in rows]), error=error,
                  cancellable={b.id for b in rows if b.status == "confirmed"
                               and now <= b.starts_at - booking.CANCEL_CUTOFF},
                  done=request.query_params.get("done", ""))


def _service_names(s: Session, p: Principal, ids: set[int]) -> dict[int, tuple[str, str]]:
    """service id -> (service name, merchant name), for the member's own bookings (inactive ones included)."""
    out: dict[int, tuple[str, str]] = {}
    for sid in sorted(ids):
        try:
            svc = service.get_service(s, p, sid)
            out[sid] = (svc.name, service.get_merchant(s, p, svc.merchant_id).name)
        except NotFound:
            out[sid] = ("本地服务", "")
    return out


@router.get("/services/{service_id}")
def service_page(request: Request, p: MemberPage, s: Db, service_id: str) -> Response:
    return _service_page(request, p, s, service_id)


@router.post("/services/{service_id}/book")
def book(request: Request, p: MemberPage, s: Db, service_id: str, slot_id: Text = "", seats: Text = "1",
         note: Text = "") -> Response:
    try:
        data = BookingIn.model_validate({"slot_id": int(slot_id) if slot_id.isdigit() else 0,
                                         "seats": int(seats) if seats.isdigit() else 0, "note": note})
    except ValidationError:
        return _service_page(request, p, s, service_id, 422, "请选择一个可预约的时段（备注 200 字以内）。")
    try:
        booking.book(s, p, data)
    except NotFound:
        s.rollback()
        return _service_page(request, p, s, service_id, 404, "该时段不存在。")
    except (Conflict, Invalid) as e:
        s.rollback()
        return _service_page(request, p, s, service_id, e.status, _error(e))
    return RedirectResponse("/m/services/bookings?done=booked", status_code=303)


def _act(request: Request, p: Principal, s: Session, booking_id: str, done: str, act: Any) -> Response:
    try:
        act(path_id(booking_id, "booking"))
    except NotFound:
        s.rollback()
        return not_found(request, p, "预约不存在。")
    except (Conflict, Invalid) as e:
        s.rollback()
        return _bookings(request, p, s, e.status, _error(e))
    return RedirectResponse(f"/m/services/bookings?done={done}", status_code=303)


@router.post("/services/bookings/{booking_id}/cancel")
def cancel(request: Request, p: MemberPage, s: Db, booking_id: str) -> Response:
    return _act(request, p, s, booking_id, "cancelled", lambda i: booking.cancel(s, p, i))


@router.post("/services/bookings/{booking_id}/rate")
def rate(request: Request, p: MemberPage, s: Db, booking_id: str, stars: Text = "", comment: Text = "") -> Response:
    try:
        data = RatingIn.model_validate({"stars": int(stars) if stars.isdigit() else 0, "comment": comment})
    except ValidationError:
        return _bookings(request, p, s, 422, "请选择 1-5 星，评价 500 字以内。")
    return _act(request, p, s, booking_id, "rated", lambda i: booking.rate(s, p, i, data))
