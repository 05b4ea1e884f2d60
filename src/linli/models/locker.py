"""Smart lockers (智能柜): a pickup point of kind locker has compartments (S/M/L); a parcel is one paid order put
into one compartment with a 6-digit opening code and an expiry. Partial unique indexes over live parcels make
"two parcels in one compartment", "one order in two compartments" and "two live parcels with one code at a
locker" impossible whatever the callers race."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

LIVE = text("status = 'live'")


class LockerSettings(Tenanted, Base):
    """How long a parcel waits in its compartment, and how long before the end the member is reminded."""

    __tablename__ = "locker_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("hold_hours > 0 AND remind_hours >= 0 AND remind_hours < hold_hours", name="hours"),
    )

    hold_hours: Mapped[int] = mapped_column(default=48)
    remind_hours: Mapped[int] = mapped_column(default=12)
    updated_at: Mapped[datetime] = created_at_column()


class LockerCompartment(Tenanted, Base):
    """One door of a locker. status: free | occupied (a live parcel is in it) | out_of_order."""

    __tablename__ = "locker_compartments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "pickup_point_id", "label"),
        CheckConstraint("size IN ('S', 'M', 'L')", name="size"),
        CheckConstraint("status IN ('free', 'occupied', 'out_of_order')", name="status"),
        Index("ix_locker_compartments_tenant_point_status", "tenant_id", "pickup_point_id", "status", "size"),
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    label: Mapped[str] = mapped_column(String(10))
    size: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(12), default="free")
    created_at: Mapped[datetime] = created_at_column()


class LockerParcel(Tenanted, Base):
    """An order in a compartment. status: live (waiting) -> collected (opened with the code) | expired (the
    compartment was freed at expiry and the leader takes the goods back: returned_at once they have)."""

    __tablename__ = "locker_parcels"
    __table_args__ = (
        CheckConstraint("status IN ('live', 'collected', 'expired')", name="status"),
        Index("uq_locker_parcels_live_compartment", "tenant_id", "compartment_id", unique=True,
              postgresql_where=LIVE, sqlite_where=LIVE),
        Index("uq_locker_parcels_live_order", "tenant_id", "order_id", unique=True,
              postgresql_where=LIVE, sqlite_where=LIVE),
        Index("uq_locker_parcels_live_code", "tenant_id", "pickup_point_id", "code", unique=True,
              postgresql_where=LIVE, sqlite_where=LIVE),
        Index("ix_locker_parcels_tenant_point_status", "tenant_id", "pickup_point_id", "status"),
        Index("ix_locker_parcels_tenant_member", "tenant_id", "member_id"),
        Index("ix_locker_parcels_status_expires", "status", "expires_at"),  # the due job, across tenants
    )

    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    compartment_id: Mapped[int] = mapped_column(IdType, ForeignKey("locker_compartments.id"))
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    deposited_by_user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    code: Mapped[str] = mapped_column(String(6))  # shown to the owner; compared with hmac.compare_digest
    status: Mapped[str] = mapped_column(String(10), default="live")
    deposited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    collected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
