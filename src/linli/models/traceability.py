"""Traceability (真物溯源): product batches with their origin, and the batch's entries (种植 -> 质检 -> 入库 ->
运输 -> 到店 -> 售罄) as an append-only hash chain (see linli.traceability.chain for the canonical form)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class ProductBatch(Tenanted, Base):
    """One batch of a product from one origin. Its fields are fixed once created: their hash (header_hash)
    starts the entries' chain, so a changed origin breaks the chain. token names the public trace page
    (/t/{token}); it is random, unguessable and unique across tenants."""

    __tablename__ = "product_batches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "code"),
        UniqueConstraint("token"),
        CheckConstraint("quantity >= 0", name="quantity"),
        Index("ix_product_batches_tenant_product", "tenant_id", "product_id"),
        Index("ix_product_batches_tenant_created", "tenant_id", "created_at"),
    )

    code: Mapped[str] = mapped_column(String(40))
    product_id: Mapped[int] = mapped_column(IdType, ForeignKey("products.id"))
    origin: Mapped[str] = mapped_column(String(100))
    producer: Mapped[str] = mapped_column(String(100))
    produced_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column()
    unit: Mapped[str] = mapped_column(String(10))
    inspection_no: Mapped[str] = mapped_column(String(60))
    notes: Mapped[str] = mapped_column(String(500))
    token: Mapped[str] = mapped_column(String(40))
    header_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = created_at_column()


class BatchEntry(Tenanted, Base):
    """One step of a batch's journey. Append-only (database triggers); seq counts 1, 2, 3 … per batch and is
    unique, so two concurrent appends can never both follow the same entry (no fork of the chain).
    hash = sha256(prev_hash + canonical JSON of the fields), version names the canonical form."""

    __tablename__ = "batch_entries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "batch_id", "seq"),
        CheckConstraint("seq >= 1", name="seq"),
        CheckConstraint("stage IN ('planting', 'harvest', 'production', 'inspection', 'storage', 'transport', "
                        "'arrival', 'sold_out')", name="stage"),
    )

    batch_id: Mapped[int] = mapped_column(IdType, ForeignKey("product_batches.id"))
    seq: Mapped[int] = mapped_column()
    stage: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(100))
    operator: Mapped[str] = mapped_column(String(60))
    details: Mapped[str] = mapped_column(String(500))
    version: Mapped[int] = mapped_column()
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    recorded_by: Mapped[int] = mapped_column(IdType, ForeignKey("users.id"))
    created_at: Mapped[datetime] = created_at_column()
