"""Leader commission (团长佣金): a per-leader account of running totals, an append-only entry ledger,
one bookkeeping row per order, and withdrawal requests.

Identity: pending + available + held + withdrawn − owed = Σ accruals − Σ reversals (the ledger sum).
Amounts never go below zero: CHECK constraints here and conditional UPDATEs in the repository."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class CommissionAccount(Tenanted, Base):
    __tablename__ = "commission_accounts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "leader_id"),
        CheckConstraint("pending_fen >= 0 AND available_fen >= 0 AND held_fen >= 0 AND withdrawn_fen >= 0 "
                        "AND owed_fen >= 0", name="amounts_not_negative"),
    )

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    pending_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    available_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    held_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # requested withdrawals awaiting approval
    withdrawn_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    owed_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # reversals available could not cover
    created_at: Mapped[datetime] = created_at_column()


class CommissionOrder(Tenanted, Base):
    """One order's commission: the rate fixed at payment, accrued and reversed so far, and when (after
    pickup + the return window) it becomes settleable."""

    __tablename__ = "commission_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        Index("ix_commission_orders_due", "settled", "settle_after"),
        Index("ix_commission_orders_leader", "tenant_id", "leader_id"),
        CheckConstraint("reversed_fen >= 0 AND reversed_fen <= accrued_fen", name="reversed_in_range"),
    )

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    rate_bp: Mapped[int] = mapped_column(Integer)
    payable_fen: Mapped[int] = mapped_column(BigInteger)
    accrued_fen: Mapped[int] = mapped_column(BigInteger)
    reversed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    settle_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class CommissionEntry(Tenanted, Base):
    """One movement (append-only). kind: accrual (+, into pending), reversal (−, from pending or available;
    `owed_fen` the part neither covered), settle (pending → available; `owed_fen` the debt it paid off),
    hold (available → held), release (held → available), payout (held → withdrawn), subsidy (+, the tier's
    monthly marketing subsidy, into available; `owed_fen` the debt it paid off)."""

    __tablename__ = "commission_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "key"),
        Index("ix_commission_entries_leader_at", "tenant_id", "leader_id", "created_at"),
    )

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    bucket: Mapped[str | None] = mapped_column(String(20))  # reversal: pending | available
    owed_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("orders.id"))
    withdrawal_id: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = created_at_column()


class CommissionWithdrawal(Tenanted, Base):
    __tablename__ = "commission_withdrawals"
    __table_args__ = (
        Index("ix_commission_withdrawals_status", "tenant_id", "status"),
        Index("ix_commission_withdrawals_leader", "tenant_id", "leader_id"),
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("status in ('requested', 'approved', 'rejected')", name="status"),
    )

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[int | None] = mapped_column(IdType)
    created_at: Mapped[datetime] = created_at_column()
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
