"""Alerts (智能预警): per-tenant thresholds of the monitored metrics, the alerts raised when a metric crosses
its threshold in a window, and the hourly evaluation runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

ALERT_STATUSES = ("open", "acknowledged", "resolved")
SCOPE_KINDS = ("tenant", "community", "leader", "product")


class AlertThreshold(Tenanted, Base):
    """A tenant's own threshold for one metric (absent: the registry's default). min_base is the smallest
    sample (orders, members, fen …) below which the metric is not judged."""

    __tablename__ = "alert_thresholds"
    __table_args__ = (UniqueConstraint("tenant_id", "metric"),)

    metric: Mapped[str] = mapped_column(String(40))
    threshold: Mapped[float] = mapped_column(Float)
    min_base: Mapped[int] = mapped_column()
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    updated_at: Mapped[datetime] = created_at_column()


class Alert(Tenanted, Base):
    """One metric over its threshold for one scope in one window. Unique per (metric, scope, window start):
    evaluating the same window again — or twice at once — raises nothing new. scope_id is 0 for the
    tenant scope (a NULL would never collide in the unique key). last_value / last_seen_at: the latest
    abnormal reading while the alert is still open (later windows are absorbed, not raised again)."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "metric", "scope_kind", "scope_id", "window_start"),
        Index("ix_alerts_tenant_status_raised", "tenant_id", "status", "raised_at"),
        Index("ix_alerts_tenant_metric_scope", "tenant_id", "metric", "scope_kind", "scope_id"),
        CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name="status"),
        CheckConstraint("scope_kind IN ('tenant', 'community', 'leader', 'product')", name="scope_kind"),
    )

    metric: Mapped[str] = mapped_column(String(40))
    scope_kind: Mapped[str] = mapped_column(String(10))
    scope_id: Mapped[int] = mapped_column(IdType)
    scope_name: Mapped[str] = mapped_column(String(100))
    community_id: Mapped[int | None] = mapped_column(IdType)  # for the centre's community filter
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    value: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    base: Mapped[int] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="open")
    raised_at: Mapped[datetime] = created_at_column()
    last_value: Mapped[float] = mapped_column(Float)
    last_seen_at: Mapped[datetime] = created_at_column()
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))  # None: auto-resolved
    note: Mapped[str] = mapped_column(String(500), default="")


class AlertRun(Tenanted, Base):
    """One evaluation of a tenant's metrics in an hour slot: the scheduler ticks every few seconds, the
    metrics are evaluated once an hour (the first runner of the slot inserts the row and does it)."""

    __tablename__ = "alert_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "slot"),)

    slot: Mapped[datetime] = mapped_column(UTCDateTime())
    raised: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()
