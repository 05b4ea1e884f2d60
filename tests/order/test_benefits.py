"""A coupon and points on an order: taken when it is placed, given back when it is cancelled or refunded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.tier import service as tiers


def _deliver(t: Any) -> None:
    """Deliver pending events (points earned on payment, …)."""
    run_due(t.db, [], build_registry())


def _coupon(t: Any, discount_fen: int = 500, min_spend_fen: int = 1000, total: int = 10) -> int:
    now = clock.now()
    made = t.post("/coupons", {"name": "满10减5", "discount_fen": discount_fen, "min_spend_fen": min_spend_fen,
                               "total": total, "per_member_limit": 1,
                               "valid_from": (now - timedelta(days=1)).isoformat(),
                               "valid_to": (now + timedelta(days=30)).isoformat()})
    return int(made["id"])


def _claim(t: Any, coupon_id: int, mh: dict[str, str]) -> int:
    return int(t.post(f"/coupons/{coupon_id}/claim", None, mh)["member_coupon_id"])


def _balance(t: Any, mh: dict[str, str]) -> int:
    return int(t.client.get("/api/v1/me/points", headers=mh).json()["balance"])


def _my_coupon_status(t: Any, mh: dict[str, str], member_coupon_id: int) -> str:
    items = t.client.get("/api/v1/me/coupons", headers=mh).json()["items"]
    return next(c["status"] for c in items if c["id"] == member_coupon_id)


def _setup(make: Any, points: int = 1000) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, str]]:
    t = make.tenant()
    product = t.product(stock=10, price_fen=1000)
    member, mh = t.member()
    if points:
        t.post("/points/grants", {"member_id": member["id"], "amount": points, "reason": "测试赠送"})
    return t, product, member, mh


def test_coupon_then_points_come_off_the_payable_amount(make):
    t, product, _member, mh = _setup(make)
    mc = _claim(t, _coupon(t), mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}], "coupon_id": mc,
                               "points_to_use": 300}, mh)
    assert order["total_fen"] == 2000
    assert (order["coupon_discount_fen"], order["points_discount_fen"]) == (500, 300)
    assert order["payable_fen"] == 1200 and order["discount_fen"] == 800
    assert _balance(t, mh) == 700
    assert _my_coupon_status(t, mh, mc) == "used"
    again = t.client.post("/api/v1/orders", headers=mh, json={
        "items": [{"product_id": product["id"], "quantity": 2}], "coupon_id": mc})
    assert again.status_code == 409 and again.json()["error"]["code"] == "coupon_unusable"


def test_refused_points_or_coupon_leave_everything_as_it_was(make):
    t, product, _member, mh = _setup(make, points=100)
    mc = _claim(t, _coupon(t, min_spend_fen=5000), mh)
    attempts = [
        ({"points_to_use": 200}, 409, "insufficient_points"),
        ({"points_to_use": 100, "coupon_id": mc}, 409, "coupon_unusable"),  # below the coupon's threshold
        ({"coupon_id": 2**61}, 422, "unknown_coupon"),
    ]
    for extra, status, code in attempts:
        r = t.client.post("/api/v1/orders", headers=mh,
                          json={"items": [{"product_id": product["id"], "quantity": 1}], **extra})
        assert r.status_code == status and r.json()["error"]["code"] == code, r.text
    assert _balance(t, mh) == 100
    assert _my_coupon_status(t, mh, mc) == "available"
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=mh).json()["stock"] == 10
    assert t.client.get("/api/v1/orders", headers=mh).json()["items"] == []


def test_points_cannot_pay_more_than_the_cap(make):
    t, product, _member, mh = _setup(make, points=5000)
    r = t.client.post("/api/v1/orders", headers=mh, json={
        "items": [{"product_id": product["id"], "quantity": 1}], "points_to_use": 600})  # cap: 50 % of 1000 fen
    assert r.status_code == 422 and r.json()["error"]["code"] == "points_over_limit"
    assert _balance(t, mh) == 5000


def test_cancelled_unpaid_order_gives_back_coupon_and_points(make):
    t, product, _member, mh = _setup(make)
    mc = _claim(t, _coupon(t), mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}], "coupon_id": mc,
                               "points_to_use": 400}, mh)
    t.post(f"/orders/{order['id']}/cancel", None, mh, expect=200)
    assert _balance(t, mh) == 1000
    assert _my_coupon_status(t, mh, mc) == "available"


def test_paid_then_refunded_order_puts_points_and_coupon_back_exactly(make):
    t, product, _member, mh = _setup(make)
    mc = _claim(t, _coupon(t), mh)
    before = _balance(t, mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 3}], "coupon_id": mc,
                               "points_to_use": 500}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    _deliver(t)
    earned = _balance(t, mh) - (before - 500)
    assert earned == order["payable_fen"] // 100  # 1 point per yuan paid (the default rule)
    t.post(f"/orders/{order['id']}/refund", {"reason": "不新鲜"}, mh, expect=200)
    _deliver(t)
    assert _balance(t, mh) == before
    assert _my_coupon_status(t, mh, mc) == "available"
    got = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert got["status"] == "refunded" and got["refunded_fen"] == order["payable_fen"]


def test_earned_points_already_spent_are_kept_out_of_the_refund(make):
    t, product, _member, mh = _setup(make, points=0)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 5}]}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    _deliver(t)
    assert _balance(t, mh) == 50  # 50 yuan paid
    t.post("/points/redemptions", {"amount": 30, "kind": "charity"}, mh)
    t.post(f"/orders/{order['id']}/refund", {"reason": "退货"}, mh, expect=200)
    got = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    # 30 of the 50 earned points were spent: their value (1 point = 1 fen) stays out of the money
    assert got["points_withheld_fen"] == 30
    assert got["refunded_fen"] == 5000 - 30
    assert _balance(t, mh) == 0


def test_tier_discount_comes_first_then_coupon_and_points(make):
    t, product, member, mh = _setup(make)
    with t.db.unit_of_work() as s:  # 5,000 growth makes a 黄金 member: 5 % off by default
        tiers.import_growth(s, t.tenant_id, member["id"], 5000, "test:gold", clock.now())
    mc = _claim(t, _coupon(t), mh)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}], "coupon_id": mc,
                               "points_to_use": 200}, mh)
    assert (order["member_discount_fen"], order["coupon_discount_fen"], order["points_discount_fen"]) \
        == (100, 500, 200)
    assert order["payable_fen"] == 2000 - 100 - 500 - 200 and order["discount_fen"] == 800
    regular, rh = t.member()
    plain = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}]}, rh)
    assert plain["member_discount_fen"] == 0 and plain["payable_fen"] == 1000
