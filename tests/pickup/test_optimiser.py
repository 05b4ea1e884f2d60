"""The optimiser and the hours parser alone (no database)."""

from __future__ import annotations

import random
from datetime import datetime

import pytest

from linli.core import clock
from linli.core.errors import Invalid
from linli.pickup import hours
from linli.pickup.optimiser import NO_POINT_IN_RANGE, POINTS_FULL, Parcel, Site, greedy, solve

STEP = 0.003  # ~333.6 m of latitude


def test_hours_are_parsed_validated_and_checked_in_local_time() -> None:
    assert hours.parse_span("08:00-21:00") == (480, 1260)
    assert hours.parse_span("00:00-24:00") == (0, 1440)
    for bad in ("8:00-21:00", "21:00-08:00", "08:00-08:00", "08:00-24:30", "早上八点", "25:00-26:00"):
        with pytest.raises(Invalid) as e:
            hours.parse_span(bad)
        assert e.value.code == "invalid_hours"
    week = {0: (480, 1260), 5: (540, 1080)}
    monday_9 = clock.as_utc(datetime(2026, 10, 12, 9, 0))  # Shanghai local time
    assert hours.is_open(week, monday_9)
    assert not hours.is_open(week, clock.as_utc(datetime(2026, 10, 12, 21, 0)))
    assert not hours.is_open(week, clock.as_utc(datetime(2026, 10, 13, 9, 0)))  # Tuesday: a day off
    assert hours.describe(hours.every_day("08:00-21:00")) == "每天 08:00-21:00"
    assert hours.describe(week) == "周一 08:00-21:00；周二至周五 休息；周六 09:00-18:00；周日 休息"


def test_the_optimum_beats_greedy_where_greedy_blocks_a_later_order() -> None:
    # order 1 sits between the points; order 2 can only reach the near one. Greedy lets 1 take it.
    near, far = Site(1, 30.0, 120.0, 1), Site(2, 30.0 + 2 * STEP, 120.0, 1)
    p1 = Parcel(1, 30.0 + STEP, 120.0, 9, None)
    p2 = Parcel(2, 30.0 - 3 * STEP, 120.0, 9, None)
    best, ref = solve([p2, p1], [far, near], 1500, 0), greedy([p1, p2], [near, far], 1500, 0)
    assert best.placed == {1: (2, 334), 2: (1, 1001)} and not best.unplaced
    assert ref.placed == {1: (1, 334)} and ref.unplaced == {2: POINTS_FULL}


def test_preference_range_and_capacity_are_respected_and_the_result_is_deterministic() -> None:
    rnd = random.Random(7)
    sites = [Site(i, 30.0 + rnd.random() * 0.03, 120.0 + rnd.random() * 0.03, rnd.randint(1, 6)) for i in range(1, 21)]
    parcels = [Parcel(i, 30.0 + rnd.random() * 0.03, 120.0 + rnd.random() * 0.03, 99, rnd.randint(1, 20))
               for i in range(1, 121)]
    plan = solve(parcels, sites, 1200, 300)
    assert plan == solve(list(reversed(parcels)), list(reversed(sites)), 1200, 300)
    used: dict[int, int] = {}
    for point, metres in plan.placed.values():
        used[point] = used.get(point, 0) + 1
        assert metres <= 1200
    assert all(used.get(s.point_id, 0) <= (s.capacity or 0) for s in sites)
    assert len(plan.placed) + len(plan.unplaced) == 120
    assert len(plan.placed) >= len(greedy(parcels, sites, 1200, 300).placed)
    # the member's own point wins over a nearer one when the detour is under the penalty
    own, nearer = Site(1, 30.0 + STEP, 120.0, None), Site(2, 30.0, 120.0, None)
    assert solve([Parcel(1, 30.0, 120.0, 9, 1)], [own, nearer], 1500, 400).placed == {1: (1, 334)}
    assert solve([Parcel(1, 30.0, 120.0, 9, 1)], [own, nearer], 1500, 300).placed == {1: (2, 0)}


def test_orders_out_of_range_are_unplaced_with_the_reason() -> None:
    plan = solve([Parcel(1, 30.0, 120.0, 9, None)], [Site(1, 30.1, 120.0, None)], 1500, 300)
    assert plan.unplaced == {1: NO_POINT_IN_RANGE} and not plan.placed
    assert solve([Parcel(1, 30.0, 120.0, 9, None)], [], 1500, 300).unplaced == {1: NO_POINT_IN_RANGE}


def test_where_members_live_is_read_in_a_few_queries_however_many_there_are(make) -> None:
    from sqlalchemy import event

    from linli.pickup.assignment import home_of
    from tests.delivery.helpers import _household, _member

    t = make.tenant()
    c = t.community(lat=30.28, lng=120.12)
    first_point = t.client.get("/api/v1/pickup-points", params={"community_id": c["id"]},
                               headers=t.op).json()["items"][0]["id"]
    own = t.post("/pickup-points", {"community_id": c["id"], "name": "3号楼驿站", "kind": "store",
                                    "lat": 30.29, "lng": 120.13})["id"]
    housed = [_member(t, c["id"], _household(t, c["id"], (30.3 + i / 100, 120.2), f"{i}幢"), 900 + i)
              for i in range(6)]
    unhoused = [_member(t, c["id"], None, 950 + i) for i in range(6)]
    t.client.put("/api/v1/me/pickup-point", json={"pickup_point_id": own}, headers=unhoused[0][1])
    ids = sorted(m for m, _ in housed + unhoused)
    statements: list[str] = []

    def count(conn, cursor, statement, *rest) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(t.db.engine, "before_cursor_execute", count)
    try:
        with t.db.unit_of_work() as s:
            homes = home_of(s, t.tenant_id, ids)
    finally:
        event.remove(t.db.engine, "before_cursor_execute", count)
    assert len(statements) <= 6, statements  # 12 members: not three queries each
    assert [(round(homes[m].lat, 2), homes[m].lng) for m, _ in housed] == [(round(30.3 + i / 100, 2), 120.2)
                                                                         for i in range(6)]
    assert {(homes[m].lat, homes[m].lng) for m, _ in unhoused} == {(30.28, 120.12)}  # the community's centre
    assert homes[unhoused[0][0]].preferred_point_id == own
    assert {homes[m].preferred_point_id for m in ids if m != unhoused[0][0]} == {first_point}
