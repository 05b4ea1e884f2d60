"""A member buys a plain catalogue product in the member app (issue 11): product page, cart, checkout with a
pickup point, coupon and points, sandbox payment; a leader's share link; refund and rating on the order."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from linli.core import clock
from tests.api.conftest import coupon_body
from tests.client import Client

COOKIE = "linli_member"


def _phone(t, headers) -> TestClient:
    c = Client(t.client.app, headers={"Origin": "http://testserver"})  # a browser's same-origin form posts
    c.cookies.set(COOKIE, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    return c


def _api(t, path, headers):
    r = t.client.get(f"/api/v1{path}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def _checked(page: str, name: str) -> str | None:
    """The value of the checked radio button of a form field."""
    found = re.search(rf'name="{name}" value="(\d*)"[^>]*\bchecked', page)
    return found.group(1) if found else None


def test_product_page_cart_checkout_with_coupon_and_points_then_pay(make):
    t = make.tenant()
    cid = t.default_community()
    _, point_id, _ = t.leader(cid)
    grapes = t.product(name="阳光玫瑰葡萄", price_fen=2990, stock=10, category="新鲜水果", is_fresh=True, unit="盒",
                       description="产地直发，甜度 18 以上")
    eggs = t.product(name="土鸡蛋", price_fen=1250, stock=5, category="蛋品")
    member, mh = t.member(cid)
    coupon = t.post("/coupons", coupon_body())
    t.post(f"/coupons/{coupon['id']}/claim", None, mh)
    t.post("/points/grants", {"member_id": member["id"], "amount": 300, "reason": "新人礼"})
    phone = _phone(t, mh)

    home = phone.get("/m").text
    assert f'href="/m/products/{grapes["id"]}"' in home and 'href="/m/products"' in home
    listed = phone.get(f"/m/products?category={eggs['category_id']}").text
    assert "土鸡蛋" in listed and "阳光玫瑰葡萄" not in listed and "新鲜水果" in listed  # the category bar
    page = phone.get(f"/m/products/{grapes['id']}")
    assert page.status_code == 200
    for text in ("阳光玫瑰葡萄", "¥29.90", "10 盒", "产地直发，甜度 18 以上", "生鲜", "加入购物车", "暂无图片"):
        assert text in page.text, text
    assert phone.get("/m/products/999999").status_code == 404 and phone.get("/m/products/x").status_code == 404

    r = phone.post(f"/m/cart/{grapes['id']}", data={"quantity": "1", "add": "1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/m/cart"
    phone.post(f"/m/cart/{grapes['id']}", data={"quantity": "1", "add": "1"})  # 2 now
    phone.post(f"/m/cart/{eggs['id']}", data={"quantity": "3", "add": "1"})
    phone.post(f"/m/cart/{eggs['id']}", data={"quantity": "1"})  # changed to 1
    cart = phone.get("/m/cart").text
    assert 'id="cart-total">¥72.30<' in cart, cart  # 2 × 29.90 + 12.50
    phone.post(f"/m/cart/{eggs['id']}/remove")
    assert 'id="cart-total">¥59.80<' in phone.get("/m/cart").text
    assert phone.post(f"/m/cart/{eggs['id']}", data={"quantity": "abc"}).status_code == 422

    checkout = phone.get("/m/checkout").text
    assert _checked(checkout, "pickup_point_id") == str(point_id)  # the community's leader point first
    assert "满30减5" in checkout and "-¥5.00" in checkout
    assert 'id="points-balance">300<' in checkout
    [held] = _api(t, "/me/coupons", mh)["items"]
    assert _checked(checkout, "coupon_id") == str(held["id"])  # the best usable coupon is offered first
    r = phone.post("/m/checkout", data={"pickup_point_id": str(point_id), "coupon_id": str(held["id"]),
                                        "points_to_use": "200"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    order_id = int(r.headers["location"].rsplit("/", 1)[1])
    order = _api(t, f"/orders/{order_id}", mh)
    assert order["pickup_point_id"] == point_id and order["total_fen"] == 5980
    assert (order["coupon_discount_fen"], order["points_used"], order["payable_fen"]) == (500, 200, 5280)
    assert phone.get("/m/cart").text.count('class="cart-row"') == 0  # the cart was emptied
    assert phone.post(f"/m/orders/{order_id}/pay", follow_redirects=False).status_code == 303
    paid = phone.get(f"/m/orders/{order_id}").text
    assert 'id="pickup-code"' in paid and "自提点" in paid and "申请退款" in paid


def test_checkout_refusals_keep_the_cart_and_write_nothing(make):
    t = make.tenant()
    product = t.product(name="土鸡蛋", price_fen=1250, stock=2)
    _, mh = t.member()
    phone = _phone(t, mh)
    phone.post(f"/m/cart/{product['id']}", data={"quantity": "3", "add": "1"})
    assert "库存仅剩 2" in phone.get("/m/cart").text
    point = _checked(phone.get("/m/checkout").text, "pickup_point_id")
    r = phone.post("/m/checkout", data={"pickup_point_id": point})
    assert r.status_code == 409 and "库存不足" in r.text
    r = phone.post("/m/checkout", data={"pickup_point_id": point, "points_to_use": "100"})
    assert r.status_code in (409, 422)
    assert _api(t, "/orders", mh)["items"] == []
    assert 'class="cart-row"' in phone.get("/m/cart").text  # still there
    # another member on the same phone does not see this cart
    _, other = t.member()
    phone.cookies.set(COOKIE, other["Authorization"].removeprefix("Bearer "), domain="testserver.local", path="/m")
    assert 'id="cart-empty"' in phone.get("/m/cart").text


def test_a_leader_share_link_makes_the_checkout_default_to_the_leaders_point(make):
    t = make.tenant()
    home = t.default_community()
    _, home_point, _ = t.leader(home)
    other = t.community()["id"]
    leader_id, shared_point, leader_h = t.leader(other)
    product = t.product(name="五常大米", price_fen=6990, stock=5)
    _, mh = t.member(home)
    phone = _phone(t, mh)
    assert phone.get(f"/m/products/{product['id']}?leader={leader_id}").status_code == 200
    phone.post(f"/m/cart/{product['id']}", data={"quantity": "1", "add": "1"})
    page = phone.get("/m/checkout").text
    assert _checked(page, "pickup_point_id") == str(shared_point)
    assert f'value="{home_point}"' in page  # the member's own point is offered too
    r = phone.post("/m/checkout", data={"pickup_point_id": str(shared_point), "remember": "1"},
                   follow_redirects=False)
    order_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert _api(t, f"/orders/{order_id}", leader_h)["pickup_point_id"] == shared_point  # the leader sees it
    assert _api(t, "/me/pickup-point", mh)["pickup_point_id"] == shared_point  # remembered as the default
    # a link naming no leader with a point is ignored
    fresh = _phone(t, t.member(home)[1])
    fresh.get(f"/m/products/{product['id']}?leader=999999")
    fresh.post(f"/m/cart/{product['id']}", data={"quantity": "1", "add": "1"})
    assert _checked(fresh.get("/m/checkout").text, "pickup_point_id") == str(home_point)


def test_refund_request_and_rating_on_the_order_page(make):
    t = make.tenant()
    cid = t.default_community()
    leader_id, point_id, leader_h = t.leader(cid)
    product = t.product(name="土鸡蛋", price_fen=1250, stock=10)
    fresh = t.product(name="草莓", price_fen=3000, stock=10, is_fresh=True)
    _, mh = t.member(cid)
    phone = _phone(t, mh)

    def bought(p):
        order = t.post("/orders", {"items": [{"product_id": p["id"], "quantity": 1}]}, mh)
        t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
        code = _api(t, f"/orders/{order['id']}", mh)["pickup_code"]
        t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)
        return order["id"]

    eggs, berries = bought(product), bought(fresh)
    page = phone.get(f"/m/orders/{eggs}").text
    assert 'id="rating"' in page and "申请售后" in page
    assert phone.post(f"/m/orders/{eggs}/rating", data={"stars": "9"}).status_code == 422
    r = phone.post(f"/m/orders/{eggs}/rating", data={"stars": "4", "comment": "很新鲜"}, follow_redirects=False)
    assert r.status_code == 303
    assert "已评价 ★★★★☆ · 很新鲜" in phone.get(f"/m/orders/{eggs}").text
    again = phone.post(f"/m/orders/{eggs}/rating", data={"stars": "5"})
    assert again.status_code == 409 and "已评价过" in again.text
    assert _api(t, "/leader/feedback", leader_h)["items"][0]["stars"] == 4

    assert phone.post(f"/m/orders/{eggs}/refund", data={"reason": "随便写"}).status_code == 422
    with clock.frozen_at(clock.now() + timedelta(days=20)):
        late = phone.post(f"/m/orders/{berries}/refund", data={"reason": "商品质量问题"})  # fresh: 15 days
        assert late.status_code == 409 and "已超过退货期限" in late.text
        r = phone.post(f"/m/orders/{eggs}/refund", data={"reason": "商品质量问题", "detail": "有两个破了"},
                       follow_redirects=False)
        assert r.status_code == 303
    order = _api(t, f"/orders/{eggs}", mh)
    assert order["status"] == "refunded" and order["refunded_fen"] == 1250
    assert order["timeline"][-1]["detail"]["reason"] == "商品质量问题：有两个破了"
    assert _api(t, f"/orders/{berries}", mh)["status"] == "picked_up"
    assert "申请售后" not in phone.get(f"/m/orders/{eggs}").text


def test_a_share_link_opened_before_signing_in_keeps_the_leader(make):
    t = make.tenant()
    leader_id, point_id, _ = t.leader(t.default_community())
    product = t.product()
    m, _ = t.member()
    c = Client(t.client.app, headers={"Origin": "http://testserver"})
    r = c.get(f"/m/products/{product['id']}?leader={leader_id}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/m/login?next=/m/products/{product['id']}%3Fleader%3D{leader_id}"
    r = c.post("/m/login", data={"tenant": t.slug, "username": m["username"], "password": "password-1",
                                 "next": f"/m/products/{product['id']}?leader={leader_id}"}, follow_redirects=False)
    assert r.headers["location"] == f"/m/products/{product['id']}?leader={leader_id}"
    assert c.get(r.headers["location"]).cookies.get("linli_via") == str(leader_id)
