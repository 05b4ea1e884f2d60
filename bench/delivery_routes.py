"""Delivery routes: the rider's batch planned by OR-Tools (promised times as soft deadlines, guided local search
10 ms a stop, capped at 0.3 s) next to the reference measured in the same run, a nearest-neighbour
tour ("always the closest stop not yet visited") — on the same synthetic batches.

A batch (seeded, so every run is the same): a micro-warehouse and STOPS doors scattered within its 3 km radius,
each promised 8-30 minutes from now (orders paid over the last 20 minutes with a 30-minute promise). Per method and
batch size: plans per second at the median, p50 / p95 plan time, the mean tour (warehouse -> every door -> back),
the stops reached after their promise and the minutes late summed over a batch (what OR-Tools minimises first).

`python -m bench.delivery_routes` alone, or `python -m bench --suites delivery`."""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from linli.delivery.routing import Plan, Stop, nearest_neighbour, plan

SEED = 40
DEPOT = (30.2800, 120.1200)
RADIUS_M = 3000


def batch(stops: int, rnd: random.Random) -> list[Stop]:
    out = []
    for _ in range(stops):
        r, angle = RADIUS_M * math.sqrt(rnd.random()), rnd.random() * 2 * math.pi
        lat = DEPOT[0] + r * math.cos(angle) / 111_320
        lng = DEPOT[1] + r * math.sin(angle) / (111_320 * math.cos(math.radians(DEPOT[0])))
        out.append(Stop(lat, lng, rnd.randint(8 * 60, 30 * 60)))
    return out


def _measure(name: str, fn: Callable[[tuple[float, float], list[Stop]], Plan], batches: list[list[Stop]]
             ) -> dict[str, Any]:
    times, km, late, late_min = [], [], [], []
    for stops in batches:
        started = time.perf_counter()
        p = fn(DEPOT, stops)
        times.append(time.perf_counter() - started)
        km.append(p.distance_m / 1000)
        late.append(p.late)
        late_min.append(sum(max(0, eta - stops[i].due_s) for i, eta in zip(p.order, p.eta_s, strict=True)) / 60)
    times.sort()
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)]
    return {"suite": "delivery", "method": name, "stops": len(batches[0]), "batches": len(batches),
            "plans_per_s": round(1 / p50, 1) if p50 else None, "p50_ms": round(p50 * 1000, 2),
            "p95_ms": round(p95 * 1000, 2), "mean_km": round(statistics.mean(km), 2),
            "late_per_batch": round(statistics.mean(late), 2), "late_min": round(statistics.mean(late_min), 1)}


def bench_delivery(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    for size in (int(x) for x in args.delivery_sizes.split(",")):
        rnd = random.Random(SEED + size)
        batches = [batch(size, rnd) for _ in range(args.delivery_batches)]
        rows.append(_measure("nearest neighbour (reference)", nearest_neighbour, batches))
        rows.append(_measure("OR-Tools routing", plan, batches))
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = (f"{'stops':>5}  {'method':<30}{'plans/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'mean km':>9}"
            f"{'late/batch':>11}{'late min':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['stops']:>5}  {r['method']:<30}{r['plans_per_s']:>9}{r['p50_ms']:>9}{r['p95_ms']:>9}"
                     f"{r['mean_km']:>9}{r['late_per_batch']:>11}{r['late_min']:>10}")
    return "\n".join(lines)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--delivery-sizes", default="10,20,30", help="stops per batch in the delivery suite")
    ap.add_argument("--delivery-batches", type=int, default=10, help="batches planned per size and method")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.delivery_routes", description=__doc__)
    add_arguments(ap)
    args = ap.parse_args(argv)
    rows = bench_delivery(args)
    print(f"delivery routes: {args.delivery_batches} batches per size within {RADIUS_M} m of the warehouse, "
          "promises 8-30 minutes out, 15 km/h and 2 minutes a stop")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
