"""Members (residents) and leaders (团长)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class Member(Tenanted, Base):
    __tablename__ = "members"
    __table_args__ = (
        Index("ix_members_tenant_community", "tenant_id", "community_id"),
        Index("ix_members_tenant_joined", "tenant_id", "joined_at"),
        Index("ix_members_user", "user_id", unique=True),
    )

    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    household_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("households.id"))
    name: Mapped[str] = mapped_column(String(100))  # as long as the API's Name allows
    phone: Mapped[str] = mapped_column(String(20))
    joined_at: Mapped[datetime] = created_at_column()


class Leader(Tenanted, Base):
    __tablename__ = "leaders"
    __table_args__ = (
        Index("ix_leaders_tenant_community", "tenant_id", "community_id"),
        Index("ix_leaders_user", "user_id", unique=True),
    )

    user_id: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"))
    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(String(100))  # the member's name, taken on approval
    phone: Mapped[str] = mapped_column(String(20))
    since: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    # 星火计划 tier (none|observer|steward|ambassador) and type (resource|social|service), see linli.leader.ladder
    tier: Mapped[str] = mapped_column(String(12), default="none", server_default="none")
    leader_type: Mapped[str] = mapped_column(String(12), default="resource", server_default="resource")
    declared_type: Mapped[str] = mapped_column(String(12), default="resource", server_default="resource")
    type_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
