"""Bundles: stock from components, all or nothing, the bundle price as the order's discount."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from linli.catalog import stock


def _stock(t, product_id):
    return t.client.get(f"/api/v1/products/{product_id}", headers=t.op).json()["stock"]


def _bundle(t, rice, oil, price_fen=9900):
    return t.post("/bundles", {"name": "粮油套餐", "price_fen": price_fen, "items": [
        {"product_id": rice["id"], "quantity": 2}, {"product_id": oil["id"], "quantity": 1}]})


def test_bundle_stock_price_and_refund(make):
    t = make.tenant()
    rice, oil = t.product(stock=9, price_fen=3990), t.product(stock=5, price_fen=4590)
    bundle = _bundle(t, rice, oil)
    assert bundle["list_price_fen"] == 12570 and bundle["stock"] == 4  # rice: 9 // 2
    mh = t.members(1)[0]
    order = t.post(f"/bundles/{bundle['id']}/orders", {"quantity": 2}, mh)
    assert order["source"] == "bundle" and order["total_fen"] == 25140
    assert order["payable_fen"] == 19800 and order["discount_fen"] == 5340
    assert (_stock(t, rice["id"]), _stock(t, oil["id"])) == (5, 3)
    assert t.client.get(f"/api/v1/bundles/{bundle['id']}", headers=mh).json()["stock"] == 2
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    oil_line = next(i for i in order["items"] if i["product_id"] == oil["id"])
    lines = [{"item_id": oil_line["id"], "quantity": 1}]
    part = t.post(f"/orders/{order['id']}/refund", {"reason": "油漏了", "lines": lines}, mh, expect=200)
    assert part["status"] == "paid"
    # the discount is shared in proportion: 4590 of 25140 list, of 19800 paid
    assert t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["refunded_fen"] == 4590 * 19800 // 25140
    t.post(f"/orders/{order['id']}/refund", {"reason": "全退"}, mh, expect=200)
    detail = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()
    assert detail["status"] == "refunded" and detail["refunded_fen"] == 19800
    assert (_stock(t, rice["id"]), _stock(t, oil["id"])) == (9, 5)
    with t.db.unit_of_work() as s:
        assert stock.ledger_sum(s, t.tenant_id, rice["id"]) == 9


def test_bundle_orders_never_split_components_under_contention(make):
    t = make.tenant()
    rice, oil = t.product(stock=20), t.product(stock=7)
    bundle = _bundle(t, rice, oil, price_fen=900)
    members = t.members(10)

    def attempt(i):
        return t.client.post(f"/api/v1/bundles/{bundle['id']}/orders", headers=members[i % 10]).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(attempt, range(30)))
    assert codes.count(201) == 7  # oil runs out first
    assert (_stock(t, rice["id"]), _stock(t, oil["id"])) == (6, 0)


def test_bad_bundles_are_refused(make):
    t = make.tenant()
    rice, oil = t.product(price_fen=100), t.product(price_fen=100)
    r = t.client.post("/api/v1/bundles", headers=t.op, json={"name": "贵", "price_fen": 500, "items": [
        {"product_id": rice["id"], "quantity": 1}, {"product_id": oil["id"], "quantity": 1}]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "price_above_list"
    r = t.client.post("/api/v1/bundles", headers=t.op, json={"name": "重复", "price_fen": 100, "items": [
        {"product_id": rice["id"], "quantity": 1}, {"product_id": rice["id"], "quantity": 1}]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "duplicate_component"
    r = t.client.post("/api/v1/bundles", headers=t.op, json={"name": "未知", "price_fen": 100, "items": [
        {"product_id": rice["id"], "quantity": 1}, {"product_id": 999999, "quantity": 1}]})
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_product"
    assert t.client.get("/api/v1/bundles", headers=t.op).json()["items"] == []
