"""Presale (预售): paid now (or a deposit now and the balance later), delivered on a date;
a quota of its own (the goods are not in stock yet)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class Presale(Tenanted, Base):
    __tablename__ = "presales"
    __table_args__ = (
        Index("ix_presales_tenant_starts", "tenant_id", "starts_at"),
        CheckConstraint("quantity > 0 and sold >= 0 and sold <= quantity", name="sold_bounded"),
        CheckConstraint("price_fen > 0", name="price_positive"),
        CheckConstraint("ends_at > starts_at and delivers_at >= ends_at", name="dates"),
    )

    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column()
    sold: Mapped[int] = mapped_column(default=0)
    per_member_limit: Mapped[int] = mapped_column()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivers_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # 定金预售: a deposit per unit now, the balance by balance_due_at (None: the full price now)
    deposit_fen: Mapped[int | None] = mapped_column(BigInteger)
    balance_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
