"""Every order has a pickup point (issue 11): the one named, else the member's chosen point, else their
community's (a leader-run point first); a community without a point is a clear 409, and campaign orders
get a point the same way."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock


def _order(t, headers, product_id, qty=1, **kw):
    return t.client.post("/api/v1/orders", json={"items": [{"product_id": product_id, "quantity": qty}], **kw},
                         headers=headers)


def _points(t, community_id):
    return t.client.get(f"/api/v1/pickup-points?community_id={community_id}", headers=t.op).json()["items"]


def test_an_order_without_a_point_goes_to_the_community_leader_and_the_leader_hands_it_out(make):
    t = make.tenant()
    cid = t.default_community()
    leader_id, point_id, leader_h = t.leader(cid)
    product = t.product(stock=5)
    _, mh = t.member(cid)
    r = _order(t, mh, product["id"])
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["pickup_point_id"] == point_id  # the leader's point comes before the community's store
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
    assert t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)["status"] == "picked_up"


def test_without_a_leader_the_community_store_is_the_default(make):
    t = make.tenant()
    cid = t.default_community()
    [store] = _points(t, cid)
    _, mh = t.member(cid)
    order = _order(t, mh, t.product()["id"]).json()
    assert order["pickup_point_id"] == store["id"]


def test_a_community_without_any_point_is_a_clear_409_and_nothing_is_written(make):
    t = make.tenant()
    bare = t.community(pickup_point=False)["id"]
    product = t.product(stock=5)
    _, mh = t.member(bare)
    r = _order(t, mh, product["id"])
    assert r.status_code == 409 and r.json()["error"]["code"] == "no_pickup_point", r.text
    assert t.client.get(f"/api/v1/products/{product['id']}", headers=t.op).json()["stock"] == 5
    assert t.client.get("/api/v1/orders", headers=mh).json()["items"] == []
    # naming a point (any of the tenant's) still works
    elsewhere = _points(t, t.community()["id"])[0]["id"]
    r = _order(t, mh, product["id"], pickup_point_id=elsewhere)
    assert r.status_code == 201 and r.json()["pickup_point_id"] == elsewhere


def test_the_member_chooses_a_point_and_orders_go_there(make):
    t = make.tenant()
    home = t.default_community()
    _, home_leader_point, _ = t.leader(home)
    work = t.community()["id"]
    _, work_point, _ = t.leader(work)
    _, mh = t.member(home)
    mine = t.client.get("/api/v1/me/pickup-point", headers=mh).json()
    assert (mine["pickup_point_id"], mine["chosen"]) == (home_leader_point, False)
    assert mine["point"]["community_id"] == home

    r = t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": work_point}, headers=mh)
    assert r.status_code == 200 and (r.json()["pickup_point_id"], r.json()["chosen"]) == (work_point, True)
    product = t.product()
    assert _order(t, mh, product["id"]).json()["pickup_point_id"] == work_point
    # a point named on the order wins over the chosen one
    assert _order(t, mh, product["id"], pickup_point_id=home_leader_point).json()["pickup_point_id"] \
        == home_leader_point

    bad = t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": 10**12}, headers=mh)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_pickup_point"
    back = t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": None}, headers=mh).json()
    assert (back["pickup_point_id"], back["chosen"]) == (home_leader_point, False)
    assert _order(t, mh, product["id"]).json()["pickup_point_id"] == home_leader_point


def test_another_tenants_point_cannot_be_chosen(make):
    a, b = make.tenant(), make.tenant()
    _, a_point, _ = a.leader()
    _, mh = b.member()
    r = b.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": a_point}, headers=mh)
    assert r.status_code == 422 and r.json()["error"]["code"] == "unknown_pickup_point"


def test_campaign_orders_get_the_default_point(make):
    t = make.tenant()
    cid = t.default_community()
    _, point_id, _ = t.leader(cid)
    _, mh = t.member(cid)
    product = t.product(stock=50)
    now = clock.now()
    sale = t.post("/flash-sales", {"product_id": product["id"], "price_fen": 500, "quantity": 5,
                                   "per_member_limit": 2, "starts_at": (now - timedelta(minutes=1)).isoformat(),
                                   "ends_at": (now + timedelta(hours=1)).isoformat()})
    campaign = t.post("/group-buys", {"product_id": product["id"], "price_fen": 700, "group_size": 2,
                                      "time_limit_hours": 24, "stock": 4})
    presale = t.post("/presales", {"product_id": product["id"], "price_fen": 800, "quantity": 5,
                                   "starts_at": (now - timedelta(minutes=1)).isoformat(),
                                   "ends_at": (now + timedelta(days=1)).isoformat(),
                                   "delivers_at": (now + timedelta(days=3)).isoformat()})
    other = t.product(stock=50)
    bundle = t.post("/bundles", {"name": "组合", "price_fen": 900, "items": [
        {"product_id": product["id"], "quantity": 1}, {"product_id": other["id"], "quantity": 1}]})
    order_ids = [
        t.post(f"/flash-sales/{sale['id']}/purchase", {"quantity": 1}, mh)["order_id"],
        t.post(f"/group-buys/{campaign['id']}/groups", None, mh)["order_id"],
        t.post(f"/presales/{presale['id']}/orders", {"quantity": 1}, mh)["id"],
        t.post(f"/bundles/{bundle['id']}/orders", {"quantity": 1}, mh)["id"],
    ]
    points = {t.client.get(f"/api/v1/orders/{i}", headers=mh).json()["pickup_point_id"] for i in order_ids}
    assert points == {point_id}
