from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Payment


def payments_of_order(s: Session, tenant_id: int, order_id: int) -> list[Payment]:
    """An order's charges in the order they were made."""
    return list(s.scalars(select(Payment).where(Payment.tenant_id == tenant_id, Payment.order_id == order_id)
                          .order_by(Payment.id)))
