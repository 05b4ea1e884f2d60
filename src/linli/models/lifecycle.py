"""Member lifecycle (生命周期): per-member activity facts, the current stage and its history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted

STAGES = ("new", "active", "silent", "dormant", "core")


class LifecycleSettings(Tenanted, Base):
    """Stage thresholds of one tenant (absent: the defaults from seed 000, 7 / 30 / 90 / 90 days, 3 orders)."""

    __tablename__ = "lifecycle_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("new_days > 0 and silent_days > 0 and dormant_days > silent_days"
                        " and core_days > 0 and core_orders > 0", name="thresholds"),
    )

    new_days: Mapped[int] = mapped_column()  # joined less than this long ago: new
    silent_days: Mapped[int] = mapped_column()  # no order or interaction this long: silent
    dormant_days: Mapped[int] = mapped_column()  # … this long: dormant
    core_days: Mapped[int] = mapped_column()  # a member this long, not silent, with core_orders paid orders: core
    core_orders: Mapped[int] = mapped_column()


class MemberActivity(Tenanted, Base):
    """One row per member: the facts the stage is computed from, kept current by event handlers.
    last_active_at = the latest of joined_at, last_order_at and last_interaction_at, stored so
    that the due job can find members crossing a threshold with an indexed query."""

    __tablename__ = "member_activity"
    __table_args__ = (
        UniqueConstraint("member_id"),
        Index("ix_member_activity_tenant_stage_active", "tenant_id", "stage", "last_active_at"),
        CheckConstraint("paid_orders >= 0", name="paid_orders"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_order_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_interaction_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_orders: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(12))
    stage_since: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberStageHistory(Tenanted, Base):
    """Every stage change (append-only). from_stage is NULL for the first stage of a member."""

    __tablename__ = "member_stage_history"
    __table_args__ = (
        Index("ix_member_stage_history_tenant_member", "tenant_id", "member_id", "at"),
        Index("ix_member_stage_history_tenant_at", "tenant_id", "at"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    from_stage: Mapped[str | None] = mapped_column(String(12))
    to_stage: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(40))
