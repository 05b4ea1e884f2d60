"""Request dispatch: how long the app takes to find a request's route and answer it, in process (no server, no
network), for an early and a late API path, a late page and an unknown path. Next to two references measured in the
same run: the same app with its routers' gates lifted (FastAPI trying every route in turn), and an app of one route
(the floor: middleware and FastAPI's own per-request work). The requests carry no token, so each is answered by the
route's authentication (401) or the page's redirect to its login: the figures are dispatch, not handlers.

`python -m bench --suites dispatch` or `python -m bench.dispatch [--dispatch-requests 2000]`. Prints figures only."""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from typing import Any

import httpx
from fastapi import APIRouter, FastAPI

TARGETS = [("GET /healthz", "/healthz"),
           ("early API: GET /api/v1/products", "/api/v1/products"),
           ("late API: GET /api/v1/local-services/merchants", "/api/v1/local-services/merchants"),
           ("late page: GET /w/delivery", "/w/delivery"),
           ("unknown: GET /nothing/here", "/nothing/here")]


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--dispatch-requests", type=int, default=2000, help="requests per target (default 2000)")


async def _latencies(app: Any, path: str, n: int) -> tuple[int, list[float]]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for _ in range(min(n, 50)):  # warm
            await client.get(path)
        lat, status = [], 0
        for _ in range(n):
            t0 = time.perf_counter()
            status = (await client.get(path)).status_code
            lat.append((time.perf_counter() - t0) * 1e6)
        return status, lat


def _row(name: str, target: str, status: int, lat: list[float]) -> dict[str, Any]:
    return {"suite": "dispatch", "target": target, "app": name, "status": status,
            "per_s": len(lat) / (sum(lat) / 1e6), "p50_us": statistics.median(lat),
            "p95_us": statistics.quantiles(lat, n=20)[18]}


def bench_dispatch(args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="linli-dispatch-") as tmp:
        os.environ.setdefault("LINLI_DATABASE_URL", f"sqlite:///{tmp}/dispatch.db")
        os.environ.setdefault("LINLI_VAR_DIR", tmp)
        from linli.app import create_app
        from linli.core.routing import GatedRouter

        app = create_app(background=False)
        floor = FastAPI()
        floor.get("/healthz")(lambda: {"status": "ok"})
        n = args.dispatch_requests
        rows = []
        for label, path in TARGETS:
            rows.append(_row("linli (gated)", label, *asyncio.run(_latencies(app, path, n))))
            gated_matches = GatedRouter.matches
            GatedRouter.matches = APIRouter.matches  # type: ignore[method-assign]  # the reference: gates lifted
            try:
                rows.append(_row("ref: gates lifted", label, *asyncio.run(_latencies(app, path, n))))
            finally:
                GatedRouter.matches = gated_matches  # type: ignore[method-assign]
        rows.append(_row("ref: one-route app", "GET /healthz", *asyncio.run(_latencies(floor, "/healthz", n))))
        return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'target':<48} {'app':<19} {'status':>6} {'req/s':>8} {'p50 µs':>8} {'p95 µs':>8}"]
    lines += [f"{r['target']:<48} {r['app']:<19} {r['status']:>6} {r['per_s']:>8.0f} {r['p50_us']:>8.0f} "
              f"{r['p95_us']:>8.0f}" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.dispatch", description=__doc__)
    add_arguments(ap)
    rows = bench_dispatch(ap.parse_args(argv))
    print("request dispatch in process (one thread, httpx ASGI transport, no token):")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
