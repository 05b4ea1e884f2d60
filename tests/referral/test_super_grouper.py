"""超级拼手 (seed 000: 邀请3人入群即解锁"超级拼手"特权(免单额度提升50%)), issue 11: unlocked when the
registered invites reach 3, recorded once, shown on 我的, and it raises the member's cap on points paying
for an order by half (50 % → 75 %)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from linli.models import MemberPrivilege
from tests.client import Client
from tests.factories import PASSWORD, SAME_ORIGIN
from tests.lifecycle.helpers import events, member_id_of


def _code(t, h):
    return t.client.get("/api/v1/me/referral", headers=h).json()["code"]


def _bind(t, h, code, device=None):
    body = {"code": code} | ({"device_id": device} if device else {})
    return t.client.post("/api/v1/referrals", headers=h, json=body)


def _privileges(t):
    with t.db.unit_of_work() as s:
        return [(r.member_id, r.code, r.source) for r in s.scalars(
            select(MemberPrivilege).where(MemberPrivilege.tenant_id == t.tenant_id))]


def test_three_registered_invites_unlock_it_once(make):
    t = make.tenant()
    inviter, ha = t.member()
    code = _code(t, ha)
    invitees = t.members(5)
    for h in invitees[:2]:
        assert _bind(t, h, code).status_code == 201
    mine = t.client.get("/api/v1/me/referral", headers=ha).json()
    assert (mine["invited"], mine["unlock_at"], mine["privilege_unlocked"]) == (2, 3, False)
    assert _privileges(t) == []
    # a flagged invite (the inviter's own device) does not count until an operator approves it
    t.client.post("/api/v1/auth/login", headers={"X-Device-Id": "pad-1"},
                  json={"tenant": t.slug, "username": inviter["username"], "password": PASSWORD})
    flagged = _bind(t, invitees[2], code, device="pad-1")
    assert flagged.json()["status"] == "flagged"
    assert _privileges(t) == [] and t.client.get("/api/v1/me/referral", headers=ha).json()["invited"] == 2
    t.post(f"/referrals/{flagged.json()['id']}/review", {"approve": True}, t.op, expect=200)
    assert _privileges(t) == [(inviter["id"], "super_grouper", "referral")]
    assert t.client.get("/api/v1/me/referral", headers=ha).json()["privilege_unlocked"] is True
    for h in invitees[3:]:  # more invites unlock nothing more
        assert _bind(t, h, code).status_code == 201
    assert len(_privileges(t)) == 1
    assert [e["privilege"] for e in events(t, "member.privilege_unlocked", inviter["id"])] == ["super_grouper"]


def test_concurrent_third_invites_unlock_it_exactly_once(make):
    t = make.tenant()
    inviter, ha = t.member()
    code = _code(t, ha)
    invitees = t.members(6)
    assert _bind(t, invitees[0], code).status_code == 201
    assert _bind(t, invitees[1], code).status_code == 201
    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(lambda h: _bind(t, h, code).status_code, invitees[2:]))
    assert codes == [201] * 4
    assert _privileges(t) == [(inviter["id"], "super_grouper", "referral")]
    assert len(events(t, "member.privilege_unlocked", inviter["id"])) == 1


def test_it_raises_the_points_cap_per_order_by_half(make):
    t = make.tenant()
    product = t.product(stock=10, price_fen=10000)  # 100 yuan
    (_, super_h), (_, plain_h) = t.member(), t.member()
    for h in (super_h, plain_h):
        t.post("/points/grants", {"member_id": member_id_of(t, h), "amount": 20000, "reason": "活动"}, t.op)
    code = _code(t, super_h)
    for h in t.members(3):
        assert _bind(t, h, code).status_code == 201
    assert t.client.get("/api/v1/me/points", headers=super_h).json()["max_order_deduction_percent"] == 75
    assert t.client.get("/api/v1/me/points", headers=plain_h).json()["max_order_deduction_percent"] == 50

    body = {"items": [{"product_id": product["id"], "quantity": 1}], "points_to_use": 7500}  # 75 yuan
    r = t.client.post("/api/v1/orders", json=body, headers=plain_h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "points_over_limit"
    order = t.post("/orders", body, super_h)
    assert order["payable_fen"] == 2500
    r = t.client.post("/api/v1/orders", json={**body, "points_to_use": 7600}, headers=super_h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "points_over_limit"
    # a tenant allowing 80 %: half again, but never more than the whole order
    rules = t.client.get("/api/v1/points/rules", headers=t.op).json()
    t.client.put("/api/v1/points/rules", json={**rules, "max_order_deduction_percent": 80}, headers=t.op)
    assert t.client.get("/api/v1/me/points", headers=super_h).json()["max_order_deduction_percent"] == 100


def test_my_page_shows_it(make):
    t = make.tenant()
    _, ha = t.member()
    phone = Client(t.client.app, headers=SAME_ORIGIN)
    phone.cookies.set("linli_member", ha["Authorization"].removeprefix("Bearer "), domain="testserver.local",
                      path="/m")
    page = phone.get("/m/me").text
    assert 'id="privilege-card"' in page and "再邀请 3 位即可解锁" in page and "已解锁" not in page
    code = _code(t, ha)
    for h in t.members(3):
        _bind(t, h, code)
    page = phone.get("/m/me").text
    assert 'id="privilege-unlocked"' in page and "下单积分最多抵扣 75%" in page
