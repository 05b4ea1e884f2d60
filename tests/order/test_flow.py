"""The order life: place, pay, pick up, refund, cancel, expire."""

from __future__ import annotations

from datetime import timedelta

from linli.catalog import stock
from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.schedule import DUE_JOBS


def _order(t, headers, product_id, qty=1, **kw):
    return t.post("/orders", {"items": [{"product_id": product_id, "quantity": qty}], **kw}, headers)


def _ledger_matches(t, product_id):
    with t.db.unit_of_work() as s:
        stock_now = t.client.get(f"/api/v1/products/{product_id}", headers=t.op).json()["stock"]
        return stock.ledger_sum(s, t.tenant_id, product_id) == stock_now


def test_place_pay_pickup_by_leader(make):
    t = make.tenant()
    leader_id, point_id, leader_h = t.leader()
    product = t.product(stock=10, price_fen=1250)
    _, mh = t.member()
    order = _order(t, mh, product["id"], 2, pickup_point_id=point_id)
    assert order["status"] == "pending_payment"
    assert order["total_fen"] == order["payable_fen"] == 2500
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=mh).json()["stock"] == 8

    assert t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)["status"] == "paid"
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    assert code and len(code) == 6 and code.isdigit()
    # the leader sees the order but not the code
    seen = t.client.get(f"/api/v1/orders/{order['id']}", headers=leader_h).json()
    assert seen["pickup_code"] is None

    wrong = "000000" if code != "000000" else "111111"
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": wrong}, headers=leader_h)
    assert r.status_code == 409 and r.json()["error"]["code"] == "wrong_code"
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=mh)
    assert r.status_code == 403
    assert t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)["status"] == "picked_up"

    timeline = t.client.get(f"/api/v1/orders/{order['id']}", headers=t.op).json()["timeline"]
    assert [e["action"] for e in timeline] == ["created", "paid", "picked_up"]
    assert timeline[2]["actor_role"] == "leader"


def test_other_leader_cannot_see_or_verify(make):
    t = make.tenant()
    _, point_id, _ = t.leader()
    _, _, other_h = t.leader()
    product = t.product()
    _, mh = t.member()
    order = _order(t, mh, product["id"], pickup_point_id=point_id)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    assert t.client.get(f"/api/v1/orders/{order['id']}", headers=other_h).status_code == 404
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": "123456"}, headers=other_h)
    assert r.status_code == 404


def test_repeated_wrong_codes_are_throttled(make):
    t = make.tenant()
    product = t.product()
    _, mh = t.member()
    order = _order(t, mh, product["id"])
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": wrong}, headers=t.op)
        assert r.status_code == 409
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=t.op)
    assert r.status_code == 429


def test_non_ascii_codes_are_wrong_codes_and_counted(make):
    """Full-width digits, Chinese numerals or any non-ASCII text is a wrong code (409, counted), never a 500."""
    t = make.tenant()
    product = t.product()
    _, mh = t.member()
    order = _order(t, mh, product["id"])
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for wrong in (full_width, "一二三", "１２３４５６", "é" * 6, "\u0663" * 6):
        r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": wrong}, headers=t.op)
        assert r.status_code == 409 and r.json()["error"]["code"] == "wrong_code", (wrong, r.text)
    r = t.client.post(f"/api/v1/orders/{order['id']}/pickup", json={"code": code}, headers=t.op)
    assert r.status_code == 429  # the five counted as failures
    assert t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["status"] == "paid"


