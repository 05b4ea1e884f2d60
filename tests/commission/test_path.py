"""The API path: members buy at the leader's point → dashboard shows GMV and commission → a refund
lowers it → after pickup + the return window it is available → withdrawal → approval."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from tests.commission.checks import assert_consistent


def test_order_to_withdrawal(shop):
    t = shop.t
    buyers = [t.member()[1] for _ in range(2)]
    first = shop.buy(buyers[0], 10)   # 100 yuan
    shop.buy(buyers[1], 5)            # 50 yuan
    shop.due()
    expected = shop.rate_bp * 10000 // 10000 + shop.rate_bp * 5000 // 10000
    dash = shop.get("/leader/dashboard")
    assert (dash["period"], dash["gmv_fen"], dash["orders"], dash["members"]) == ("month", 15000, 2, 2)
    assert dash["commission_fen"] == expected > 0 and dash["recent_feedback"] == []
    assert dash["tier"]
    assert shop.get("/leader/dashboard?period=today")["gmv_fen"] == 15000

    item_id = first["items"][0]["id"]
    t.post(f"/orders/{first['id']}/refund", {"reason": "坏了", "lines": [{"item_id": item_id, "quantity": 4}]},
           buyers[0], expect=200)
    shop.due()
    lowered = shop.rate_bp * 6000 // 10000 + shop.rate_bp * 5000 // 10000
    assert shop.get("/leader/dashboard")["commission_fen"] == lowered
    account = shop.get("/leader/commission")
    assert (account["pending_fen"], account["available_fen"]) == (lowered, 0)
    assert [e["kind"] for e in account["entries"]][:1] == ["reversal"]

    t.post(f"/orders/{first['id']}/pickup", {"code": first["pickup_code"]}, shop.lh, expect=200)
    shop.due()
    picked = clock.now()
    shop.due(picked + timedelta(days=29))
    assert shop.get("/leader/commission")["available_fen"] == 0
    shop.due(picked + timedelta(days=30, minutes=1))
    mine = shop.rate_bp * 6000 // 10000
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["pending_fen"]) == (mine, lowered - mine)

    r = t.client.post("/api/v1/leader/withdrawals", headers={**shop.lh, "Idempotency-Key": "w1"},
                      json={"amount_fen": mine + 1})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "insufficient_commission")
    w = t.post("/leader/withdrawals", {"amount_fen": mine}, {**shop.lh, "Idempotency-Key": "w2"})
    assert w["status"] == "requested"
    again = t.client.post("/api/v1/leader/withdrawals", headers={**shop.lh, "Idempotency-Key": "w2"},
                          json={"amount_fen": mine})
    assert again.json()["id"] == w["id"]
    listed = shop.get("/withdrawals?status=requested", t.op)["items"]
    assert [x["id"] for x in listed] == [w["id"]]
    t.post(f"/withdrawals/{w['id']}/approve", None, t.op, expect=200)
    r = t.client.post(f"/api/v1/withdrawals/{w['id']}/approve", headers=t.op)
    assert (r.status_code, r.json()["error"]["code"]) == (409, "withdrawal_decided")
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["held_fen"], account["withdrawn_fen"]) == (0, 0, mine)

    month = clock.local(clock.now()).strftime("%Y-%m")
    st = shop.get(f"/leader/statements?month={month}")
    assert st == shop.get(f"/leaders/{shop.leader_id}/statements?month={month}", t.op)
    assert (st["opening_fen"], st["accrued_fen"], st["orders"]) == (0, expected, 2)
    assert st["closing_fen"] == expected - st["reversed_fen"] - st["withdrawn_fen"]
    assert_consistent(t.db, t.tenant_id, shop.leader_id)


def test_reject_returns_the_money_and_roles_are_enforced(shop):
    t = shop.t
    mh = t.member()[1]
    shop.settled(mh, 10)
    available = shop.get("/leader/commission")["available_fen"]
    w = t.post("/leader/withdrawals", {"amount_fen": available}, shop.lh)
    assert shop.get("/leader/commission")["held_fen"] == available
    assert t.client.post(f"/api/v1/withdrawals/{w['id']}/reject", headers=shop.lh,
                         json={"reason": "x"}).status_code == 403
    assert t.client.post("/api/v1/leader/withdrawals", headers=mh, json={"amount_fen": 1}).status_code == 403
    assert t.client.get("/api/v1/leader/dashboard", headers=t.op).status_code == 403
    done = t.post(f"/withdrawals/{w['id']}/reject", {"reason": "信息不全"}, t.op, expect=200)
    assert (done["status"], done["reason"]) == ("rejected", "信息不全")
    assert shop.get("/leader/commission")["available_fen"] == available
    assert t.client.get("/api/v1/leader/statements?month=2026-13", headers=shop.lh).status_code == 422


def test_refund_after_settlement_comes_from_available_then_owed(shop):
    t = shop.t
    mh = t.member()[1]
    order = shop.settled(mh, 10)
    available = shop.get("/leader/commission")["available_fen"]
    t.post("/leader/withdrawals", {"amount_fen": available}, shop.lh)
    t.post(f"/orders/{order['id']}/refund", {"reason": "退货"}, t.op, expect=200)
    shop.due()
    account = shop.get("/leader/commission")
    assert (account["available_fen"], account["owed_fen"]) == (0, available)
    assert_consistent(t.db, t.tenant_id, shop.leader_id)


def test_what_is_owed_is_paid_off_by_the_next_settlement(shop):
    t = shop.t
    mh = t.member()[1]
    first = shop.settled(mh, 10)
    owed = shop.get("/leader/commission")["available_fen"]
    t.post("/leader/withdrawals", {"amount_fen": owed}, shop.lh)
    t.post(f"/orders/{first['id']}/refund", {"reason": "退货"}, t.op, expect=200)
    second = shop.settled(mh, 30)
    account = shop.get("/leader/commission")
    assert account["owed_fen"] == 0 and account["pending_fen"] == 0
    assert account["available_fen"] == shop.rate_bp * second["payable_fen"] // 10000 - owed  # tier discounts
    settle = next(e for e in account["entries"] if e["kind"] == "settle")
    assert (settle["order_id"], settle["owed_fen"]) == (second["id"], owed)
    assert_consistent(t.db, t.tenant_id, shop.leader_id)
