"""The pickup QR code: only the owner gets one; the leader's scan hands the order out once; a tampered, expired,
foreign or other point's code is refused with nothing changed."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from linli.core import clock
from linli.models import OrderEvent
from linli.packing import qr
from tests.packing.helpers import get, paid, resident


def _scan(t, headers, token: str) -> tuple[int, str | None]:
    r = t.client.post("/api/v1/packing/scan", json={"token": token}, headers=headers)
    return r.status_code, (r.json().get("error") or {}).get("code")


def _order(t):
    _, point, leader_h = t.leader()
    product = t.product(name="土鸡蛋", unit="盒")
    member_id, h = resident(t, "孙阿姨", "13955556666")
    order = paid(t, h, point, [(product["id"], 2)])
    return order, h, leader_h


def test_owner_token_scanned_once(make, morning):
    t = make.tenant()
    order, h, leader_h = _order(t)
    _, other_h = resident(t, "钱叔", "13966667777")
    get(t, f"/packing/orders/{order['id']}/pickup-token", other_h, 404)
    get(t, f"/packing/orders/{order['id']}/pickup-token", leader_h, 403)
    issued = get(t, f"/packing/orders/{order['id']}/pickup-token", h)
    token = issued["token"]
    assert order["pickup_code"] not in token and issued["order_id"] == order["id"]

    _, _, stranger_h = t.leader()  # same tenant, another point
    assert _scan(t, stranger_h, token) == (404, "order_not_found")
    body, _, sig = token.rpartition(".")
    assert _scan(t, leader_h, body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]) == (422, "qr_invalid")
    forged = qr.issue(t.tenant_id, order["id"], "000000" if order["pickup_code"] != "000000" else "111111")[0]
    assert _scan(t, leader_h, forged) == (422, "qr_invalid")
    assert _scan(t, leader_h, "hello") == (422, "qr_invalid")
    assert get(t, f"/orders/{order['id']}", h)["status"] == "paid"

    r = t.client.post("/api/v1/packing/scan", json={"token": token}, headers=leader_h)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "picked_up" and r.json()["phone_masked"] == "139****6666"
    assert _scan(t, leader_h, token) == (409, "already_picked_up")
    timeline = get(t, f"/orders/{order['id']}", h)["timeline"]
    assert [e["detail"].get("via") for e in timeline if e["action"] == "picked_up"] == ["qr_scan"]
    get(t, f"/packing/orders/{order['id']}/pickup-token", h, 409)  # handed out: no code any more


def test_expired_and_other_tenant_tokens(make, morning):
    t = make.tenant()
    order, h, leader_h = _order(t)
    token = get(t, f"/packing/orders/{order['id']}/pickup-token", h)["token"]
    other = make.tenant()
    _, _, their_leader = other.leader()
    assert _scan(other, their_leader, token) == (422, "qr_other_tenant")
    clock.set_process_time(morning + qr.TTL + timedelta(seconds=1))
    assert _scan(t, leader_h, token) == (422, "qr_expired")
    assert get(t, f"/orders/{order['id']}", h)["status"] == "paid"


def test_eight_scans_at_once_hand_out_once(make, db):
    if db.dialect != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    order, h, leader_h = _order(t)
    token = get(t, f"/packing/orders/{order['id']}/pickup-token", h)["token"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = Counter(pool.map(lambda _: _scan(t, leader_h, token), range(8)))
    assert results == {(200, None): 1, (409, "already_picked_up"): 7}
    with t.db.unit_of_work() as s:
        assert s.scalar(select(func.count()).select_from(OrderEvent).where(
            OrderEvent.order_id == order["id"], OrderEvent.action == "picked_up")) == 1
