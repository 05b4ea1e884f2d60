from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.orm import Session

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


def search(tenant_id: int, q: str | None, category_id: int | None) -> Select[Any]:
    stmt = select(Product).where(Product.tenant_id == tenant_id)
    if q:
        stmt = stmt.where(Product.name.like(f"%{q}%"))
    if category_id:
        stmt = stmt.where(Product.category_id == category_id)
    return stmt


def take_stock(s: Session, tenant_id: int, product_id: int, quantity: int) -> tuple[Any, ...] | None:
    """Conditional decrement: succeeds only if enough stock remains. Returns the sold
    product's (price_fen, name, is_fresh, category_id) or None."""
    row = s.execute(
        update(Product)
        .where(Product.tenant_id == tenant_id, Product.id == product_id,
               Product.is_active.is_(True), Product.stock >= quantity)
        .values(stock=Product.stock - quantity)
        .returning(Product.price_fen, Product.name, Product.is_fresh, Product.category_id)
    ).first()
    return tuple(row) if row else None


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
        s.execute(insert(StockMovement), rows)


def ledger_sum(s: Session, tenant_id: int, product_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(StockMovement.delta), 0)).where(
        StockMovement.tenant_id == tenant_id, StockMovement.product_id == product_id)) or 0)


def movements(tenant_id: int, product_id: int) -> Select[Any]:
    return select(StockMovement).where(StockMovement.tenant_id == tenant_id,
                                       StockMovement.product_id == product_id)
