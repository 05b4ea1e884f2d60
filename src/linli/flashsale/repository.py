from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.core.listing import Filters, within
from linli.models import FlashSale, FlashSaleHolding, FlashSalePurchase, Order


def get(s: Session, tenant_id: int, sale_id: int, lock: bool = False) -> FlashSale | None:
    stmt = select(FlashSale).where(FlashSale.tenant_id == tenant_id, FlashSale.id == sale_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def listing(tenant_id: int) -> Select[Any]:
    return select(FlashSale).where(FlashSale.tenant_id == tenant_id)


# The purchase path's statements, built once (constructing a statement costs more than running it here)
_sales = table(FlashSale)
_TAKE_UNITS = (update(_sales)  # bind names must differ from the columns in INSERT and UPDATE statements
               .where(_sales.c.tenant_id == bindparam("tenant"), _sales.c.id == bindparam("sale"),
                      _sales.c.closed_at.is_(None), _sales.c.starts_at <= bindparam("opens_by"),
                      _sales.c.ends_at > bindparam("now"), _sales.c.sold + bindparam("q") <= _sales.c.quantity,
                      _sales.c.revision == bindparam("rev"))
               .values(sold=_sales.c.sold + bindparam("q")))
_PROGRESS = select(_sales.c.sold, _sales.c.closed_at, _sales.c.revision).where(
    _sales.c.tenant_id == bindparam("tenant_id"), _sales.c.id == bindparam("sale_id"))
_ADD_PURCHASE = insert(table(FlashSalePurchase))
_holdings = table(FlashSaleHolding)


def _hold_upsert(dialect_insert: Any) -> Any:
    return dialect_insert(_holdings).values(
        flash_sale_id=bindparam("sale"), member_id=bindparam("member"), tenant_id=bindparam("tenant"),
        units=bindparam("q")).on_conflict_do_update(
            index_elements=["flash_sale_id", "member_id"], set_={"units": _holdings.c.units + bindparam("q")},
            where=_holdings.c.units + bindparam("q") <= bindparam("limit")).returning(_holdings.c.units)


_HOLD = {"postgresql": _hold_upsert(pg_insert), "sqlite": _hold_upsert(sqlite_insert)}


def take_units(s: Session, tenant_id: int, sale_id: int, quantity: int, now: datetime,
               early: timedelta, revision: int) -> bool:
    """The guard against overselling: succeeds only while the window is open (`early` sooner for a
    member with early access), units remain and the terms are still those of `revision`."""
    result = s.execute(_TAKE_UNITS, {"tenant": tenant_id, "sale": sale_id, "opens_by": now + early,
                                     "now": now, "q": quantity, "rev": revision})
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def progress(s: Session, tenant_id: int, sale_id: int) -> tuple[int, datetime | None, int]:
    """(sold, closed_at, revision): what changes on a sale, read without a lock."""
    row = s.execute(_PROGRESS, {"tenant_id": tenant_id, "sale_id": sale_id}).one()
    return int(row[0]), row[1], int(row[2])


def add_purchase(s: Session, tenant_id: int, sale_id: int, member_id: int, order_id: int, quantity: int,
                 reservation: str | None, at: datetime) -> None:
    s.execute(_ADD_PURCHASE, {  # Core: written at once, no unit of work
        "tenant_id": tenant_id, "flash_sale_id": sale_id, "member_id": member_id, "order_id": order_id,
        "quantity": quantity, "reservation": reservation, "created_at": at})


def return_units(s: Session, sale_id: int, quantity: int) -> None:
    s.execute(update(FlashSale).where(FlashSale.id == sale_id).values(sold=FlashSale.sold - quantity))


def hold(s: Session, tenant_id: int, sale_id: int, member_id: int, quantity: int, limit: int) -> bool:
    """Add to the member's holding only if it stays within the limit (one atomic upsert)."""
    upsert = _HOLD[s.get_bind().dialect.name]
    params = {"sale": sale_id, "member": member_id, "tenant": tenant_id, "q": quantity, "limit": limit}
    return s.execute(upsert, params).first() is not None


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


# --- read-only queries for flashsale.reports (figures and listings; every one scoped to a tenant) ---

def current(s: Session, tenant_id: int, now: datetime, limit: int) -> list[FlashSale]:
    """Sales not over yet (running or scheduled), soonest start first."""
    return list(s.scalars(select(FlashSale)
                          .where(FlashSale.tenant_id == tenant_id, FlashSale.closed_at.is_(None),
                                 FlashSale.ends_at > now)
                          .order_by(FlashSale.starts_at, FlashSale.id).limit(limit)))


def order_status_counts(s: Session, tenant_id: int, sale_id: int) -> dict[str, int]:
    """How many of the sale's orders are in each status now."""
    rows = s.execute(select(Order.status, func.count(Order.id))
                     .join(FlashSalePurchase, FlashSalePurchase.order_id == Order.id)
                     .where(FlashSalePurchase.tenant_id == tenant_id, FlashSalePurchase.flash_sale_id == sale_id,
                            Order.tenant_id == tenant_id)
                     .group_by(Order.status))
    return {status: int(n) for status, n in rows}


def paid_totals(s: Session, tenant_id: int, sale_id: int) -> tuple[int, int]:
    """(net amount in fen, number of orders) of the sale's orders that were paid (refunds deducted)."""
    row = s.execute(select(func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0), func.count(Order.id))
                    .join(FlashSalePurchase, FlashSalePurchase.order_id == Order.id)
                    .where(FlashSalePurchase.tenant_id == tenant_id, FlashSalePurchase.flash_sale_id == sale_id,
                           Order.tenant_id == tenant_id, Order.paid_at.is_not(None))).one()
    return int(row[0]), int(row[1])


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's flash-sale list: starting between."""
    return within(listing(tenant_id), FlashSale.starts_at, f)


def has_purchases(s: Session, tenant_id: int, sale_id: int) -> bool:
    return s.scalar(select(FlashSalePurchase.id).where(FlashSalePurchase.tenant_id == tenant_id,
                                                       FlashSalePurchase.flash_sale_id == sale_id).limit(1)) is not None


def purchase_releases(s: Session, tenant_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    n, released = s.execute(select(func.count(FlashSalePurchase.id), func.count(FlashSalePurchase.released_at))
                            .where(FlashSalePurchase.tenant_id == tenant_id, FlashSalePurchase.created_at >= start,
                                   FlashSalePurchase.created_at < end)).one()
    return int(n), int(released)
