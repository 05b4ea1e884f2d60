"""Overlapping runs and duplicate deliveries: every change is recorded exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from linli.core import clock
from linli.lifecycle.jobs import recompute_due
from linli.models import GrowthEntry, MemberStageHistory
from linli.tier import service as tiers
from tests.lifecycle.helpers import count, due, events, joined_at, member_id_of


def test_overlapping_recompute_runs_change_each_member_once(make):
    t = make.tenant()
    hs = t.members(40)
    j = joined_at(t, member_id_of(t, hs[-1]))
    due(t, j + timedelta(hours=1))
    assert count(t, MemberStageHistory) == 40  # each joined as new
    at = j + timedelta(days=8)

    def run(_: int) -> int:
        with clock.frozen_at(at):
            return recompute_due(t.db, at)

    with ThreadPoolExecutor(max_workers=4) as pool:
        changed = sum(pool.map(run, range(4)))
    assert changed == 40
    assert count(t, MemberStageHistory) == 80
    assert len([e for e in events(t, "member.stage_changed") if e["to"] == "active"]) == 40


def test_duplicate_deliveries_count_growth_once(make):
    t = make.tenant()
    m, _ = t.member()
    at = clock.now()

    def deliver(i: int) -> None:
        with t.db.unit_of_work() as s:  # eight deliveries of one payment, two of each of four others
            tiers.order_paid(s, t.tenant_id, m["id"], 1000 + i % 4 if i >= 8 else 999, 50000, at)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(deliver, range(16)))
    with t.db.unit_of_work() as s:
        assert tiers.tier_of(s, t.tenant_id, m["id"]) == "silver"
    assert count(t, GrowthEntry) == 5
    mine = t.client.get(f"/api/v1/members/{m['id']}/tier", headers=t.op).json()
    assert mine["growth"] == 5 * 500
    assert [(x["from_tier"], x["to_tier"]) for x in mine["history"]] == [("regular", "silver")]


def test_sync_from_orders_written_without_events(make):
    """The demo loader writes order history directly; a sync then one run put everyone in place."""
    from linli.lifecycle import service as lifecycle
    from tests.lifecycle.helpers import buy_and_pay

    t = make.tenant()
    product = t.product(stock=10)
    m, h = t.member()
    j = joined_at(t, m["id"])
    due(t, j + timedelta(hours=1))
    for day in (1, 2, 3):
        buy_and_pay(t, h, product["id"], at=j + timedelta(days=day))
    with t.db.unit_of_work() as s:  # as if the events had never been delivered
        assert lifecycle.sync_from_orders(s, t.tenant_id) == 1
    due(t, j + timedelta(days=95))
    view = t.client.get(f"/api/v1/members/{m['id']}/lifecycle", headers=t.op).json()
    assert view["paid_orders"] == 3 and view["stage"] == "dormant"
    assert view["last_order_at"] == clock.local(j + timedelta(days=3)).isoformat()
