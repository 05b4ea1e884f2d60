"""Categories, products and the append-only stock-movement ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType
from linli.models.base import Tenanted, created_at_column


class Category(Tenanted, Base):
    __tablename__ = "categories"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    name: Mapped[str] = mapped_column(String(40))
    sort: Mapped[int] = mapped_column(default=0)


class Product(Tenanted, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        Index("ix_products_tenant_category", "tenant_id", "category_id"),
        Index("ix_products_tenant_name", "tenant_id", "name"),
    )

    category_id: Mapped[int] = mapped_column(IdType, ForeignKey("categories.id"))
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20), default="份")
    description: Mapped[str] = mapped_column(Text, default="")
    price_fen: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column(BigInteger)
    is_fresh: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)  # 上架 (on shelf): members can order it
    image: Mapped[str | None] = mapped_column(String(80))  # "<sha256>.<ext>" under var/media/products
    created_at: Mapped[datetime] = created_at_column()


class StockMovement(Tenanted, Base):
    """One row per change of a product's stock; the deltas always sum to products.stock."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_tenant_product", "tenant_id", "product_id"),
        CheckConstraint("delta <> 0", name="delta_nonzero"),
    )

    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(30))  # initial | restock | order | cancel | refund | adjust
    order_id: Mapped[int | None] = mapped_column(IdType)
    actor_user_id: Mapped[int | None] = mapped_column(IdType)
    note: Mapped[str] = mapped_column(String(200), default="", server_default="")  # the operator's words
    created_at: Mapped[datetime] = created_at_column()
