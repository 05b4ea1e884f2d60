"""Outbox delivery through the broker with N `linli worker` processes, next to the database-polling
reference measured in the same run (same database server, same workers, same handlers).

Per mode (db polling, RabbitMQ, Redis stream): a fresh PostgreSQL database, N workers started with
`--registry bench.outbox:build_registry` (SUBSCRIBERS handlers per event, each writing one row with the
database's clock_timestamp()), then
- throughput: EVENTS events committed in transactions of 50 as fast as one process can, timed from the
  first commit until the last delivery's row is written: events/s and deliveries/s;
- latency: events committed one by one at a steady PACED_RATE per second for PACED_SECONDS; per
  delivery, its row's time minus the event's created_at: p50 / p99 / max.
Every delivery's row is counted: a lost or doubled one is reported."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.server import DEFAULT_PG_URL, PgDatabase
from linli.core.outbox import Event, HandlerRegistry

TOPIC = "bench.outbox"
SUBSCRIBERS = 2
ROOT = Path(__file__).resolve().parents[1]
AMQP_URL = os.environ.get("LINLI_BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
REDIS_URL = os.environ.get("LINLI_BENCH_BROKER_REDIS_URL", "redis://127.0.0.1:6379/14")
_INSERT = text("INSERT INTO bench_effects (event_id, handler, done_at) VALUES (:e, :h, clock_timestamp())")


def build_registry() -> HandlerRegistry:
    """The workers' handlers (they import this module by name)."""
    registry = HandlerRegistry()
    for i in range(SUBSCRIBERS):
        name = f"write{i}"

        def handler(s: Session, ev: Event, name: str = name) -> None:
            s.execute(_INSERT, {"e": ev.id, "h": name})

        registry.on(TOPIC, name, handler)
    return registry


