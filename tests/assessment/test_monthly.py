"""The monthly run on ~10 leaders with different GMV, ratings and activity: scores, ranks, titles,
demotion of the bottom, warnings, and the warning → help plan → replacement path over consecutive months."""

from __future__ import annotations

from datetime import timedelta

from linli.checkin import months
from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.leader import service as leaders
from linli.schedule import DUE_JOBS


def _month_after(month: str) -> str:
    return months.month_of(months.next_first(months.parse(month)))


def _run(t, month: str) -> None:
    """run-due at 00:00 Asia/Shanghai on the 1st after `month`."""
    run_due(t.db, DUE_JOBS, build_registry(), at=months.bounds(month)[1])


def _tenant_with_leaders(t, n=10):
    """Leader i has its own community, i members who each buy, pick up and rate one order; the last
    leader's members also check in. Everyone starts as 社区管家 (steward)."""
    product = t.product(stock=500, price_fen=1000)
    out = []
    for i in range(n):
        c = t.community()["id"]
        leader_id, point_id, leader_h = t.leader(community_id=c)
        for mh in t.members(i, community_id=c):
            order = t.post("/orders", {"items": [{"product_id": product["id"], "quantity": 1}],
                                       "pickup_point_id": point_id}, mh)
            t.post(f"/orders/{order['id']}/pay", None, mh, expect=200)
            code = t.client.get(f"/api/v1/orders/{order['id']}", headers=mh).json()["pickup_code"]
            t.post(f"/orders/{order['id']}/pickup", {"code": code}, leader_h, expect=200)
            t.post(f"/orders/{order['id']}/rating", {"stars": 5 if i >= 5 else 3}, mh)
            if i == n - 1:
                t.post("/checkins", None, mh)
        out.append((leader_id, leader_h))
    with t.db.unit_of_work() as s:
        for leader_id, _ in out:
            leaders.set_tier(s, t.tenant_id, leader_id, "steward", "test setup")
    return out


def _ranking(t, month):
    return t.client.get("/api/v1/assessments", params={"month": month, "limit": 200}, headers=t.op).json()["items"]


def test_monthly_run_scores_ranks_titles_demotes_and_warns(make):
    t = make.tenant()
    ls = _tenant_with_leaders(t)
    ids = [lid for lid, _ in ls]
    month = months.month_of(months.today())
    _run(t, month)

    rows = _ranking(t, month)
    assert [r["rank"] for r in rows] == list(range(1, 11))
    by_leader = {r["leader_id"]: r for r in rows}
    best, worst = by_leader[ids[9]], by_leader[ids[0]]
    assert best["rank"] == 1 and best["title"] == "金牌团长"
    assert best["sales_score"] == best["growth_score"] == best["activity_score"] == 100
    assert best["sales_fen"] == 9000 and best["new_members"] == 18 and best["avg_stars"] == 5
    assert [r["title"] for r in rows[1:3]] == ["优秀团长", "优秀团长"] and rows[3]["title"] is None
    # no ratings: a neutral 60 service score; nothing else → 60 × 25 % = 15
    assert worst["rank"] == 10 and worst["service_score"] == 60 and worst["total"] == 15
    assert worst["warned"] and not best["warned"]
    totals = [r["total"] for r in rows]
    assert totals == sorted(totals, reverse=True)
    # the bottom 20 % drop one step; the rest keep their tier
    assert [(r["tier_before"], r["tier_after"]) for r in rows[-2:]] == [("steward", "observer")] * 2
    assert all(r["tier_after"] == "steward" for r in rows[:-2])
    with t.db.unit_of_work() as s:
        assert leaders.tier_of(s, t.tenant_id, ids[0]) == "observer"
        assert leaders.tier_of(s, t.tenant_id, ids[9]) == "steward"

    mine = t.client.get("/api/v1/leader/assessments", headers=ls[0][1]).json()
    assert mine["assessments"][0]["month"] == month and mine["assessments"][0]["warned"]
    assert [(c["kind"], c["streak"]) for c in mine["cases"]] == [("warning", 1)]
    assert mine["cases"][0]["events"][0]["actor_role"] == "system"

    # re-running the month (job or operator) does not duplicate, nor demote twice
    _run(t, month)
    clock.set_process_time(months.bounds(month)[1] + timedelta(hours=1))
    try:
        assert t.post("/assessments/run", {"month": month}, t.op, expect=200)["leaders"] == 10
    finally:
        clock.set_process_time(None)
    assert len(_ranking(t, month)) == 10
    again = t.client.get(f"/api/v1/leaders/{ids[0]}/assessments", headers=t.op).json()
    assert len(again["assessments"]) == 1 and len(again["cases"]) == 1
    assert again["assessments"][0]["tier_after"] == "observer"
    r = t.client.post("/api/v1/assessments/run", json={"month": month}, headers=t.op)
    assert r.status_code == 422 and r.json()["error"]["code"] == "month_not_over"


def test_consecutive_warnings_lead_to_help_plan_then_replacement(make):
    t = make.tenant()
    ls = _tenant_with_leaders(t, n=5)
    weak_id, weak_h = ls[0]
    m1 = months.month_of(months.today())
    m2, m3 = _month_after(m1), _month_after(_month_after(m1))
    for m in (m1, m2, m3):
        _run(t, m)

    record = t.client.get("/api/v1/leader/assessments", headers=weak_h).json()
    assert [a["month"] for a in record["assessments"]] == [m3, m2, m1]
    kinds = {(c["month"], c["kind"]): c for c in record["cases"]}
    assert set(kinds) == {(m1, "warning"), (m2, "warning"), (m2, "help_plan"), (m3, "warning"),
                          (m3, "replacement_suggested")}
    plan = kinds[(m2, "help_plan")]
    assert plan["streak"] == 2 and len(plan["tasks"]) == 2
    # the tasks work on the weakest metrics (here no sales, no growth, no activity)
    assert {task["metric"] for task in plan["tasks"]} <= {"sales", "growth", "activity"}

    task = plan["tasks"][0]
    done = t.post(f"/leader/help-tasks/{task['id']}/done", None, weak_h, expect=200)
    assert done["done_at"] is not None
    r = t.client.post(f"/api/v1/leader/help-tasks/{task['id']}/done", headers=weak_h)
    assert r.status_code == 409
    other_h = ls[1][1]
    assert t.client.post(f"/api/v1/leader/help-tasks/{plan['tasks'][1]['id']}/done",
                         headers=other_h).status_code == 404

    case = kinds[(m3, "replacement_suggested")]
    r = t.client.post(f"/api/v1/leader-cases/{plan['id']}/decide", json={"decision": "keep"}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_decidable"
    r = t.client.post(f"/api/v1/leader-cases/{case['id']}/decide", json={"decision": "keep"}, headers=weak_h)
    assert r.status_code == 403
    decided = t.post(f"/leader-cases/{case['id']}/decide", {"decision": "keep", "note": "给一个月观察期"}, t.op,
                     expect=200)
    assert decided["status"] == "kept"
    assert [(e["action"], e["actor_role"]) for e in decided["events"]] == [("opened", "system"),
                                                                           ("decided_keep", "operator")]
    r = t.client.post(f"/api/v1/leader-cases/{case['id']}/decide", json={"decision": "replace"}, headers=t.op)
    assert r.status_code == 409 and r.json()["error"]["code"] == "already_decided"
    # the leader sees the whole trail
    seen = t.client.get("/api/v1/leader/assessments", headers=weak_h).json()
    assert any(c["status"] == "kept" for c in seen["cases"])
