"""即时配送 in the leader's workbench: for each micro-warehouse I run, the deliveries waiting (tick them, choose a
rider, 生成配送批次), my riders, the recent batches; a batch's route with the rider's steps (出发, 已送达, 未送达)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import LinliError, NotFound
from linli.core.http import Db
from linli.core.security import Principal
from linli.delivery import dispatch, service
from linli.delivery.schemas import BatchIn, BatchOut, RiderIn
from linli.web.member.pages import is_id
from linli.web.member.templating import render
from linli.web.workbench.guard import LeaderPage

router = APIRouter()
ERRORS = {"delivery_not_pending": "有订单已被其他人派出或状态已变，请刷新后重选。",
          "batch_too_large": "一个批次的订单超过了上限。", "no_delivery_chosen": "请至少勾选一个订单。",
          "rider_unavailable": "请选择本仓在岗的骑手。", "unknown_rider": "请选择本仓在岗的骑手。",
          "unknown_delivery": "所选订单不属于这个前置仓。", "duplicate_delivery": "订单重复。",
          "unknown_warehouse": "没有找到该前置仓。", "batch_departed": "该批次已经出发。",
          "delivery_not_out": "该订单不在配送途中。", "delivery_not_failed": "只有配送失败的订单可以重新派送。",
          "not_ready_for_pickup": "该订单当前不能交付（可能已退款或取消）。", "validation_error": "请检查填写的内容。"}
Ids = Annotated[list[str], Form()]
Short = Annotated[str, Form(max_length=200)]


def error_text(e: LinliError) -> str:
    return ERRORS.get(e.code or "", "操作失败，请重试。")


def make_batch(s: Session, p: Principal, warehouse_id: str, rider_id: str, delivery_ids: list[str]) -> int:
    """The form's batch (ids as typed), or a LinliError in words the page shows."""
    if not is_id(warehouse_id) or not is_id(rider_id):
        raise LinliError("rider", code="unknown_rider")
    chosen = [int(x) for x in delivery_ids if is_id(x)]
    if not chosen:
        raise LinliError("none", code="no_delivery_chosen")
    try:
        data = BatchIn(warehouse_id=int(warehouse_id), rider_id=int(rider_id), delivery_ids=chosen)
    except ValidationError:
        raise LinliError("too many", code="batch_too_large") from None
    return dispatch.make_batch(s, p, data).id


def rider_step(s: Session, p: Principal, step: str, delivery_id: int, reason: str) -> None:
    if step == "delivered":
        dispatch.delivered(s, p, delivery_id)
    elif step == "failed":
        dispatch.failed(s, p, delivery_id, reason.strip()[:200] or "未注明原因")
    else:
        dispatch.redispatch(s, p, delivery_id)


def route_chart(b: BatchOut) -> dict[str, Any]:
    return {"warehouse": [b.warehouse_lat, b.warehouse_lng],
            "stops": [{"seq": d.stop_seq, "lat": d.lat, "lng": d.lng, "address": d.address} for d in b.route]}


def _page(request: Request, s: Session, p: Principal, status_code: int = 200, **context: Any) -> Response:
    rooms = []
    for w in service.warehouses(s, p):
        rooms.append({"w": w, "pending": service.deliveries(s, p, w.id, ["pending"]),
                      "failed": service.deliveries(s, p, w.id, ["failed"], 20),
                      "riders": service.riders(s, p, w.id), "batches": dispatch.batches(s, p, w.id, 10)})
    return render(request, "workbench/delivery/home.html", status_code=status_code, p=p, title="即时配送",
                  tab="delivery", rooms=rooms, **context)


@router.get("/delivery")
def delivery_home(request: Request, p: LeaderPage, s: Db) -> Response:
    return _page(request, s, p)


@router.post("/delivery/batches")
def new_batch(request: Request, p: LeaderPage, s: Db, delivery_ids: Ids = [],  # noqa: B006 (FastAPI copies it)
              warehouse_id: Annotated[str, Form(max_length=20)] = "",
              rider_id: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        batch_id = make_batch(s, p, warehouse_id, rider_id, delivery_ids)
    except LinliError as e:
        s.rollback()
        return _page(request, s, p, 409 if e.status == 409 else 422, error=error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{batch_id}", status_code=303)


@router.post("/delivery/warehouses/{warehouse_id}/riders")
def add_rider(request: Request, p: LeaderPage, s: Db, warehouse_id: str, name: Annotated[str, Form(max_length=40)] = "",
              phone: Annotated[str, Form(max_length=20)] = "") -> Response:
    try:
        data = RiderIn(name=name, phone=phone)
    except ValidationError:
        return _page(request, s, p, 422, error="请填写骑手姓名和 11 位手机号。")
    try:
        if not is_id(warehouse_id):
            raise NotFound("no", code="warehouse_not_found")
        service.add_rider(s, p, int(warehouse_id), data)
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该前置仓。")
    return RedirectResponse("/w/delivery", status_code=303)


def _batch(request: Request, s: Session, p: Principal, batch_id: str, status_code: int = 200,
           **context: Any) -> Response:
    try:
        if not is_id(batch_id):
            raise NotFound("no", code="batch_not_found")
        b = dispatch.batch_out(s, p, dispatch.require_batch(s, p, int(batch_id)))
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该批次。")
    return render(request, "workbench/delivery/batch.html", status_code=status_code, p=p, title=f"配送批次 #{b.id}",
                  tab="delivery", back="/w/delivery", b=b, chart=route_chart(b), **context)


@router.get("/delivery/batches/{batch_id}")
def batch_page(request: Request, p: LeaderPage, s: Db, batch_id: str) -> Response:
    return _batch(request, s, p, batch_id)


@router.post("/delivery/batches/{batch_id}/depart")
def depart(request: Request, p: LeaderPage, s: Db, batch_id: str) -> Response:
    try:
        if not is_id(batch_id):
            raise NotFound("no", code="batch_not_found")
        dispatch.depart(s, p, int(batch_id))
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该批次。")
    except LinliError as e:
        s.rollback()
        return _batch(request, s, p, batch_id, e.status, error=error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{batch_id}", status_code=303)


@router.post("/delivery/deliveries/{delivery_id}/{step}")
def step(request: Request, p: LeaderPage, s: Db, delivery_id: str, step: str, reason: Short = "",
         back: Annotated[str, Form(max_length=20)] = "") -> Response:
    if step not in ("delivered", "failed", "redispatch") or not is_id(delivery_id):
        return _page(request, s, p, 404, error="没有找到该配送单。")
    try:
        rider_step(s, p, step, int(delivery_id), reason)
    except NotFound:
        return _page(request, s, p, 404, error="没有找到该配送单。")
    except LinliError as e:
        s.rollback()
        if is_id(back):
            return _batch(request, s, p, back, e.status, error=error_text(e))
        return _page(request, s, p, e.status, error=error_text(e))
    return RedirectResponse(f"/w/delivery/batches/{back}" if is_id(back) else "/w/delivery", status_code=303)
