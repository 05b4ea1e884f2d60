"""Read-only order lines for the insight domain's heatmaps and turnover. Every query is scoped to one tenant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Order, OrderItem


def net_lines(s: Session, tenant_id: int, since: datetime, until: datetime) -> Iterator[tuple[int, int, int, int, int]]:
    """(order, member, product, units kept, goods fen kept) of each line of the orders paid in [since, until), with
    refunded units taken off (a cancelled paid order has all its units refunded); lines with nothing kept left
    out."""
    kept = OrderItem.quantity - OrderItem.refunded_quantity
    fen = OrderItem.amount_fen - OrderItem.refunded_quantity * OrderItem.unit_price_fen
    rows = s.execute(select(Order.id, Order.member_id, OrderItem.product_id, kept, fen)
                     .join(Order, Order.id == OrderItem.order_id)
                     .where(Order.tenant_id == tenant_id, OrderItem.tenant_id == tenant_id,
                            Order.paid_at >= since, Order.paid_at < until, kept > 0))
    for order_id, member_id, product_id, units, amount in rows:
        yield int(order_id), int(member_id), int(product_id), int(units), int(amount)
