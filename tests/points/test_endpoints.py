"""The points HTTP API: grants, redemptions of every kind, the member's and the operator's views,
rules and the catalogue; bad input answers the error shape and writes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from linli.models import PointsEntry, PointsRedemption, PointsTransaction
from tests.points.checks import assert_consistent

API = "/api/v1"


def _grant(bank, member_id, amount, key=None):
    headers = {**bank.t.op, **({"Idempotency-Key": key} if key else {})}
    return bank.t.client.post(f"{API}/points/grants", headers=headers,
                              json={"member_id": member_id, "amount": amount, "reason": "活动奖励"})


def _redeem(bank, headers, body, key=None):
    return bank.t.client.post(f"{API}/points/redemptions", json=body,
                              headers={**headers, **({"Idempotency-Key": key} if key else {})})


def _rows(bank):
    with bank.db.unit_of_work() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in
                     (PointsTransaction, PointsEntry, PointsRedemption))


def _error(r, status, code):
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]


def test_an_idempotent_grant_sent_twice_credits_once(bank):
    m, mh = bank.member()
    first = _grant(bank, m, 120, key="grant-1")
    again = _grant(bank, m, 120, key="grant-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers.get("Idempotent-Replayed") == "true"
    assert first.json()["balance"] == 120 and first.json()["member_id"] == m
    me = bank.t.client.get(f"{API}/me/points", headers=mh).json()
    assert me["balance"] == 120 and me["points_per_yuan_deduction"] == 100
    assert me["next_expiry"]["amount"] == 120 and me["expiring_soon"] == []
    assert_consistent(bank.db, bank.t.tenant_id)


def test_bad_grants_write_nothing(bank):
    m, mh = bank.member()
    before = _rows(bank)
    for amount in (0, -10):
        _error(_grant(bank, m, amount), 422, "validation_error")
    _error(_grant(bank, 2**40, 10), 422, "unknown_member")
    r = bank.t.client.post(f"{API}/points/grants", headers=mh, json={"member_id": m, "amount": 5, "reason": "x"})
    _error(r, 403, "forbidden")
    assert _rows(bank) == before


def test_redemptions_of_every_kind(bank):
    m, mh = bank.member()
    _grant(bank, m, 1000)
    item = bank.t.post("/points/catalog-items", {"name": "环保袋", "points_cost": 150, "stock": 3})
    goods = _redeem(bank, mh, {"kind": "goods", "item_id": item["id"], "quantity": 2, "amount": 300})
    assert goods.status_code == 201, goods.text
    assert goods.json()["balance"] == 700 and goods.json()["kind"] == "goods"
    fee = _redeem(bank, mh, {"kind": "property_fee", "amount": 500, "note": "3幢2单元501 2026年3月物业费"})
    assert fee.status_code == 201 and fee.json()["value_fen"] == 500 and fee.json()["balance"] == 200
    gift = _redeem(bank, mh, {"kind": "charity", "amount": 100})
    assert gift.status_code == 201 and gift.json()["balance"] == 100
    community_id = gift.json()["community_id"]
    assert community_id == bank.t.default_community()
    left = bank.t.client.get(f"{API}/points/catalog-items/{item['id']}", headers=mh).json()
    assert left["stock"] == 1
    _error(_redeem(bank, mh, {"kind": "goods", "item_id": item["id"], "quantity": 2, "amount": 300}),
           409, "insufficient_points")
    _grant(bank, m, 1000)
    _error(_redeem(bank, mh, {"kind": "goods", "item_id": item["id"], "quantity": 2, "amount": 300}),
           409, "out_of_stock")
    history = bank.t.client.get(f"{API}/me/points/entries?limit=2", headers=mh).json()
    assert [e["kind"] for e in history["items"]] == ["grant", "redeem_charity"] and history["next_cursor"]
    rest = bank.t.client.get(f"{API}/me/points/entries?cursor={history['next_cursor']}", headers=mh).json()
    assert [e["kind"] for e in rest["items"]] == ["redeem_property_fee", "redeem_goods", "grant"]
    assert rest["items"][0]["balance_after"] == 200 and rest["next_cursor"] is None
    assert_consistent(bank.db, bank.t.tenant_id)


def test_charity_running_total_per_community(bank):
    home, other = bank.t.default_community(), bank.t.community()["id"]
    (a, ah), (b, bh) = bank.member(), bank.member()
    c, ch = bank.t.member(community_id=other)
    for member_id in (a, b, c["id"]):
        _grant(bank, member_id, 100)
    for h, amount in ((ah, 10), (ah, 20), (bh, 5), (ch, 50)):
        assert _redeem(bank, h, {"kind": "charity", "amount": amount}).status_code == 201
    assert bank.t.client.get(f"{API}/communities/{home}/charity", headers=ah).json() == {
        "community_id": home, "total_points": 35, "donors": 2}
    assert bank.t.client.get(f"{API}/communities/{other}/charity", headers=bank.t.op).json() == {
        "community_id": other, "total_points": 50, "donors": 1}
    _error(bank.t.client.get(f"{API}/communities/{2**40}/charity", headers=ah), 404, "community_not_found")


def test_bad_redemptions_write_nothing(bank):
    m, mh = bank.member()
    _grant(bank, m, 1000)
    item = bank.t.post("/points/catalog-items", {"name": "大米", "points_cost": 200, "stock": 5})
    off = bank.t.post("/points/catalog-items", {"name": "旧款", "points_cost": 10, "stock": 5, "active": False})
    before = _rows(bank)
    cases = [
        ({"kind": "charity", "amount": 0}, 422, "validation_error"),
        ({"kind": "charity", "amount": -5}, 422, "validation_error"),
        ({"kind": "goods", "amount": 200}, 422, "validation_error"),  # no item
        ({"kind": "goods", "item_id": 2**40, "amount": 200}, 422, "unknown_item"),
        ({"kind": "goods", "item_id": item["id"], "quantity": 2, "amount": 200}, 422, "amount_mismatch"),
        ({"kind": "goods", "item_id": off["id"], "amount": 10}, 409, "item_unavailable"),
        ({"kind": "property_fee", "amount": 100}, 422, "validation_error"),  # which bill?
        ({"kind": "charity", "amount": 1001}, 409, "insufficient_points"),
    ]
    for body, status, code in cases:
        _error(_redeem(bank, mh, body), status, code)
    assert _rows(bank) == before
    _error(_redeem(bank, bank.t.op, {"kind": "charity", "amount": 5}), 403, "forbidden")


def test_a_repeated_redemption_answers_the_first_response(bank):
    m, mh = bank.member()
    _grant(bank, m, 100)
    first = _redeem(bank, mh, {"kind": "charity", "amount": 40}, key="gift-1")
    again = _redeem(bank, mh, {"kind": "charity", "amount": 40}, key="gift-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert bank.balance(m) == 60


def test_operator_sees_a_members_points(bank):
    m, mh = bank.member()
    _grant(bank, m, 30)
    _grant(bank, m, 20)
    got = bank.t.client.get(f"{API}/members/{m}/points?limit=1", headers=bank.t.op).json()
    assert got["member_id"] == m and got["balance"] == 50
    assert [e["amount"] for e in got["items"]] == [20] and got["next_cursor"]
    _error(bank.t.client.get(f"{API}/members/{2**40}/points", headers=bank.t.op), 404, "member_not_found")
    _error(bank.t.client.get(f"{API}/members/{m}/points", headers=mh), 403, "forbidden")


def test_rules_are_read_and_replaced_by_operators(bank):
    client, op = bank.t.client, bank.t.op
    rules = client.get(f"{API}/points/rules", headers=op).json()
    assert rules["review"] == {"points": 10, "daily_cap": 30, "enabled": True}
    assert rules["expiry"] == "end_of_next_year" and rules["max_order_deduction_percent"] == 50
    body = {"review": {"points": 20, "daily_cap": 40}, "expiry": "days", "expiry_days": 365,
            "points_per_yuan_deduction": 50}
    put = client.put(f"{API}/points/rules", headers=op, json=body)
    assert put.status_code == 200, put.text
    got = client.get(f"{API}/points/rules", headers=op).json()
    assert got["review"] == {"points": 20, "daily_cap": 40, "enabled": True} and got["expiry_days"] == 365
    assert got["share"] == {"points": 5, "daily_cap": 20, "enabled": True}  # omitted: the default
    _error(client.put(f"{API}/points/rules", headers=op, json={"expiry": "days"}), 422, "validation_error")
    _, mh = bank.member()
    _error(client.get(f"{API}/points/rules", headers=mh), 403, "forbidden")


def test_catalogue_crud(bank):
    client, op = bank.t.client, bank.t.op
    item = bank.t.post("/points/catalog-items", {"name": "鸡蛋一盒", "points_cost": 300, "stock": 10,
                                                 "description": "土鸡蛋10枚"})
    patched = client.patch(f"{API}/points/catalog-items/{item['id']}", headers=op, json={"stock": 20, "active": False})
    assert patched.status_code == 200 and patched.json()["stock"] == 20 and patched.json()["active"] is False
    _, mh = bank.member()
    assert client.get(f"{API}/points/catalog-items", headers=mh).json()["items"] == []  # members: active only
    assert [i["id"] for i in client.get(f"{API}/points/catalog-items", headers=op).json()["items"]] == [item["id"]]
    _error(client.get(f"{API}/points/catalog-items/{item['id']}", headers=mh), 404, "item_not_found")
    _error(client.patch(f"{API}/points/catalog-items/{2**40}", headers=op, json={"stock": 1}), 404, "item_not_found")
    _error(client.patch(f"{API}/points/catalog-items/{item['id']}", headers=op, json={"stock": -1}),
           422, "validation_error")
    _error(client.post(f"{API}/points/catalog-items", headers=op, json={"name": "x", "points_cost": 0, "stock": 1}),
           422, "validation_error")


def test_points_expiring_within_30_days_are_shown(bank):
    m, mh = bank.member()
    _grant(bank, m, 70)  # expires at the end of next year
    bank.rules(expiry="days", expiry_days=10)
    _grant(bank, m, 30)
    me = bank.t.client.get(f"{API}/me/points", headers=mh).json()
    assert me["balance"] == 100
    assert [e["amount"] for e in me["expiring_soon"]] == [30] and me["next_expiry"]["amount"] == 30
    assert me["expiring_soon"][0]["expires_at"].endswith("+08:00")
