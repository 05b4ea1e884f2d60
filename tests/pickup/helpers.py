"""A small pickup network on a line going north from the community: A (the members' default) at the community,
B 333 m away holding 2 parcels, C 666 m away holding 10, D 3.3 km away (out of range)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from linli.models import AssignmentMove, InboxMessage, Order, OrderEvent

API = "/api/v1/pickup"
LAT, LNG = 30.28, 120.12
STEP = 0.003  # degrees of latitude: 333.6 m


@dataclass
class Net:
    t: Any
    community_id: int
    a: int
    b: int
    c: int
    d: int
    product_id: int


def network(t) -> Net:
    c = t.community(pickup_point=False, lat=LAT, lng=LNG)
    ids = []
    for name, kind, k, cap in (("幸福里团长家", "leader_home", 0, None), ("便民超市", "store", 1, 2),
                               ("3号楼驿站", "warehouse", 2, 10), ("远处门店", "store", 10, None)):
        body = {"community_id": c["id"], "name": name, "kind": kind, "lat": LAT + k * STEP, "lng": LNG}
        if cap:
            body["capacity"] = cap
        ids.append(t.post("/pickup-points", body)["id"])
    return Net(t, c["id"], *ids, t.product(stock=1000)["id"])


def paid_orders(net: Net, headers: list[dict[str, str]], point_id: int | None = None) -> list[int]:
    out = []
    for h in headers:
        body: dict[str, Any] = {"items": [{"product_id": net.product_id, "quantity": 1}]}
        if point_id is not None:
            body["pickup_point_id"] = point_id
        o = net.t.post("/orders", body, h)
        net.t.post(f"/orders/{o['id']}/pay", None, h, expect=200)
        out.append(int(o["id"]))
    return out


def points_of(t, order_ids: list[int]) -> dict[int, int]:
    with t.db.unit_of_work() as s:
        return {o: p for o, p in s.execute(select(Order.id, Order.pickup_point_id).where(Order.id.in_(order_ids)))}


def relocations(t) -> dict[int, int]:
    """order id -> how many times it was relocated."""
    with t.db.unit_of_work() as s:
        return {o: n for o, n in s.execute(select(OrderEvent.order_id, func.count()).where(
            OrderEvent.tenant_id == t.tenant_id, OrderEvent.action == "relocated").group_by(OrderEvent.order_id))}


def inbox(t) -> list[tuple[int, str]]:
    with t.db.unit_of_work() as s:
        return list(s.execute(select(InboxMessage.member_id, InboxMessage.body).where(
            InboxMessage.tenant_id == t.tenant_id).order_by(InboxMessage.id)).all())


def move_rows(t) -> int:
    with t.db.unit_of_work() as s:
        return int(s.scalar(select(func.count()).select_from(AssignmentMove).where(
            AssignmentMove.tenant_id == t.tenant_id)) or 0)


def get(t, path: str, headers=None, expect: int = 200, **params: Any) -> Any:
    r = t.client.get(f"{API}{path}", headers=headers or t.op, params=params)
    assert r.status_code == expect, r.text
    return r.json()


def act(t, path: str, body: Any, expect: int = 200, method: str = "post") -> Any:
    r = t.client.request(method.upper(), f"{API}{path}", json=body, headers=t.op)
    assert r.status_code == expect, r.text
    return r.json()