class Mode:
    """A database and N workers for one transport."""

    def __init__(self, mode: str, workers: int, pg_url: str) -> None:
        self.mode, self.n = mode, workers
        self.pg = PgDatabase(pg_url)
        self.tmp = Path(tempfile.mkdtemp(prefix=f"linli-bench-outbox-{mode}-"))
        self.queue = f"linli-bench-{uuid.uuid4().hex[:10]}"
        self.broker_url = {"db": "", "rabbitmq": AMQP_URL, "redis": REDIS_URL}[mode]
        self.procs: list[subprocess.Popen[bytes]] = []

    def __enter__(self) -> Mode:
        from linli.core.db import Database
        from linli.core.migrate import upgrade

        try:
            self.pg.create()
            upgrade(self.pg.url)
            self.db = Database(self.pg.url, pool_size=4, max_overflow=4)
            with self.db.engine.begin() as conn:
                conn.execute(text("CREATE TABLE bench_effects (event_id BIGINT NOT NULL, handler TEXT NOT NULL, "
                                  "done_at TIMESTAMPTZ NOT NULL)"))
                conn.execute(text("INSERT INTO tenants (slug, name, created_at) VALUES ('bench', 'Bench', now())"))
                self.tenant_id = conn.execute(text("SELECT id FROM tenants")).scalar_one()
            if self.broker_url:  # fail here, clearly, when the broker is not there
                from linli.core.broker import connect

                connect(self.broker_url, self.queue).close()
            env = {**os.environ, "LINLI_DATABASE_URL": self.pg.url, "LINLI_BROKER_URL": self.broker_url,
                   "LINLI_BROKER_QUEUE": self.queue, "LINLI_VAR_DIR": str(self.tmp), "LINLI_LOG_LEVEL": "WARNING",
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
            for i in range(self.n):
                log = (self.tmp / f"worker{i}.log").open("wb")
                self.procs.append(subprocess.Popen(
                    [sys.executable, "-m", "linli.cli", "worker", "--idle", "0.05",
                     "--registry", "bench.outbox:build_registry"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            self.emit(1)  # warm-up: every worker up and connected
            self.wait_done(SUBSCRIBERS, timeout=60)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_: object) -> None:
        for p in self.procs:
            p.terminate()
        for p in self.procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        if hasattr(self, "db"):
            self.db.dispose()
        self._drop_queue()
        self.pg.drop()

    def _drop_queue(self) -> None:
        try:
            if self.mode == "rabbitmq":
                import pika

                conn = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
                conn.channel().queue_delete(self.queue)
                conn.close()
            elif self.mode == "redis":
                import redis

                redis.Redis.from_url(REDIS_URL).delete(self.queue)
        except Exception as exc:  # cleanup only
            print(f"  [outbox {self.mode}] could not remove the queue: {exc}", file=sys.stderr)

    def emit(self, n: int, per_tx: int = 50) -> None:
        from linli.core import outbox

        for start in range(0, n, per_tx):
            with self.db.unit_of_work() as s:
                for i in range(start, min(start + per_tx, n)):
                    outbox.emit(s, self.tenant_id, TOPIC, {"i": i})

    def done(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM bench_effects")).scalar_one())

    def wait_done(self, expected: int, timeout: float) -> float:
        deadline = time.perf_counter() + timeout
        while (got := self.done()) < expected:
            if time.perf_counter() > deadline:
                tail = (self.tmp / "worker0.log").read_text(errors="replace")[-2000:]
                raise TimeoutError(f"{got}/{expected} deliveries after {timeout:g}s; worker0:\n{tail}")
            time.sleep(0.02)
        return time.perf_counter()

    def reset(self) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM bench_effects"))

    def latencies_ms(self) -> list[float]:
        with self.db.engine.connect() as conn:
            rows = conn.execute(text("SELECT EXTRACT(EPOCH FROM (f.done_at - e.created_at)) * 1000 "
                                     "FROM bench_effects f JOIN outbox_events e ON e.id = f.event_id"))
            return sorted(float(r[0]) for r in rows)

    def doubled_or_lost(self, expected: int) -> tuple[int, int]:
        with self.db.engine.connect() as conn:
            doubled = conn.execute(text("SELECT count(*) FROM (SELECT 1 FROM bench_effects GROUP BY event_id, "
                                        "handler HAVING count(*) > 1) d")).scalar_one()
        return int(doubled), max(expected - self.done(), 0)


def _pct(xs: list[float], p: float) -> float | None:
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else None


def run_mode(mode: str, workers: int, events: int, paced_rate: float, paced_seconds: float,
             pg_url: str) -> dict[str, Any]:
    with Mode(mode, workers, pg_url) as m:
        m.reset()
        t0 = time.perf_counter()
        m.emit(events)
        emitted = time.perf_counter()
        t1 = m.wait_done(events * SUBSCRIBERS, timeout=600)
        doubled, _ = m.doubled_or_lost(events * SUBSCRIBERS)
        m.reset()
        n_paced = int(paced_rate * paced_seconds)
        start = time.perf_counter()
        for i in range(n_paced):
            time.sleep(max(0.0, start + i / paced_rate - time.perf_counter()))
            m.emit(1)
        m.wait_done(n_paced * SUBSCRIBERS, timeout=120)
        lat = m.latencies_ms()
        doubled2, _ = m.doubled_or_lost(n_paced * SUBSCRIBERS)
    return {"suite": "outbox", "mode": mode, "workers": workers, "events": events, "subscribers": SUBSCRIBERS,
            "events_per_s": events / (t1 - t0), "deliveries_per_s": events * SUBSCRIBERS / (t1 - t0),
            "emit_s": emitted - t0, "drain_s": t1 - t0, "paced_rate": paced_rate, "paced_events": n_paced,
            "p50_ms": _pct(lat, 0.5), "p99_ms": _pct(lat, 0.99), "max_ms": lat[-1] if lat else None,
            "mean_ms": statistics.fmean(lat) if lat else None, "doubled": doubled + doubled2}


def bench_outbox(args: argparse.Namespace) -> tuple[list[dict[str, Any]], dict[str, str]]:
    rows: list[dict[str, Any]] = []
    skipped: dict[str, str] = {}
    for mode in args.outbox_modes:
        print(f"  [outbox {mode}] {args.outbox_workers} workers, {args.outbox_events} events x {SUBSCRIBERS} "
              f"subscribers, then {args.outbox_paced_rate:g}/s for {args.outbox_paced_seconds:g}s ...",
              file=sys.stderr)
        try:
            row = run_mode(mode, args.outbox_workers, args.outbox_events, args.outbox_paced_rate,
                           args.outbox_paced_seconds, args.pg_url)
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # e.g. no RabbitMQ here: say so, measure the others
            skipped[f"outbox {mode}"] = f"{type(exc).__name__}: {exc}"[:500]
            print(f"  [outbox {mode}] skipped: {skipped[f'outbox {mode}']}", file=sys.stderr)
            continue
        rows.append(row)
        print("  " + table([row]).splitlines()[1], file=sys.stderr)
    ref = next((r for r in rows if r["mode"] == "db"), None)
    for r in rows:
        r["ratio_to_db"] = r["events_per_s"] / ref["events_per_s"] if ref else None
    return rows, skipped


def table(rows: list[dict[str, Any]]) -> str:
    def num(v: Any, fmt: str) -> str:
        return format(v, fmt) if isinstance(v, int | float) else "-"

    lines = [f"{'mode':<10}{'workers':>8}{'events/s':>10}{'deliv/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
             f"{'doubled':>8}  ratio to db polling"]
    for r in rows:
        lines.append(f"{r['mode']:<10}{r['workers']:>8}{num(r['events_per_s'], '10.0f')}"
                     f"{num(r['deliveries_per_s'], '10.0f')}{num(r['p50_ms'], '9.1f')}{num(r['p99_ms'], '9.1f')}"
                     f"{num(r['max_ms'], '9.1f')}{r['doubled']:>8}  "
                     f"{num(r.get('ratio_to_db'), '.2f') + 'x' if r.get('ratio_to_db') else '-'}")
    return "\n".join(lines)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--outbox-workers", type=int, default=3, help="outbox suite: `linli worker` processes")
    ap.add_argument("--outbox-events", type=int, default=2000, help="outbox suite: events in the burst")
    ap.add_argument("--outbox-modes", default="db,rabbitmq,redis", help="outbox suite: db,rabbitmq,redis")
    ap.add_argument("--outbox-paced-rate", type=float, default=50.0, help="outbox suite: events/s for latency")
    ap.add_argument("--outbox-paced-seconds", type=float, default=4.0, help="outbox suite: seconds of paced load")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.outbox", description=__doc__)
    ap.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    add_arguments(ap)
    args = ap.parse_args(argv)
    args.outbox_modes = [m.strip() for m in args.outbox_modes.split(",") if m.strip()]
    rows, skipped = bench_outbox(args)
    print(f"outbox on PostgreSQL, {args.outbox_workers} workers, {SUBSCRIBERS} subscribers per event, "
          f"{os.cpu_count()} CPUs shared by workers, brokers, database and emitter")
    print(table(rows))
    for what, why in skipped.items():
        print(f"{what} skipped: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
