"""The pickup point a member chose for their orders (one row per member; none: their community's default)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from linli.core import clock
from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted


class MemberPickupPoint(Tenanted, Base):
    __tablename__ = "member_pickup_points"
    __table_args__ = (Index("ix_member_pickup_points_tenant_member", "tenant_id", "member_id", unique=True),)

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    pickup_point_id: Mapped[int] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now, onupdate=clock.now)
