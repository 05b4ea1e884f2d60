"""Communities (小区), their buildings and households, and pickup points."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType
from linli.models.base import Tenanted, created_at_column

PICKUP_KINDS = ("leader_home", "store", "locker", "warehouse")


class Community(Tenanted, Base):
    __tablename__ = "communities"
    __table_args__ = (Index("ix_communities_tenant_name", "tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(40), default="")
    district: Mapped[str] = mapped_column(String(40), default="")
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = created_at_column()


class Building(Tenanted, Base):
    __tablename__ = "buildings"
    __table_args__ = (Index("ix_buildings_tenant_community", "tenant_id", "community_id"),)

    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    name: Mapped[str] = mapped_column(String(40))  # e.g. 3幢
    floors: Mapped[int] = mapped_column(default=6)
    lat: Mapped[float | None] = mapped_column(Float)  # none: at the community's location
    lng: Mapped[float | None] = mapped_column(Float)


class Household(Tenanted, Base):
    __tablename__ = "households"
    __table_args__ = (Index("ix_households_tenant_building", "tenant_id", "building_id"),)

    building_id: Mapped[int] = mapped_column(IdType, ForeignKey("buildings.id"))
    unit_no: Mapped[str] = mapped_column(String(20))  # e.g. 2单元502
    unit_type: Mapped[str] = mapped_column(String(20))  # e.g. 两室一厅
    family_structure: Mapped[str] = mapped_column(String(20))  # young_family | with_children | elderly | ...


class PickupPoint(Tenanted, Base):
    __tablename__ = "pickup_points"
    __table_args__ = (
        Index("ix_pickup_points_tenant_community", "tenant_id", "community_id"),
        Index("ix_pickup_points_tenant_leader", "tenant_id", "leader_id"),
        CheckConstraint("kind in ('leader_home', 'store', 'locker', 'warehouse')", name="kind"),
        CheckConstraint("capacity is null or capacity > 0", name="capacity_positive"),
    )

    community_id: Mapped[int] = mapped_column(IdType, ForeignKey("communities.id"))
    leader_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("leaders.id"))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column()
    opening_hours: Mapped[str] = mapped_column(String(60), default="08:00-21:00")
    created_at: Mapped[datetime] = created_at_column()
