"""Point status, closures, hours and capacity; closing a point reassigns its awaiting orders exactly once."""

from __future__ import annotations

from datetime import timedelta

from linli.core import clock
from linli.core.jobs import run_due
from linli.events import build_registry
from linli.pickup.jobs import JOBS
from tests.pickup.helpers import act, get, inbox, move_rows, network, paid_orders, points_of, relocations


def test_closing_a_point_moves_its_orders_to_the_nearest_open_points_with_room(make) -> None:
    t = make.tenant()
    net = network(t)
    members = t.members(5, net.community_id)
    orders = paid_orders(net, members)  # the members' default: A, the community's leader-run point first
    assert set(points_of(t, orders).values()) == {net.a}
    act(t, f"/points/{net.c}/capacity", {"daily_capacity": 2}, method="put")

    out = act(t, f"/points/{net.a}/close", {"reason": "团长搬家"})
    run = out["run"]
    assert out["point"]["status"] == "closed" and out["point"]["load"] == 1
    assert (run["trigger"], run["considered"], run["moved"], run["unplaced"]) == ("point_closed", 5, 4, 1)
    now = points_of(t, orders)
    assert sorted(now.values()) == sorted([net.a, net.b, net.b, net.c, net.c])  # D is 3.3 km away: never
    assert run["total_distance_m"] == 2 * 334 + 2 * 667
    unplaced = [m for m in run["moves"] if m["outcome"] == "unplaced"]
    assert unplaced == [{"order_id": orders[4], "member_id": unplaced[0]["member_id"], "from_point_id": net.a,
                         "to_point_id": None, "distance_m": None, "outcome": "unplaced",
                         "reason": "附近自提点都已满"}]
    assert now[orders[4]] == net.a  # the optimiser places by id order on ties: the last one stays
    assert relocations(t) == {o: 1 for o in orders[:4]}
    messages = inbox(t)
    assert len(messages) == 4 and all("原自提点已关闭（团长搬家）" in body for _, body in messages)
    assert any("便民超市" in body and "334 米" in body for _, body in messages)

    # closing again is refused; the network shows the loads; a repeat of a run's key answers the first run
    act(t, f"/points/{net.a}/close", {"reason": "再次关闭"}, expect=409)
    loads = {p["id"]: (p["load"], p["capacity"], p["full"]) for p in get(t, "/points")}
    assert loads[net.b] == (2, 2, True) and loads[net.c] == (2, 2, True)
    late = t.members(1, net.community_id)[0]
    for point in (net.a, net.b):  # closed; full for the day
        body = {"items": [{"product_id": net.product_id, "quantity": 1}], "pickup_point_id": point}
        assert t.post("/orders", body, late, expect=409)["error"]["code"] == "pickup_point_unavailable"
    body = {"items": [{"product_id": net.product_id, "quantity": 1}], "pickup_point_id": net.d}
    assert t.post("/orders", body, late)["pickup_point_id"] == net.d  # the far point still has room
    first = act(t, "/assignment-runs", {"key": "day-1"}, expect=201)
    assert first["considered"] == 1 and first["unplaced"] == 1  # still nowhere to go
    assert act(t, "/assignment-runs", {"key": "day-1"}, expect=201)["id"] == first["id"]
    assert relocations(t) == {o: 1 for o in orders[:4]} and move_rows(t) == 6  # 4 moved, 2 unplaced (close, day-1)

    # more room at C: the manual run now places the last order; reopening A ends the closure
    act(t, f"/points/{net.c}/capacity", {"daily_capacity": 5}, method="put")
    assert act(t, "/assignment-runs", {}, expect=201)["moved"] == 1
    assert points_of(t, [orders[4]])[orders[4]] == net.c
    reopened = act(t, f"/points/{net.a}/reopen", {"reason": "团长回来了"})
    assert reopened["effective_status"] == "open" and reopened["closures"] == []

    # a delivery day's run: A is open again and everyone's own point, so the orders go back there
    day = act(t, "/assignment-runs", {"paid_from": (clock.now() - timedelta(days=1)).isoformat(),
                                      "paid_until": (clock.now() + timedelta(minutes=1)).isoformat()}, expect=201)
    assert (day["trigger"], day["considered"], day["moved"], day["total_distance_m"]) == ("delivery_day", 5, 5, 0)
    assert set(points_of(t, orders).values()) == {net.a} and {m["reason"] for m in day["moves"]} == {"按距离重新分配"}


def test_a_closure_moves_orders_when_it_begins_once_and_pause_keeps_them(make) -> None:
    t = make.tenant()
    net = network(t)
    orders = paid_orders(net, t.members(2, net.community_id))
    paused = act(t, f"/points/{net.a}/pause", {"reason": "团长外出"})
    assert (paused["status"], paused["reason"]) == ("paused", "团长外出")
    assert set(points_of(t, orders).values()) == {net.a}  # a pause stops new orders only
    newcomer = t.members(1, net.community_id)
    refused = t.post("/orders", {"items": [{"product_id": net.product_id, "quantity": 1}]}, newcomer[0], expect=409)
    assert refused["error"]["code"] == "pickup_point_unavailable"  # A is their default: they choose another
    body = {"items": [{"product_id": net.product_id, "quantity": 1}], "pickup_point_id": net.b}
    assert t.post("/orders", body, newcomer[0])["pickup_point_id"] == net.b

    start = clock.now() + timedelta(hours=2)
    added = act(t, f"/points/{net.a}/closures", {"starts_at": start.isoformat(),
                                                 "ends_at": (start + timedelta(days=2)).isoformat(),
                                                 "reason": "团长外出三天"}, expect=201)
    assert added["run"] is None and added["closure"]["reassigned_at"] is None
    assert run_due(t.db, JOBS, build_registry(), start - timedelta(minutes=1))["pickup.closures"] == 0
    assert run_due(t.db, JOBS, build_registry(), start + timedelta(minutes=1))["pickup.closures"] == 1
    assert run_due(t.db, JOBS, build_registry(), start + timedelta(minutes=2))["pickup.closures"] == 0
    assert set(points_of(t, orders).values()) == {net.b} and relocations(t) == {o: 1 for o in orders}

    act(t, f"/points/{net.b}/closures", {"starts_at": (clock.now() - timedelta(days=2)).isoformat(),
                                         "ends_at": (clock.now() - timedelta(days=1)).isoformat(),
                                         "reason": "过去"}, expect=422)
    bad = act(t, f"/points/{net.b}/hours", {"days": [{"weekday": 0, "hours": "21:00-08:00"}]}, expect=422,
              method="put")
    assert bad["error"]["code"] == "invalid_hours"
    week = act(t, f"/points/{net.b}/hours", {"days": [{"weekday": 0, "hours": "10:00-20:00"}]}, method="put")
    assert week["hours"] == "周一 10:00-20:00；周二至周日 休息" and not week["open_now"]  # Monday 09:00
    assert get(t, "/points/999999", expect=404)["error"]["code"] == "pickup_point_not_found"
