"""Leader assessment (团长考核): members' ratings after pickup, monthly scores, and the warning →
help plan → replacement cases with their audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class OrderRating(Tenanted, Base):
    """A member's stars for a picked-up order; it scores the leader of the order's pickup point."""

    __tablename__ = "order_ratings"
    __table_args__ = (
        UniqueConstraint("order_id"),  # once per order
        Index("ix_order_ratings_tenant_leader_created", "tenant_id", "leader_id", "created_at"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_range"),
    )

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    leader_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("leaders.id"))
    stars: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()


class AssessmentSettings(Tenanted, Base):
    """Per-tenant weights (sum 100) and the warning rule; no row means the defaults."""

    __tablename__ = "assessment_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),
                      CheckConstraint("w_sales + w_growth + w_service + w_activity = 100", name="weights_sum"))

    w_sales: Mapped[int] = mapped_column()
    w_growth: Mapped[int] = mapped_column()
    w_service: Mapped[int] = mapped_column()
    w_activity: Mapped[int] = mapped_column()
    warning_below: Mapped[int] = mapped_column()  # a total under this is a warning
    warning_bottom_pct: Mapped[int] = mapped_column()  # … and so is the bottom this many percent
    replace_after: Mapped[int] = mapped_column()  # consecutive warnings before a replacement suggestion


class AssessmentRun(Tenanted, Base):
    """One per (tenant, month): the monthly job claims it, so a month is assessed once."""

    __tablename__ = "assessment_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "month"),)

    month: Mapped[str] = mapped_column(String(7))
    leaders: Mapped[int] = mapped_column(default=0)
    actor_user_id: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = created_at_column()


class LeaderAssessment(Tenanted, Base):
    __tablename__ = "leader_assessments"
    __table_args__ = (UniqueConstraint("tenant_id", "month", "leader_id"),
                      Index("ix_leader_assessments_tenant_leader", "tenant_id", "leader_id"))

    month: Mapped[str] = mapped_column(String(7))
    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    sales_fen: Mapped[int] = mapped_column(BigInteger)
    new_members: Mapped[int] = mapped_column()
    avg_stars: Mapped[float | None] = mapped_column()
    ratings: Mapped[int] = mapped_column()
    activity: Mapped[int] = mapped_column()
    sales_score: Mapped[float] = mapped_column()
    growth_score: Mapped[float] = mapped_column()
    service_score: Mapped[float] = mapped_column()
    activity_score: Mapped[float] = mapped_column()
    total: Mapped[float] = mapped_column()
    rank: Mapped[int] = mapped_column()
    tier_before: Mapped[str] = mapped_column(String(20))
    tier_after: Mapped[str] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(20))
    warned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()


class LeaderCase(Tenanted, Base):
    """kind: warning | help_plan | replacement_suggested. status: open | done | kept | replaced."""

    __tablename__ = "leader_cases"
    __table_args__ = (UniqueConstraint("tenant_id", "leader_id", "month", "kind"),
                      Index("ix_leader_cases_tenant_leader", "tenant_id", "leader_id"))

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(12), default="open")
    streak: Mapped[int] = mapped_column()  # consecutive warned months including this one
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LeaderCaseEvent(Tenanted, Base):
    """Append-only audit trail of every step: who (user, role), what, when."""

    __tablename__ = "leader_case_events"
    __table_args__ = (Index("ix_leader_case_events_tenant_case", "tenant_id", "case_id"),)

    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("leader_cases.id"))
    action: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(IdType)
    actor_role: Mapped[str] = mapped_column(String(20))  # operator | leader | system
    note: Mapped[str | None] = mapped_column(String(500))
    at: Mapped[datetime] = created_at_column()


class HelpTask(Tenanted, Base):
    __tablename__ = "help_tasks"
    __table_args__ = (Index("ix_help_tasks_tenant_leader", "tenant_id", "leader_id"),)

    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("leader_cases.id"))
    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    metric: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(String(100))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
