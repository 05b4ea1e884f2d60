"""The only place that reads and writes the traceability tables; every query tenant-scoped (the public trace
page finds its batch by the unguessable token, then reads tenant-scoped like everyone else)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.models import BatchEntry, ProductBatch


def batch(s: Session, tenant_id: int, batch_id: int, lock: bool = False) -> ProductBatch | None:
    stmt = select(ProductBatch).where(ProductBatch.tenant_id == tenant_id, ProductBatch.id == batch_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def batch_by_code(s: Session, tenant_id: int, code: str) -> ProductBatch | None:
    return s.scalar(select(ProductBatch).where(ProductBatch.tenant_id == tenant_id, ProductBatch.code == code))


def batch_by_token(s: Session, token: str) -> ProductBatch | None:
    return s.scalar(select(ProductBatch).where(ProductBatch.token == token))


def batches(tenant_id: int, product_id: int | None, q: str | None) -> Select[Any]:
    stmt = select(ProductBatch).where(ProductBatch.tenant_id == tenant_id)
    if product_id is not None:
        stmt = stmt.where(ProductBatch.product_id == product_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(ProductBatch.code.like(like) | ProductBatch.origin.like(like)
                          | ProductBatch.producer.like(like))
    return stmt


def entries(s: Session, tenant_id: int, batch_id: int) -> list[BatchEntry]:
    return list(s.scalars(select(BatchEntry).where(BatchEntry.tenant_id == tenant_id,
                                                   BatchEntry.batch_id == batch_id).order_by(BatchEntry.seq)))


def last_entry(s: Session, tenant_id: int, batch_id: int) -> BatchEntry | None:
    return s.scalar(select(BatchEntry).where(BatchEntry.tenant_id == tenant_id, BatchEntry.batch_id == batch_id)
                    .order_by(BatchEntry.seq.desc()).limit(1))


def windows(s: Session, tenant_id: int, batch_ids: list[int]) -> dict[int, tuple[int, datetime, datetime]]:
    """batch id -> (entries, first occurred_at, last occurred_at)."""
    if not batch_ids:
        return {}
    rows = s.execute(select(BatchEntry.batch_id, func.count(), func.min(BatchEntry.occurred_at),
                            func.max(BatchEntry.occurred_at))
                     .where(BatchEntry.tenant_id == tenant_id, BatchEntry.batch_id.in_(batch_ids))
                     .group_by(BatchEntry.batch_id))
    return {b: (n, lo, hi) for b, n, lo, hi in rows}


def add(s: Session, row: Any) -> None:
    s.add(row)
    s.flush()
