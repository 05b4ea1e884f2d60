"""Recommendation: the member behaviour stream (views, dwell, likes, favourites, comments, shares, purchases of
products and posts) the rankings learn from, and each tenant's ranking weights."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

ITEM_KINDS = ("product", "post")
ACTIONS = ("view", "dwell", "like", "favourite", "comment", "share", "purchase")


class BehaviourEvent(Tenanted, Base):
    """One thing a member did with a product or a post (append-only). item_id names a product or a post
    (another domain's row: no foreign key). order_id is set on purchases only: unique with the item, so an
    order's line is recorded once however often order.paid is delivered (NULLs never collide)."""

    __tablename__ = "behaviour_events"
    __table_args__ = (
        CheckConstraint("item_kind IN ('product', 'post')", name="item_kind"),
        CheckConstraint("action IN ('view', 'dwell', 'like', 'favourite', 'comment', 'share', 'purchase')",
                        name="action"),
        CheckConstraint("dwell_ms IS NULL OR dwell_ms >= 0", name="dwell_ms"),
        UniqueConstraint("tenant_id", "order_id", "item_id"),
        Index("ix_behaviour_events_tenant_at", "tenant_id", "at"),
        Index("ix_behaviour_events_tenant_member_at", "tenant_id", "member_id", "at"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    item_kind: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[int] = mapped_column(IdType)
    action: Mapped[str] = mapped_column(String(10))
    dwell_ms: Mapped[int | None] = mapped_column(Integer)
    community_id: Mapped[int | None] = mapped_column(IdType)
    order_id: Mapped[int | None] = mapped_column(IdType)
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class RecommendSettings(Tenanted, Base):
    """A tenant's ranking weights and half-life (defaults in code when absent)."""

    __tablename__ = "recommend_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = created_at_column()
