"""The pickup network (自提网络): each point's status and daily capacity, its weekly opening hours and closures,
the tenant's assignment settings, and the assignment runs that move awaiting orders between points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

POINT_STATUSES = ("open", "paused", "closed")


class PickupSettings(Tenanted, Base):
    """Per tenant: how far a member may be sent (metres) and what leaving the member's own point costs, in
    metres of walking. The row is also the tenant's assignment lock: runs take it FOR UPDATE, one at a time."""

    __tablename__ = "pickup_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("max_distance_m > 0 AND preference_penalty_m >= 0", name="positive"),
    )

    max_distance_m: Mapped[int] = mapped_column(default=1500)
    preference_penalty_m: Mapped[int] = mapped_column(default=300)
    updated_at: Mapped[datetime] = created_at_column()


class PickupPointState(Tenanted, Base):
    """A point's operating status (open / paused / closed) and daily capacity: parcels awaiting pickup at most
    (none: the point's own capacity, none there either: no limit). A point without a row is open."""

    __tablename__ = "pickup_point_states"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pickup_point_id"),
        CheckConstraint("status IN ('open', 'paused', 'closed')", name="status"),
        CheckConstraint("daily_capacity IS NULL OR daily_capacity > 0", name="capacity_positive"),
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    reason: Mapped[str] = mapped_column(String(200), default="")
    daily_capacity: Mapped[int | None] = mapped_column(Integer)
    changed_at: Mapped[datetime] = created_at_column()


class PickupHours(Tenanted, Base):
    """One weekday's opening hours of a point, in minutes after local midnight (weekday 0 = Monday). A point
    with no rows keeps the hours of its opening_hours text on every day; a missing weekday is a day off."""

    __tablename__ = "pickup_hours"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pickup_point_id", "weekday"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440",
                        name="span"),
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    weekday: Mapped[int] = mapped_column()
    opens_minute: Mapped[int] = mapped_column()
    closes_minute: Mapped[int] = mapped_column()


class PickupClosure(Tenanted, Base):
    """A time the point does not hand out parcels (团长外出, 装修...): [starts_at, ends_at), open-ended when
    ends_at is none. Reopening ends the closures running then."""

    __tablename__ = "pickup_closures"
    __table_args__ = (
        Index("ix_pickup_closures_tenant_point_starts", "tenant_id", "pickup_point_id", "starts_at"),
        Index("ix_pickup_closures_due", "reassigned_at", "starts_at"),  # the job: not yet reassigned, started
        CheckConstraint("ends_at IS NULL OR ends_at > starts_at", name="range"),
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(200))
    reassigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # its awaiting orders were moved then
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class AssignmentRun(Tenanted, Base):
    """One run of the assignment optimiser, idempotent by key (a repeat answers the first run)."""

    __tablename__ = "pickup_assignment_runs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        Index("ix_pickup_assignment_runs_tenant_created", "tenant_id", "created_at"),
        CheckConstraint("moved >= 0 AND unplaced >= 0 AND kept >= 0", name="counts"),
    )

    key: Mapped[str] = mapped_column(String(120))
    trigger: Mapped[str] = mapped_column(String(20))  # manual | point_closed | closure | delivery_day
    pickup_point_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    considered: Mapped[int] = mapped_column(default=0)
    moved: Mapped[int] = mapped_column(default=0)
    kept: Mapped[int] = mapped_column(default=0)
    unplaced: Mapped[int] = mapped_column(default=0)
    total_distance_m: Mapped[int] = mapped_column(default=0)
    solver: Mapped[str] = mapped_column(String(30))
    created_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class AssignmentMove(Tenanted, Base):
    """What a run did with one order: moved (from -> to, the walk to the new point), or left unplaced with the
    reason. Orders the run kept where they were have no row."""

    __tablename__ = "pickup_assignment_moves"
    __table_args__ = (
        UniqueConstraint("tenant_id", "run_id", "order_id"),
        Index("ix_pickup_assignment_moves_tenant_order", "tenant_id", "order_id"),
        CheckConstraint("outcome IN ('moved', 'unplaced')", name="outcome"),
    )

    run_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_assignment_runs.id"))
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    from_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    to_point_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    distance_m: Mapped[int | None] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(200))
