"""Flash-sale purchase attempts over HTTP on PostgreSQL, database path and Redis path, next to the
raw PostgreSQL throughput of the single-row conditional UPDATE at the same concurrency (pgbench).

Each run is a thundering herd: a sale of SALE_UNITS units, members rotating, more attempts than
units; attempts after the sell-out are refusals (409 sold_out). After the run the sale's `sold`
must equal the 201 answers and never exceed the quantity (zero oversell).

Each path is measured twice: as configured (refusals after the sell-out answered from the process's
sold-out memo by the fast lane, `flashsale/fastlane.py`), and with the memo off, where every attempt
goes down the full path and asks the database or Redis."""

from __future__ import annotations

import json
import re
import secrets
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from bench import load
from bench.seed import seed
from bench.server import PgDatabase, Server

SALE_UNITS = 200
REDIS_URL = "redis://127.0.0.1:6379/14"


def reference_update(pg_url: str, connections: int, duration: float) -> dict[str, Any]:
    """pgbench: `UPDATE … SET qty = qty - 1 WHERE id = 1 AND qty > 0` from `connections` clients."""
    pgbench = shutil.which("pgbench")
    if pgbench is None:
        raise RuntimeError("pgbench is not installed (Debian: postgresql-client)")
    db = PgDatabase(pg_url)
    db.create()
    try:
        u = db.admin_url
        with psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username,
                             dbname=db.name, autocommit=True) as conn:
            conn.execute("CREATE TABLE hot (id int PRIMARY KEY, qty bigint NOT NULL CHECK (qty >= 0))")
            conn.execute("INSERT INTO hot VALUES (1, 1000000000000)")
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "update.sql"
            script.write_text("UPDATE hot SET qty = qty - 1 WHERE id = 1 AND qty > 0;\n")
            out = subprocess.run(
                [pgbench, "-n", "-M", "prepared", "-c", str(connections), "-j", "2", "-T", str(int(duration)),
                 "-f", str(script), "-h", u.host or "127.0.0.1", "-p", str(u.port or 5432),
                 "-U", u.username or "postgres", db.name],
                capture_output=True, text=True, timeout=duration + 120, check=True).stdout
    finally:
        db.drop()
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    return {"backend": "postgresql", "target": "raw UPDATE (pgbench)", "rps": tps, "p50_ms": None,
            "p99_ms": None, "latency_avg_ms": float(latency.group(1)) if latency else None, "errors": 0,
            "statuses": {}}


def _create_sale(srv: Server, op_token: str, product_id: int) -> int:
    now = datetime.now(UTC)
    body = {"product_id": product_id, "price_fen": 990, "quantity": SALE_UNITS, "per_member_limit": 1000,
            "starts_at": (now - timedelta(minutes=1)).isoformat(), "ends_at": (now + timedelta(hours=2)).isoformat()}
    r = httpx.post(f"{srv.base_url}/api/v1/flash-sales", json=body, timeout=30,
                   headers={"Authorization": f"Bearer {op_token}"})
    r.raise_for_status()
    return int(r.json()["id"])


def run_path(path: str, memo: bool, args: Any, loader: Any) -> dict[str, Any]:
    """memo False: every refusal asks the database (or Redis) again, as when the sold-out memo is off."""
    extra = {"LINLI_REDIS_URL": REDIS_URL, "LINLI_REDIS_NAMESPACE": f"bench-{secrets.token_hex(4)}"} \
        if path == "redis" else {}
    if not memo:
        extra["LINLI_FLASH_SALE_SOLD_OUT_MEMO_SECONDS"] = "0"
    with Server("postgresql", args.server, args.workers, args.pg_url, extra_env=extra) as srv:
        data = seed(srv, args.members, 1)
        op = httpx.post(f"{srv.base_url}/api/v1/auth/login", timeout=30, json={
            "tenant": data.tenant, "username": "admin", "password": "bench-password-1"}).json()["access_token"]
        sale_id = _create_sale(srv, op, data.product_ids[0])
        name = f"POST purchase ({path} path{'' if memo else ', no memo'})"
        target = load.Target(name, "POST", f"/api/v1/flash-sales/{sale_id}/purchase",
                             data.member_tokens, payload=json.dumps({"quantity": 1}).encode())
        loader.run(srv.base_url, target, 1.0, args.connections)  # warm-up: part of the herd
        res = loader.run(srv.base_url, target, args.duration, args.connections)
        sale = httpx.get(f"{srv.base_url}/api/v1/flash-sales/{sale_id}", timeout=30,
                         headers={"Authorization": f"Bearer {op}"}).json()
    created = int(res.statuses.get("201", 0))
    return {"backend": "postgresql", "target": target.name, **res.as_dict(), "sold": sale["sold"],
            "quantity": sale["quantity"], "oversold": max(0, sale["sold"] - sale["quantity"]),
            "created_in_run": created}


def bench_flash_sales(args: Any, loader: Any) -> list[dict[str, Any]]:
    ref = reference_update(args.pg_url, args.connections, args.duration)
    rows = [ref]
    for path, memo in (("db", True), ("redis", True), ("db", False), ("redis", False)):
        row = run_path(path, memo, args, loader)
        row["ratio_to_reference"] = row["rps"] / ref["rps"] if ref["rps"] else None
        rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'target':<38}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'sold/qty':>12}{'oversold':>9}"
             "  ratio to raw UPDATE"]
    for r in rows:
        def num(v: Any, fmt: str) -> str:
            width = int(fmt.split(".")[0].rstrip("df") or 0)
            return format(v, fmt) if isinstance(v, int | float) else "-".rjust(width)
        sold = f"{r['sold']}/{r['quantity']}" if "sold" in r else "-"
        lines.append(f"{r['target']:<38}{num(r['rps'], '10.1f')}{num(r.get('p50_ms'), '9.1f')}"
                     f"{num(r.get('p99_ms'), '9.1f')}{sold:>12}{num(r.get('oversold'), '9d')}  "
                     f"{num(r.get('ratio_to_reference'), '.2f') + 'x' if r.get('ratio_to_reference') else '1.00x'}")
    return "\n".join(lines)
