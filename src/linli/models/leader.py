"""Leader recruitment (团长招募) and the 星火计划 certification ladder."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class LeaderApplication(Tenanted, Base):
    """A member asks to become a leader. Status: pending → approved | rejected.
    `open_member_id` is the member id while pending and NULL afterwards: a UNIQUE column that
    allows one open application per member, enforced by the database."""

    __tablename__ = "leader_applications"
    __table_args__ = (
        UniqueConstraint("open_member_id"),
        Index("ix_leader_applications_tenant_status", "tenant_id", "status"),
        Index("ix_leader_applications_tenant_member", "tenant_id", "member_id"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    open_member_id: Mapped[int | None] = mapped_column(IdType)
    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    status: Mapped[str] = mapped_column(String(12))
    pickup_kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column()
    lng: Mapped[float] = mapped_column()
    intro: Mapped[str] = mapped_column(String(1000))
    real_name: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str] = mapped_column(String(18))  # personal data: never returned whole
    leader_type: Mapped[str] = mapped_column(String(12))
    proof_sha256: Mapped[str | None] = mapped_column(String(64))
    proof_content_type: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(500))
    leader_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("leaders.id"))
    pickup_point_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class LeaderTierHistory(Tenanted, Base):
    """Every tier change of a leader, promotion or demotion, with its reason."""

    __tablename__ = "leader_tier_history"
    __table_args__ = (Index("ix_leader_tier_history_tenant_leader", "tenant_id", "leader_id"),)

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    from_tier: Mapped[str] = mapped_column(String(12))
    to_tier: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class LeaderTierSetting(Tenanted, Base):
    """A tenant's override of one tier's commission and benefits (defaults live in code)."""

    __tablename__ = "leader_tier_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id", "tier"),
        CheckConstraint("commission_bp >= 0 AND commission_bp <= 10000", name="commission_bp"),
        CheckConstraint("marketing_subsidy_fen >= 0", name="marketing_subsidy_fen"),
    )

    tier: Mapped[str] = mapped_column(String(12))
    commission_bp: Mapped[int] = mapped_column()
    training_access: Mapped[bool] = mapped_column()
    priority_selection: Mapped[bool] = mapped_column()
    marketing_subsidy_fen: Mapped[int] = mapped_column(BigInteger)


class ContactNote(Tenanted, Base):
    """A leader's note of a call or visit to a member of their community (我的居民): who, how, what was said.
    Kept as a history, never edited, so the leader (and a successor) can see how a member was looked after."""

    __tablename__ = "leader_contact_notes"
    __table_args__ = (
        Index("ix_leader_contact_notes_tenant_leader_member", "tenant_id", "leader_id", "member_id"),
        CheckConstraint("kind IN ('call', 'visit', 'message')", name="kind"),
    )

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = created_at_column()
