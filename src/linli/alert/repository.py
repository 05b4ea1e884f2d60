from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import Alert, AlertRun, AlertThreshold

_INSERT: dict[str, Any] = {"postgresql": pg_insert, "sqlite": sqlite_insert}
LIVE = ("open", "acknowledged")


def thresholds(s: Session, tenant_id: int) -> dict[str, AlertThreshold]:
    return {t.metric: t for t in s.scalars(select(AlertThreshold).where(AlertThreshold.tenant_id == tenant_id))}


def threshold(s: Session, tenant_id: int, metric: str) -> AlertThreshold | None:
    return s.scalar(select(AlertThreshold).where(AlertThreshold.tenant_id == tenant_id,
                                                 AlertThreshold.metric == metric).with_for_update())


def insert_alert(s: Session, values: dict[str, Any]) -> int | None:
    """The new alert's id; None when the (metric, scope, window) already has one — a repeat run, or a
    concurrent one that wrote it first (the unique key decides)."""
    ins = _INSERT[s.get_bind().dialect.name]
    stmt = ins(table(Alert)).values(**values).on_conflict_do_nothing(
        index_elements=["tenant_id", "metric", "scope_kind", "scope_id", "window_start"]).returning(table(Alert).c.id)
    return s.scalar(stmt)


def live_of_metric(s: Session, tenant_id: int, metric: str) -> list[Alert]:
    return list(s.scalars(select(Alert).where(Alert.tenant_id == tenant_id, Alert.metric == metric,
                                              Alert.status.in_(LIVE)).order_by(Alert.id)))


def get(s: Session, tenant_id: int, alert_id: int, lock: bool = False) -> Alert | None:
    stmt = select(Alert).where(Alert.tenant_id == tenant_id, Alert.id == alert_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def search(tenant_id: int, status: str | None, metric: str | None, community_id: int | None) -> Select[Any]:
    stmt = select(Alert).where(Alert.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(Alert.status == status)
    if metric:
        stmt = stmt.where(Alert.metric == metric)
    if community_id:
        stmt = stmt.where(Alert.community_id == community_id)
    return stmt


def counts_by_status(s: Session, tenant_id: int) -> dict[str, int]:
    rows = s.execute(select(Alert.status, func.count(Alert.id)).where(Alert.tenant_id == tenant_id)
                     .group_by(Alert.status))
    return {status: int(n) for status, n in rows}


def claim_run(s: Session, tenant_id: int, slot: datetime, at: datetime) -> bool:
    """True for the first runner of the tenant's hour slot."""
    ins = _INSERT[s.get_bind().dialect.name]
    stmt = ins(table(AlertRun)).values(tenant_id=tenant_id, slot=slot, raised=0, created_at=at) \
        .on_conflict_do_nothing(index_elements=["tenant_id", "slot"]).returning(table(AlertRun).c.id)
    return s.scalar(stmt) is not None
