"""Member tiers (会员等级): growth value, the ladder, tier history, the black card (黑卡) and privileges
unlocked outside the ladder (超级拼手)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted

TIERS = ("regular", "silver", "gold")  # the growth ladder, lowest first; "black" is a flag on top


class TierProgram(Tenanted, Base):
    """One per tenant (absent: the defaults in linli.tier.service). ladder: [{code, name, min_growth,
    discount_percent, flash_sale_early_minutes, group_size_max, priority_service}, …] for regular,
    silver, gold; black_card: the benefits of 黑卡 holders; action_growth: {interaction kind: growth}."""

    __tablename__ = "tier_programs"
    __table_args__ = (UniqueConstraint("tenant_id"), CheckConstraint("growth_per_yuan >= 0", name="per_yuan"))

    ladder: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    black_card: Mapped[dict[str, Any]] = mapped_column(JSON)
    growth_per_yuan: Mapped[int] = mapped_column()
    action_growth: Mapped[dict[str, int]] = mapped_column(JSON)


class MemberTier(Tenanted, Base):
    """A member's growth balance (the sum of their growth entries), earned tier and black-card flag."""

    __tablename__ = "member_tiers"
    __table_args__ = (
        UniqueConstraint("member_id"),
        Index("ix_member_tiers_tenant_black", "tenant_id", "black_card"),
        CheckConstraint("growth >= 0", name="growth_not_negative"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    growth: Mapped[int] = mapped_column(default=0)
    tier: Mapped[str] = mapped_column(String(12), default="regular")
    tier_since: Mapped[datetime] = mapped_column(UTCDateTime())
    black_card: Mapped[bool] = mapped_column(Boolean, default=False)
    black_card_month: Mapped[str | None] = mapped_column(String(7))  # "2026-12": the run that granted it


class GrowthEntry(Tenanted, Base):
    """Growth ledger (append-only): one row per change, unique per idempotency key `ref`."""

    __tablename__ = "growth_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ref"),
        Index("ix_growth_entries_tenant_member", "tenant_id", "member_id", "at"),
        Index("ix_growth_entries_tenant_at", "tenant_id", "at"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    delta: Mapped[int] = mapped_column()
    kind: Mapped[str] = mapped_column(String(30))  # order | refund | action:<kind> | yearly_review
    ref: Mapped[str] = mapped_column(String(80))
    order_id: Mapped[int | None] = mapped_column(IdType)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberTierHistory(Tenanted, Base):
    """Every change of what tier_of() answers (append-only): growth upgrades, yearly review, black card."""

    __tablename__ = "member_tier_history"
    __table_args__ = (Index("ix_member_tier_history_tenant_member", "tenant_id", "member_id", "at"),)

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    from_tier: Mapped[str] = mapped_column(String(12))
    to_tier: Mapped[str] = mapped_column(String(12))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(String(40))


class TierRun(Tenanted, Base):
    """A periodic tier computation done for a period: the black card per month ("2026-12"), the
    yearly review per year ("2027"). Unique, so overlapping run-due runs do it once."""

    __tablename__ = "tier_runs"
    __table_args__ = (UniqueConstraint("tenant_id", "kind", "period"),)

    kind: Mapped[str] = mapped_column(String(20))  # black_card | yearly_review
    period: Mapped[str] = mapped_column(String(7))
    members: Mapped[int] = mapped_column(default=0)  # holders / members changed
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberPrivilege(Tenanted, Base):
    """A privilege a member unlocked (e.g. `super_grouper`, 超级拼手, by inviting 3 neighbours), recorded
    once (unique) and kept; `source` says what unlocked it."""

    __tablename__ = "member_privileges"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id", "code"),)

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    code: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(20))
    unlocked_at: Mapped[datetime] = mapped_column(UTCDateTime())
