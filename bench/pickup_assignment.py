"""Pickup assignment: the min-cost-flow optimiser (OR-Tools) next to the reference measured in the same run, a
greedy "each order in turn takes its cheapest reachable point with room" — on the same synthetic city.

The city (seeded, so every run is the same): POINTS pickup points scattered over a 6 x 6 km district, each
holding 15-40 parcels; ORDERS members living around them (clustered near points, as real homes are), each
preferring a point near home. Both methods get the same max distance (1.5 km) and preference penalty (300 m).
Per method: the solve time over REPEATS runs (p50 / max, orders per second at the median), orders placed and
unplaced, the total and mean walk, and how many orders stay with the member's own point.

`python -m bench.pickup_assignment` alone, or `python -m bench --suites pickup`."""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from linli.pickup.optimiser import Parcel, Plan, Site, greedy, solve

SEED = 14
SPAN_DEG = 0.054  # ~6 km of latitude
MAX_DISTANCE_M, PENALTY_M = 1500, 300


def city(orders: int, points: int, seed: int = SEED) -> tuple[list[Parcel], list[Site]]:
    rnd = random.Random(seed)
    sites = [Site(i, 30.25 + rnd.random() * SPAN_DEG, 120.10 + rnd.random() * SPAN_DEG, rnd.randint(15, 40))
             for i in range(1, points + 1)]
    weights = [rnd.paretovariate(2.5) for _ in sites]  # some neighbourhoods order far more than others
    parcels = []
    for k in range(1, orders + 1):
        near = rnd.choices(sites, weights)[0]
        lat, lng = near.lat + rnd.gauss(0, 0.004), near.lng + rnd.gauss(0, 0.004)
        own = near.point_id if rnd.random() < 0.8 else rnd.randint(1, points)
        parcels.append(Parcel(k, lat, lng, current_point_id=own, preferred_point_id=own))
    return parcels, sites


def _measure(name: str, fn: Callable[..., Plan], parcels: list[Parcel], sites: list[Site],
             repeats: int) -> dict[str, Any]:
    times, plan = [], Plan()
    for _ in range(repeats):
        started = time.perf_counter()
        plan = fn(parcels, sites, MAX_DISTANCE_M, PENALTY_M)
        times.append(time.perf_counter() - started)
    p50 = statistics.median(times)
    own = {p.order_id: p.preferred_point_id for p in parcels}
    placed = len(plan.placed)
    return {"suite": "pickup", "method": name, "orders": len(parcels), "points": len(sites), "repeats": repeats,
            "p50_ms": round(p50 * 1000, 1), "max_ms": round(max(times) * 1000, 1),
            "orders_per_s": round(len(parcels) / p50), "placed": placed, "unplaced": len(plan.unplaced),
            "total_km": round(plan.total_distance_m / 1000, 1),
            "mean_m": round(plan.total_distance_m / placed) if placed else None,
            "at_own_point": sum(1 for o, (pt, _) in plan.placed.items() if own[o] == pt)}


def bench_pickup(args: argparse.Namespace) -> list[dict[str, Any]]:
    parcels, sites = city(args.pickup_orders, args.pickup_points)
    return [_measure("greedy (reference)", greedy, parcels, sites, args.pickup_repeats),
            _measure("min-cost flow (OR-Tools)", solve, parcels, sites, args.pickup_repeats)]


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'method':<26}{'p50 ms':>9}{'max ms':>9}{'orders/s':>10}{'placed':>8}{'unplaced':>9}"
            f"{'total km':>10}{'mean m':>8}{'own point':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['method']:<26}{r['p50_ms']:>9}{r['max_ms']:>9}{r['orders_per_s']:>10,}{r['placed']:>8,}"
                     f"{r['unplaced']:>9,}{r['total_km']:>10}{r['mean_m'] or '—':>8}{r['at_own_point']:>10,}")
    return "\n".join(lines)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--pickup-orders", type=int, default=5000, help="orders the pickup suite assigns")
    ap.add_argument("--pickup-points", type=int, default=200, help="pickup points of the pickup suite")
    ap.add_argument("--pickup-repeats", type=int, default=5, help="solves per method in the pickup suite")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.pickup_assignment", description=__doc__)
    add_arguments(ap)
    args = ap.parse_args(argv)
    rows = bench_pickup(args)
    print(f"pickup assignment: {args.pickup_orders:,} orders, {args.pickup_points} points, max "
          f"{MAX_DISTANCE_M} m, preference penalty {PENALTY_M} m, {args.pickup_repeats} solves each")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
