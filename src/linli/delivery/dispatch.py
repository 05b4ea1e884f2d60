"""Dispatch: a batch of pending deliveries for one rider with its planned route (OR-Tools), then the rider's
steps: out of the warehouse, each stop delivered (the order handed over) or failed (the goods go back)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal
from linli.delivery import repository as repo
from linli.delivery import routing
from linli.delivery.schemas import BATCH_STATUS_NAMES, BatchIn, BatchOut
from linli.delivery.service import allowed_warehouses, out, require_delivery, require_rider, warehouse
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage
from linli.models import Delivery, DeliveryBatch
from linli.order import pickup
from linli.order.events import Actor


def make_batch(s: Session, p: Principal, data: BatchIn) -> DeliveryBatch:
    """Atomic: every delivery named must still be pending at this warehouse, or nothing is batched (409). The
    rows are locked in id order and each moves only from pending (a conditional update), so two dispatchers
    taking the same deliveries at once make one batch and one 409."""
    try:
        w = warehouse(s, p, data.warehouse_id)
    except NotFound:
        raise Invalid("warehouse_id: no such warehouse of yours", code="unknown_warehouse") from None
    ids = sorted(set(data.delivery_ids))
    if len(ids) != len(data.delivery_ids):
        raise Invalid("a delivery is named twice", code="duplicate_delivery")
    if len(ids) > w.max_batch:
        raise Invalid(f"a rider takes at most {w.max_batch} orders", code="batch_too_large")
    try:
        rider = require_rider(s, p, data.rider_id)
    except NotFound:
        raise Invalid("rider_id: no such rider", code="unknown_rider") from None
    if rider.warehouse_id != w.id or not rider.active:
        raise Invalid("rider_id: not an active rider of this warehouse", code="rider_unavailable")
    rows = repo.many(s, p.tenant_id, ids)
    if len(rows) != len(ids) or any(d.warehouse_id != w.id for d in rows):
        raise Invalid("delivery_ids: not this warehouse's deliveries", code="unknown_delivery")
    _all_pending(rows)
    now = clock.now()
    stops = [routing.Stop(d.lat, d.lng, int((d.promised_at - now).total_seconds()) if d.promised_at else 3600)
             for d in rows]
    route = routing.plan((w.lat, w.lng), stops)  # before taking the row locks: the search takes up to 0.3 s
    _all_pending(repo.lock_many(s, p.tenant_id, ids))
    b = DeliveryBatch(tenant_id=p.tenant_id, warehouse_id=w.id, rider_id=rider.id, status="planned",
                      stops=len(rows), total_distance_m=route.distance_m, planned_seconds=route.seconds,
                      solver=route.solver, created_by=p.user_id, created_at=now)
    s.add(b)
    s.flush()
    for seq, (i, eta) in enumerate(zip(route.order, route.eta_s, strict=True), start=1):
        if not repo.take_for_batch(s, p.tenant_id, rows[i].id, b.id, seq, eta):
            raise Conflict("a delivery is no longer waiting", code="delivery_not_pending")
    return b


def _all_pending(rows: list[Delivery]) -> None:
    if any(d.status != "pending" for d in rows):
        raise Conflict("a delivery is no longer waiting (batched by someone else?)", code="delivery_not_pending")


def require_batch(s: Session, p: Principal, batch_id: int, lock: bool = False) -> DeliveryBatch:
    b = repo.batch(s, p.tenant_id, batch_id, lock=lock)
    allowed = allowed_warehouses(s, p)
    if b is None or (allowed is not None and b.warehouse_id not in allowed):
        raise NotFound("batch not found", code="batch_not_found")
    return b


def batch_out(s: Session, p: Principal, b: DeliveryBatch) -> BatchOut:
    w = warehouse(s, p, b.warehouse_id)
    stops = repo.batch_stops(s, p.tenant_id, b.id)
    return BatchOut(id=b.id, warehouse_id=b.warehouse_id, warehouse_lat=w.lat, warehouse_lng=w.lng,
                    rider_id=b.rider_id, rider_name=repo.rider_names(s, p.tenant_id, [b.rider_id]).get(b.rider_id, ""),
                    status=b.status, status_name=BATCH_STATUS_NAMES.get(b.status, b.status), stops=b.stops,
                    total_distance_m=b.total_distance_m, planned_seconds=b.planned_seconds, solver=b.solver,
                    created_at=b.created_at, departed_at=b.departed_at, finished_at=b.finished_at,
                    route=[out(d, b.departed_at, b.created_at) for d in stops])


def batches(s: Session, p: Principal, warehouse_id: int | None, limit: int = 50) -> list[BatchOut]:
    ids = [warehouse(s, p, warehouse_id).id] if warehouse_id else allowed_warehouses(s, p)
    return [batch_out(s, p, b) for b in repo.batches(s, p.tenant_id, ids, limit)]


def depart(s: Session, p: Principal, batch_id: int) -> DeliveryBatch:
    """The rider picked the goods up at the warehouse: the ETAs now run from this instant."""
    b = require_batch(s, p, batch_id, lock=True)
    if b.status != "planned":
        raise Conflict("this batch has already left", code="batch_departed")
    b.status, b.departed_at = "out", clock.now()
    repo.depart(s, p.tenant_id, b.id)
    s.flush()
    return b


def _on_the_road(s: Session, p: Principal, delivery_id: int) -> Delivery:
    d = require_delivery(s, p, delivery_id, lock=True)
    if d.status != "out":
        raise Conflict(f"a delivery that is {d.status} is not on the road", code="delivery_not_out")
    return d


def delivered(s: Session, p: Principal, delivery_id: int) -> Delivery:
    """At the door: the order is handed over (picked up, via delivery) in the same transaction."""
    d = _on_the_road(s, p, delivery_id)
    now = clock.now()
    pickup.hand_over(s, p.tenant_id, d.order_id, Actor.of(p), via="delivery")
    repo.set_status(s, p.tenant_id, d.id, ("out",), status="delivered", delivered_at=now, attempts=d.attempts + 1)
    _finish_if_done(s, p, d.batch_id)
    _notify(s, p.tenant_id, d, "delivered", "您的订单已送达",
            f"订单 #{d.order_id} 已送到 {d.address}，祝您生活愉快。")
    s.refresh(d)
    return d


def failed(s: Session, p: Principal, delivery_id: int, reason: str) -> Delivery:
    """Nobody home, wrong address…: the goods go back to the warehouse; the order stays paid (it may be sent out
    again or collected there)."""
    d = _on_the_road(s, p, delivery_id)
    repo.set_status(s, p.tenant_id, d.id, ("out",), status="failed", failed_at=clock.now(), failure_reason=reason,
                    attempts=d.attempts + 1)
    _finish_if_done(s, p, d.batch_id)
    _notify(s, p.tenant_id, d, f"failed{d.attempts + 1}", "配送未完成",
            f"订单 #{d.order_id} 未能送达（{reason}），商品已退回前置仓，我们会再与您联系。")
    s.refresh(d)
    return d


def redispatch(s: Session, p: Principal, delivery_id: int) -> Delivery:
    """A failed delivery waits again for a batch (its promise is kept as it was)."""
    d = require_delivery(s, p, delivery_id, lock=True)
    if not repo.set_status(s, p.tenant_id, d.id, ("failed",), status="pending", batch_id=None, stop_seq=None,
                           eta_offset_s=None):
        raise Conflict("only a failed delivery is sent again", code="delivery_not_failed")
    s.refresh(d)
    return d


def _finish_if_done(s: Session, p: Principal, batch_id: int | None) -> None:
    if batch_id is None or repo.open_stops(s, p.tenant_id, batch_id):
        return
    b = repo.batch(s, p.tenant_id, batch_id, lock=True)
    if b is not None and b.status == "out":
        b.status, b.finished_at = "done", clock.now()


def _notify(s: Session, tenant_id: int, d: Delivery, key: str, title: str, body: str) -> None:
    messaging.send_to_member(s, tenant_id, d.member_id, OutgoingMessage(
        category="service", title=title, body=body, dedupe_key=f"delivery:{d.id}:{key}", source="delivery",
        link=f"/m/deliveries/{d.order_id}"))
