"""Payments made through a provider, and the sandbox provider's own transaction book."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType
from linli.models.base import Tenanted, created_at_column


class Payment(Tenanted, Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_tenant_order", "tenant_id", "order_id"),)

    order_id: Mapped[int] = mapped_column(IdType, ForeignKey("orders.id"))
    provider: Mapped[str] = mapped_column(String(30))
    provider_ref: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()


class SandboxTransaction(Base):
    """What the sandbox provider itself remembers; a request key makes charges and refunds idempotent."""

    __tablename__ = "sandbox_transactions"
    __table_args__ = (UniqueConstraint("request_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))  # charge | refund
    request_key: Mapped[str] = mapped_column(String(120))
    reference: Mapped[str] = mapped_column(String(80))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = created_at_column()
