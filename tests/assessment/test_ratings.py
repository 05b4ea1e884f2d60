"""Members rate an order once, only after pickup; the leader of its pickup point sees the feedback."""

from __future__ import annotations

from linli.assessment import service as assessment


def _picked_up(t, mh, product_id, point_id, leader_h, pick=True):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}], "pickup_point_id": point_id}, mh)
    t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
    if pick:
        code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
        t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)
    return order


def test_rating_only_after_pickup_and_once(make):
    t = make.tenant()
    leader_id, point_id, leader_h = t.leader()
    product = t.product(stock=10)
    _, mh = t.member()
    _, other_h = t.member()

    waiting = _picked_up(t, mh, product["id"], point_id, leader_h, pick=False)
    r = t.client.post(f"/api/v1/orders/{waiting['id']}/rating", json={"stars": 5}, headers=mh)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_picked_up"

    order = _picked_up(t, mh, product["id"], point_id, leader_h)
    r = t.client.post(f"/api/v1/orders/{order['id']}/rating", json={"stars": 5}, headers=other_h)
    assert r.status_code == 404  # not their order
    for bad in (0, 6):
        r = t.client.post(f"/api/v1/orders/{order['id']}/rating", json={"stars": bad}, headers=mh)
        assert r.status_code == 422
    rated = t.post(f"/orders/{order['id']}/rating", {"stars": 4, "comment": "团长很热心"}, mh)
    assert rated["leader_id"] == leader_id and rated["stars"] == 4
    r = t.client.post(f"/api/v1/orders/{order['id']}/rating", json={"stars": 1}, headers=mh)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_rated"
    # only members rate
    r = t.client.post(f"/api/v1/orders/{order['id']}/rating", json={"stars": 3}, headers=leader_h)
    assert r.status_code == 403

    page = t.client.get("/api/v1/leader/feedback", headers=leader_h).json()
    assert [(f["order_id"], f["comment"]) for f in page["items"]] == [(order["id"], "团长很热心")]
    assert t.client.get("/api/v1/leader/feedback", headers=mh).status_code == 403
    with t.db.unit_of_work() as s:
        assert [f.stars for f in assessment.recent_feedback(s, t.tenant_id, leader_id, 5)] == [4]
