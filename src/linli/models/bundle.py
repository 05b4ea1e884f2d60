"""Bundles (套餐): several products sold together at one price; stock comes from the components."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType
from linli.models.base import Tenanted, created_at_column


class Bundle(Tenanted, Base):
    __tablename__ = "bundles"
    __table_args__ = (CheckConstraint("price_fen > 0", name="price_positive"),
                      Index("ix_bundles_tenant_name", "tenant_id", "name"))

    name: Mapped[str] = mapped_column(String(100))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class BundleItem(Tenanted, Base):
    __tablename__ = "bundle_items"
    __table_args__ = (UniqueConstraint("bundle_id", "product_id"), CheckConstraint("quantity > 0", name="quantity"))

    bundle_id: Mapped[int] = mapped_column(IdType, ForeignKey("bundles.id"))
    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    quantity: Mapped[int] = mapped_column()
