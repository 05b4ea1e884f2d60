"""Flash sales (秒杀): units set aside from stock, sold at a price in a window, with a per-member limit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class FlashSale(Tenanted, Base):
    __tablename__ = "flash_sales"
    __table_args__ = (
        Index("ix_flash_sales_tenant_starts", "tenant_id", "starts_at"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("sold >= 0 and sold <= quantity", name="sold_bounded"),
        CheckConstraint("per_member_limit > 0", name="limit_positive"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("ends_at > starts_at", name="window"),
    )

    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column()
    sold: Mapped[int] = mapped_column(default=0)  # units held by live orders (pending or paid)
    per_member_limit: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    tier_early_access: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # unsold units went back to stock
    # +1 at every edit of the terms; the purchase's final UPDATE requires the revision it priced with
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = created_at_column()


class FlashSaleHolding(Base):
    """Units one member holds in one sale; the conditional upsert on it enforces the limit."""

    __tablename__ = "flash_sale_holdings"
    __table_args__ = (CheckConstraint("units >= 0", name="units_not_negative"),)

    flash_sale_id: Mapped[int] = mapped_column(IdType, ForeignKey("flash_sales.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"), primary_key=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"))
    units: Mapped[int] = mapped_column(default=0)


class FlashSalePurchase(Tenanted, Base):
    __tablename__ = "flash_sale_purchases"
    __table_args__ = (
        Index("ix_flash_sale_purchases_tenant_sale", "tenant_id", "flash_sale_id"),
        UniqueConstraint("order_id"),
        UniqueConstraint("reservation"),
    )

    flash_sale_id: Mapped[int] = mapped_column(IdType, ForeignKey("flash_sales.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    quantity: Mapped[int] = mapped_column()
    reservation: Mapped[str | None] = mapped_column(String(40))  # the Redis token, on the Redis path
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
