"""Group-buys (拼团): a campaign; groups that members start and join; one seat per member per group."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class GroupBuy(Tenanted, Base):
    __tablename__ = "group_buys"
    __table_args__ = (
        Index("ix_group_buys_tenant_created", "tenant_id", "created_at"),
        CheckConstraint("group_size >= 2", name="size"),
        # closing gives back every unit no seat holds: a closed campaign may hold none (migration 0019)
        CheckConstraint("held >= 0 and held <= stock and (stock > 0 or closed_at is not null)", name="held_bounded"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("time_limit_hours > 0", name="time_limit_positive"),
        CheckConstraint("virtual_fill_percent is null or (virtual_fill_percent between 1 and 100)",
                        name="virtual_fill"),
    )

    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    group_size: Mapped[int] = mapped_column()
    size_by_tier: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    time_limit_hours: Mapped[int] = mapped_column()
    stock: Mapped[int] = mapped_column()  # units set aside from the product's stock
    held: Mapped[int] = mapped_column(default=0)  # units held by live seats
    virtual_fill_percent: Mapped[int | None] = mapped_column()  # succeed at the deadline if this full
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class Group(Tenanted, Base):
    __tablename__ = "groups"
    __table_args__ = (
        Index("ix_groups_tenant_campaign", "tenant_id", "group_buy_id"),
        Index("ix_groups_open_expiry", "status", "expires_at"),
        CheckConstraint("seats_taken >= 0 and seats_taken <= size", name="no_overfill"),
        CheckConstraint("status in ('open', 'succeeded', 'failed')", name="status"),
    )

    group_buy_id: Mapped[int] = mapped_column(IdType, ForeignKey("group_buys.id"))
    starter_member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    size: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)  # held or paid seats
    status: Mapped[str] = mapped_column(String(12), default="open")
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class GroupSeat(Tenanted, Base):
    """A member's place in a group, held by their order. Status: held (awaiting payment), paid,
    released (unpaid, cancelled), refunded (left the group), fulfilled (group succeeded)."""

    __tablename__ = "group_seats"
    __table_args__ = (
        Index("ix_group_seats_tenant_group", "tenant_id", "group_id"),
        Index("ix_group_seats_order", "order_id", unique=True),
        # one live seat per member per group; a released member may join again
        Index("uq_group_seats_live_member", "group_id", "member_id", unique=True,
              postgresql_where=text("status in ('held', 'paid', 'fulfilled')"),
              sqlite_where=text("status in ('held', 'paid', 'fulfilled')")),
    )

    group_id: Mapped[int] = mapped_column(IdType, ForeignKey("groups.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    status: Mapped[str] = mapped_column(String(12), default="held")
    created_at: Mapped[datetime] = created_at_column()


class GroupEvent(Tenanted, Base):
    """The group timeline: every step, who and when."""

    __tablename__ = "group_events"
    __table_args__ = (Index("ix_group_events_tenant_group", "tenant_id", "group_id"),)

    group_id: Mapped[int] = mapped_column(IdType, ForeignKey("groups.id"))
    action: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[int | None] = mapped_column(IdType)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = created_at_column()
