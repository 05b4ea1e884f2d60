"""The issue's whole path over HTTP: apply → approve → the point is listed with its leader → members order there
and pay → the dashboard shows GMV and commission → a refund lowers the commission → pickup by code."""

from __future__ import annotations

from linli.core.jobs import run_due
from linli.events import build_registry
from tests.factories import bearer
from tests.leader.test_applications import _apply_body, _login


def test_apply_approve_sell_refund_and_hand_out(make):
    t = make.tenant()
    cid = t.default_community()
    applicant, ah = t.member()
    app = t.post("/leader-applications", _apply_body(cid), ah)
    done = t.post(f"/leader-applications/{app['id']}/approve", None, t.op, expect=200)
    points = t.client.get(f"/api/v1/pickup-points?community_id={cid}", headers=ah).json()["items"]
    assert {"id": done["pickup_point_id"], "leader_id": done["leader_id"]}.items() <= \
        next(p for p in points if p["id"] == done["pickup_point_id"]).items()
    login = _login(t, applicant["username"], role="leader")
    assert login.status_code == 200, login.text
    lh = bearer(login.json()["access_token"])

    product = t.product(stock=20, price_fen=5000)
    buyers = [t.member(cid)[1] for _ in range(2)]
    orders = []
    for mh in buyers:
        order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 2}],
                                   "pickup_point_id": done["pickup_point_id"]}, mh)
        t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
        orders.append(order)
    run_due(t.db, [], build_registry())  # order.paid → commission at the leader's rate (新团长 5 % by default)

    board = t.client.get("/api/v1/leader/dashboard", headers=lh).json()
    assert (board["gmv_fen"], board["orders"], board["members"]) == (20_000, 2, 2)
    assert board["commission_fen"] == 1_000 and board["tier"] == "none"

    t.post(f"/orders/{orders[0]['id']}/refund", {"reason": "不要了"}, buyers[0], expect=200)
    run_due(t.db, [], build_registry())
    board = t.client.get("/api/v1/leader/dashboard", headers=lh).json()
    assert (board["gmv_fen"], board["commission_fen"]) == (10_000, 500)

    kept = orders[1]["id"]
    code = t.client.get(f"/api/v1/orders/{kept}", headers=buyers[1]).json()["pickup_code"]
    wrong = "000000" if code != "000000" else "111111"
    r = t.client.post(f"/api/v1/orders/{kept}/pickup", headers=lh, json={"code": wrong})
    assert r.status_code == 409 and r.json()["error"]["code"] == "wrong_code"
    r = t.client.post(f"/api/v1/orders/{kept}/pickup", headers=buyers[0], json={"code": code})
    assert r.status_code == 403  # a plain member cannot verify pickups
    assert t.post(f"/orders/{kept}/pickup", {"code": code}, lh, expect=200)["status"] == "picked_up"
