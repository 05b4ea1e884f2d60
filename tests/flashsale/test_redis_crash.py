"""The Redis path under crashes: whatever dies where, units come back and nothing is oversold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.flashsale import service
from linli.flashsale.gate import gate
from linli.schedule import DUE_JOBS
from tests.flashsale.conftest import sale_body

LATER = timedelta(seconds=31)  # past the stale-reservation grace


def _setup(t, quantity=3):
    product = t.product(stock=10)
    sale = t.post("/flash-sales", sale_body(product["id"], quantity))
    return sale, gate()


def _repair(t, at=None):
    return run_due(t.db, DUE_JOBS, build_registry(), at or clock.now() + LATER)


def _remaining(t, sale_id):
    return t.client.get(f"/api/v1/flash-sales/{sale_id}", headers=t.op).json()["remaining"]


def test_crash_after_reservation_before_order_write(make, redis_path):
    t = make.tenant()
    sale, g = _setup(t)
    # the process reserved in Redis and died before its transaction wrote anything
    assert g.reserve(t.tenant_id, sale["id"], "dead-request", 1, clock.now().timestamp()) == 1
    assert g.left(t.tenant_id, sale["id"]) == 2
    assert _repair(t, clock.now() + timedelta(seconds=5))["flashsale.repair_reservations"] == 0  # still fresh
    assert _repair(t)["flashsale.repair_reservations"] == 1
    assert g.left(t.tenant_id, sale["id"]) == 3 and g.pending(t.tenant_id, sale["id"]) == {}
    members = t.members(3)
    for h in members:
        assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h).status_code == 201
    assert _remaining(t, sale["id"]) == 0


def test_crash_inside_the_transaction_rolls_back_and_gives_back(make, redis_path, monkeypatch):
    t = make.tenant()
    sale, g = _setup(t)
    h = t.members(1)[0]
    reserved = []

    def dies_while_writing(*_args, **_kw):
        reserved.append(dict(g.pending(t.tenant_id, sale["id"])))
        raise ConnectionError("database connection lost while writing the order")

    monkeypatch.setattr(service.orders, "place_reserved", dies_while_writing)
    with pytest.raises(ConnectionError):  # the test client re-raises what the server hit
        t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h)
    assert len(reserved[0]) == 1  # the unit was reserved in Redis when the write failed …
    assert g.left(t.tenant_id, sale["id"]) == 3 and g.pending(t.tenant_id, sale["id"]) == {}  # … and given back
    monkeypatch.undo()
    assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h).status_code == 201
    assert _remaining(t, sale["id"]) == 2


def test_crash_after_commit_before_confirm_keeps_the_sale(make, redis_path):
    t = make.tenant()
    sale, g = _setup(t)
    h = t.members(1)[0]
    assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h).status_code == 201
    # the order committed, then the process died before removing its token
    from linli.flashsale import repository as repo

    with t.db.unit_of_work() as s:
        order_id = t.client.get("/api/v1/orders", headers=h).json()["items"][0]["id"]
        token = repo.purchase_of_order(s, t.tenant_id, order_id).reservation
    g.conn.hset(g._keys(t.tenant_id, sale["id"])[1], token, f"1:{clock.now().timestamp()}")
    _repair(t)
    assert g.pending(t.tenant_id, sale["id"]) == {}
    assert g.left(t.tenant_id, sale["id"]) == 2 == _remaining(t, sale["id"])  # the sold unit stays sold


def test_crash_after_release_commit_before_give_back(make, redis_path):
    t = make.tenant()
    sale, g = _setup(t)
    h = t.members(1)[0]
    order_id = t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h).json()["order_id"]
    t.post(f"/orders/{order_id}/cancel", None, h, expect=200)
    run_due(t.db, [], build_registry())  # deliver order.cancelled: the unit is back in the database …
    g.conn.decr(g._keys(t.tenant_id, sale["id"])[0])  # … but Redis never heard of it
    assert g.left(t.tenant_id, sale["id"]) == 2 and _remaining(t, sale["id"]) == 3
    _repair(t)
    assert g.left(t.tenant_id, sale["id"]) == 3


def test_redis_lost_its_data(make, redis_path):
    t = make.tenant()
    sale, g = _setup(t)
    members = t.members(4)
    assert t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=members[0]).status_code == 201
    g.close(t.tenant_id, sale["id"])  # Redis restarted without persistence
    codes = [t.client.post(f"/api/v1/flash-sales/{sale['id']}/purchase", headers=h).status_code
             for h in members[1:]]
    assert codes == [201, 201, 409]
    assert g.left(t.tenant_id, sale["id"]) == 0 == _remaining(t, sale["id"])
