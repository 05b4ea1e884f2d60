"""Flash sales: window, limit, quantity; units come back when orders expire; the end returns unsold stock."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func, select

from linli.catalog import stock
from linli.core import clock
from linli.core.jobs import run_due
from linli.core.runtime import get_runtime
from linli.events import build_registry
from linli.models import FlashSaleHolding, Order
from linli.schedule import DUE_JOBS
from linli.tier import service as tiers
from tests.flashsale.conftest import sale_body


def _buy(t, headers, sale_id, qty=1):
    return t.client.post(f"/api/v1/flash-sales/{sale_id}/purchase", headers=headers, json={"quantity": qty})


def _remaining(t, sale_id):
    return t.client.get(f"/api/v1/flash-sales/{sale_id}", headers=t.op).json()["remaining"]


def test_sale_sets_units_aside_and_sells_at_its_price(make, path):
    t = make.tenant()
    product = t.product(stock=100, price_fen=2990)
    sale = t.post("/flash-sales", sale_body(product["id"], 10, limit=2, price_fen=990))
    assert sale["remaining"] == 10 and sale["status"] == "active"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 90
    mh = t.members(1)[0]
    bought = _buy(t, mh, sale["id"], 2)
    assert bought.status_code == 201, bought.text
    order = t.client.get(f"/api/v1/orders/{bought.json()['order_id']}", headers=mh).json()
    assert order["status"] == "pending_payment" and order["payable_fen"] == 1980
    assert order["source"] == "flash_sale" and order["items"][0]["unit_price_fen"] == 990
    assert _remaining(t, sale["id"]) == 8
    again = _buy(t, mh, sale["id"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "limit_exceeded"
    assert t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)["status"] == "paid"


def test_not_active_outside_the_window_and_sold_out(make, path):
    t = make.tenant()
    product = t.product(stock=10)
    now = clock.now()
    later = t.post("/flash-sales", sale_body(product["id"], 2, starts_at=(now + timedelta(hours=1)).isoformat(),
                                             ends_at=(now + timedelta(hours=2)).isoformat()))
    mh = t.members(3)
    r = _buy(t, mh[0], later["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_active"
    sale = t.post("/flash-sales", sale_body(product["id"], 2))
    assert _buy(t, mh[0], sale["id"]).status_code == 201
    assert _buy(t, mh[1], sale["id"]).status_code == 201
    r = _buy(t, mh[2], sale["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "sold_out"


def test_tier_early_access_opens_the_sale_sooner_for_higher_tiers(make, path):
    """黄金 members may buy 30 minutes early (黑卡 60) on a sale that offers early access; others wait."""
    t = make.tenant()
    product = t.product(stock=10)
    now = clock.now()
    window = {"starts_at": (now + timedelta(minutes=20)).isoformat(), "ends_at": (now + timedelta(hours=2)).isoformat()}
    early = t.post("/flash-sales", sale_body(product["id"], 3, tier_early_access=True, **window))
    plain = t.post("/flash-sales", sale_body(product["id"], 3, **window))
    assert early["tier_early_access"] is True and plain["tier_early_access"] is False
    gold, regular = t.members(2)
    with t.db.unit_of_work() as s:  # 5,000 growth makes a 黄金 member
        tiers.import_growth(s, t.tenant_id, _member_id(gold), 5000, "test:gold", now)
    assert _buy(t, gold, early["id"]).status_code == 201
    for headers, sale in ((regular, early), (gold, plain)):
        r = _buy(t, headers, sale["id"])
        assert r.status_code == 409 and r.json()["error"]["code"] == "not_active"
    with clock.frozen_at(now + timedelta(minutes=21)):  # the sale has started: everyone may buy
        assert _buy(t, regular, early["id"]).status_code == 201
    assert _remaining(t, early["id"]) == 1


def _member_id(headers):
    return get_runtime().signer.verify(headers["Authorization"].split()[1]).member_id


def test_sale_needs_the_stock(make):
    t = make.tenant()
    product = t.product(stock=5)
    r = t.client.post("/api/v1/flash-sales", headers=t.op, json=sale_body(product["id"], 6))
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    assert t.client.get("/api/v1/flash-sales", headers=t.op).json()["items"] == []


def test_expired_orders_give_units_back_and_the_end_returns_unsold(make, path):
    t = make.tenant()
    product = t.product(stock=10)
    sale = t.post("/flash-sales", sale_body(product["id"], 3))
    mh = t.members(4)
    for h in mh[:3]:
        assert _buy(t, h, sale["id"]).status_code == 201
    assert _buy(t, mh[3], sale["id"]).json()["error"]["code"] == "sold_out"
    paid_order = t.client.get("/api/v1/orders", headers=mh[0]).json()["items"][0]
    t.post(f"/orders/{paid_order['id']}/pay", None, mh[0], expect=200)

    run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(minutes=16))
    assert _remaining(t, sale["id"]) == 2  # two unpaid orders expired
    assert _buy(t, mh[1], sale["id"]).status_code == 201  # the limit counts live orders only
    assert _buy(t, mh[3], sale["id"]).status_code == 201
    assert _remaining(t, sale["id"]) == 0

    run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(hours=2))
    # sale over: the two new unpaid orders expired after the close, so their units went to stock too
    assert t.client.get(f"/api/v1/flash-sales/{sale['id']}", headers=t.op).json()["status"] == "ended"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 9
    with t.db.unit_of_work() as s:
        assert stock.ledger_sum(s, t.tenant_id, product["id"]) == 9


def test_2000_attempts_from_400_members_on_200_units(make, path):
    t = make.tenant()
    product = t.product(stock=1000)
    sale = t.post("/flash-sales", sale_body(product["id"], 200, limit=1))
    members = t.members(400)

    def attempt(i: int) -> tuple[int, str | None]:
        r = _buy(t, members[i % 400], sale["id"])
        return r.status_code, (r.json().get("error") or {}).get("code")

    with ThreadPoolExecutor(max_workers=32) as pool:
        results = Counter(pool.map(attempt, range(2000)))
    assert results[(201, None)] == 200
    assert set(results) <= {(201, None), (409, "sold_out"), (409, "limit_exceeded")}
    assert _remaining(t, sale["id"]) == 0
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(Order).where(Order.source == "flash_sale")) == 200
        assert s.scalar(select(func.max(FlashSaleHolding.units))) == 1
        buyers = s.scalar(select(func.count(func.distinct(Order.member_id))).where(Order.source == "flash_sale"))
        assert buyers == 200

    # unpaid orders expire; their units can be bought again, never beyond the quantity
    run_due(t.db, DUE_JOBS, build_registry(), clock.now() + timedelta(minutes=16))
    assert _remaining(t, sale["id"]) == 200
    with ThreadPoolExecutor(max_workers=32) as pool:
        again = Counter(pool.map(attempt, range(2000, 2800)))
    assert again[(201, None)] == 200 and _remaining(t, sale["id"]) == 0
    with t.db.unit_of_work() as s:
        live = s.scalar(select(func.count()).select_from(Order)
                        .where(Order.source == "flash_sale", Order.status == "pending_payment"))
        assert live == 200
