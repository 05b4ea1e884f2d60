"""星火计划: threshold boundaries, immediate promotion (handler and due job), demotion only via set_tier, and a
demotion holding for the rest of its month."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from linli.checkin import months
from linli.core import clock
from linli.core.jobs import run_due
from linli.core.outbox import drain
from linli.events import build_registry
from linli.leader import ladder
from linli.leader import service as leaders
from linli.models import LeaderTierHistory
from linli.schedule import DUE_JOBS


def _m(picked_up=0, buyers=0, new_members=0, community_members=1000, gmv_fen=0) -> ladder.Measures:
    return ladder.Measures(picked_up, buyers, new_members, community_members, gmv_fen, 0)


@pytest.mark.parametrize(("measures", "tier"), [
    (_m(picked_up=299), "none"),
    (_m(picked_up=300), "observer"),
    (_m(picked_up=1, buyers=2, new_members=59), "observer"),  # 1 + 4 + 295 = 300: every term counts
    (_m(picked_up=0, buyers=2, new_members=59), "none"),  # 299
    (_m(picked_up=1, buyers=2, new_members=59, community_members=10), "steward"),  # 300, 20 %
    (_m(picked_up=300, buyers=149), "observer"),  # 14.9 %
    (_m(picked_up=300, buyers=150), "steward"),  # 15 %
    (_m(picked_up=300, buyers=150, gmv_fen=9_999_999), "steward"),  # 99,999.99 yuan
    (_m(picked_up=300, buyers=150, gmv_fen=10_000_000), "ambassador"),  # 100,000 yuan
    (_m(picked_up=299, buyers=0, gmv_fen=50_000_000), "none"),  # each step requires the previous
    (_m(picked_up=300, buyers=0, gmv_fen=50_000_000), "observer"),
])
def test_threshold_boundaries(measures, tier):
    assert ladder.earned_tier(measures) == tier


def test_a_demotion_holds_for_the_rest_of_its_month():
    at = datetime.fromisoformat("2026-12-01T02:00:00+08:00")  # the assessment of November, on Dec 1
    assert ladder.demotion_holds("steward", "observer", at, at)
    assert ladder.demotion_holds("steward", "observer", at, datetime.fromisoformat("2026-12-31T23:59:59+08:00"))
    assert not ladder.demotion_holds("steward", "observer", at, datetime.fromisoformat("2027-01-01T00:00:00+08:00"))
    assert not ladder.demotion_holds("observer", "steward", at, at)  # a promotion holds nothing back
    # local months: 2026-12-01 01:00 in Shanghai is still November in UTC
    early = datetime.fromisoformat("2026-11-30T17:00:00+00:00")
    assert ladder.demotion_holds("steward", "none", early, datetime.fromisoformat("2026-12-20T00:00:00+08:00"))
    assert not ladder.demotion_holds("steward", "none", early, datetime.fromisoformat("2026-11-30T23:00:00+08:00"))


def test_type_rule():
    assert ladder.leader_type("resource", ["store"], _m())[0] == "service"
    social = ladder.Measures(0, 10, 0, 100, 0, 4)
    assert ladder.leader_type("resource", ["leader_home"], social)[0] == "social"
    assert ladder.leader_type("resource", ["leader_home"], ladder.Measures(0, 10, 0, 100, 0, 3))[0] == "resource"
    assert ladder.leader_type("service", ["leader_home"], ladder.Measures(0, 9, 0, 100, 0, 9))[0] == "service"


def _history(t, leader_id):
    with t.db.unit_of_work() as s:
        return [(h.from_tier, h.to_tier) for h in s.query(LeaderTierHistory)
                .filter_by(tenant_id=t.tenant_id, leader_id=leader_id).order_by(LeaderTierHistory.id)]


def _tier(t, leader_id):
    with t.db.unit_of_work() as s:
        return leaders.tier_of(s, t.tenant_id, leader_id)


def test_promotion_on_payment_and_no_demotion_by_the_job(make):
    t = make.tenant()
    leader_id, point_id, _ = t.leader()
    buyers = t.members(59)  # 59 new members of the leader's community: activity 295
    run_due(t.db, DUE_JOBS, build_registry())
    assert _tier(t, leader_id) == "none"
    with t.db.unit_of_work() as s:
        progress = leaders.ladder_progress(s, t.tenant_id, leader_id)
    assert (progress.activity, progress.next_tier, progress.next_threshold) == (295, "observer", {"activity": 300})

    product = t.product(stock=100, price_fen=1000)
    for h in buyers[:3]:  # 3 distinct buyers: +6 → 301, promoted as soon as the payment is handled
        order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                   "pickup_point_id": point_id}, h)
        t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
    drain(t.db, build_registry())
    assert _tier(t, leader_id) == "observer"  # conversion 3/59 ≈ 5 % < 15 %: not steward
    assert _history(t, leader_id) == [("none", "observer")]
    with t.db.unit_of_work() as s:
        assert leaders.commission_rate_bp(s, t.tenant_id, leader_id) == 600
        assert leaders.leader_of_point(s, t.tenant_id, point_id) == leader_id

    with t.db.unit_of_work() as s:  # the assessment may put a leader anywhere; the job never lowers it
        assert leaders.set_tier(s, t.tenant_id, leader_id, "ambassador", "manual") is True
        assert leaders.set_tier(s, t.tenant_id, leader_id, "ambassador", "again") is False
    run_due(t.db, DUE_JOBS, build_registry())
    assert _tier(t, leader_id) == "ambassador"
    last_month = months.bounds(months.month_of(months.today()))[0] - timedelta(minutes=1)
    with t.db.unit_of_work() as s, clock.frozen_at(last_month):  # demoted last month: that hold is over
        leaders.set_tier(s, t.tenant_id, leader_id, "none", "assessment: warning")
    run_due(t.db, DUE_JOBS, build_registry())  # still earns observer: promoted again by the job
    assert _tier(t, leader_id) == "observer"
    with t.db.unit_of_work() as s:  # demoted this month: it holds until the month is out
        leaders.set_tier(s, t.tenant_id, leader_id, "none", "assessment: bottom 20 %")
    run_due(t.db, DUE_JOBS, build_registry())
    assert _tier(t, leader_id) == "none"
    assert _history(t, leader_id) == [("none", "observer"), ("observer", "ambassador"), ("ambassador", "none"),
                                      ("none", "observer"), ("observer", "none")]
    with t.db.unit_of_work() as s:
        assert leaders.ladder_progress(s, t.tenant_id, leader_id).earned_tier == "observer"

    detail = t.client.get(f"/api/v1/leaders/{leader_id}", headers=t.op).json()
    assert detail["profile"]["tier"] == "none" and len(detail["history"]) == 5
    listed = t.client.get("/api/v1/leaders?tier=none", headers=t.op).json()["items"]
    assert [x["id"] for x in listed] == [leader_id]


def test_tier_table_defaults_and_override(make):
    t = make.tenant()
    leader_id, _, _ = t.leader()
    table = t.client.get("/api/v1/leader-tiers", headers=t.op).json()
    assert [(x["tier"], x["commission_bp"]) for x in table] == [
        ("none", 500), ("observer", 600), ("steward", 800), ("ambassador", 1000)]
    r = t.client.put("/api/v1/leader-tiers", headers=t.op, json={"items": [
        {"tier": "none", "commission_bp": 550, "training_access": True, "priority_selection": False,
         "marketing_subsidy_fen": 0}]})
    assert r.status_code == 200 and r.json()[0]["commission_bp"] == 550
    with t.db.unit_of_work() as s:
        assert leaders.commission_rate_bp(s, t.tenant_id, leader_id) == 550


def test_each_threshold_met_by_real_orders_promotes_at_the_boundary(make):
    """60 new neighbours (activity 300) → 社区观察员; the 9th of 60 buying (15 %) → 社区管家; cumulative GMV
    reaching exactly 100,000 yuan → 社区大使. One step short of each boundary does not promote."""
    t = make.tenant()
    leader_id, point_id, _ = t.leader()
    buyers = t.members(60)
    big = t.product(stock=100, price_fen=1_111_111)  # 9 of them: 99,999.99 yuan
    cent = t.product(stock=100, price_fen=1)

    def pay(h, product):
        order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                   "pickup_point_id": point_id}, h)
        t.post(f"/orders/{order['id']}/pay", None, h, expect=200)
        drain(t.db, build_registry())

    def progress():
        with t.db.unit_of_work() as s:
            return leaders.ladder_progress(s, t.tenant_id, leader_id)

    run_due(t.db, DUE_JOBS, build_registry())
    assert (progress().activity, progress().community_members, _tier(t, leader_id)) == (300, 60, "observer")
    for h in buyers[:8]:
        pay(h, big)
    assert (progress().conversion_bp, _tier(t, leader_id)) == (1333, "observer")  # 8 / 60
    pay(buyers[8], big)
    assert (progress().conversion_bp, progress().gmv_fen, _tier(t, leader_id)) == (1500, 9_999_999, "steward")
    pay(buyers[0], cent)
    assert (progress().gmv_fen, _tier(t, leader_id)) == (10_000_000, "ambassador")
    assert _history(t, leader_id) == [("none", "observer"), ("observer", "steward"), ("steward", "ambassador")]
