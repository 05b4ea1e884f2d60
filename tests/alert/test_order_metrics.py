"""Order metrics on hand-made orders: the value, and raised or not at the threshold's edge."""

from __future__ import annotations

from datetime import timedelta

from tests.alert.helpers import AT, YESTERDAY, add_orders, point_of, run
from tests.factories import Factory


def _shop(make: Factory):  # type: ignore[no-untyped-def]
    kit = make.tenant()
    c = kit.community()
    m, _ = kit.member(c["id"])
    return kit, c["id"], point_of(kit, c["id"]), m["id"]


def test_cancel_rate_raises_above_15_percent_only(make: Factory) -> None:
    kit, _, point, member = _shop(make)
    add_orders(kit.db, kit.tenant_id, member, point, 17, at=YESTERDAY)
    add_orders(kit.db, kit.tenant_id, member, point, 3, at=YESTERDAY, status="cancelled")
    assert run(kit.db, kit.tenant_id, "cancel_rate") == []  # 3 / 20 = 15 %: not above
    add_orders(kit.db, kit.tenant_id, member, point, 1, at=YESTERDAY, status="cancelled")
    [alert] = run(kit.db, kit.tenant_id, "cancel_rate")  # 4 / 21 = 19.05 %
    assert (alert.value, alert.threshold, alert.base, alert.status) == (19.05, 15, 21, "open")
    assert alert.scope_kind == "tenant" and alert.detail == {"count": 4, "total": 21}
    assert [a.id for a in run(kit.db, kit.tenant_id, "cancel_rate")] == [alert.id]  # a rerun raises nothing new


def test_cancel_rate_needs_its_sample_and_resolves_itself_when_normal(make: Factory) -> None:
    kit, _, point, member = _shop(make)
    add_orders(kit.db, kit.tenant_id, member, point, 19, at=YESTERDAY, status="cancelled")
    assert run(kit.db, kit.tenant_id, "cancel_rate") == []  # 19 orders < min_base 20
    [alert] = run(kit.db, kit.tenant_id, "cancel_rate", min_base=19)
    # the next day is quiet: the day's window holds no orders, the alert resolves itself
    [after] = run(kit.db, kit.tenant_id, "cancel_rate", at=AT + timedelta(days=1), min_base=19)
    assert after.id == alert.id and after.status == "resolved" and after.resolved_by is None
    assert "自动" in after.note


def test_refund_rates_of_tenant_and_leader(make: Factory) -> None:
    kit, cid, point, member = _shop(make)
    leader_id, leader_point, _ = kit.leader(cid)
    add_orders(kit.db, kit.tenant_id, member, leader_point, 9, at=YESTERDAY)
    add_orders(kit.db, kit.tenant_id, member, leader_point, 1, at=YESTERDAY, status="refunded", refunded_fen=1000)
    assert run(kit.db, kit.tenant_id, "leader_refund_rate") == []  # 1 / 10 = 10 %: not above
    add_orders(kit.db, kit.tenant_id, member, point, 10, at=YESTERDAY)
    assert run(kit.db, kit.tenant_id, "refund_rate") == []  # 1 / 20 = 5 %
    add_orders(kit.db, kit.tenant_id, member, leader_point, 1, at=YESTERDAY, status="paid", refunded_fen=300)
    [tenant] = run(kit.db, kit.tenant_id, "refund_rate")  # 2 / 21 = 9.52 %
    [leader] = run(kit.db, kit.tenant_id, "leader_refund_rate")  # 2 / 11 = 18.18 %
    assert (tenant.value, leader.value, leader.scope_kind, leader.scope_id) == (9.52, 18.18, "leader", leader_id)


def test_community_orders_and_active_members_drop_against_the_4_weeks_before(make: Factory) -> None:
    kit, cid, point, member = _shop(make)
    others = [m["id"] for m, _ in (kit.member(cid) for _ in range(3))]
    for week in range(1, 5):  # 10 orders by 4 buyers a week before this one
        at = YESTERDAY - timedelta(days=7 * week)
        add_orders(kit.db, kit.tenant_id, member, point, 7, at=at)
        for o in others:
            add_orders(kit.db, kit.tenant_id, o, point, 1, at=at)
    add_orders(kit.db, kit.tenant_id, member, point, 7, at=YESTERDAY)  # 7 orders: -30 %, by 1 buyer: -75 %
    assert run(kit.db, kit.tenant_id, "community_orders_drop") == []
    [active] = run(kit.db, kit.tenant_id, "community_active_drop", min_base=4)
    assert (active.value, active.scope_kind, active.community_id) == (75.0, "community", cid)
    assert active.detail == {"current": 1, "usual": 4.0}
    [orders] = run(kit.db, kit.tenant_id, "community_orders_drop", threshold=29.99)
    assert orders.value == 30.0


def test_gmv_drop_of_tenant_and_leader(make: Factory) -> None:
    kit, cid, point, member = _shop(make)
    leader_id, leader_point, _ = kit.leader(cid)
    for week in range(1, 5):
        add_orders(kit.db, kit.tenant_id, member, leader_point, 1, at=YESTERDAY - timedelta(days=7 * week),
                   payable_fen=100_000)
    add_orders(kit.db, kit.tenant_id, member, leader_point, 1, at=YESTERDAY, payable_fen=80_000)
    assert run(kit.db, kit.tenant_id, "gmv_drop") == []  # -20 %: not above 20
    [leader] = run(kit.db, kit.tenant_id, "leader_gmv_drop", threshold=19.9)
    assert (leader.value, leader.base, leader.scope_id) == (20.0, 100_000, leader_id)


def test_pickups_waiting_over_48_hours(make: Factory) -> None:
    kit, cid, point, member = _shop(make)
    leader_id, leader_point, _ = kit.leader(cid)
    add_orders(kit.db, kit.tenant_id, member, leader_point, 4, at=AT - timedelta(hours=49))
    add_orders(kit.db, kit.tenant_id, member, leader_point, 5, at=AT - timedelta(hours=47))  # not yet late
    add_orders(kit.db, kit.tenant_id, member, point, 2, at=AT - timedelta(hours=60), status="picked_up")
    [leader] = run(kit.db, kit.tenant_id, "leader_pickup_overdue")  # 4 > 3
    assert (leader.value, leader.scope_id) == (4, leader_id)
    assert run(kit.db, kit.tenant_id, "pickup_overdue") == []  # 4 in the community: not above 5
    [community] = run(kit.db, kit.tenant_id, "pickup_overdue", threshold=3)
    assert (community.value, community.community_id) == (4, cid)


def test_leader_without_orders_for_7_days(make: Factory) -> None:
    kit, cid, _, member = _shop(make)
    quiet, quiet_point, _ = kit.leader(cid)
    busy, busy_point, _ = kit.leader(cid)
    add_orders(kit.db, kit.tenant_id, member, quiet_point, 1, at=AT - timedelta(days=7))
    add_orders(kit.db, kit.tenant_id, member, busy_point, 1, at=AT - timedelta(days=6, hours=23))
    [alert] = run(kit.db, kit.tenant_id, "leader_no_orders")
    assert (alert.scope_id, alert.value) == (quiet, 7)
