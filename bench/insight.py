"""`python -m bench.insight`: how long the 邻里洞察 requests take on the full demo (2,000 members, ~20k orders).

Loads the demo tenant into a SQLite file (or uses --url, where the demo must already be loaded), then times each
insight API request and the console page in-process through the whole FastAPI stack (TestClient: routing, token
check, the request's unit of work, JSON) — no network. Prints p50 / p95 / max over --repeat runs after one
warm-up. A figure, never a test.

    .venv/bin/python -m bench.insight                       # loads the demo into var/bench-insight/demo.db once
    .venv/bin/python -m bench.insight --url postgresql+psycopg://postgres@127.0.0.1/linli_demo
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

DEFAULT_DB = Path("var/bench-insight/demo.db")
PASSWORD = "linli-demo"


def _prepare(url: str | None) -> str:
    if url:
        return url
    DEFAULT_DB.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{DEFAULT_DB.resolve()}"
    if not DEFAULT_DB.exists():
        from linli.core.db import Database
        from linli.core.migrate import upgrade
        from linli.demo.loader import load

        print("loading the full demo (about a minute) ...", file=sys.stderr)
        upgrade(url)
        load(Database(url), slug="demo")
    return url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="a database with the demo tenant loaded (default: a SQLite file, loaded once)")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    os.environ["LINLI_DATABASE_URL"] = _prepare(args.url)
    os.environ.setdefault("LINLI_EMBEDDED_WORKER", "false")
    from fastapi.testclient import TestClient
    from sqlalchemy import text

    from linli.app import create_app
    from linli.core.runtime import get_runtime

    with get_runtime().db.unit_of_work() as s:
        tenant = s.execute(text("SELECT id FROM tenants WHERE slug = 'demo'")).scalar_one()
        members, orders = (s.execute(text(f"SELECT count(*) FROM {t} WHERE tenant_id = :t"), {"t": tenant})
                           .scalar_one() for t in ("members", "orders"))
        community = s.execute(text("SELECT community_id FROM members WHERE tenant_id = :t GROUP BY community_id "
                                   "ORDER BY count(*) DESC, community_id LIMIT 1"), {"t": tenant}).scalar_one()
    print(f"demo: {members} members, {orders} orders; largest community #{community}")
    with TestClient(create_app(background=False)) as c:
        r = c.post("/api/v1/auth/login", json={"tenant": "demo", "username": "admin", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        page = c.post("/console/login", data={"tenant": "demo", "username": "admin", "password": PASSWORD},
                      headers={"Origin": "http://testserver"}, follow_redirects=False)
        assert page.status_code == 303, page.text
        targets = [
            ("heatmap building x category", f"/api/v1/insight/heatmap?dimension=building&community_id={community}"),
            ("heatmap family x category", f"/api/v1/insight/heatmap?dimension=family&community_id={community}"),
            ("heatmap building, all", "/api/v1/insight/heatmap?dimension=building"),
            ("activity per building", f"/api/v1/insight/activity?community_id={community}"),
            ("geo (h3 res 10)", "/api/v1/insight/geo"),
            ("assortment advice", f"/api/v1/insight/assortment?community_id={community}"),
            ("stock turnover", "/api/v1/insight/turnover"),
            ("console page (all of it)", f"/console/insight?community={community}"),
        ]
        print(f"{'request':<28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, path in targets:
            times = []
            for i in range(args.repeat + 1):
                started = time.perf_counter()
                got = c.get(path, headers=headers if path.startswith("/api") else None)
                took = (time.perf_counter() - started) * 1000
                assert got.status_code == 200, (path, got.status_code, got.text[:300])
                if i:  # the first run warms the imports and caches
                    times.append(took)
            times.sort()
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            print(f"{name:<28} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")


if __name__ == "__main__":
    main()
