"""Builders for test data. They go through the public API where one exists, so tests exercise it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from linli.core.db import Database
from linli.core.runtime import get_runtime
from linli.core.security import Principal, hash_password
from linli.leader import service as leaders
from linli.tenancy import service as tenancy

PASSWORD = "password-1"
# what a browser sends on its pages' form posts; a second TestClient of a test needs it (web/origin.py)
SAME_ORIGIN = {"Origin": "http://testserver"}
_seq = itertools.count(1)
_SHARED_HASH = hash_password(PASSWORD)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class TenantKit:
    client: TestClient
    db: Database
    slug: str
    tenant_id: int
    op: dict[str, str]
    _community_id: int | None = field(default=None)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None, expect: int = 201) -> Any:
        r = self.client.post(f"/api/v1{path}", json=body, headers=headers or self.op)
        assert r.status_code == expect, r.text
        return r.json()

    def community(self, pickup_point: bool = True, **kw: Any) -> dict[str, Any]:
        """A community with a store pickup point (every order needs one), unless pickup_point=False."""
        body = {"name": f"小区{next(_seq)}", "address": "杭州市西湖区文三路1号", "lat": 30.28, "lng": 120.12}
        body.update(kw)
        c = self.post("/communities", body)
        if pickup_point:
            self.post("/pickup-points", {"community_id": c["id"], "name": f"{c['name']}便利店", "kind": "store",
                                         "lat": c["lat"], "lng": c["lng"]})
        self._community_id = self._community_id or c["id"]
        return c

    def default_community(self) -> int:
        return self._community_id or self.community()["id"]

    def product(self, stock: int = 100, price_fen: int = 1000, **kw: Any) -> dict[str, Any]:
        body = {"name": f"商品{next(_seq)}", "price_fen": price_fen, "stock": stock, "category": "新鲜水果"}
        body.update(kw)
        return self.post("/products", body)

    def member(self, community_id: int | None = None) -> tuple[dict[str, Any], dict[str, str]]:
        n = next(_seq)
        m = self.post("/members", {"username": f"m{n}", "password": PASSWORD, "name": f"居民{n}",
                                    "phone": f"1380000{n:04d}", "community_id": community_id
                                    or self.default_community()})
        return m, self.token("member", m["user_id"], member_id=m["id"])

    def members(self, n: int, community_id: int | None = None) -> list[dict[str, str]]:
        """n members at once (one shared password hash; argon2 per member would dominate the test)."""
        from linli.member import service as members
        from linli.member.schemas import MemberIn

        cid = community_id or self.default_community()
        headers = []
        with self.db.unit_of_work() as s:
            for _ in range(n):
                k = next(_seq)
                m = members.create(s, self.tenant_id, MemberIn(
                    username=f"m{k}", password=PASSWORD, name=f"居民{k}", phone=f"1390000{k % 10000:04d}",
                    community_id=cid), password_hash=_SHARED_HASH)
                headers.append(self.token("member", m.user_id, member_id=m.id))
        return headers

    def leader(self, community_id: int | None = None) -> tuple[int, int, dict[str, str]]:
        """A leader with a leader_home pickup point: (leader_id, pickup_point_id, headers)."""
        n = next(_seq)
        cid = community_id or self.default_community()
        with self.db.unit_of_work() as s:
            leader = leaders.create(s, self.tenant_id, f"leader{n}", PASSWORD, f"团长{n}", "13900000000", cid)
            leader_id, user_id = leader.id, leader.user_id
        point = self.post("/pickup-points", {"community_id": cid, "name": f"团长{n}家", "kind": "leader_home",
                                             "lat": 30.28, "lng": 120.12, "leader_id": leader_id})
        return leader_id, point["id"], self.token("leader", user_id, leader_id=leader_id)

    def token(self, role: str, user_id: int, member_id: int | None = None,
              leader_id: int | None = None) -> dict[str, str]:
        p = Principal(user_id, self.tenant_id, self.slug, role, member_id, leader_id)
        return bearer(get_runtime().signer.issue(p))

    def login(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        r = self.client.post("/api/v1/auth/login",
                             json={"tenant": self.slug, "username": username, "password": password})
        assert r.status_code == 200, r.text
        return bearer(r.json()["access_token"])


@dataclass
class Factory:
    client: TestClient
    db: Database

    def tenant(self, slug: str | None = None) -> TenantKit:
        slug = slug or f"t{next(_seq)}"
        with self.db.unit_of_work() as s:
            tenant_id = tenancy.create_tenant(s, slug, f"租户{slug}", "admin", PASSWORD).id
        kit = TenantKit(self.client, self.db, slug, tenant_id, {})
        kit.op = kit.login("admin")
        return kit
