from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.models import FlashSale, FlashSaleHolding, FlashSalePurchase


def get(s: Session, tenant_id: int, sale_id: int, lock: bool = False) -> FlashSale | None:
    stmt = select(FlashSale).where(FlashSale.tenant_id == tenant_id, FlashSale.id == sale_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def listing(tenant_id: int) -> Select[Any]:
    return select(FlashSale).where(FlashSale.tenant_id == tenant_id)


def take_units(s: Session, tenant_id: int, sale_id: int, quantity: int, now: datetime) -> bool:
    """The guard against overselling: succeeds only while the window is open and units remain."""
    result = s.execute(
        update(FlashSale)
        .where(FlashSale.tenant_id == tenant_id, FlashSale.id == sale_id, FlashSale.closed_at.is_(None),
               FlashSale.starts_at <= now, FlashSale.ends_at > now,
               FlashSale.sold + quantity <= FlashSale.quantity)
        .values(sold=FlashSale.sold + quantity))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def return_units(s: Session, sale_id: int, quantity: int) -> None:
    s.execute(update(FlashSale).where(FlashSale.id == sale_id).values(sold=FlashSale.sold - quantity))


def hold(s: Session, tenant_id: int, sale_id: int, member_id: int, quantity: int, limit: int) -> bool:
    """Add to the member's holding only if it stays within the limit (one atomic upsert)."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(FlashSaleHolding).values(flash_sale_id=sale_id, member_id=member_id, tenant_id=tenant_id,
                                           units=quantity)
    upsert = stmt.on_conflict_do_update(
        index_elements=["flash_sale_id", "member_id"],
        set_={"units": FlashSaleHolding.units + quantity},
        where=FlashSaleHolding.units + quantity <= limit,
    ).returning(FlashSaleHolding.units)
    return s.execute(upsert).first() is not None


def unhold(s: Session, sale_id: int, member_id: int, quantity: int) -> None:
    s.execute(update(FlashSaleHolding)
              .where(FlashSaleHolding.flash_sale_id == sale_id, FlashSaleHolding.member_id == member_id)
              .values(units=FlashSaleHolding.units - quantity))


def purchase_of_order(s: Session, tenant_id: int, order_id: int, lock: bool = False) -> FlashSalePurchase | None:
    stmt = select(FlashSalePurchase).where(FlashSalePurchase.tenant_id == tenant_id,
                                           FlashSalePurchase.order_id == order_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def reservations_recorded(s: Session, tokens: list[str]) -> set[str]:
    rows = s.scalars(select(FlashSalePurchase.reservation).where(FlashSalePurchase.reservation.in_(tokens)))
    return {r for r in rows if r}


def due_to_close(s: Session, now: datetime) -> list[tuple[int, int]]:
    rows = s.execute(select(FlashSale.tenant_id, FlashSale.id)
                     .where(FlashSale.closed_at.is_(None), FlashSale.ends_at <= now))
    return [(t, i) for t, i in rows]


def open_sales(s: Session, now: datetime) -> list[FlashSale]:
    return list(s.scalars(select(FlashSale).where(FlashSale.closed_at.is_(None), FlashSale.ends_at > now)))
