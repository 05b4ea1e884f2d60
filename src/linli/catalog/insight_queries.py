"""Read-only catalogue and stock-ledger rows for the insight domain (turnover, categories of the heatmaps)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Category, Product, StockMovement


def categories(s: Session, tenant_id: int) -> list[tuple[int, str]]:
    """(id, name) of every category, in the catalogue's order."""
    rows = s.execute(select(Category.id, Category.name).where(Category.tenant_id == tenant_id)
                     .order_by(Category.sort, Category.id))
    return [(int(i), str(n)) for i, n in rows]


def products(s: Session, tenant_id: int) -> list[tuple[int, str, int, int, bool]]:
    """(id, name, category id, current stock, on shelf) of every product."""
    rows = s.execute(select(Product.id, Product.name, Product.category_id, Product.stock, Product.is_active)
                     .where(Product.tenant_id == tenant_id).order_by(Product.id))
    return [(int(i), str(n), int(c), int(st), bool(a)) for i, n, c, st, a in rows]


def movements_since(s: Session, tenant_id: int, since: datetime) -> Iterator[tuple[int, int, datetime]]:
    """(product, delta, at) of the stock ledger's rows from `since` on, oldest first."""
    rows = s.execute(select(StockMovement.product_id, StockMovement.delta, StockMovement.created_at)
                     .where(StockMovement.tenant_id == tenant_id, StockMovement.created_at >= since)
                     .order_by(StockMovement.created_at, StockMovement.id))
    for product_id, delta, at in rows:
        yield int(product_id), int(delta), at


def products_with_ledger(s: Session, tenant_id: int) -> set[int]:
    """Products that have at least one stock-ledger row."""
    rows = s.scalars(select(StockMovement.product_id).where(StockMovement.tenant_id == tenant_id).distinct())
    return {int(p) for p in rows}
