"""Referral fission: the 1+N ladder, qualification after the return window, anti-fraud, reversal."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from linli.core.jobs import run_due
from linli.core.outbox import HandlerRegistry, drain
from linli.events import build_registry
from linli.schedule import DUE_JOBS

WINDOW = timedelta(days=30, minutes=1)


def _code(t, h):
    return t.client.get("/api/v1/me/referral", headers=h).json()["code"]


def _bind(t, h, code, device=None):
    body = {"code": code} | ({"device_id": device} if device else {})
    return t.client.post("/api/v1/referrals", headers=h, json=body)


def _buy_and_pay(t, h, product_id):
    order = t.post("/orders", {"items": [{"product_id": product_id, "quantity": 1}]}, h)
    t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    return order["id"]


def _due(t, at=None):
    return run_due(t.db, DUE_JOBS, build_registry(), at)


def _rewarded_events(t):
    seen = []
    registry = HandlerRegistry()
    registry.on("*", "spy", lambda _s, ev: seen.append((ev.topic, ev.payload.get("rung"))))
    drain(t.db, registry)
    return [x for x in seen if x[0].startswith("referral.reward")]


def test_ladder_rewards_after_the_return_window(make):
    t = make.tenant()
    product = t.product(stock=50)
    inviter, *invitees = t.members(4)
    code = _code(t, inviter)
    assert len(code) == 8 and _code(t, inviter) == code  # one code per member
    for h in invitees:
        assert _bind(t, h, code).status_code == 201
    mine = t.client.get("/api/v1/me/referral", headers=inviter).json()
    assert mine["invited"] == 3 and mine["privilege_unlocked"] is True  # invite 3 to unlock (seed 000)
    assert mine["qualified"] == 0 and mine["rewards"] == []

    for h in invitees:
        _buy_and_pay(t, h, product["id"])
    _due(t)
    assert t.client.get("/api/v1/me/referral", headers=inviter).json()["qualified"] == 0  # window not over
    _due(t, clock.now() + WINDOW)
    mine = t.client.get("/api/v1/me/referral", headers=inviter).json()
    assert mine["qualified"] == 3
    assert [(r["rung"], r["points"], r["status"]) for r in mine["rewards"]] == [(1, 100, "granted"),
                                                                                  (3, 300, "granted")]
    assert mine["next_rung"] == 5


def test_refund_before_the_window_means_no_reward(make):
    t = make.tenant()
    product = t.product(stock=10)
    inviter, invitee = t.members(2)
    _bind(t, invitee, _code(t, inviter))
    order_id = _buy_and_pay(t, invitee, product["id"])
    t.post(f"/orders/{order_id}/refund", {"reason": "不要了"}, invitee, expect=200)
    _due(t, clock.now() + WINDOW)
    mine = t.client.get("/api/v1/me/referral", headers=inviter).json()
    assert mine["qualified"] == 0 and mine["rewards"] == []


def test_reward_reversed_when_the_first_order_is_refunded_later(make):
    t = make.tenant()
    product = t.product(stock=10)
    inviter, invitee = t.members(2)
    _bind(t, invitee, _code(t, inviter))
    order_id = _buy_and_pay(t, invitee, product["id"])
    _due(t, clock.now() + WINDOW)
    assert t.client.get("/api/v1/me/referral", headers=inviter).json()["rewards"][0]["status"] == "granted"
    # customer service refunds it outside the window
    t.post(f"/orders/{order_id}/refund", {"reason": "质量问题"}, t.op, expect=200)
    _due(t, clock.now() + WINDOW)
    mine = t.client.get("/api/v1/me/referral", headers=inviter).json()
    assert mine["qualified"] == 0 and mine["rewards"][0]["status"] == "reversed"


def test_anti_fraud(make):
    t = make.tenant()
    a, b, c, d = t.members(4)
    code_a = _code(t, a)
    r = _bind(t, a, code_a)
    assert r.status_code == 422 and r.json()["error"]["code"] == "self_invite"
    assert _bind(t, t.members(1)[0], "NOSUCH12").json()["error"]["code"] == "unknown_invite_code"
    assert _bind(t, b, code_a).status_code == 201
    again = _bind(t, b, _code(t, c))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_referred"
    # the same device on both sides: held for review, no reward
    _bind(t, a, _code(t, d), device="phone-1")  # a names d as inviter from phone-1: a is seen on it
    flagged = _bind(t, c, code_a, device="phone-1")
    assert flagged.status_code == 201 and flagged.json()["status"] == "flagged"
    assert flagged.json()["flag_reason"] == "same_device"
    listed = t.client.get("/api/v1/referrals?status=flagged", headers=t.op).json()["items"]
    assert [x["id"] for x in listed] == [flagged.json()["id"]]
    reviewed = t.post(f"/referrals/{flagged.json()['id']}/review", {"approve": False}, t.op, expect=200)
    assert reviewed["status"] == "void"


def test_only_new_members_name_an_inviter(make):
    t = make.tenant()
    product = t.product(stock=5)
    inviter, old = t.members(2)
    _buy_and_pay(t, old, product["id"])
    r = _bind(t, old, _code(t, inviter))
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_new_member"


def test_program_is_configurable(make):
    t = make.tenant()
    assert t.client.get("/api/v1/referral-program", headers=t.op).json()["unlock_at"] == 3
    r = t.client.put("/api/v1/referral-program", headers=t.op,
                     json={"ladder": [{"invites": 2, "points": 50}], "unlock_at": 5})
    assert r.status_code == 200 and r.json()["ladder"] == [{"invites": 2, "points": 50}]
    bad = t.client.put("/api/v1/referral-program", headers=t.op,
                       json={"ladder": [{"invites": 3, "points": 50}, {"invites": 1, "points": 10}]})
    assert bad.status_code == 422


def test_device_seen_at_login_flags_a_self_invite(make):
    t = make.tenant()
    inviter, _ = t.member()
    r = t.client.post("/api/v1/auth/login", headers={"X-Device-Id": "ipad-7"},
                      json={"tenant": t.slug, "username": inviter["username"], "password": "password-1"})
    code = _code(t, {"Authorization": f"Bearer {r.json()['access_token']}"})
    flagged = _bind(t, t.members(1)[0], code, device="ipad-7")
    assert flagged.json()["status"] == "flagged" and flagged.json()["flag_reason"] == "same_device"
