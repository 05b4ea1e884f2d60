"""Read-only aggregate SQL for the console home's rankings. Every query is scoped to one tenant."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from linli.models import Order, OrderItem


def net_by_point(s: Session, tenant_id: int, since: datetime, until: datetime) -> dict[int, tuple[int, int]]:
    """pickup point -> (net amount in fen, orders) of the orders paid in [since, until)."""
    rows = s.execute(select(Order.pickup_point_id, func.coalesce(func.sum(Order.payable_fen - Order.refunded_fen), 0),
                            func.count(Order.id))
                     .where(Order.tenant_id == tenant_id, Order.paid_at >= since, Order.paid_at < until,
                            Order.pickup_point_id.is_not(None))
                     .group_by(Order.pickup_point_id))
    return {point: (int(net), int(n)) for point, net, n in rows if point is not None}


def top_products(s: Session, tenant_id: int, since: datetime, until: datetime,
                 limit: int) -> list[tuple[int, str, int, int]]:
    """(product, name, goods amount in fen net of refunded units, units kept) of the orders paid in [since, until),
    the largest amounts first."""
    amount = func.sum(OrderItem.amount_fen - OrderItem.refunded_quantity * OrderItem.unit_price_fen)
    rows = s.execute(select(OrderItem.product_id, func.max(OrderItem.product_name), amount,
                            func.sum(OrderItem.quantity - OrderItem.refunded_quantity))
                     .join(Order, Order.id == OrderItem.order_id)
                     .where(Order.tenant_id == tenant_id, OrderItem.tenant_id == tenant_id,
                            Order.paid_at >= since, Order.paid_at < until)
                     .group_by(OrderItem.product_id)
                     .order_by(amount.desc(), OrderItem.product_id).limit(limit))
    return [(pid, name, int(a or 0), int(u or 0)) for pid, name, a, u in rows]
