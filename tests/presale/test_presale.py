"""Presale: a quota of its own, a per-member limit, pickup only from the delivery date."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS


def _presale(t, quantity=5, limit=2):
    product = t.product(stock=0, price_fen=8800)  # not in stock yet: that is what presale is for
    now = clock.now()
    return t.post("/presales", {
        "product_id": product["id"], "price_fen": 6800, "quantity": quantity, "per_member_limit": limit,
        "starts_at": (now - timedelta(hours=1)).isoformat(), "ends_at": (now + timedelta(days=2)).isoformat(),
        "delivers_at": (now + timedelta(days=5)).isoformat()})


def test_presale_order_is_picked_up_only_from_the_delivery_date(make):
    t = make.tenant()
    presale = _presale(t)
    assert presale["status"] == "selling"
    mh = t.members(1)[0]
    order = t.post(f"/presales/{presale['id']}/orders", {"quantity": 2}, mh)
    assert order["source"] == "presale" and order["payable_fen"] == 13600 and order["deliverable_from"]
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    early = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=t.op)
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_yet_delivered"
    clock.set_process_time(clock.now() + timedelta(days=5, minutes=1))
    try:
        assert t.post(f"/orders/{order['id']}/pickup", {"code": code}, t.op, expect=200)["status"] == "picked_up"
    finally:
        clock.set_process_time(None)
    listed = t.client.get(f"/api/v1/presales/{presale['id']}/orders", headers=t.op).json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]


def test_quota_and_member_limit_hold_under_contention(make):
    t = make.tenant()
    presale = _presale(t, quantity=6, limit=2)
    members = t.members(5)

    def attempt(i):
        r = t.client.post(f"/api/v1/presales/{presale['id']}/orders", headers=members[i % 5], json={"quantity": 1})
        return r.status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(attempt, range(40)))
    assert codes.count(201) == 6
    got = t.client.get(f"/api/v1/presales/{presale['id']}", headers=t.op).json()
    assert got["sold"] == 6 and got["remaining"] == 0
    per_member = [len(t.client.get("/api/v1/orders", headers=h).json()["items"]) for h in members]
    assert max(per_member) <= 2 and sum(per_member) == 6


def test_cancelled_presale_order_returns_its_units(make):
    t = make.tenant()
    presale = _presale(t, quantity=1)
    a, b = t.members(2)
    order = t.post(f"/presales/{presale['id']}/orders", None, a)
    r = t.client.post(f"/api/v1/presales/{presale['id']}/orders", headers=b)
    assert r.status_code == 409 and r.json()["error"]["code"] == "sold_out"
    t.post(f"/orders/{order['id']}/cancel", None, a, expect=200)
    run_due(t.db, [], build_registry())
    assert t.post(f"/presales/{presale['id']}/orders", None, b)["status"] == "pending_payment"
    run_due(t.db, DUE_JOBS, build_registry())
    assert t.client.get(f"/api/v1/presales/{presale['id']}", headers=t.op).json()["remaining"] == 0
