"""Growth and tiers: upgrade at once, downgrade only at the yearly review, action growth, benefits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from linli.core import clock
from linli.models import GrowthEntry, MemberTierHistory
from linli.tier import service as tiers
from tests.lifecycle.helpers import buy_and_pay, count, due, events, picked_up, rate

NEW_YEAR = datetime(2027, 1, 1, 0, 0)  # naive: Asia/Shanghai


def _tier(t, h):
    return t.client.get("/api/v1/me/tier", headers=h).json()


def test_upgrade_at_once_downgrade_only_at_the_yearly_review(make):
    t = make.tenant()
    product = t.product(stock=10, price_fen=60000)  # 600 yuan: 600 growth
    m, h = t.member()
    buy_and_pay(t, h, product["id"])
    due(t)
    mine = _tier(t, h)
    assert (mine["tier"], mine["growth"], mine["next_tier"], mine["growth_needed"]) == ("regular", 600, "silver", 400)
    second = buy_and_pay(t, h, product["id"])
    due(t)
    mine = _tier(t, h)
    assert (mine["tier"], mine["name"], mine["growth"]) == ("silver", "白银会员", 1200)
    assert mine["benefits"] == {"discount_percent": 2, "flash_sale_early_minutes": 0, "group_size_max": 30,
                                "priority_service": True}
    assert [(e["from"], e["to"]) for e in events(t, "member.tier_changed", m["id"])] == [("regular", "silver")]

    # a refund takes its order's growth back, but the tier holds until the review
    t.post(f"/orders/{second}/refund", {"reason": "不要了"}, h, expect=200)
    due(t)
    assert (_tier(t, h)["tier"], _tier(t, h)["growth"]) == ("silver", 600)
    with t.db.unit_of_work() as s:
        assert tiers.tier_of(s, t.tenant_id, m["id"]) == "silver"

    due(t, datetime(2026, 12, 31, 23, 59))
    assert _tier(t, h)["earned_tier"] == "silver"  # 31 December: not yet
    due(t, NEW_YEAR)
    view = t.client.get(f"/api/v1/members/{m['id']}/tier", headers=t.op).json()
    assert view["earned_tier"] == "regular" and view["growth"] == 600
    assert ("silver", "regular", "yearly_review") in [(x["from_tier"], x["to_tier"], x["reason"])
                                                       for x in view["history"]]
    rows = count(t, MemberTierHistory)
    due(t, datetime(2027, 1, 15))  # the review runs once a year
    assert count(t, MemberTierHistory) == rows


def test_growth_expires_after_twelve_months_at_the_review(make):
    t = make.tenant()
    product = t.product(stock=10, price_fen=150000)
    m, h = t.member()
    buy_and_pay(t, h, product["id"], at=clock.as_utc(datetime(2025, 12, 20)))
    due(t, datetime(2025, 12, 20, 1))
    assert _tier(t, h)["tier"] == "silver"
    due(t, datetime(2026, 1, 1, 0, 0))  # the 2026 review: growth earned in 2025 still counts
    assert _tier(t, h)["earned_tier"] == "silver"
    due(t, NEW_YEAR)
    mine = _tier(t, h)
    assert (mine["earned_tier"], mine["growth"]) == ("regular", 0)
    with t.db.unit_of_work() as s:  # the ledger still sums to the balance
        total = s.scalar(select(func.sum(GrowthEntry.delta)).where(GrowthEntry.member_id == m["id"]))
    assert total == 0


def test_actions_earn_growth_once_per_kind_per_day(make):
    t = make.tenant()
    _, point_id, leader_h = t.leader()
    product = t.product(price_fen=100)  # 1 yuan: 1 growth per order
    m, h = t.member()
    orders = [picked_up(t, h, product["id"], point_id, leader_h) for _ in range(2)]
    for order_id in orders:  # two reviews today: the review's growth once
        rate(t, h, order_id)
    t.post("/checkins", None, h)
    t.login(m["username"])
    due(t)
    assert _tier(t, h)["growth"] == 2 + 5 + 1  # orders 2, review 5 (once today), check-in 1, login 0


def test_ladder_is_configurable_and_validated(make):
    t = make.tenant()
    program = t.client.get("/api/v1/tiers", headers=t.op).json()
    assert [(lv["code"], lv["min_growth"]) for lv in program["levels"]] == [
        ("regular", 0), ("silver", 1000), ("gold", 5000)]
    program["levels"][1]["min_growth"] = 10
    program["growth_per_yuan"] = 2
    r = t.client.put("/api/v1/tiers", json=program, headers=t.op)
    assert r.status_code == 200 and r.json()["levels"][1]["min_growth"] == 10
    bad = {**program, "levels": list(reversed(program["levels"]))}
    assert t.client.put("/api/v1/tiers", json=bad, headers=t.op).status_code == 422
    bad = {**program, "levels": [program["levels"][0], {**program["levels"][1], "min_growth": 0},
                                 program["levels"][2]]}
    r = t.client.put("/api/v1/tiers", json=bad, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"]
    bad = {**program, "growth_per_yuan": -1}
    assert t.client.put("/api/v1/tiers", json=bad, headers=t.op).status_code == 422
    m, h = t.member()
    assert t.client.get("/api/v1/tiers", headers=h).status_code == 403
    assert t.client.get("/api/v1/members/999999/tier", headers=t.op).status_code == 404
    product = t.product(stock=5, price_fen=1000)
    buy_and_pay(t, h, product["id"])
    due(t)
    assert (_tier(t, h)["growth"], _tier(t, h)["tier"]) == (20, "silver")  # 10 yuan × 2


def test_group_buy_start_uses_the_members_tier(make):
    t = make.tenant()
    program = t.client.get("/api/v1/tiers", headers=t.op).json()
    program["levels"][1]["min_growth"] = 1
    t.client.put("/api/v1/tiers", json=program, headers=t.op)
    product = t.product(stock=100, price_fen=3990)
    campaign = t.post("/group-buys", {"product_id": product["id"], "price_fen": 2990, "group_size": 3,
                                      "time_limit_hours": 24, "stock": 50, "size_by_tier": {"silver": 20}})
    (_, plain), (_, silver) = t.member(), t.member()
    t.post("/checkins", None, silver)  # check-in growth 1: silver
    due(t)
    assert _tier(t, silver)["tier"] == "silver"
    g1 = t.post(f"/group-buys/{campaign['id']}/groups", None, plain)
    g2 = t.post(f"/group-buys/{campaign['id']}/groups", None, silver)
    sizes = [t.client.get(f"/api/v1/groups/{g['group_id']}", headers=t.op).json()["size"] for g in (g1, g2)]
    assert sizes == [3, 20]
