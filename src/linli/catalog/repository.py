from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.core.listing import Filters, within
from linli.models import Category, Product, StockMovement


def category_by_name(s: Session, tenant_id: int, name: str) -> Category | None:
    return s.scalar(select(Category).where(Category.tenant_id == tenant_id, Category.name == name))


def category_names(s: Session, tenant_id: int, ids: Sequence[int]) -> dict[int, str]:
    rows = s.execute(select(Category.id, Category.name).where(Category.tenant_id == tenant_id,
                                                              Category.id.in_(set(ids))))
    return {k: v for k, v in rows}


def categories(s: Session, tenant_id: int) -> Sequence[Category]:
    return s.scalars(select(Category).where(Category.tenant_id == tenant_id)
                     .order_by(Category.sort, Category.id)).all()


def product(s: Session, tenant_id: int, product_id: int) -> Product | None:
    return s.scalar(select(Product).where(Product.tenant_id == tenant_id, Product.id == product_id))


def search(tenant_id: int, q: str | None, category_id: int | None, on_shelf_only: bool = False) -> Select[Any]:
    stmt = select(Product).where(Product.tenant_id == tenant_id)
    if on_shelf_only:
        stmt = stmt.where(Product.is_active.is_(True))
    if q:
        stmt = stmt.where(Product.name.like(f"%{q}%"))
    if category_id:
        stmt = stmt.where(Product.category_id == category_id)
    return stmt


# The order path's statements, built once: constructing a statement costs more than running it here.
_products = table(Product)
_BRIEFS = select(_products.c.id, _products.c.price_fen, _products.c.name, _products.c.is_fresh,
                 _products.c.category_id).where(_products.c.tenant_id == bindparam("tenant_id"),
                                                _products.c.id.in_(bindparam("ids", expanding=True)))
_TAKE = (update(_products)  # bind names must differ from the columns in UPDATE statements
         .where(_products.c.tenant_id == bindparam("tenant"), _products.c.id == bindparam("product"),
                _products.c.is_active.is_(True), _products.c.stock >= bindparam("quantity"))
         .values(stock=_products.c.stock - bindparam("quantity")))
_RECORD = insert(table(StockMovement))


def briefs(s: Session, tenant_id: int, product_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """product id -> (price_fen, name, is_fresh, category_id) of the tenant's products among `product_ids`."""
    rows = s.execute(_BRIEFS, {"tenant_id": tenant_id, "ids": list(product_ids)})
    return {r[0]: tuple(r[1:]) for r in rows}


def take_stock(s: Session, tenant_id: int, product_id: int, quantity: int) -> bool:
    """Conditional decrement of an active product: succeeds only if enough stock remains."""
    result = s.execute(_TAKE, {"tenant": tenant_id, "product": product_id, "quantity": quantity})
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def add_stock(s: Session, tenant_id: int, product_id: int, delta: int) -> int | None:
    """Adds delta (may be negative); refuses to go below zero. Returns the new stock."""
    return s.execute(
        update(Product)
        .where(Product.tenant_id == tenant_id, Product.id == product_id, Product.stock + delta >= 0)
        .values(stock=Product.stock + delta)
        .returning(Product.stock)
    ).scalar()


def record_movements(s: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        s.execute(_RECORD, rows)  # Core executemany: no ORM bookkeeping


def ledger_sum(s: Session, tenant_id: int, product_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
        StockMovement.tenant_id == tenant_id, StockMovement.product_id == product_id)) or 0)


def movements(tenant_id: int, product_id: int) -> Select[Any]:
    return select(StockMovement).where(StockMovement.tenant_id == tenant_id,
                                       StockMovement.product_id == product_id)


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's product list: name, created between."""
    return within(search(tenant_id, f.q, None), Product.created_at, f)


def shelf_stock_at_most(s: Session, tenant_id: int, at_most: int) -> list[tuple[int, str, int]]:
    return [(i, n, int(k)) for i, n, k in s.execute(
        select(Product.id, Product.name, Product.stock)
        .where(Product.tenant_id == tenant_id, Product.is_active.is_(True), Product.stock <= at_most)
        .order_by(Product.id))]
