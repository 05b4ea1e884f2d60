"""The data a benchmark needs: a tenant (via the CLI), then over HTTP an operator login, a community,
products with stock that cannot run out, and members with their bearer tokens."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from bench.server import Server

TENANT = "bench"
PASSWORD = "bench-password-1"
HUGE_STOCK = 10**8


@dataclass(frozen=True)
class Seed:
    tenant: str
    product_ids: list[int]
    member_tokens: list[str]


def _ok(r: httpx.Response, expect: int) -> dict:  # type: ignore[type-arg]
    if r.status_code != expect:
        raise RuntimeError(f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:500]}")
    return r.json()  # type: ignore[no-any-return]


def seed(srv: Server, members: int, products: int) -> Seed:
    srv.run_cli("create-tenant", "--slug", TENANT, "--name", "压测租户", "--admin-username", "admin",
                "--admin-password", PASSWORD)
    with httpx.Client(base_url=f"{srv.base_url}/api/v1", timeout=60.0) as c:
        def login(username: str) -> str:
            r = c.post("/auth/login", json={"tenant": TENANT, "username": username, "password": PASSWORD})
            return str(_ok(r, 200)["access_token"])

        op = {"Authorization": f"Bearer {login('admin')}"}
        community = _ok(c.post("/communities", headers=op, json={
            "name": "压测小区", "address": "杭州市西湖区文三路1号", "lat": 30.28, "lng": 120.12}), 201)
        product_ids = [
            int(_ok(c.post("/products", headers=op, json={
                "name": f"压测商品{i:02d}", "price_fen": 990 + i, "stock": HUGE_STOCK,
                "category": "新鲜水果"}), 201)["id"])
            for i in range(products)]

        def member(i: int) -> str:
            username = f"bench{i:04d}"
            _ok(c.post("/members", headers=op, json={
                "username": username, "password": PASSWORD, "name": f"居民{i}",
                "phone": f"1380000{i:04d}", "community_id": community["id"]}), 201)
            return login(username)

        # password hashing dominates; a few at a time keeps setup short without starving the server
        pool = ThreadPoolExecutor(max_workers=4)
        try:
            tokens = list(pool.map(member, range(members)))
        finally:  # on Ctrl-C, drop what is queued rather than finish it
            pool.shutdown(wait=False, cancel_futures=True)
    return Seed(TENANT, product_ids, tokens)
