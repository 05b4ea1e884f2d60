"""本地生活服务: merchants near the communities (家政维修, 宠物托管, 亲子活动 ...), the services they offer, the
weekly schedules and the time slots they open, members' bookings of those slots, and the ratings after.
Payment is at the service (到店/上门付款): linli shows the price and moves no money for a booking."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class ServiceMerchant(Tenanted, Base):
    """A local merchant. rating_sum / rating_count move together in one UPDATE when a rating lands, so the
    average shown never needs a scan of the ratings."""

    __tablename__ = "ls_merchants"
    __table_args__ = (
        CheckConstraint("rating_sum >= 0 AND rating_count >= 0", name="rating"),
        Index("ix_ls_merchants_tenant_category", "tenant_id", "category"),
    )

    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(30))
    address: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(1000), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    rating_sum: Mapped[int] = mapped_column(default=0)
    rating_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()


class MerchantCommunity(Tenanted, Base):
    """A community the merchant serves; members see only the merchants serving their community."""

    __tablename__ = "ls_merchant_communities"
    __table_args__ = (
        UniqueConstraint("tenant_id", "merchant_id", "community_id"),
        Index("ix_ls_merchant_communities_tenant_community", "tenant_id", "community_id"),
    )

    merchant_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_merchants.id"))
    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))


class LocalService(Tenanted, Base):
    """One bookable service of a merchant. capacity is the seats of one slot: 1 for a housekeeper's visit,
    N for an activity. price_fen 0 means free."""

    __tablename__ = "ls_services"
    __table_args__ = (
        CheckConstraint("price_fen >= 0", name="price"),
        CheckConstraint("duration_minutes > 0 AND capacity > 0", name="positive"),
        Index("ix_ls_services_tenant_merchant", "tenant_id", "merchant_id"),
    )

    merchant_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_merchants.id"))
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000), default="")
    price_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_minutes: Mapped[int] = mapped_column()
    capacity: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class ServiceSchedule(Tenanted, Base):
    """A weekly opening: every `weekday` (0 Monday) at `start_minute` after local midnight (Asia/Shanghai) the
    slot job opens a slot, for the next 14 days."""

    __tablename__ = "ls_schedules"
    __table_args__ = (
        UniqueConstraint("tenant_id", "service_id", "weekday", "start_minute"),
        CheckConstraint("weekday BETWEEN 0 AND 6 AND start_minute BETWEEN 0 AND 1439", name="when"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        Index("ix_ls_schedules_tenant_active", "tenant_id", "active"),
    )

    service_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_services.id"))
    weekday: Mapped[int] = mapped_column()
    start_minute: Mapped[int] = mapped_column()
    capacity: Mapped[int | None] = mapped_column()  # None: the service's
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class ServiceSlot(Tenanted, Base):
    """One bookable time. booked only moves in conditional UPDATEs; the CHECK is the last guard against
    double-booking. One slot per service and start (the job's inserts are idempotent on it)."""

    __tablename__ = "ls_slots"
    __table_args__ = (
        UniqueConstraint("tenant_id", "service_id", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= capacity AND capacity > 0", name="seats"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("ix_ls_slots_tenant_starts", "tenant_id", "starts_at"),
    )

    service_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_services.id"))
    merchant_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_merchants.id"))
    schedule_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("ls_schedules.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column()
    booked: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(8), default="open")
    created_at: Mapped[datetime] = created_at_column()


class ServiceBooking(Tenanted, Base):
    """A member's booking of seats in a slot: confirmed -> cancelled | completed. live_slot_id is the slot while
    the booking holds its seats and NULL once cancelled: UNIQUE (member, live_slot_id) allows one live booking
    per member and slot (NULLs never collide), so a cancelled member may book again."""

    __tablename__ = "ls_bookings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "live_slot_id"),
        CheckConstraint("status IN ('confirmed', 'cancelled', 'completed')", name="status"),
        CheckConstraint("seats > 0", name="seats"),
        CheckConstraint("cancelled_by IS NULL OR cancelled_by IN ('member', 'operator')", name="cancelled_by"),
        Index("ix_ls_bookings_tenant_created", "tenant_id", "created_at"),
        Index("ix_ls_bookings_tenant_status_starts", "tenant_id", "status", "starts_at"),
        Index("ix_ls_bookings_tenant_slot", "tenant_id", "slot_id"),
        Index("ix_ls_bookings_tenant_member", "tenant_id", "member_id"),
    )

    slot_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_slots.id"))
    live_slot_id: Mapped[int | None] = mapped_column(IdType)
    service_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_services.id"))
    merchant_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_merchants.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    seats: Mapped[int] = mapped_column(default=1)
    price_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # the whole booking, paid at the service
    note: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(10), default="confirmed")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the slot's, copied: the jobs read bookings alone
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by: Mapped[str | None] = mapped_column(String(10))
    cancel_reason: Mapped[str | None] = mapped_column(String(200))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class ServiceRating(Tenanted, Base):
    """1-5 stars and a comment on a completed booking, one per booking. A comment moderation holds for review
    is kept from other members (comment_visible false) while the stars count at once."""

    __tablename__ = "ls_ratings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "booking_id"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars"),
        Index("ix_ls_ratings_tenant_merchant", "tenant_id", "merchant_id", "created_at"),
    )

    booking_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_bookings.id"))
    merchant_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_merchants.id"))
    service_id: Mapped[int] = mapped_column(IdType, ForeignKey("ls_services.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    stars: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(String(500), default="")
    comment_visible: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
