"""Orders, their lines, their timeline and their refunds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

ORDER_STATUSES = ("pending_payment", "awaiting_balance", "paid", "awaiting_group", "cancelled", "refunded",
                  "picked_up")


class Order(Tenanted, Base):
    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_tenant_created", "tenant_id", "created_at"),
        Index("ix_orders_tenant_member", "tenant_id", "member_id"),
        Index("ix_orders_tenant_pickup_point", "tenant_id", "pickup_point_id"),
        Index("ix_orders_pending_expiry", "status", "expires_at"),
        Index("ix_orders_tenant_paid", "tenant_id", "paid_at"),  # daily GMV
        Index("ix_orders_balance_due", "status", "balance_due_at"),
        CheckConstraint("total_fen >= 0 and payable_fen >= 0 and discount_fen >= 0", name="amounts"),
        CheckConstraint("refunded_fen >= 0 and refunded_fen <= payable_fen", name="refund_bounded"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    pickup_point_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("pickup_points.id"))
    status: Mapped[str] = mapped_column(String(20))
    total_fen: Mapped[int] = mapped_column(BigInteger)
    discount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    payable_fen: Mapped[int] = mapped_column(BigInteger)
    refunded_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    # the member's tier discount, coupon and points on this order (parts of discount_fen); a refund that must take back
    # points the member already spent keeps their value in fen out of the money (points_withheld_fen)
    member_discount_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # tier discount
    member_coupon_id: Mapped[int | None] = mapped_column(IdType)
    coupon_discount_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    points_used: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    points_discount_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    points_withheld_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    pickup_code: Mapped[str | None] = mapped_column(String(6))
    # where the goods were reserved: "shop" takes product stock; a campaign (flash_sale, …) holds its own
    # units and takes them back itself when the order is cancelled or refunded
    source: Mapped[str] = mapped_column(String(20), default="shop", server_default="shop")
    source_id: Mapped[int | None] = mapped_column(IdType)
    deliverable_from: Mapped[datetime | None] = mapped_column(UTCDateTime())  # presale: pickup opens then
    # presale with a deposit (定金): paid first, then the balance (尾款) by balance_due_at or the deposit is kept
    deposit_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    balance_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    picked_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # cancelled or refunded


class OrderItem(Tenanted, Base):
    __tablename__ = "order_items"
    __table_args__ = (
        Index("ix_order_items_tenant_order", "tenant_id", "order_id"),
        Index("ix_order_items_tenant_product", "tenant_id", "product_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refunded_quantity >= 0 and refunded_quantity <= quantity", name="refund_qty"),
    )

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    product_name: Mapped[str] = mapped_column(String(100))
    unit_price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column()
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    is_fresh: Mapped[bool] = mapped_column(Boolean, default=False)
    refunded_quantity: Mapped[int] = mapped_column(default=0)


class OrderEvent(Tenanted, Base):
    """The order timeline: one row per event — who, what, when."""

    __tablename__ = "order_events"
    __table_args__ = (Index("ix_order_events_tenant_order", "tenant_id", "order_id"),)

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    action: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(IdType)
    actor_role: Mapped[str] = mapped_column(String(20))  # operator | leader | member | system
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = created_at_column()


class Refund(Tenanted, Base):
    __tablename__ = "refunds"
    __table_args__ = (
        Index("ix_refunds_tenant_order", "tenant_id", "order_id"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
    )

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    points_withheld_fen: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    reason: Mapped[str] = mapped_column(String(200))
    lines: Mapped[list[dict[str, int]]] = mapped_column(JSON, default=list)  # [{item_id, quantity}]
    provider_ref: Mapped[str] = mapped_column(String(80))
    actor_user_id: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = created_at_column()
