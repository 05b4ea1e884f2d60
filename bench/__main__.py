"""`python -m bench`: order placement against /healthz over HTTP, per database backend.

Prints figures only; it never fails on a threshold (the goals are in bench/README.md).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import audience as audience_bench
from bench import delivery_routes as delivery_bench
from bench import dispatch as dispatch_bench
from bench import flashsale, load, report
from bench import moderation as moderation_bench
from bench import outbox as outbox_bench
from bench import pickup_assignment as pickup_bench
from bench import recommend as recommend_bench
from bench.seed import seed
from bench.server import DEFAULT_PG_URL, Server

WARMUP_S = 2.0
WRK_THREADS = 2
# goals for later tuning; reported next to the figures, never asserted
GOAL_RATIO, GOAL_P99_MS = 0.4, 50.0
BUSY_CPU = 0.10  # share of all CPUs busy while the server idles: more means other work is running


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    has_granian = importlib.util.find_spec("granian") is not None
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    ap.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    ap.add_argument("--connections", type=int, default=64, help="concurrent connections (default 64)")
    ap.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    ap.add_argument("--server", choices=["uvicorn", "granian"], default="granian" if has_granian else "uvicorn",
                    help="default: granian when installed, else uvicorn")
    ap.add_argument("--workers", type=int, default=None,
                    help="server processes (granian only; default 2 for granian, 1 for uvicorn)")
    ap.add_argument("--suites", default="orders,flashsale,outbox",
                    help="comma-separated: orders (order placement vs /healthz), flashsale (PostgreSQL), "
                         "outbox (workers through RabbitMQ / Redis vs database polling, PostgreSQL), "
                         "audience (tags and segments over 1 M members / 10 M orders in DuckDB; not in the default), "
                         "moderation (sensitive-word screening MB/s vs regex and `in` references; not in the default), "
                         "recommend (per-member rankings/s and p50/p95 vs popularity-only; not in the default), "
                         "pickup (orders assigned to pickup points: min-cost flow vs greedy; not in the default), "
                         "delivery (a rider's route: OR-Tools vs nearest neighbour; not in the default), "
                         "dispatch (finding a request's route, in process, vs the gates lifted and a one-route app; "
                         "not in the default)")
    ap.add_argument("--members", type=int, default=64, help="members whose tokens rotate (default 64)")
    ap.add_argument("--products", type=int, default=7, help="products orders rotate over (default 7)")
    ap.add_argument("--load-generator", choices=["auto", "wrk", "python"], default="auto",
                    help="auto: wrk (installed with apt-get when root and missing), else Python")
    ap.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL),
                    help=f"PostgreSQL server to create the throw-away database on (default {DEFAULT_PG_URL})")
    outbox_bench.add_arguments(ap)
    audience_bench.add_arguments(ap)
    moderation_bench.add_arguments(ap)
    recommend_bench.add_arguments(ap)
    pickup_bench.add_arguments(ap)
    delivery_bench.add_arguments(ap)
    dispatch_bench.add_arguments(ap)
    args = ap.parse_args(argv)
    args.outbox_modes = [m.strip() for m in args.outbox_modes.split(",") if m.strip()]
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    args.suites = [x.strip() for x in args.suites.split(",") if x.strip()]
    for b in args.backends:
        if b not in ("sqlite", "postgresql"):
            ap.error(f"unknown backend {b!r}")
    if args.workers is None:
        args.workers = 2 if args.server == "granian" else 1
    if args.server == "uvicorn" and args.workers != 1:
        ap.error("--workers applies to granian only")
    if args.connections < WRK_THREADS:
        ap.error(f"--connections must be at least {WRK_THREADS}")
    return args


class Loader:
    def __init__(self, choice: str, workdir: Path) -> None:
        self.workdir = workdir
        self.wrk = load.find_wrk() if choice in ("auto", "wrk") else None
        if choice == "wrk" and self.wrk is None:
            raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
        self.name = "wrk" if self.wrk else "python"
        if self.wrk is None:
            print("note: wrk unavailable, using the slower pure-Python load generator "
                  "(install wrk for comparable figures: apt-get install wrk)", file=sys.stderr)

    def run(self, base_url: str, target: load.Target, duration: float, connections: int) -> load.Result:
        if self.wrk:
            return load.run_wrk(self.wrk, base_url, target, duration, connections, WRK_THREADS, self.workdir)
        return load.run_python(base_url, target, duration, connections)


def cpu_busy(interval: float = 1.0) -> float | None:
    """Fraction of all CPUs busy over `interval` (Linux /proc/stat). Taken while the server is idle,
    it is the share other processes use, which skews the figures."""

    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields[:8]), fields[3] + fields[4]  # total and idle+iowait (guest is within user)

    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 1 - (idle1 - idle0) / (total1 - total0) if total1 > total0 else None


def measure(loader: Loader, base_url: str, target: load.Target,
            args: argparse.Namespace) -> tuple[load.Result, float | None]:
    """(result, CPU share used by other processes just before the warm-up)."""
    others = cpu_busy()
    loader.run(base_url, target, WARMUP_S, args.connections)  # warm-up, discarded
    return loader.run(base_url, target, args.duration, args.connections), others


def bench_backend(backend: str, args: argparse.Namespace, loader: Loader) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with Server(backend, args.server, args.workers, args.pg_url) as srv:
        t0 = time.perf_counter()
        data = seed(srv, args.members, args.products)
        print(f"  [{backend}] server {srv.base_url} ready; seeded {len(data.member_tokens)} members and "
              f"{len(data.product_ids)} products in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
        targets = [load.Target("GET /healthz", "GET", "/healthz"),
                   load.Target("POST /api/v1/orders", "POST", load.ORDERS_PATH, data.member_tokens,
                               data.product_ids)]
        healthz_rps = None
        for target in targets:
            print(f"  [{backend}] {target.name}: {WARMUP_S:.0f}s warm-up + {args.duration:g}s ...",
                  file=sys.stderr)
            res, others = measure(loader, srv.base_url, target, args)
            if target.path == "/healthz":
                healthz_rps = res.rps
            row = {"backend": backend, "target": target.name, **res.as_dict(),
                   "ratio_to_healthz": (res.rps / healthz_rps) if healthz_rps else None,
                   "other_cpu_before": others}
            rows.append(row)
            print("  " + report.row_line(row), file=sys.stderr)
            if any(str(code).startswith("5") for code in res.statuses):  # show why, before the log is gone
                print(f"  [{backend}] server errors during {target.name}:\n{srv.log_tail(80)}", file=sys.stderr)
        if srv.proc is not None and srv.proc.poll() is not None:
            print(f"  [{backend}] warning: the server exited during the run:\n{srv.log_tail()}", file=sys.stderr)
    return rows


def _goals(rows: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in rows:
        if r["target"].startswith("POST") and r["ratio_to_healthz"] is not None:
            ok_ratio = r["ratio_to_healthz"] >= GOAL_RATIO
            ok_p99 = r["p99_ms"] is not None and r["p99_ms"] < GOAL_P99_MS
            lines.append(f"  {r['backend']:<11} ratio {r['ratio_to_healthz']:.2f}x "
                         f"({'meets' if ok_ratio else 'below'} goal {GOAL_RATIO}x), "
                         f"p99 {report._num(r['p99_ms'], '.1f')} ms "
                         f"({'meets' if ok_p99 else 'above'} goal < {GOAL_P99_MS:g} ms)")
    return lines


def _raise_interrupt(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)  # so the cleanup in `finally` blocks runs
    rows: list[dict[str, Any]] = []
    flash_rows: list[dict[str, Any]] = []
    outbox_rows: list[dict[str, Any]] = []
    audience_rows: list[dict[str, Any]] = []
    moderation_rows: list[dict[str, Any]] = []
    recommend_rows: list[dict[str, Any]] = []
    pickup_rows: list[dict[str, Any]] = []
    delivery_rows: list[dict[str, Any]] = []
    dispatch_rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as workdir:
        loader = Loader(args.load_generator, Path(workdir))
        workers = f" x{args.workers}" if args.server == "granian" else ""
        print(f"linli bench: {args.server}{workers}, {args.connections} connections, "
              f"{args.duration:g}s per measurement, load generator {loader.name}, "
              f"{os.cpu_count()} CPUs shared by server, database and load generator", file=sys.stderr)
        try:
            for backend in args.backends if "orders" in args.suites else []:
                try:
                    rows += bench_backend(backend, args, loader)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:  # e.g. no PostgreSQL server: report, go on with the others
                    skipped[backend] = f"{type(exc).__name__}: {exc}"
                    print(f"  [{backend}] skipped: {skipped[backend]}", file=sys.stderr)
            if "flashsale" in args.suites:
                print("  [flashsale] raw UPDATE reference, then the database and Redis paths ...", file=sys.stderr)
                try:
                    flash_rows = flashsale.bench_flash_sales(args, loader)
                except KeyboardInterrupt:
                    raise
                except Exception as exc:
                    skipped["flashsale"] = f"{type(exc).__name__}: {exc}"
                    flash_rows = []
            if "audience" in args.suites:
                audience_rows = audience_bench.bench_audience(args)
            if "moderation" in args.suites:
                moderation_rows = moderation_bench.bench_moderation(args)
            if "recommend" in args.suites:
                recommend_rows = recommend_bench.bench_recommend(args)
            if "pickup" in args.suites:
                pickup_rows = pickup_bench.bench_pickup(args)
            if "delivery" in args.suites:
                delivery_rows = delivery_bench.bench_delivery(args)
            if "dispatch" in args.suites:
                dispatch_rows = dispatch_bench.bench_dispatch(args)
            if "outbox" in args.suites:
                outbox_rows, outbox_skipped = outbox_bench.bench_outbox(args)
                skipped.update(outbox_skipped)
        except KeyboardInterrupt:
            print("\ninterrupted; servers stopped and databases dropped", file=sys.stderr)
            return 130
    meta = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "server": args.server,
            "workers": args.workers, "connections": args.connections, "duration_s": args.duration,
            "warmup_s": WARMUP_S, "load_generator": loader.name,
            "wrk_threads": WRK_THREADS if loader.name == "wrk" else None,
            "members": args.members, "products": args.products, "cpus": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform(),
            "goals": {"ratio_to_healthz_min": GOAL_RATIO, "order_p99_ms_max": GOAL_P99_MS}}
    path = report.write_json(meta, rows + flash_rows + outbox_rows + audience_rows + moderation_rows + recommend_rows
                              + pickup_rows + delivery_rows + dispatch_rows,
                              skipped)
    print()
    print(f"server {args.server}{workers}, {args.connections} connections, {args.duration:g}s each "
          f"after {WARMUP_S:g}s warm-up, load generator {loader.name}, {os.cpu_count()} CPUs")
    if rows:
        print(report.table(rows))
    if flash_rows:
        print(f"\nflash sale on PostgreSQL: {flashsale.SALE_UNITS} units, {args.members} members rotating")
        print(flashsale.table(flash_rows))
        print("goals (not asserted): database path >= 0.8x raw UPDATE, Redis path >= 2x, p99 < 100 ms, "
              "zero oversell")
    if outbox_rows:
        print(f"\noutbox on PostgreSQL: {args.outbox_workers} `linli worker` processes, "
              f"{outbox_bench.SUBSCRIBERS} subscribers per event, {args.outbox_events} events burst, "
              f"latency at {args.outbox_paced_rate:g} events/s")
        print(outbox_bench.table(outbox_rows))
    if audience_rows:
        first = audience_rows[0]
        print(f"\naudience bulk job (DuckDB, in process): {first['members']:,} members, {first['orders']:,} orders, "
              f"{first['tags']} tag rules, {first['segments']} segments")
        print(audience_bench.table(audience_rows))
        print(f"goal (not asserted): bulk job under {audience_bench.GOAL_SECONDS:g} s")
    if moderation_rows:
        print(f"\nmoderation screening: {moderation_rows[0]['text_mb']} MB, {moderation_rows[0]['terms']:,} terms")
        print(moderation_bench.table(moderation_rows))
    if recommend_rows:
        first = recommend_rows[0]
        print(f"\nrecommendation (SQLite, in process): {first['members']} members, {first['products']} products, "
              f"{first['events']:,} behaviour events")
        print(recommend_bench.table(recommend_rows))
    if pickup_rows:
        first = pickup_rows[0]
        print(f"\npickup assignment (in process): {first['orders']:,} orders, {first['points']} points")
        print(pickup_bench.table(pickup_rows))
    if delivery_rows:
        print(f"\ndelivery routes (in process): {delivery_rows[0]['batches']} batches per size")
        print(delivery_bench.table(delivery_rows))
    if dispatch_rows:
        print("\nrequest dispatch (in process, one thread, no token: the route's 401 or the page's redirect)")
        print(dispatch_bench.table(dispatch_rows))
    busy = [r["other_cpu_before"] for r in rows if (r.get("other_cpu_before") or 0) > BUSY_CPU]
    if busy:
        print(f"warning: other processes were using up to {max(busy):.0%} of the {os.cpu_count()} CPUs "
              "just before a measurement: the figures are skewed; rerun on a quiet machine")
    for backend, why in skipped.items():
        print(f"{backend:<11} skipped: {why}")
    goals = _goals(rows)
    if goals:
        print(f"goals (for later tuning, not asserted): orders >= {GOAL_RATIO}x healthz, p99 < {GOAL_P99_MS:g} ms")
        print("\n".join(goals))
    print(f"results: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
