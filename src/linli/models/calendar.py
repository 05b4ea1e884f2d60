"""Community calendar (社区日历): events added by operators (tenant-wide or one community) and by leaders (their
own communities). Solar terms and holidays are not stored: linli.calendar.almanac computes them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class CalendarEvent(Tenanted, Base):
    """community_id None: every community of the tenant (operators only). leader_id: the leader who added it
    (None for an operator's). A deleted event is kept with cancelled_at set (members may have seen it)."""

    __tablename__ = "calendar_events"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="window"),
        Index("ix_calendar_events_tenant_starts", "tenant_id", "starts_at"),
        Index("ix_calendar_events_tenant_community_starts", "tenant_id", "community_id", "starts_at"),
    )

    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    title: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(1000))
    leader_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("leaders.id"))
    created_by: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()
