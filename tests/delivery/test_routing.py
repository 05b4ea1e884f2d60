"""The route planner on its own (no database): every stop once, no longer than the nearest-neighbour tour when
nothing is urgent, and an urgent stop first even when it is not the closest."""

from __future__ import annotations

import random

from linli.delivery.routing import STOP_SECONDS, Stop, nearest_neighbour, plan

DEPOT = (30.28, 120.12)


def test_a_plan_visits_every_stop_once_and_is_no_longer_than_nearest_neighbour():
    rng = random.Random(7)
    stops = [Stop(DEPOT[0] + rng.uniform(-0.015, 0.015), DEPOT[1] + rng.uniform(-0.015, 0.015), 10 * 3600)
             for _ in range(12)]
    p, ref = plan(DEPOT, stops), nearest_neighbour(DEPOT, stops)
    assert p.solver == "ortools" and sorted(p.order) == list(range(12)) and p.late == 0
    assert p.distance_m <= ref.distance_m
    assert p.eta_s == sorted(p.eta_s) and p.eta_s[1] - p.eta_s[0] >= STOP_SECONDS


def test_an_urgent_stop_goes_first_though_another_is_closer():
    near = Stop(DEPOT[0] + 0.002, DEPOT[1], 3600)  # ~220 m, due in an hour
    far = Stop(DEPOT[0] - 0.015, DEPOT[1], 420)  # ~1.7 km the other way, due in 7 minutes
    p = plan(DEPOT, [near, far])
    assert nearest_neighbour(DEPOT, [near, far]).order == [0, 1]
    assert p.order == [1, 0] and p.late == 0
    assert abs(p.eta_s[0] - 400) <= 5  # 1.67 km at 15 km/h


def test_no_stop_and_one_stop():
    assert plan(DEPOT, []).order == [] and plan(DEPOT, []).distance_m == 0
    one = plan(DEPOT, [Stop(DEPOT[0] + 0.01, DEPOT[1], 600)])
    assert one.order == [0] and one.distance_m == 2 * 1112 and one.late == 0
