"""Hand-made data for the alert metrics: orders written straight into the table at chosen instants (the
metrics only read them), and a runner for one metric."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from linli.alert import service
from linli.alert.catalogue import METRICS
from linli.alert.registry import Context, Limits
from linli.core import clock
from linli.core.db import Database
from linli.models import Alert, Order, OrderItem

AT = clock.as_utc(datetime(2026, 9, 20, 10, 0))  # evaluated at; "yesterday" is 2026-09-19 (Asia/Shanghai)
YESTERDAY = clock.as_utc(datetime(2026, 9, 19, 12, 0))


def add_orders(db: Database, tenant_id: int, member_id: int, point_id: int | None, n: int, *, at: datetime,
               status: str = "paid", payable_fen: int = 1000, refunded_fen: int = 0,
               product_id: int | None = None) -> list[int]:
    ids = []
    with db.unit_of_work() as s:
        for _ in range(n):
            paid = at if status != "cancelled" and status != "pending_payment" else None
            o = Order(tenant_id=tenant_id, member_id=member_id, pickup_point_id=point_id, status=status,
                      total_fen=payable_fen, payable_fen=payable_fen, refunded_fen=refunded_fen, created_at=at,
                      expires_at=at + timedelta(minutes=30), paid_at=paid,
                      picked_up_at=at if status == "picked_up" else None)
            s.add(o)
            s.flush()
            if product_id is not None:
                s.add(OrderItem(tenant_id=tenant_id, order_id=o.id, product_id=product_id, product_name="商品",
                                unit_price_fen=payable_fen, quantity=1, amount_fen=payable_fen))
            ids.append(o.id)
    return ids


def run(db: Database, tenant_id: int, key: str, at: datetime = AT, threshold: float | None = None,
        min_base: int | None = None) -> list[Alert]:
    """Evaluate one metric; the metric's live and resolved alerts after it, by id."""
    m = METRICS[key]
    lim = Limits(m.threshold if threshold is None else threshold, m.min_base if min_base is None else min_base)
    with db.unit_of_work() as s, clock.frozen_at(at):
        service.evaluate_metric(s, tenant_id, m, lim, at, Context())
    with db.unit_of_work() as s:
        return list(s.scalars(select(Alert).where(Alert.tenant_id == tenant_id, Alert.metric == key)
                              .order_by(Alert.id)))


def point_of(kit: Any, community_id: int) -> int:
    from linli.community import service as communities
    with kit.db.unit_of_work() as s:
        return communities.point_ids(s, kit.tenant_id, community_id, None)[0]
