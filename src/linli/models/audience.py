"""Audience (人群): tag rules, segments of tags, their materialised members, RFM scores and the runs that made them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class Tag(Tenanted, Base):
    """A dynamic tag: a rule in the tag language (`rule`, as typed) and its checked AST (`ast`, JSON)."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("tenant_id", "code"), UniqueConstraint("tenant_id", "name"))

    code: Mapped[str] = mapped_column(String(40))  # stable, referenced by segments and journeys
    name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200), default="")
    rule: Mapped[str] = mapped_column(Text)
    ast: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class Segment(Tenanted, Base):
    """A boolean combination of tags: {"tag": code} | {"and": [...]} | {"or": [...]} | {"not": {...}}."""

    __tablename__ = "segments"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(200), default="")
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    # deleted by the operator: no longer computed or listed, kept (with its definition) for what referred to it
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class MemberTag(Tenanted, Base):
    """A member carries a tag since `since` (rows appear and disappear; only differences are written)."""

    __tablename__ = "member_tags"
    __table_args__ = (
        UniqueConstraint("tenant_id", "tag_id", "member_id"),
        Index("ix_member_tags_tenant_member", "tenant_id", "member_id"),
    )

    tag_id: Mapped[int] = mapped_column(IdType, ForeignKey("tags.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class SegmentMember(Tenanted, Base):
    __tablename__ = "segment_members"
    __table_args__ = (
        UniqueConstraint("tenant_id", "segment_id", "member_id"),
        Index("ix_segment_members_tenant_member", "tenant_id", "member_id"),
    )

    segment_id: Mapped[int] = mapped_column(IdType, ForeignKey("segments.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    since: Mapped[datetime] = mapped_column(UTCDateTime())


class MemberRfm(Tenanted, Base):
    """R, F, M scores 1-5 against the tenant's last cut-points (0 and class 无消费: no order in 365 days)."""

    __tablename__ = "member_rfm"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        Index("ix_member_rfm_tenant_class", "tenant_id", "rfm_class"),
        CheckConstraint("r between 0 and 5 and f between 0 and 5 and m between 0 and 5", name="scores"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    r: Mapped[int] = mapped_column()
    f: Mapped[int] = mapped_column()
    m: Mapped[int] = mapped_column()
    rfm_class: Mapped[str] = mapped_column(String(12))
    recency_days: Mapped[int] = mapped_column()
    frequency: Mapped[int] = mapped_column()
    monetary_fen: Mapped[int] = mapped_column(BigInteger)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AudienceRun(Tenanted, Base):
    """One bulk computation: when, how long, what changed, and the RFM cut-points the incremental path reuses."""

    __tablename__ = "audience_runs"
    __table_args__ = (Index("ix_audience_runs_tenant_at", "tenant_id", "at"),)

    at: Mapped[datetime] = mapped_column(UTCDateTime())  # the instant computed as of
    members: Mapped[int] = mapped_column()
    tags: Mapped[int] = mapped_column()
    tags_added: Mapped[int] = mapped_column(BigInteger)
    tags_removed: Mapped[int] = mapped_column(BigInteger)
    segment_changes: Mapped[int] = mapped_column(BigInteger)
    cutpoints: Mapped[dict[str, list[int]]] = mapped_column(JSON)  # {"r": [4 values], "f": [...], "m": [...]}
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = created_at_column()


class MemberInteraction(Tenanted, Base):
    """Every `member.interacted` event seen (checkin, review, share, post, …), once per event: the interaction
    features count these."""

    __tablename__ = "member_interactions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "event_id"),
        Index("ix_member_interactions_tenant_member_at", "tenant_id", "member_id", "at"),
    )

    event_id: Mapped[int] = mapped_column(IdType)
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
