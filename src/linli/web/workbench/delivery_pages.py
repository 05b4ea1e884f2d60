"""即时配送 in the leader's workbench: for each micro-warehouse I run, the deliveries waiting (tick them, choose a
rider, 生成配送批次), my riders, the recent batches; a batch's route with the rider's steps (出发, 已送达, 未送达)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.delivery import dispatch, service
from linli.web import delivery_forms as forms
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
Ids = Annotated[list[str], Form()]
Short = Annotated[str, Form(max_length=200)]
FormId = Annotated[str, Form(max_length=20)]


def _page(request: Request, s: Session, p: Principal, status_code: int = 200, **context: Any) -> Response:
    rooms = []
    for w in service.warehouses(s, p):
        rooms.append({"w": w, "pending": service.deliveries(s, p, w.id, ["pending"]),
                      "failed": service.deliveries(s, p, w.id, ["failed"], 20),
                      "riders": service.riders(s, p, w.id), "batches": dispatch.batches(s, p, w.id, 10)})
    return render(request, "workbench/delivery/home.html", status_code=status_code, p=p, title="即时配送",
                  tab="delivery", rooms=rooms, **context)


def _refused(request: Request, s: Session, p: Principal, e: LinliError) -> Response:
    s.rollback()
    return _page(request, s, p, e.status, error=forms.error_text(e))


@router.get("/delivery")
def delivery_home(request: Request, p: LeaderPage, s: Db) -> Response:
    return _page(request, s, p)


@router.post("/delivery/batches")
def new_batch(request: Request, p: LeaderPage, s: Db, delivery_ids: Ids = [],  # noqa: B006 (FastAPI copies it)
              warehouse_id: FormId = "", rider_id: FormId = "") -> Response:
    try:
        batch_id = forms.make_batch(s, p, warehouse_id, rider_id, delivery_ids)
    except LinliError as e:
        s.rollback()
        return _page(request, s, p, 409 if e.status == 409 else 422, error=forms.error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{batch_id}", status_code=303)


@router.post("/delivery/warehouses/{warehouse_id}/riders")
def add_rider(request: Request, p: LeaderPage, s: Db, warehouse_id: str, name: Annotated[str, Form(max_length=40)] = "",
              phone: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        forms.add_rider(s, p, warehouse_id, name, phone)
    except LinliError as e:
        return _refused(request, s, p, e)
    return RedirectResponse("/w/delivery", status_code=303)


def _batch(request: Request, s: Session, p: Principal, batch_id: str, status_code: int = 200,
           **context: Any) -> Response:
    try:
        b = forms.batch(s, p, batch_id)
    except NotFound as e:
        return _refused(request, s, p, e)
    return render(request, "workbench/delivery/batch.html", status_code=status_code, p=p, title=f"配送批次 #{b.id}",
                  tab="delivery", back="/w/delivery", b=b, chart=forms.route_chart(b), **context)


@router.get("/delivery/batches/{batch_id}")
def batch_page(request: Request, p: LeaderPage, s: Db, batch_id: str) -> Response:
    return _batch(request, s, p, batch_id)


@router.post("/delivery/batches/{batch_id}/depart")
def depart(request: Request, p: LeaderPage, s: Db, batch_id: str) -> Response:
    try:
        forms.depart(s, p, batch_id)
    except NotFound as e:
        return _refused(request, s, p, e)
    except LinliError as e:
        s.rollback()
        return _batch(request, s, p, batch_id, e.status, error=forms.error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{batch_id}", status_code=303)


@router.post("/delivery/deliveries/{delivery_id}/{step}")
def step(request: Request, p: LeaderPage, s: Db, delivery_id: str, step: str, reason: Short = "",
         back: FormId = "") -> Response:
    try:
        forms.rider_step(s, p, step, delivery_id, reason)
    except LinliError as e:
        if e.status == 404 or not forms.is_id(back):
            return _refused(request, s, p, e)
        s.rollback()
        return _batch(request, s, p, back, e.status, error=forms.error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{back}" if forms.is_id(back) else "/w/delivery", status_code=303)
