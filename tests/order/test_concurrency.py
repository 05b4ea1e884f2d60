"""Stock under contention: many orders racing for few units never oversell."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from linli.catalog import stock
from linli.models import Order, StockMovement


def test_200_concurrent_orders_on_stock_50(make):
    t = make.tenant()
    product = t.product(stock=50, price_fen=990)
    members = [t.member()[1] for _ in range(20)]

    def attempt(i: int) -> tuple[int, str | None]:
        r = t.client.post("/api/v1/orders", headers=members[i % len(members)],
                          json={"items": [{"product_id": product["id"], "quantity": 1}]})
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=40) as pool:
        results = Counter(pool.map(attempt, range(200)))

    assert results == {(201, None): 50, (409, "insufficient_stock"): 150}
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 0
    with t.db.unit_of_work() as s:
        assert stock.ledger_sum(s, t.tenant_id, product["id"]) == 0
        assert s.scalar(select(func.count()).select_from(Order)) == 50
        sold = s.scalar(select(func.count()).select_from(StockMovement)
                        .where(StockMovement.reason == "order"))
        assert sold == 50


def test_concurrent_multi_line_orders_take_all_or_nothing(make):
    """Orders over two products in opposite line order: no deadlock, no partial reservation."""
    t = make.tenant()
    a, b = t.product(stock=30), t.product(stock=30)
    members = [t.member()[1] for _ in range(10)]

    def attempt(i: int) -> int:
        lines = [{"product_id": a["id"], "quantity": 1}, {"product_id": b["id"], "quantity": 2}]
        r = t.client.post("/api/v1/orders", headers=members[i % 10],
                          json={"items": lines if i % 2 else lines[::-1]})
        return r.status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        codes = Counter(pool.map(attempt, range(60)))

    assert codes == {201: 15, 409: 45}  # b runs out after 15 orders of 2
    stocks = [t.client.get(f"/api/v1/products/{p['id']}", headers=t.op).json()["stock"] for p in (a, b)]
    assert stocks == [15, 0]
    with t.db.unit_of_work() as s:
        assert [stock.ledger_sum(s, t.tenant_id, p["id"]) for p in (a, b)] == stocks


def test_pay_races_with_expiry_one_wins(make):
    """A payment arriving while the expiry job runs: the order ends either paid or cancelled,
    and stock is returned only if it was cancelled."""
    from datetime import timedelta

    from linli.core import clock
    from linli.core.jobs import run_due
    from linli.events import build_registry
    from linli.schedule import DUE_JOBS

    t = make.tenant()
    product = t.product(stock=10)
    _, mh = t.member()
    orders = [t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, mh)
              for _ in range(10)]
    at = clock.now() + timedelta(minutes=14, seconds=59, milliseconds=900)

    def pay(o):
        return t.client.post(f"/api/v1/orders/{o['id']}/pay", headers=mh).status_code

    with ThreadPoolExecutor(max_workers=11) as pool:
        expiry = pool.submit(run_due, t.db, DUE_JOBS, build_registry(), at + timedelta(seconds=1))
        pays = list(pool.map(pay, orders))
        expiry.result()
    statuses = Counter(t.client.get(f"/api/v1/orders/{o['id']}", headers=mh).json()["status"]
                       for o in orders)
    assert sum(statuses.values()) == 10 and set(statuses) <= {"paid", "cancelled"}
    assert statuses["paid"] == pays.count(200)
    left = t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"]
    assert left == statuses["cancelled"]
