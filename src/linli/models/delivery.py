"""即时配送 (micro-warehouse delivery): each warehouse's settings and riders, one delivery per order, and the
batches a rider carries with their planned route."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

DELIVERY_STATUSES = ("awaiting_payment", "pending", "batched", "out", "delivered", "failed", "cancelled")
BATCH_STATUSES = ("planned", "out", "done")


class DeliveryWarehouse(Tenanted, Base):
    """A warehouse pickup point's delivery settings; a warehouse without a row uses the defaults."""

    __tablename__ = "delivery_warehouses"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pickup_point_id"),
        CheckConstraint("radius_m > 0 AND promise_minutes > 0 AND max_batch > 0", name="positive"),
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    radius_m: Mapped[int] = mapped_column(default=3000)
    promise_minutes: Mapped[int] = mapped_column(default=30)
    max_batch: Mapped[int] = mapped_column(default=10)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = created_at_column()


class DeliveryRider(Tenanted, Base):
    __tablename__ = "delivery_riders"
    __table_args__ = (Index("ix_delivery_riders_tenant_warehouse", "tenant_id", "warehouse_id"),)

    warehouse_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    name: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class DeliveryBatch(Tenanted, Base):
    """One rider's trip: planned (route made) -> out (departed the warehouse) -> done (every stop settled).
    Distances in metres, offsets in seconds from departure."""

    __tablename__ = "delivery_batches"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'out', 'done')", name="status"),
        Index("ix_delivery_batches_tenant_warehouse_created", "tenant_id", "warehouse_id", "created_at"),
    )

    warehouse_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    rider_id: Mapped[int] = mapped_column(IdType, ForeignKey("delivery_riders.id"))
    status: Mapped[str] = mapped_column(String(10), default="planned")
    stops: Mapped[int] = mapped_column()
    total_distance_m: Mapped[int] = mapped_column()
    planned_seconds: Mapped[int] = mapped_column()
    solver: Mapped[str] = mapped_column(String(20))  # ortools | nearest_neighbour (OR-Tools found nothing)
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    departed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Delivery(Tenanted, Base):
    """送货上门 for one order (unique). awaiting_payment -> pending (paid; promised_at fixed) -> batched -> out ->
    delivered | failed (back at the warehouse; may be dispatched again) ; cancelled when the order is."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        CheckConstraint("status IN ('awaiting_payment', 'pending', 'batched', 'out', 'delivered', 'failed', "
                        "'cancelled')", name="status"),
        CheckConstraint("status NOT IN ('batched', 'out', 'delivered') OR batch_id IS NOT NULL", name="batched"),
        Index("ix_deliveries_tenant_warehouse_status", "tenant_id", "warehouse_id", "status"),
        Index("ix_deliveries_tenant_batch", "tenant_id", "batch_id"),
        Index("ix_deliveries_tenant_member", "tenant_id", "member_id"),
        Index("ix_deliveries_tenant_created", "tenant_id", "created_at"),
    )

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    warehouse_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    building_id: Mapped[int] = mapped_column(IdType, ForeignKey("buildings.id"))
    address: Mapped[str] = mapped_column(String(120))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[int] = mapped_column()  # from the warehouse, as the crow flies
    status: Mapped[str] = mapped_column(String(20))
    promise_minutes: Mapped[int] = mapped_column()
    promised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    batch_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("delivery_batches.id"))
    stop_seq: Mapped[int | None] = mapped_column()
    eta_offset_s: Mapped[int | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failure_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_at_column()