def test_insufficient_stock_reserves_nothing(make):
    t = make.tenant()
    a, b = t.product(stock=5), t.product(stock=1)
    _, mh = t.member()
    r = t.client.post("/api/v1/orders", headers=mh, json={"items": [
        {"product_id": a["id"], "quantity": 2}, {"product_id": b["id"], "quantity": 2}]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    assert t.client.get(f"/api/v1/products/{a['id']}", headers=mh).json()["stock"] == 5
    assert t.client.get("/api/v1/orders", headers=t.op).json()["items"] == []
    assert _ledger_matches(t, a["id"]) and _ledger_matches(t, b["id"])


def test_cancel_unpaid_and_paid_return_stock(make):
    t = make.tenant()
    product = t.product(stock=10, price_fen=500)
    _, mh = t.member()
    unpaid = _order(t, mh, product["id"], 3)
    assert t.post(f"/orders/{unpaid['id']}/cancel", None, mh, expect=200)["status"] == "cancelled"
    paid = _order(t, mh, product["id"], 4)
    t.post(f"/orders/{paid['id']}/pay", None, mh, expect=200)
    assert t.post(f"/orders/{paid['id']}/cancel", {"reason": "买错了"}, t.op, expect=200)["status"] == "cancelled"
    detail = t.client.get(f"/api/v1/orders/{paid['id']}", headers=t.op).json()
    assert detail["refunded_fen"] == 2000
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=mh).json()["stock"] == 10
    r = t.client.post(f"/api/v1/orders/{paid['id']}/cancel", headers=mh)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_cancellable"
    assert _ledger_matches(t, product["id"])


def test_partial_then_full_refund(make):
    t = make.tenant()
    a, b = t.product(stock=10, price_fen=300), t.product(stock=10, price_fen=700)
    _, mh = t.member()
    order = t.post("/orders", {"items": [{"product_id": a["id"], "quantity": 2},
                                         {"product_id": b["id"], "quantity": 1}]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    items = {i["product_id"]: i for i in order["items"]}
    first = t.post(f"/orders/{order['id']}/refund",
                   {"reason": "坏了一个", "lines": [{"item_id": items[a["id"]]["id"], "quantity": 1}]}, mh, expect=200)
    assert first["status"] == "paid"
    detail = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert detail["refunded_fen"] == 300
    too_many = t.client.post(f"/api/v1/orders/{order['id']}/refund", headers=mh, json={
        "reason": "x", "lines": [{"item_id": items[a["id"]]["id"], "quantity": 2}]})
    assert too_many.status_code == 422
    assert t.post(f"/orders/{order['id']}/refund", {"reason": "不要了"}, mh, expect=200)["status"] == "refunded"
    detail = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert detail["refunded_fen"] == 1300
    assert [e["action"] for e in detail["timeline"]][-2:] == ["partially_refunded", "refunded"]
    assert t.client.get(f"/api/v1/products/{a['id']}", headers=mh).json()["stock"] == 10
    assert _ledger_matches(t, a["id"]) and _ledger_matches(t, b["id"])


def test_return_window_fresh_shorter_than_regular(make):
    t = make.tenant()
    fresh = t.product(stock=5, is_fresh=True)
    dry = t.product(stock=5)
    _, mh = t.member()
    orders = []
    for p in (fresh, dry):
        o = _order(t, mh, p["id"])
        t.post(f"/orders/{o['id']}/pay", None, mh, expect=200)
        code = t.client.get(f"/api/v1/orders/{o['id']}", headers=mh).json()["pickup_code"]
        t.post(f"/orders/{o['id']}/pickup", {"code": code}, t.op, expect=200)
        orders.append(o)
    later = clock.now() + timedelta(days=20)
    clock.set_process_time(later)
    try:
        r = t.client.post(f"/api/v1/orders/{orders[0]['id']}/refund", json={"reason": "不新鲜"}, headers=mh)
        assert r.status_code == 409 and r.json()["error"]["code"] == "return_window_closed"
        assert t.post(f"/orders/{orders[1]['id']}/refund", {"reason": "无理由"}, mh, expect=200)["status"] == "refunded"
        # customer service may still refund the fresh order
        assert t.post(f"/orders/{orders[0]['id']}/refund", {"reason": "客服"}, t.op, expect=200)["status"] == "refunded"
    finally:
        clock.set_process_time(None)
    # returned fresh goods are written off; returned dry goods go back on the shelf
    assert t.client.get(f"/api/v1/products/{fresh['id']}", headers=mh).json()["stock"] == 4
    assert t.client.get(f"/api/v1/products/{dry['id']}", headers=mh).json()["stock"] == 5


def test_unpaid_orders_expire_after_15_minutes(make):
    t = make.tenant()
    product = t.product(stock=3)
    _, mh = t.member()
    order = _order(t, mh, product["id"], 3)
    placed = clock.now()
    assert run_due(t.db, DUE_JOBS, build_registry(), placed + timedelta(minutes=14, seconds=59))[
        "order.expire_unpaid"] == 0
    done = run_due(t.db, DUE_JOBS, build_registry(), placed + timedelta(minutes=15, seconds=1))
    assert done["order.expire_unpaid"] == 1
    detail = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert detail["status"] == "cancelled"
    assert detail["timeline"][-1]["actor_role"] == "system"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=mh).json()["stock"] == 3
    r = t.client.post(f"/api/v1/orders/{order['id']}/pay", headers=mh)
    assert r.status_code == 409


def test_failed_payment_changes_nothing(make):
    from linli.payment import service as payment

    t = make.tenant()
    product = t.product(stock=3)
    _, mh = t.member()
    order = _order(t, mh, product["id"])
    payment.sandbox().fail_next("charge")
    r = t.client.post(f"/api/v1/orders/{order['id']}/pay", headers=mh)
    assert r.status_code == 409 and r.json()["error"]["code"] == "charge_failed"
    assert t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["status"] == "pending_payment"
    assert t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)["status"] == "paid"
