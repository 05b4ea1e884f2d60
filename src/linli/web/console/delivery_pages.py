"""即时配送 in the console: promised against actual (on-time rate, average minutes, a chart per day), each
micro-warehouse's settings, riders and waiting deliveries (make a batch for a rider), the recent batches, and every
delivery as a list with filters, pages and export; a batch's route (ordered stops and a chart)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.delivery import dispatch, service, stats
from linli.delivery import listing as delivery_listing
from linli.delivery.schemas import STATUS_NAMES, RiderPatch, SettingsIn, StatsOut
from linli.web import delivery_forms as forms
from linli.web.console import listing
from linli.web.console.guard import ConsoleOperator
from linli.web.console.listing import Column, ListView, Source
from linli.web.console.templating import render

router = APIRouter()
Num = Annotated[str, Form(max_length=6)]
FormId = Annotated[str, Form(max_length=20)]

VIEW = ListView(
    "/console/delivery", "即时配送", "即时配送", date_label="下单时间", statuses=STATUS_NAMES,
    columns=[
        Column("配送单ID", lambda d, x: d.id),
        Column("订单ID", lambda d, x: d.order_id),
        Column("前置仓ID", lambda d, x: d.warehouse_id),
        Column("地址", lambda d, x: d.address),
        Column("距离(米)", lambda d, x: d.distance_m),
        Column("状态", lambda d, x: d.status_name),
        Column("承诺送达", lambda d, x: d.promised_at),
        Column("实际送达", lambda d, x: d.delivered_at),
        Column("是否准时", lambda d, x: "" if d.on_time is None else ("准时" if d.on_time else "超时")),
        Column("配送次数", lambda d, x: d.attempts),
        Column("失败原因", lambda d, x: d.failure_reason),
        Column("批次ID", lambda d, x: d.batch_id),
    ])


def chart_of(st: StatsOut) -> dict[str, Any]:
    return {"days": [d.day[5:] for d in st.days], "delivered": [d.delivered for d in st.days],
            "on_time": [d.on_time for d in st.days],
            "rate": [round(d.on_time * 100 / d.delivered, 1) if d.delivered else None for d in st.days]}


def _page(request: Request, p: Principal, s: Session, status_code: int = 200, **context: Any) -> Response:
    params = listing.read(request, VIEW)
    st = stats.stats(s, p)
    rooms = [{"w": w, "pending": service.deliveries(s, p, w.id, ["pending"]), "riders": service.riders(s, p, w.id)}
             for w in service.warehouses(s, p)]
    return listing.answer(request, p, s, VIEW, params, Source(delivery_listing.page, delivery_listing.export),
                          template="console/delivery/home.html", nav="delivery", status_code=status_code,
                          stats=st, chart=chart_of(st), rooms=rooms, batches=dispatch.batches(s, p, None, 20),
                          statuses=STATUS_NAMES, done=request.query_params.get("done", ""), **context)


def _refused(request: Request, p: Principal, s: Session, e: LinliError) -> Response:
    s.rollback()
    return _page(request, p, s, e.status, error=forms.error_text(e))


@router.get("/delivery")
def delivery_home(request: Request, p: ConsoleOperator, s: Db) -> Response:
    return _page(request, p, s)


@router.post("/delivery/warehouses/{warehouse_id}")
def save_settings(request: Request, p: ConsoleOperator, s: Db, warehouse_id: str, radius_m: Num = "",
                  promise_minutes: Num = "", max_batch: Num = "",
                  active: Annotated[str, Form(max_length=1)] = "") -> Response:
    try:
        data = SettingsIn(radius_m=int(radius_m), promise_minutes=int(promise_minutes), max_batch=int(max_batch),
                          active=bool(active))
    except (ValueError, ValidationError):
        return _page(request, p, s, 422, error="配送半径 100-20000 米，承诺时间 10-240 分钟，每批 1-30 单。")
    try:
        service.save_settings(s, p, forms.an_id(warehouse_id, "warehouse_not_found"), data)
    except NotFound as e:
        return _refused(request, p, s, e)
    return RedirectResponse("/console/delivery?done=settings", status_code=303)


@router.post("/delivery/warehouses/{warehouse_id}/riders")
def add_rider(request: Request, p: ConsoleOperator, s: Db, warehouse_id: str,
              name: Annotated[str, Form(max_length=40)] = "",
              phone: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        forms.add_rider(s, p, warehouse_id, name, phone)
    except LinliError as e:
        return _refused(request, p, s, e)
    return RedirectResponse("/console/delivery?done=rider", status_code=303)


@router.post("/delivery/riders/{rider_id}/toggle")
def toggle_rider(request: Request, p: ConsoleOperator, s: Db, rider_id: str) -> Response:
    try:
        rider = service.require_rider(s, p, forms.an_id(rider_id, "rider_not_found"))
        service.update_rider(s, p, rider.id, RiderPatch(active=not rider.active))
    except NotFound as e:
        return _refused(request, p, s, e)
    return RedirectResponse("/console/delivery?done=rider", status_code=303)


@router.post("/delivery/batches")
def new_batch(request: Request, p: ConsoleOperator, s: Db, delivery_ids: Annotated[list[str], Form()] = [],  # noqa: B006
              warehouse_id: FormId = "", rider_id: FormId = "") -> Response:
    try:
        batch_id = forms.make_batch(s, p, warehouse_id, rider_id, delivery_ids)
    except LinliError as e:
        s.rollback()
        return _page(request, p, s, 409 if e.status == 409 else 422, error=forms.error_text(e))
    return RedirectResponse(f"/console/delivery/batches/{batch_id}", status_code=303)


def _batch(request: Request, p: Principal, s: Session, batch_id: str, status_code: int = 200,
           **context: Any) -> Response:
    try:
        b = forms.batch(s, p, batch_id)
    except NotFound as e:
        return _refused(request, p, s, e)
    return render(request, "console/delivery/batch.html", status_code=status_code, p=p, nav="delivery",
                  title=f"配送批次 #{b.id}", b=b, chart=forms.route_chart(b), **context)


@router.get("/delivery/batches/{batch_id}")
def batch_page(request: Request, p: ConsoleOperator, s: Db, batch_id: str) -> Response:
    return _batch(request, p, s, batch_id)


@router.post("/delivery/batches/{batch_id}/depart")
def depart(request: Request, p: ConsoleOperator, s: Db, batch_id: str) -> Response:
    try:
        forms.depart(s, p, batch_id)
    except NotFound as e:
        return _refused(request, p, s, e)
    except LinliError as e:
        s.rollback()
        return _batch(request, p, s, batch_id, e.status, error=forms.error_text(e))
    return RedirectResponse(f"/console/delivery/batches/{batch_id}", status_code=303)


@router.post("/delivery/deliveries/{delivery_id}/{step}")
def step(request: Request, p: ConsoleOperator, s: Db, delivery_id: str, step: str,
         reason: Annotated[str, Form(max_length=200)] = "", back: FormId = "") -> Response:
    try:
        forms.rider_step(s, p, step, delivery_id, reason)
    except LinliError as e:
        if e.status == 404 or not forms.is_id(back):
            return _refused(request, p, s, e)
        s.rollback()
        return _batch(request, p, s, back, e.status, error=forms.error_text(e))
    return RedirectResponse(f"/console/delivery/batches/{back}" if forms.is_id(back) else "/console/delivery?done=step",
                            status_code=303)
