"""Two or more reassignments of the same point at once (PostgreSQL; SQLite serialises writers): each order moves
once and no point ends over its capacity."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.pickup.helpers import API, act, network, paid_orders, points_of, relocations


def test_concurrent_runs_move_each_order_once_within_capacity(make, database) -> None:
    if not database.url.startswith("postgresql"):
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    t = make.tenant()
    net = network(t)
    orders = paid_orders(net, t.members(6, net.community_id))
    act(t, f"/points/{net.c}/capacity", {"daily_capacity": 3}, method="put")
    act(t, f"/points/{net.a}/pause", {"reason": "团长外出"})

    def run(i: int) -> tuple[int, int]:
        r = t.client.post(f"{API}/assignment-runs", json={"key": f"k{i}", "point_ids": [net.a]}, headers=t.op)
        return r.status_code, r.json()["moved"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(run, range(8)))
    assert {code for code, _ in results} == {201}
    assert sum(moved for _, moved in results) == 5  # B holds 2, C holds 3; one order stays at A
    assert relocations(t) == {o: 1 for o in orders if points_of(t, [o])[o] != net.a}
    at = Counter(points_of(t, orders).values())
    assert at == {net.a: 1, net.b: 2, net.c: 3}
