"""Moderation: a tenant's own sensitive words (additions and disabled built-in terms), its settings (word-list
version, senior reviewers), the texts screened with hits, and review cases (machine -> operator -> senior)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

SUBJECT_KINDS = "('post', 'comment', 'member_name', 'feedback', 'poll', 'rating')"


class ModerationWord(Tenanted, Base):
    """A tenant's term: added by the tenant (builtin=False) or a built-in term the tenant switched off (a row
    with builtin=True, enabled=False). One row per (tenant, normalised word)."""

    __tablename__ = "moderation_words"
    __table_args__ = (
        UniqueConstraint("tenant_id", "word"),
        CheckConstraint("level IN ('block', 'review')", name="level"),
        Index("ix_moderation_words_tenant_enabled", "tenant_id", "enabled"),
    )

    word: Mapped[str] = mapped_column(String(50))
    category: Mapped[str] = mapped_column(String(30))
    level: Mapped[str] = mapped_column(String(10))
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class ModerationSettings(Tenanted, Base):
    """One row per tenant: words_version rises on every word change (the per-tenant automaton cache keys on
    it); senior_user_ids names the operator users who decide escalated cases."""

    __tablename__ = "moderation_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    words_version: Mapped[int] = mapped_column(default=1)
    senior_user_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = created_at_column()


class ModerationScreening(Tenanted, Base):
    """A screened text that had hits (texts without hits are not recorded): the spike alert counts these."""

    __tablename__ = "moderation_screenings"
    __table_args__ = (
        CheckConstraint("decision IN ('review', 'block')", name="decision"),
        Index("ix_moderation_screenings_tenant_created", "tenant_id", "created_at"),
    )

    subject_kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[int] = mapped_column(IdType)
    decision: Mapped[str] = mapped_column(String(10))
    hits: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class ModerationCase(Tenanted, Base):
    """A text the machine sent to people. status pending (operator queue) -> escalated (senior queue) ->
    approved | rejected; decided_level says who decided (operator or senior)."""

    __tablename__ = "moderation_cases"
    __table_args__ = (
        CheckConstraint(f"subject_kind IN {SUBJECT_KINDS}", name="subject_kind"),
        CheckConstraint("status IN ('pending', 'escalated', 'approved', 'rejected')", name="status"),
        Index("ix_moderation_cases_tenant_status_created", "tenant_id", "status", "created_at"),
        Index("ix_moderation_cases_tenant_subject", "tenant_id", "subject_kind", "subject_id"),
    )

    subject_kind: Mapped[str] = mapped_column(String(12))
    subject_id: Mapped[int] = mapped_column(IdType)
    author_member_id: Mapped[int | None] = mapped_column(IdType)
    text: Mapped[str] = mapped_column(String(4000))
    hits: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    escalated_by: Mapped[int | None] = mapped_column(IdType)
    escalation_reason: Mapped[str | None] = mapped_column(String(500))
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[int | None] = mapped_column(IdType)
    decided_level: Mapped[str | None] = mapped_column(String(10))
    decision_reason: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
