from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from linli.models import Presale


def get(s: Session, tenant_id: int, presale_id: int) -> Presale | None:
    return s.scalar(select(Presale).where(Presale.tenant_id == tenant_id, Presale.id == presale_id))


def listing(tenant_id: int) -> Select[Any]:
    return select(Presale).where(Presale.tenant_id == tenant_id)


def take_units(s: Session, presale_id: int, quantity: int, now: datetime) -> bool:
    """Conditional on the window and the quota; also locks the row, which serialises the member-limit check."""
    result = s.execute(update(Presale)
                       .where(Presale.id == presale_id, Presale.starts_at <= now, Presale.ends_at > now,
                              Presale.sold + quantity <= Presale.quantity)
                       .values(sold=Presale.sold + quantity))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def return_units(s: Session, presale_id: int, quantity: int) -> None:
    s.execute(update(Presale).where(Presale.id == presale_id).values(sold=Presale.sold - quantity))
