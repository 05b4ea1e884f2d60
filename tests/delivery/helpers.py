"""A small delivery world: one community with a micro-warehouse run by a leader, a rider, buildings near and far,
and members living in them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linli.core.outbox import drain
from linli.events import build_registry
from linli.member import service as members
from linli.member.schemas import MemberIn
from tests.factories import _SHARED_HASH, PASSWORD, TenantKit

API = "/api/v1/delivery"
WAREHOUSE = (30.2800, 120.1200)
NEAR = [(30.2850, 120.1250), (30.2760, 120.1150), (30.2900, 120.1180), (30.2820, 120.1300)]  # 0.5-1.2 km
FAR = (30.4000, 120.3000)  # ~21 km


@dataclass
class World:
    t: TenantKit
    community_id: int
    warehouse_id: int
    leader: dict[str, str]
    rider_id: int
    product_id: int
    near: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (member_id, headers)
    far: tuple[int, dict[str, str]] | None = None
    homeless: tuple[int, dict[str, str]] | None = None


def _household(t: TenantKit, community_id: int, where: tuple[float, float], name: str) -> int:
    b = t.post(f"/communities/{community_id}/buildings", {"name": name, "lat": where[0], "lng": where[1]})
    return int(t.post(f"/buildings/{b['id']}/households", {"unit_no": "2单元502", "unit_type": "两室一厅",
                                                          "family_structure": "young_family"})["id"])


def _member(t: TenantKit, community_id: int, household_id: int | None, n: int) -> tuple[int, dict[str, str]]:
    with t.db.unit_of_work() as s:
        m = members.create(s, t.tenant_id, MemberIn(
            username=f"d{t.tenant_id}x{n}", password=PASSWORD, name=f"住户{n}", phone=f"1370000{n:04d}",
            community_id=community_id, household_id=household_id), password_hash=_SHARED_HASH)
    return m.id, t.token("member", m.user_id, member_id=m.id)


def world(make: Any, near: int = 3) -> World:
    t = make.tenant()
    c = t.community(lat=WAREHOUSE[0], lng=WAREHOUSE[1])
    leader_id, _, leader = t.leader(c["id"])
    wh = t.post("/pickup-points", {"community_id": c["id"], "name": "文三路前置仓", "kind": "warehouse",
                                   "lat": WAREHOUSE[0], "lng": WAREHOUSE[1], "leader_id": leader_id})
    rider = t.post(f"/delivery/warehouses/{wh['id']}/riders", {"name": "张骑手", "phone": "13800001111"}, leader)
    product = t.product(stock=100, price_fen=1500)
    w = World(t, c["id"], wh["id"], leader, rider["id"], product["id"])
    for i in range(near):
        w.near.append(_member(t, c["id"], _household(t, c["id"], NEAR[i % len(NEAR)], f"{i + 1}幢"), i + 1))
    w.far = _member(t, c["id"], _household(t, c["id"], FAR, "远郊9幢"), 90)
    w.homeless = _member(t, c["id"], None, 91)
    return w


def order(w: World, headers: dict[str, str], pay: bool = True) -> int:
    o = w.t.post("/orders", {"items": [{"product_id": w.product_id, "quantity": 1}],
                             "pickup_point_id": w.warehouse_id}, headers)
    if pay:
        w.t.post(f"/orders/{o['id']}/pay", {}, headers, expect=200)
    return int(o["id"])


def delivered_order(w: World, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    """A placed order with 送货上门, then paid (the promise starts at payment)."""
    order_id = order(w, headers, pay=False)
    d = w.t.post(f"/delivery/orders/{order_id}", None, headers)
    w.t.post(f"/orders/{order_id}/pay", {}, headers, expect=200)
    settle(w)
    return order_id, d


def settle(w: World) -> None:
    drain(w.t.db, build_registry())


def get(w: World, path: str, headers: dict[str, str] | None = None, expect: int = 200, **params: Any) -> Any:
    r = w.t.client.get(f"{API}{path}", headers=headers or w.t.op, params=params)
    assert r.status_code == expect, r.text
    body = r.json()
    return body["items"] if isinstance(body, dict) and set(body) == {"items", "next_cursor"} else body


def post(w: World, path: str, body: Any = None, headers: dict[str, str] | None = None, expect: int = 200) -> Any:
    r = w.t.client.post(f"{API}{path}", json=body, headers=headers or w.t.op)
    assert r.status_code == expect, r.text
    return r.json()
