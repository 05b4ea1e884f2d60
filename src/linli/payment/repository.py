from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Payment


def payment_of_order(s: Session, tenant_id: int, order_id: int) -> Payment | None:
    return s.scalar(select(Payment).where(Payment.tenant_id == tenant_id, Payment.order_id == order_id))
