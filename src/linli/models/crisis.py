"""Crisis cases (危机处理SOP): a case opened from an alert or by hand, its playbook of steps with owners and
deadlines, the compensations issued to the affected members (once per member per case) and the follow-up
messages 3 and 7 days after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class CrisisCase(Tenanted, Base):
    """severity: 1 普通投诉, 2 群体投诉, 3 媒体曝光 (the seeds' three-level plan). post_id names a content post
    (another domain's table: no foreign key)."""

    __tablename__ = "crisis_cases"
    __table_args__ = (
        Index("ix_crisis_cases_tenant_status_created", "tenant_id", "status", "created_at"),
        Index("ix_crisis_cases_tenant_alert", "tenant_id", "alert_id"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("severity BETWEEN 1 AND 3", name="severity"),
    )

    title: Mapped[str] = mapped_column(String(100))
    severity: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(String(2000), default="")
    alert_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("alerts.id"))
    post_id: Mapped[int | None] = mapped_column(IdType)
    status: Mapped[str] = mapped_column(String(10), default="open")
    opened_by: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    close_note: Mapped[str] = mapped_column(String(500), default="")


class CrisisStep(Tenanted, Base):
    """One playbook step: due `due_at` (the case's opening + the template's offset), owned by an operator."""

    __tablename__ = "crisis_steps"
    __table_args__ = (UniqueConstraint("tenant_id", "case_id", "position"),)

    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("crisis_cases.id"))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(String(100))
    owner_user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_by: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")


class CrisisCompensation(Tenanted, Base):
    """One run of the compensation generator: the criteria, what it gives, and how many members got it."""

    __tablename__ = "crisis_compensations"
    __table_args__ = (
        Index("ix_crisis_compensations_tenant_case", "tenant_id", "case_id"),
        CheckConstraint("kind IN ('coupon', 'points')", name="kind"),
        CheckConstraint("until > since", name="window"),
    )

    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("crisis_cases.id"))
    kind: Mapped[str] = mapped_column(String(10))
    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    batch_id: Mapped[int | None] = mapped_column(IdType)  # a traceability batch (no foreign key)
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    coupon_template_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("coupon_templates.id"))
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    message: Mapped[str] = mapped_column(String(500))
    matched: Mapped[int] = mapped_column(default=0)
    issued: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()


class CrisisRecipient(Tenanted, Base):
    """A member compensated in a case: unique per (case, member), so no run — repeated or concurrent — gives
    anyone twice. followup_3d_at / followup_7d_at: when the follow-up message went out (set once)."""

    __tablename__ = "crisis_recipients"
    __table_args__ = (
        UniqueConstraint("tenant_id", "case_id", "member_id"),
        Index("ix_crisis_recipients_tenant_issued", "tenant_id", "issued_at"),
    )

    case_id: Mapped[int] = mapped_column(IdType, ForeignKey("crisis_cases.id"))
    compensation_id: Mapped[int] = mapped_column(IdType, ForeignKey("crisis_compensations.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    member_coupon_id: Mapped[int | None] = mapped_column(IdType)
    points: Mapped[int] = mapped_column(BigInteger, default=0)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    followup_3d_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followup_7d_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
