"""The 即时配送 forms that the console and the leader's workbench share: each takes the fields as typed and
either acts or raises a LinliError whose code `error_text` puts in Chinese for the page to show."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from linli.core.errors import Invalid, LinliError, NotFound
from linli.core.security import Principal
from linli.delivery import dispatch, service
from linli.delivery.schemas import BatchIn, BatchOut, RiderIn

STEPS = ("delivered", "failed", "redispatch")
ERRORS = {"delivery_not_pending": "有订单已被其他人派出或状态已变，请刷新后重选。",
          "batch_too_large": "一个批次的订单超过了上限。", "no_delivery_chosen": "请至少勾选一个订单。",
          "rider_unavailable": "请选择本仓在岗的骑手。", "unknown_rider": "请选择本仓在岗的骑手。",
          "unknown_delivery": "所选订单不属于这个前置仓。", "duplicate_delivery": "订单重复。",
          "unknown_warehouse": "没有找到该前置仓。", "warehouse_not_found": "没有找到该前置仓。",
          "rider_not_found": "没有找到该骑手。", "batch_not_found": "没有找到该批次。",
          "delivery_not_found": "没有找到该配送单。", "batch_departed": "该批次已经出发。",
          "delivery_not_out": "该订单不在配送途中。", "delivery_not_failed": "只有配送失败的订单可以重新派送。",
          "not_ready_for_pickup": "该订单当前不能交付（可能已退款或取消）。",
          "rider_form": "请填写骑手姓名和 11 位手机号。", "validation_error": "请检查填写的内容。"}


def error_text(e: LinliError) -> str:
    return ERRORS.get(e.code or "", "操作失败，请重试。")


def is_id(text: str) -> bool:
    """ASCII digits that fit a BIGINT ('²'.isdigit() is true, yet int('²') fails)."""
    return text.isascii() and text.isdigit() and 0 < len(text) <= 18


def an_id(text: str, code: str) -> int:
    """A path or form id as typed, else NotFound(code)."""
    if not is_id(text):
        raise NotFound("no such id", code=code)
    return int(text)


def make_batch(s: Session, p: Principal, warehouse_id: str, rider_id: str, delivery_ids: list[str]) -> int:
    """The form's batch; its id."""
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


def add_rider(s: Session, p: Principal, warehouse_id: str, name: str, phone: str) -> None:
    try:
        data = RiderIn(name=name, phone=phone)
    except ValidationError:
        raise Invalid("rider", code="rider_form") from None
    service.add_rider(s, p, an_id(warehouse_id, "warehouse_not_found"), data)


def depart(s: Session, p: Principal, batch_id: str) -> None:
    dispatch.depart(s, p, an_id(batch_id, "batch_not_found"))


def batch(s: Session, p: Principal, batch_id: str) -> BatchOut:
    return dispatch.batch_out(s, p, dispatch.require_batch(s, p, an_id(batch_id, "batch_not_found")))


def rider_step(s: Session, p: Principal, step: str, delivery_id: str, reason: str) -> None:
    """A rider's step on one delivery: delivered, failed (with a reason) or redispatch."""
    if step not in STEPS:
        raise NotFound("no such step", code="delivery_not_found")
    did = an_id(delivery_id, "delivery_not_found")
    if step == "delivered":
        dispatch.delivered(s, p, did)
    elif step == "failed":
        dispatch.failed(s, p, did, reason.strip()[:200] or "未注明原因")
    else:
        dispatch.redispatch(s, p, did)


def route_chart(b: BatchOut) -> dict[str, Any]:
    return {"warehouse": [b.warehouse_lat, b.warehouse_lng],
            "stops": [{"seq": d.stop_seq, "lat": d.lat, "lng": d.lng, "address": d.address} for d in b.route]}
