"""Lifecycle stages: boundaries as time passes (run-due), history and events once per change,
orders and interactions bringing members back, the repeat-buyer rule for core."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner

from linli.cli import main
from linli.core import clock
from linli.models import MemberStageHistory
from tests.lifecycle.helpers import buy_and_pay, count, due, events, joined_at

D = timedelta(days=1)


def _stage(t, member_id):
    return t.client.get(f"/api/v1/members/{member_id}/lifecycle", headers=t.op).json()


def test_stage_boundaries_as_time_passes(make):
    t = make.tenant()
    m, h = t.member()
    j = joined_at(t, m["id"])
    steps = [(6 * D + timedelta(hours=23), "new"), (7 * D, "active"), (29 * D, "active"), (30 * D, "silent"),
             (89 * D, "silent"), (90 * D, "dormant")]
    for offset, expected in steps:
        if offset == 7 * D:  # once through the command line, as an operator would
            result = CliRunner().invoke(main, ["run-due", "--at", (j + offset).isoformat()])
            assert result.exit_code == 0, result.output
        else:
            due(t, j + offset)
        assert _stage(t, m["id"])["stage"] == expected, offset
    view = _stage(t, m["id"])
    assert [(x["from_stage"], x["to_stage"], x["reason"]) for x in view["history"]] == [
        (None, "new", "joined"), ("new", "active", "time"), ("active", "silent", "time"),
        ("silent", "dormant", "time")]
    assert view["since"] == clock.local(j + 90 * D).isoformat()
    assert [(e["from"], e["to"]) for e in events(t, "member.stage_changed", m["id"])] == [
        (None, "new"), ("new", "active"), ("active", "silent"), ("silent", "dormant")]
    me = t.client.get("/api/v1/me/lifecycle", headers=h).json()
    assert me["stage"] == "dormant" and me["label"] == "沉睡"


def test_recompute_is_idempotent(make):
    t = make.tenant()
    hs = [t.member() for _ in range(3)]
    j = joined_at(t, hs[-1][0]["id"])
    due(t, j + timedelta(hours=1))  # the joinings are handled
    first = due(t, j + 31 * D)
    assert first["lifecycle.recompute"] == 3  # new → silent directly: nobody did anything
    rows, evs = count(t, MemberStageHistory), len(events(t, "member.stage_changed"))
    again = due(t, j + 31 * D)
    assert again["lifecycle.recompute"] == 0
    assert count(t, MemberStageHistory) == rows and len(events(t, "member.stage_changed")) == evs


def test_paid_order_brings_a_silent_member_back(make):
    t = make.tenant()
    product = t.product(stock=10)
    m, h = t.member()
    j = joined_at(t, m["id"])
    due(t, j + 31 * D)
    assert _stage(t, m["id"])["stage"] == "silent"
    buy_and_pay(t, h, product["id"], at=j + 31 * D + timedelta(hours=1))
    due(t, j + 31 * D + timedelta(hours=2))
    view = _stage(t, m["id"])
    assert view["stage"] == "active" and view["history"][-1]["reason"] == "order_paid"
    assert view["paid_orders"] == 1
    assert view["last_order_at"] == clock.local(j + 31 * D + timedelta(hours=1)).isoformat()
    # and silent again 30 days after that order, not after joining
    due(t, j + 61 * D)
    assert _stage(t, m["id"])["stage"] == "active"
    due(t, j + 61 * D + timedelta(hours=1))
    assert _stage(t, m["id"])["stage"] == "silent"


def test_repeat_buyer_becomes_core_after_90_days(make):
    t = make.tenant()
    product = t.product(stock=10)
    m, h = t.member()
    j = joined_at(t, m["id"])
    for day in (1, 40, 80):
        buy_and_pay(t, h, product["id"], at=j + day * D)
        due(t, j + day * D + timedelta(hours=1))
    due(t, j + 89 * D)
    assert _stage(t, m["id"])["stage"] == "active"
    due(t, j + 90 * D)
    view = _stage(t, m["id"])
    assert view["stage"] == "core" and view["paid_orders"] == 3
    # a refund makes them a two-order buyer again: no longer core
    orders = t.client.get("/api/v1/orders", headers=h).json()["items"]
    t.post(f"/orders/{orders[0]['id']}/refund", {"reason": "不要了"}, t.op, expect=200)
    due(t, j + 90 * D + timedelta(hours=1))
    assert _stage(t, m["id"])["stage"] == "active" and _stage(t, m["id"])["paid_orders"] == 2


def test_interactions_keep_a_member_active(make):
    t = make.tenant()
    m, h = t.member()
    j = joined_at(t, m["id"])
    due(t, j + 31 * D)
    clock.set_process_time(j + 31 * D)
    try:
        r = t.client.post("/api/v1/checkins", headers=h)  # a real action, not a self-report
    finally:
        clock.set_process_time(None)
    assert r.status_code == 201
    due(t, j + 31 * D + timedelta(minutes=1))
    view = _stage(t, m["id"])
    assert view["stage"] == "active" and view["history"][-1]["reason"] == "interaction:checkin"
    assert view["last_interaction_at"] == clock.local(j + 31 * D).isoformat()


def test_login_is_an_interaction(make):
    t = make.tenant()
    m, _ = t.member()
    t.login(m["username"])
    assert [e["kind"] for e in events(t, "member.interacted", m["id"])] == ["login"]
    due(t)
    assert _stage(t, m["id"])["last_interaction_at"] is not None


def test_thresholds_are_configurable(make):
    t = make.tenant()
    assert t.client.get("/api/v1/lifecycle/settings", headers=t.op).json() == {
        "new_days": 7, "silent_days": 30, "dormant_days": 90, "core_days": 90, "core_orders": 3}
    body = {"new_days": 3, "silent_days": 14, "dormant_days": 60, "core_days": 60, "core_orders": 2}
    r = t.client.put("/api/v1/lifecycle/settings", json=body, headers=t.op)
    assert r.status_code == 200 and r.json() == body
    m, _ = t.member()
    j = joined_at(t, m["id"])
    due(t, j + 3 * D)
    assert _stage(t, m["id"])["stage"] == "active"
    due(t, j + 14 * D)
    assert _stage(t, m["id"])["stage"] == "silent"
