"""`python -m bench.profile`: where the time of one order placement and one flash-sale purchase goes, in
process, on a throw-away database (cProfile, one thread).

Two views per target: the service call alone inside a unit of work (`--what service`), and the whole HTTP
request through the ASGI app (`--what http`: token check, dependencies, session, commit, serialisation).
For the HTTP view FastAPI's thread-pool hand-offs are run inline, so cProfile sees the endpoint too.
It also counts the SQL statements each request sends (the round trips)."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.server import DEFAULT_PG_URL, PgDatabase


def _inline_threadpool() -> None:
    """Run everything FastAPI and linli hand to worker threads in the calling thread (profiling only)."""
    import anyio.to_thread

    async def run_sync_inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = run_sync_inline  # type: ignore[assignment]


class Env:
    """A migrated database wired in as the runtime, a tenant, products, members and their tokens."""

    def __init__(self, url: str, tmp: Path, redis_url: str | None) -> None:
        from linli.config import get_settings
        from linli.core.db import Database, set_database
        from linli.core.migrate import upgrade
        from linli.core.runtime import Runtime, set_runtime
        from linli.core.security import TokenSigner

        upgrade(url)
        self.db = Database(url)
        settings = get_settings().model_copy(update={
            "var_dir": tmp, "database_url": url, "redis_url": redis_url, "embedded_worker": False,
            "redis_namespace": f"bench-profile-{os.getpid()}"})
        set_database(self.db)
        self.signer = TokenSigner(b"bench-profile", timedelta(days=1))
        set_runtime(Runtime(settings, self.db, self.signer))

    def seed(self, members: int, products: int) -> None:
        from linli.catalog import service as catalog
        from linli.catalog.schemas import ProductIn
        from linli.community import service as community
        from linli.community.schemas import CommunityIn
        from linli.core.security import Principal, hash_password
        from linli.member import service as member_service
        from linli.member.schemas import MemberIn
        from linli.tenancy import service as tenancy

        pw = hash_password("bench-password-1")
        with self.db.unit_of_work() as s:
            tenant = tenancy.create_tenant(s, "bench", "压测租户", "admin", "bench-password-1")
            self.op = Principal(1, tenant.id, tenant.slug, "operator")
            c = community.create_community(s, tenant.id, CommunityIn(
                name="压测小区", address="杭州市西湖区文三路1号", lat=30.28, lng=120.12))
            self.product_ids = [catalog.create_product(s, self.op, ProductIn(
                name=f"压测商品{i:02d}", price_fen=990 + i, stock=10**8, category="新鲜水果")).id
                for i in range(products)]
            self.members = []
            for i in range(members):
                m = member_service.create(s, tenant.id, MemberIn(
                    username=f"bench{i:04d}", password="bench-password-1", name=f"居民{i}",
                    phone=f"1380000{i:04d}", community_id=c.id), password_hash=pw)
                self.members.append(Principal(m.user_id, tenant.id, tenant.slug, "member", member_id=m.id))
        self.tokens = [self.signer.issue(p) for p in self.members]

    def flash_sale(self, units: int) -> int:
        from linli.flashsale import service as flash
        from linli.flashsale.schemas import FlashSaleIn

        now = datetime.now(UTC)
        with self.db.unit_of_work() as s:
            return flash.create(s, self.op, FlashSaleIn(
                product_id=self.product_ids[0], price_fen=990, quantity=units, per_member_limit=1000,
                starts_at=now - timedelta(minutes=1), ends_at=now + timedelta(hours=2))).id


class StatementCounter:
    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.n = 0
        self.last: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
            self.n += 1
            self.last.append(" ".join(statement.split())[:150])

        event.listen(engine, "before_cursor_execute", count)


def service_calls(env: Env, what: str, sale_id: int | None) -> Callable[[int], None]:
    from linli.core.errors import Conflict
    from linli.flashsale import service as flash
    from linli.flashsale.schemas import PurchaseIn
    from linli.order import service as orders
    from linli.order.schemas import OrderIn

    def one(i: int) -> None:
        p = env.members[i % len(env.members)]
        with env.db.unit_of_work() as s:
            if what == "orders":
                orders.place(s, p, OrderIn.model_validate(
                    {"items": [{"product_id": env.product_ids[i % len(env.product_ids)], "quantity": 1}]}))
            else:
                assert sale_id is not None
                try:
                    flash.purchase(s, p, sale_id, PurchaseIn(quantity=1))
                except Conflict:  # sold out: the refusal is what is measured
                    s.rollback()

    return one


def http_calls(env: Env, what: str, sale_id: int | None) -> Callable[[int], None]:
    import httpx

    from linli.app import create_app

    app = create_app(background=False)
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")

    def one(i: int) -> None:
        headers = {"Authorization": f"Bearer {env.tokens[i % len(env.tokens)]}"}
        if what == "orders":
            body: dict[str, Any] = {"items": [{"product_id": env.product_ids[i % len(env.product_ids)],
                                               "quantity": 1}]}
            path = "/api/v1/orders"
        else:
            body, path = {"quantity": 1}, f"/api/v1/flash-sales/{sale_id}/purchase"
        r = loop.run_until_complete(client.post(path, json=body, headers=headers))
        if r.status_code not in (201, 409):
            raise RuntimeError(f"{path}: {r.status_code} {r.text[:300]}")

    return one


def run(args: argparse.Namespace) -> None:
    backend = args.backend
    with tempfile.TemporaryDirectory(prefix="linli-profile-") as tmp:
        pg = None
        if backend == "postgresql":
            pg = PgDatabase(args.pg_url)
            pg.create()
            url = pg.url.replace("postgresql://", "postgresql+psycopg://")
        else:
            url = f"sqlite:///{Path(tmp) / 'linli.db'}"
        try:
            env = Env(url, Path(tmp), args.redis_url if args.target.startswith("flash") else None)
            env.seed(args.members, args.products)
            sale_id = env.flash_sale(args.sale_units) if args.target.startswith("flash") else None
            what = "orders" if args.target == "orders" else "flash"
            if args.what == "http":
                _inline_threadpool()
                call = http_calls(env, what, sale_id)
            else:
                call = service_calls(env, what, sale_id)
            for i in range(20):  # warm caches (compiled statements, imports)
                call(i)
            counter = StatementCounter(env.db.engine)
            call(20)
            print("statements of one call:", *counter.last, sep="\n  ")
            counter.n, counter.last = 0, []
            t0, c0 = time.perf_counter(), time.process_time()
            for i in range(args.n):
                call(i)
            elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(f"{backend} {args.target} {args.what}: {args.n} calls, {elapsed / args.n * 1000:.2f} ms each, "
                  f"{cpu / args.n * 1000:.2f} ms CPU in this process, {counter.n / args.n:.1f} SQL statements each")
            prof = cProfile.Profile()
            prof.enable()
            for i in range(args.n):
                call(args.n + i)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats(args.sort).print_stats(args.lines)
            print(buf.getvalue())
            env.db.dispose()
        finally:
            if pg is not None:
                pg.drop()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="postgresql")
    ap.add_argument("--target", choices=["orders", "flashsale"], default="orders")
    ap.add_argument("--what", choices=["service", "http"], default="service")
    ap.add_argument("--n", type=int, default=500, help="calls profiled (default 500)")
    ap.add_argument("--sale-units", type=int, default=10**6,
                    help="flash sale size (default: never sold out; small → mostly sold-out refusals)")
    ap.add_argument("--members", type=int, default=64)
    ap.add_argument("--products", type=int, default=7)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--lines", type=int, default=45)
    ap.add_argument("--redis-url", default=None, help="flash sale through the Redis gate (e.g. redis://…/14)")
    ap.add_argument("--pg-url", default=os.environ.get("LINLI_BENCH_PG_URL", DEFAULT_PG_URL))
    run(ap.parse_args(argv))


if __name__ == "__main__":
    main()
