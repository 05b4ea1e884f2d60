"""Read-only order lines for the insight domain's heatmaps and turnover. Every query is scoped to one tenant.
They run on the session's connection (Core, no ORM row processing): a month of the full demo is ~20k lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Order, OrderItem

_KEPT = OrderItem.quantity - OrderItem.refunded_quantity


def _paid_lines(tenant_id: int, since: datetime, until: datetime) -> Any:
    return (select().select_from(OrderItem).join(Order, Order.id == OrderItem.order_id)
            .where(Order.tenant_id == tenant_id, OrderItem.tenant_id == tenant_id,
                   Order.paid_at >= since, Order.paid_at < until, _KEPT > 0))


def net_lines(s: Session, tenant_id: int, since: datetime, until: datetime,
              member_ids: Sequence[int] | None = None) -> list[tuple[int, int, int, int, int]]:
    """(order, member, product, units kept, goods fen kept) of each line of the orders paid in [since, until) —
    of the given members only, when given — with refunded units taken off (a cancelled paid order has all its
    units refunded); lines with nothing kept left out."""
    fen = OrderItem.amount_fen - OrderItem.refunded_quantity * OrderItem.unit_price_fen
    stmt = _paid_lines(tenant_id, since, until).add_columns(Order.id, Order.member_id, OrderItem.product_id, _KEPT, fen)
    if member_ids is not None:
        stmt = stmt.where(Order.member_id.in_(member_ids))
    return [tuple(r) for r in s.connection().execute(stmt)]
