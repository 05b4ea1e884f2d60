"""Read-only catalogue and stock-ledger rows for the insight domain (turnover, categories of the heatmaps)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
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


def _epoch(s: Session, column: Any) -> Any:
    """Seconds since 1970 of a UTC timestamp column, in SQL (SQLite keeps it as naive UTC text)."""
    if s.get_bind().dialect.name == "sqlite":
        return (func.julianday(column) - 2440587.5) * 86400.0
    return func.extract("epoch", column)


def ledger_sums(s: Session, tenant_id: int, since: datetime, until: datetime
                ) -> dict[int, tuple[int, int, float]]:
    """product -> (sum of the deltas from `since` on, sum of the deltas in [since, until), sum of delta x seconds
    since 1970 of the deltas in [since, until)) — what a time-weighted average stock needs, summed in the database
    rather than reading every ledger row."""
    inside = and_(StockMovement.created_at >= since, StockMovement.created_at < until)
    stmt = (select(StockMovement.product_id, func.sum(StockMovement.delta),
                   func.sum(case((inside, StockMovement.delta), else_=0)),
                   func.sum(case((inside, StockMovement.delta * _epoch(s, StockMovement.created_at)), else_=0.0)))
            .where(StockMovement.tenant_id == tenant_id, StockMovement.created_at >= since)
            .group_by(StockMovement.product_id))
    return {int(p): (int(a), int(i), float(w)) for p, a, i, w in s.connection().execute(stmt)}


def products_with_ledger(s: Session, tenant_id: int) -> set[int]:
    """Products that have at least one stock-ledger row."""
    rows = s.scalars(select(StockMovement.product_id).where(StockMovement.tenant_id == tenant_id).distinct())
    return {int(p) for p in rows}
