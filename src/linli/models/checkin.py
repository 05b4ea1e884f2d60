"""Daily check-ins (签到) with streaks, and the monthly "社区守护者" TOP10 per community."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType
from linli.models.base import Tenanted, created_at_column


class Checkin(Tenanted, Base):
    """One row per member per Asia/Shanghai calendar day: the unique key is what makes a burst of
    check-ins credit once. streak = consecutive days ending on `day`."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("member_id", "day"),
        Index("ix_checkins_tenant_member_day", "tenant_id", "member_id", "day"),
        CheckConstraint("streak >= 1", name="streak_positive"),
        CheckConstraint("points >= 0", name="points_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    day: Mapped[date] = mapped_column(Date)
    streak: Mapped[int] = mapped_column()
    points: Mapped[int] = mapped_column(default=0)  # credited for this day (daily + streak bonus)
    created_at: Mapped[datetime] = created_at_column()


class GuardianProgram(Tenanted, Base):
    """Per-tenant settings of the monthly award; no row means the defaults."""

    __tablename__ = "guardian_programs"
    __table_args__ = (UniqueConstraint("tenant_id"), CheckConstraint("bonus_points >= 0", name="bonus_points"))

    title: Mapped[str] = mapped_column(String(20))
    benefit: Mapped[str] = mapped_column(String(100))
    bonus_points: Mapped[int] = mapped_column(default=0)  # granted to each awardee; 0 = off


class GuardianRun(Tenanted, Base):
    """Marks a month as awarded for a tenant: the unique key makes the monthly job run once."""

    __tablename__ = "guardian_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM, Asia/Shanghai
    awards: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = created_at_column()


class GuardianAward(Tenanted, Base):
    __tablename__ = "guardian_awards"
    __table_args__ = (
        UniqueConstraint("tenant_id", "month", "community_id", "rank"),
        UniqueConstraint("tenant_id", "month", "member_id"),
        Index("ix_guardian_awards_tenant_member", "tenant_id", "member_id"),
        CheckConstraint("rank BETWEEN 1 AND 10", name="rank_top10"),
        CheckConstraint("contribution > 0", name="contribution_positive"),
    )

    month: Mapped[str] = mapped_column(String(7))
    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    rank: Mapped[int] = mapped_column()
    contribution: Mapped[int] = mapped_column()  # points earned in the month, spend excluded
    title: Mapped[str] = mapped_column(String(20))
    benefit: Mapped[str] = mapped_column(String(100))
    bonus_points: Mapped[int] = mapped_column(default=0)
    awarded_at: Mapped[datetime] = created_at_column()
