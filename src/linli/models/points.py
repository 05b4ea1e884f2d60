"""Points bank (积分银行): a double-entry, append-only ledger of points per tenant.

Every movement is one `points_transactions` row with two or more `points_entries` legs summing to zero:
the member's account on one side, a per-tenant system account (issued, redeemed_goods, expired, …) on
the other. A member account's balance is a checked running total (never below zero); every credit
opens a lot that expires, and spending consumes lots earliest-expiry first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class PointsSettings(Tenanted, Base):
    """A tenant's earning rules, deduction rate and expiry rule (defaults in code when absent)."""

    __tablename__ = "points_settings"
    __table_args__ = (UniqueConstraint("tenant_id"),)

    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = created_at_column()


class PointsAccount(Tenanted, Base):
    """A member's account (member_id set) or a system account (code set, is_system). Only member
    accounts keep a running `balance`; a system account's balance is the sum of its entries."""

    __tablename__ = "points_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        UniqueConstraint("tenant_id", "code"),
        CheckConstraint("is_system OR balance >= 0", name="balance_not_negative"),
        CheckConstraint("(member_id IS NULL) <> (code IS NULL)", name="member_or_code"),
    )

    member_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("members.id"))
    code: Mapped[str | None] = mapped_column(String(30))
    is_system: Mapped[bool] = mapped_column(Boolean, default=False)
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = created_at_column()


class PointsTransaction(Tenanted, Base):
    """One movement. kind: an earning action (order_paid, checkin, …), grant, invite, take_back,
    redeem_goods / redeem_property_fee / redeem_charity, order_deduction, order_refund, expire.
    detail holds bookkeeping a later movement needs (e.g. the shares an order refund settled)."""

    __tablename__ = "points_transactions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        Index("ix_points_transactions_member_kind_at", "tenant_id", "member_id", "kind", "created_at"),
        Index("ix_points_transactions_reference", "tenant_id", "reference", "kind"),
        Index("ix_points_transactions_tenant_at", "tenant_id", "created_at"),
    )

    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    amount: Mapped[int] = mapped_column(BigInteger)  # net change of the member's balance
    reason: Mapped[str | None] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))  # e.g. an order id
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()


class PointsEntry(Tenanted, Base):
    """One leg of a transaction (append-only). balance_after: the account's balance after this leg."""

    __tablename__ = "points_entries"
    __table_args__ = (
        Index("ix_points_entries_account", "tenant_id", "account_id", "id"),
        Index("ix_points_entries_transaction", "transaction_id"),
    )

    transaction_id: Mapped[int] = mapped_column(IdType, ForeignKey("points_transactions.id"))
    account_id: Mapped[int] = mapped_column(IdType, ForeignKey("points_accounts.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    balance_after: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()


class PointsLot(Tenanted, Base):
    """Points from one credit, spent earliest-expiry first; what remains at expires_at expires."""

    __tablename__ = "points_lots"
    __table_args__ = (
        Index("ix_points_lots_member_expiry", "tenant_id", "member_id", "expires_at"),
        Index("ix_points_lots_due", "expires_at", "remaining"),
        CheckConstraint("remaining >= 0 AND remaining <= amount", name="remaining_in_range"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    transaction_id: Mapped[int] = mapped_column(IdType, ForeignKey("points_transactions.id"))
    amount: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class PointsCatalogItem(Tenanted, Base):
    """Goods members can redeem with points (积分商城)."""

    __tablename__ = "points_catalog_items"
    __table_args__ = (
        Index("ix_points_catalog_items_tenant_active", "tenant_id", "active"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("points_cost > 0", name="points_cost_positive"),
    )

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(500))
    points_cost: Mapped[int] = mapped_column(BigInteger)
    stock: Mapped[int] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class PointsRedemption(Tenanted, Base):
    """What a member spent points on: goods, a property-fee offset or a charity donation."""

    __tablename__ = "points_redemptions"
    __table_args__ = (
        Index("ix_points_redemptions_member", "tenant_id", "member_id"),
        Index("ix_points_redemptions_charity", "tenant_id", "kind", "community_id"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(20))  # goods | property_fee | charity
    amount: Mapped[int] = mapped_column(BigInteger)
    item_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("points_catalog_items.id"))
    quantity: Mapped[int | None] = mapped_column()
    value_fen: Mapped[int | None] = mapped_column(BigInteger)  # property-fee offset in money
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))  # charity
    note: Mapped[str | None] = mapped_column(String(200))
    transaction_id: Mapped[int] = mapped_column(IdType, ForeignKey("points_transactions.id"))
    created_at: Mapped[datetime] = created_at_column()
