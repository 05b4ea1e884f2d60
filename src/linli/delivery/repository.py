"""The only place that reads and writes the delivery tables; every query tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from linli.models import Delivery, DeliveryBatch, DeliveryRider, DeliveryWarehouse

D = Delivery


def settings(s: Session, tenant_id: int, point_ids: Sequence[int]) -> dict[int, DeliveryWarehouse]:
    rows = s.scalars(select(DeliveryWarehouse).where(DeliveryWarehouse.tenant_id == tenant_id,
                                                     DeliveryWarehouse.pickup_point_id.in_(point_ids)))
    return {r.pickup_point_id: r for r in rows}


def rider(s: Session, tenant_id: int, rider_id: int, lock: bool = False) -> DeliveryRider | None:
    stmt = select(DeliveryRider).where(DeliveryRider.tenant_id == tenant_id, DeliveryRider.id == rider_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def riders(s: Session, tenant_id: int, warehouse_ids: Sequence[int]) -> list[DeliveryRider]:
    return list(s.scalars(select(DeliveryRider).where(
        DeliveryRider.tenant_id == tenant_id, DeliveryRider.warehouse_id.in_(warehouse_ids))
        .order_by(DeliveryRider.warehouse_id, DeliveryRider.id)))


def rider_names(s: Session, tenant_id: int, rider_ids: Sequence[int]) -> dict[int, str]:
    rows = s.execute(select(DeliveryRider.id, DeliveryRider.name).where(
        DeliveryRider.tenant_id == tenant_id, DeliveryRider.id.in_(rider_ids)))
    return {i: n for i, n in rows}


def delivery(s: Session, tenant_id: int, delivery_id: int, lock: bool = False) -> Delivery | None:
    stmt = select(D).where(D.tenant_id == tenant_id, D.id == delivery_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def of_order(s: Session, tenant_id: int, order_id: int, lock: bool = False) -> Delivery | None:
    stmt = select(D).where(D.tenant_id == tenant_id, D.order_id == order_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def many(s: Session, tenant_id: int, delivery_ids: Sequence[int]) -> list[Delivery]:
    return list(s.scalars(select(D).where(D.tenant_id == tenant_id, D.id.in_(delivery_ids)).order_by(D.id)))


def lock_many(s: Session, tenant_id: int, delivery_ids: Sequence[int]) -> list[Delivery]:
    """The rows locked in id order (two dispatchers taking overlapping sets never wait on each other in a circle)."""
    return list(s.scalars(select(D).where(D.tenant_id == tenant_id, D.id.in_(delivery_ids))
                          .order_by(D.id).with_for_update().execution_options(populate_existing=True)))


def take_for_batch(s: Session, tenant_id: int, delivery_id: int, batch_id: int, seq: int, eta_s: int) -> bool:
    """pending -> batched, only if still pending: the guard that keeps a delivery in one live batch."""
    done = s.execute(update(D).where(D.tenant_id == tenant_id, D.id == delivery_id, D.status == "pending",
                                     D.batch_id.is_(None))
                     .values(status="batched", batch_id=batch_id, stop_seq=seq, eta_offset_s=eta_s)
                     )
    return bool(getattr(done, "rowcount", 0) == 1)


def set_status(s: Session, tenant_id: int, delivery_id: int, old: Sequence[str], **values: Any) -> bool:
    done = s.execute(update(D).where(D.tenant_id == tenant_id, D.id == delivery_id, D.status.in_(old))
                     .values(**values))
    return bool(getattr(done, "rowcount", 0) == 1)


def batch(s: Session, tenant_id: int, batch_id: int, lock: bool = False) -> DeliveryBatch | None:
    stmt = select(DeliveryBatch).where(DeliveryBatch.tenant_id == tenant_id, DeliveryBatch.id == batch_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def batch_stops(s: Session, tenant_id: int, batch_id: int) -> list[Delivery]:
    return list(s.scalars(select(D).where(D.tenant_id == tenant_id, D.batch_id == batch_id)
                          .order_by(D.stop_seq, D.id)))


def depart(s: Session, tenant_id: int, batch_id: int) -> None:
    s.execute(update(D).where(D.tenant_id == tenant_id, D.batch_id == batch_id, D.status == "batched")
              .values(status="out"))


def open_stops(s: Session, tenant_id: int, batch_id: int) -> int:
    return s.scalar(select(func.count()).select_from(D).where(
        D.tenant_id == tenant_id, D.batch_id == batch_id, D.status.in_(("batched", "out")))) or 0


def listing(tenant_id: int, warehouse_ids: Sequence[int] | None, statuses: Sequence[str] | None,
            since: datetime | None = None, until: datetime | None = None) -> Select[Any]:
    stmt = select(D).where(D.tenant_id == tenant_id)
    if warehouse_ids is not None:
        stmt = stmt.where(D.warehouse_id.in_(warehouse_ids))
    if statuses:
        stmt = stmt.where(D.status.in_(statuses))
    if since is not None:
        stmt = stmt.where(D.created_at >= since)
    if until is not None:
        stmt = stmt.where(D.created_at < until)
    return stmt


def batches(s: Session, tenant_id: int, warehouse_ids: Sequence[int] | None, limit: int) -> list[DeliveryBatch]:
    stmt = select(DeliveryBatch).where(DeliveryBatch.tenant_id == tenant_id)
    if warehouse_ids is not None:
        stmt = stmt.where(DeliveryBatch.warehouse_id.in_(warehouse_ids))
    return list(s.scalars(stmt.order_by(DeliveryBatch.id.desc()).limit(limit)))


def settled(s: Session, tenant_id: int, since: datetime, until: datetime) -> list[tuple[str, datetime | None,
                                                                                        datetime | None, int]]:
    """(status, delivered_at, promised_at, promise_minutes) of the deliveries made in the period."""
    rows = s.execute(select(D.status, D.delivered_at, D.promised_at, D.promise_minutes).where(
        D.tenant_id == tenant_id, D.created_at >= since, D.created_at < until))
    return [(a, b, c, d) for a, b, c, d in rows]
