"""Per-member ranking speed: `linli.recommend.service.recommendations` (the member's own behaviour read fresh,
the tenant model cached, on-shelf products read, scored and explained) over a generated tenant in a throw-away
SQLite file, next to a reference measured in the same run on the same data: popularity-only ranking through
the same reads (the shelf and the cached model, no member behaviour). The first build of the tenant model is
timed on its own. Generation is not timed.

`python -m bench --suites recommend` or `python -m bench.recommend [--rec-members 2000] [--rec-products 200]`."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select

from linli.community import service as community
from linli.community.schemas import CommunityIn
from linli.core import clock
from linli.core.db import Database, set_database
from linli.core.migrate import upgrade
from linli.models import Category, Member, Product, User
from linli.recommend import ranking, service
from linli.recommend import repository as repo
from linli.recommend import settings as rank_settings
from linli.recommend.schemas import Behaviour
from linli.tenancy import service as tenancy

CATEGORIES = ["新鲜水果", "时令蔬菜", "肉禽蛋", "水产海鲜", "乳品烘焙", "粮油调味", "休闲零食", "酒水饮料", "日用百货",
              "母婴用品", "个护清洁", "冷冻速食"]
ACTIONS = ["view"] * 5 + ["dwell"] * 3 + ["like", "favourite", "comment", "share"] + ["purchase"] * 4


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("--rec-members", type=int, default=2000, help="members (default 2000, like the demo)")
    ap.add_argument("--rec-products", type=int, default=200, help="products (default 200)")
    ap.add_argument("--rec-events", type=int, default=60, help="behaviour events a member over 90 days (default 60)")
    ap.add_argument("--rec-rankings", type=int, default=300, help="rankings timed per target (default 300)")


def generate(db: Database, members: int, products: int, per_member: int) -> int:
    rng = random.Random(13)
    now = clock.now()
    with db.unit_of_work() as s:
        tenant_id = tenancy.create_tenant(s, "rec-bench", "推荐压测", "admin", "bench-pass-1").id
        communities = [community.create_community(s, tenant_id, CommunityIn(
            name=f"小区{i}", address="杭州市", lat=30.2, lng=120.1)).id for i in range(20)]
        cats = []
        for i, name in enumerate(CATEGORIES):
            s.add(Category(tenant_id=tenant_id, name=name, sort=i))
            s.flush()
            cats.append(s.scalar(select(Category.id).where(Category.tenant_id == tenant_id, Category.name == name)))
        s.execute(insert(Product), [{"tenant_id": tenant_id, "category_id": cats[i % len(cats)], "name": f"商品{i}",
                                     "unit": "份", "description": "", "price_fen": 500 + i, "stock": 1000,
                                     "is_fresh": False, "is_active": True, "created_at": now}
                                    for i in range(products)])
        s.execute(insert(User), [{"tenant_id": tenant_id, "username": f"u{i}", "password_hash": "x", "role": "member",
                                  "name": f"居民{i}", "is_active": True, "created_at": now} for i in range(members)])
        users = list(s.scalars(select(User.id).where(User.tenant_id == tenant_id, User.role == "member")))
        s.execute(insert(Member), [{"tenant_id": tenant_id, "user_id": u, "community_id": communities[k % 20],
                                    "name": f"居民{k}", "phone": "13800000000", "joined_at": now}
                                   for k, u in enumerate(users)])
        member_ids = list(s.scalars(select(Member.id).where(Member.tenant_id == tenant_id)))
        product_ids = list(s.scalars(select(Product.id).where(Product.tenant_id == tenant_id).order_by(Product.id)))
        rows = []
        for mid in member_ids:
            liked = rng.sample(product_ids, 8)
            for _ in range(per_member):
                pid = rng.choice(liked) if rng.random() < 0.7 else rng.choice(product_ids)
                action = rng.choice(ACTIONS)
                rows.append(Behaviour(mid, "product", pid, action, now - timedelta(minutes=rng.randint(1, 90 * 1440)),
                                      dwell_ms=rng.randint(2000, 60000) if action == "dwell" else None))
        service.record_many(s, tenant_id, rows)
    return tenant_id


def _latencies(fn: Callable[[int], object], member_ids: list[int]) -> tuple[float, list[float]]:
    lat = []
    started = time.perf_counter()
    for mid in member_ids:
        t0 = time.perf_counter()
        fn(mid)
        lat.append((time.perf_counter() - t0) * 1000)
    return time.perf_counter() - started, lat


def bench_recommend(args: argparse.Namespace) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="linli-rec-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'rec.db'}"
        upgrade(url)
        db = Database(url)
        set_database(db)
        try:
            print(f"  [recommend] generating {args.rec_members} members, {args.rec_products} products, "
                  f"{args.rec_members * args.rec_events:,} events (not timed) ...", file=sys.stderr)
            tenant_id = generate(db, args.rec_members, args.rec_products, args.rec_events)
            with db.unit_of_work() as s:
                members = list(s.scalars(select(Member.id).where(Member.tenant_id == tenant_id)))
            sample = random.Random(5).choices(members, k=args.rec_rankings)
            ranking.forget()
            with db.unit_of_work() as s:
                t0 = time.perf_counter()
                ranking.tenant_model(s, tenant_id, rank_settings.current(s, tenant_id), clock.now())
                build_s = time.perf_counter() - t0

            def personal(mid: int) -> object:
                with db.unit_of_work() as s:
                    return service.recommendations(s, tenant_id, mid, "product", 10)

            def popular(mid: int) -> object:
                with db.unit_of_work() as s:
                    settings = rank_settings.current(s, tenant_id)
                    model, _ = ranking.tenant_model(s, tenant_id, settings, clock.now())
                    shelf = [row[0] for row in repo.shelf(s, tenant_id)]
                    pos = np.array([model.index.get(p, -1) for p in shelf])
                    score = np.where(pos >= 0, model.popularity[np.maximum(pos, 0)], -1.0)
                    return [shelf[i] for i in np.argsort(-score, kind="stable")[:10]]

            out = []
            for name, fn in (("popularity only (reference)", popular), ("personal ranking", personal)):
                fn(sample[0])  # warm
                total, lat = _latencies(fn, sample)
                qs = statistics.quantiles(lat, n=20)
                out.append({"suite": "recommend", "target": name, "rankings": len(sample),
                            "per_s": len(sample) / total, "p50_ms": statistics.median(lat), "p95_ms": qs[18],
                            "members": args.rec_members, "products": args.rec_products,
                            "events": args.rec_members * args.rec_events, "model_build_s": build_s})
            return out
        finally:
            set_database(None)
            db.dispose()


def table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'target':<30} {'rankings/s':>11} {'p50 ms':>8} {'p95 ms':>8}"]
    for r in rows:
        lines.append(f"{r['target']:<30} {r['per_s']:>11.1f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
    lines.append(f"tenant model built (first ranking after a change or {ranking.TTL_S:g} s) in "
                 f"{rows[0]['model_build_s']:.2f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.recommend", description=__doc__)
    add_arguments(ap)
    rows = bench_recommend(ap.parse_args(argv))
    r = rows[0]
    print(f"recommendation: {r['members']} members, {r['products']} products, {r['events']:,} events, SQLite")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
