"""Coupons on orders: quote, use, restore; the discount rules (percent + cap, threshold and scope)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from linli.core import clock
from linli.core.errors import Conflict, Invalid
from linli.coupon import service
from linli.coupon.service import Line
from tests.coupon.helpers import claim, coupon, window

FRUIT = 11  # a category id where the coupon has no scope (any id will do)


def _held(t, **kw):
    """A template with the given rules, and one member holding one coupon of it."""
    c = coupon(t, **kw)
    (h,) = t.members(1)
    mc = claim(t, h, c["id"]).json()["member_coupon_id"]
    from linli.core.runtime import get_runtime

    member_id = get_runtime().signer.verify(h["Authorization"].split()[1]).member_id
    return c, h, member_id, mc


def _quote(t, member_id, mc, lines):
    with t.db.unit_of_work() as s:
        return service.quote(s, t.tenant_id, member_id, mc, lines)


def _use(t, member_id, mc, order_id, lines):
    with t.db.unit_of_work() as s:
        return service.use(s, t.tenant_id, member_id, mc, order_id, lines)


def _unusable(t, member_id, mc, lines) -> str:
    with pytest.raises(Conflict) as err:
        _quote(t, member_id, mc, lines)
    assert err.value.code == "coupon_unusable"
    return err.value.message


def _catalogue(t):
    """Two real products in two real categories: (fruit category, veg category, fruit product, veg product)."""
    apple, cabbage = t.product(category="新鲜水果"), t.product(category="时令蔬菜")
    return apple["category_id"], cabbage["category_id"], apple["id"], cabbage["id"]


def test_fixed_coupon_threshold_counts_in_scope_lines_only(make):
    t = make.tenant()
    fruit_cat, veg_cat, apple, cabbage = _catalogue(t)
    _, _, m, mc = _held(t, discount_fen=1000, min_spend_fen=5000, category_ids=[fruit_cat])
    fruit, veg = Line(apple, fruit_cat, 4000), Line(cabbage, veg_cat, 9000)
    assert "5000" in _unusable(t, m, mc, [fruit, veg])  # 40 yuan of fruit: below the 50 threshold
    assert _quote(t, m, mc, [fruit, Line(apple, fruit_cat, 1000), veg]) == 1000
    assert "covered" in _unusable(t, m, mc, [veg])  # nothing in scope


def test_percent_coupon_with_cap_and_product_scope(make):
    t = make.tenant()
    fruit_cat, _veg_cat, apple, cabbage = _catalogue(t)
    _, _, m, mc = _held(t, kind="percent", discount_fen=0, percent_off=15, max_discount_fen=2000,
                        min_spend_fen=0, product_ids=[cabbage])
    assert _quote(t, m, mc, [Line(cabbage, None, 999), Line(apple, fruit_cat, 10_000)]) == 149  # 15 % of 9.99
    assert _quote(t, m, mc, [Line(cabbage, None, 50_000)]) == 2000  # capped


def test_a_discount_never_exceeds_the_in_scope_amount(make):
    t = make.tenant()
    fruit_cat, veg_cat, apple, cabbage = _catalogue(t)
    _, _, m, mc = _held(t, discount_fen=5000, min_spend_fen=0, category_ids=[veg_cat])
    assert _quote(t, m, mc, [Line(cabbage, veg_cat, 300), Line(apple, fruit_cat, 90_000)]) == 300


def test_a_scope_names_the_tenants_own_goods(make):
    t = make.tenant()
    r = t.client.post("/api/v1/coupons", headers=t.op, json={
        "name": "越界券", "discount_fen": 100, "total": 5, "valid_days": 7, "category_ids": [2**40]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_category"
    r = t.client.post("/api/v1/coupons", headers=t.op, json={
        "name": "越界券", "discount_fen": 100, "total": 5, "valid_days": 7, "product_ids": [2**40]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_product"
    assert t.client.get("/api/v1/coupons", headers=t.op).json()["items"] == []


def test_unknown_or_someone_elses_coupon(make):
    t = make.tenant()
    _, _, m, mc = _held(t, min_spend_fen=0)
    (other,) = t.members(1)
    from linli.core.runtime import get_runtime

    other_id = get_runtime().signer.verify(other["Authorization"].split()[1]).member_id
    for member_id, coupon_id in ((m, 10**9), (other_id, mc)):
        with pytest.raises(Invalid) as err:
            _quote(t, member_id, coupon_id, [Line(1, FRUIT, 100)])
        assert err.value.code == "unknown_coupon"


def test_use_once_then_restore_makes_it_usable_again(make):
    t = make.tenant()
    c, h, m, mc = _held(t, min_spend_fen=0)
    lines = [Line(1, FRUIT, 5000)]
    assert _use(t, m, mc, 501, lines) == 1000
    with pytest.raises(Conflict) as err:
        _use(t, m, mc, 502, lines)
    assert err.value.code == "coupon_unusable"
    assert t.client.get(f"/api/v1/coupons/{c['id']}", headers=t.op).json()["used"] == 1
    with t.db.unit_of_work() as s:
        assert service.restore(s, t.tenant_id, 501) is True
    with t.db.unit_of_work() as s:
        assert service.restore(s, t.tenant_id, 501) is False  # idempotent
    assert t.client.get("/api/v1/me/coupons?status=available", headers=h).json()["items"][0]["id"] == mc
    assert _use(t, m, mc, 502, lines) == 1000


def test_restore_after_expiry_leaves_it_expired(make):
    t = make.tenant()
    _, h, m, mc = _held(t, min_spend_fen=0, **window(days_to=2))
    _use(t, m, mc, 601, [Line(1, FRUIT, 5000)])
    with clock.frozen_at(clock.now() + timedelta(days=3)), t.db.unit_of_work() as s:
        assert service.restore(s, t.tenant_id, 601) is True
        with pytest.raises(Conflict):
            service.quote(s, t.tenant_id, m, mc, [Line(1, FRUIT, 5000)])
    assert t.client.get("/api/v1/me/coupons", headers=h).json()["items"][0]["status"] == "expired"


def test_not_yet_valid_and_expired_coupons_are_unusable(make):
    t = make.tenant()
    _, _, m, mc = _held(t, min_spend_fen=0, **window(days_from=-1, days_to=1))
    with clock.frozen_at(clock.now() + timedelta(days=2)):
        assert "expired" in _unusable(t, m, mc, [Line(1, FRUIT, 5000)])
    with clock.frozen_at(clock.now() - timedelta(days=2)):
        assert "not valid yet" in _unusable(t, m, mc, [Line(1, FRUIT, 5000)])


def test_a_cancelled_order_gives_its_coupon_back(make):
    """The order uses the coupon when placed and gives it back in the cancel's own transaction."""
    t = make.tenant()
    product = t.product(stock=5, price_fen=6000)
    _, h, _m, mc = _held(t, min_spend_fen=0)
    order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}], "coupon_id": mc}, h)
    assert order["coupon_id"] == mc and order["coupon_discount_fen"] > 0
    assert _status(t, h, mc) == "used"
    t.post(f"/orders/{order['id']}/cancel", None, h, expect=200)
    assert _status(t, h, mc) == "available"


def _status(t, h, mc) -> str:
    return next(x["status"] for x in t.client.get("/api/v1/me/coupons", headers=h).json()["items"] if x["id"] == mc)
