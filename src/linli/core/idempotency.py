"""Idempotency keys: the first response of a POST is stored with its key, in the same
transaction as its effect; a repeat returns it and does nothing else."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from linli.core import clock
from linli.core.db import Base, IdType, UTCDateTime
from linli.core.errors import Invalid


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("tenant_id", "user_id", "key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    tenant_id: Mapped[int] = mapped_column(IdType, ForeignKey("tenants.id"))
    user_id: Mapped[int] = mapped_column(IdType)
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column()
    response: Mapped[Any | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def claim(session: Session, tenant_id: int, user_id: int, key: str,
          fp: str) -> tuple[IdempotencyRecord | None, IdempotencyRecord | None]:
    """Reserve the key before doing the work. Returns (reserved, earlier): exactly one is set.
    A concurrent request with the same key waits on the unique index until the first commits."""
    if not key or len(key) > 200:
        raise Invalid("Idempotency-Key must be 1-200 characters", code="invalid_idempotency_key")
    earlier = _find(session, tenant_id, user_id, key)
    if earlier is None:
        record = IdempotencyRecord(tenant_id=tenant_id, user_id=user_id, key=key,
                                   fingerprint=fp, created_at=clock.now())
        session.add(record)
        try:
            session.flush()
            return record, None
        except IntegrityError:
            session.rollback()  # nothing else happened in this transaction yet
            earlier = _find(session, tenant_id, user_id, key)
            if earlier is None:
                raise
    if earlier.fingerprint != fp:
        raise Invalid("this Idempotency-Key was used for a different request",
                      code="idempotency_key_reused")
    return None, earlier


def remember(record: IdempotencyRecord, status_code: int, response: Any) -> None:
    record.status_code = status_code
    record.response = response


def _find(session: Session, tenant_id: int, user_id: int, key: str) -> IdempotencyRecord | None:
    return session.scalar(select(IdempotencyRecord).where(
        IdempotencyRecord.tenant_id == tenant_id, IdempotencyRecord.user_id == user_id,
        IdempotencyRecord.key == key))
