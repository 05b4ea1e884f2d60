"""Shared steps of the locker tests: a locker run by a leader, with compartments, and paid orders for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from linli.models import InboxMessage, LockerParcel, Order

API = "/api/v1/lockers"


@dataclass
class Locker:
    id: int
    leader: dict[str, str]  # the leader's headers
    product_id: int


def locker(t, small: int = 2, medium: int = 1, large: int = 0, capacity: int = 48) -> Locker:
    leader_id, _, lh = t.leader()
    point = t.post("/pickup-points", {"community_id": t.default_community(), "name": "3号楼智能柜",
                                      "kind": "locker", "lat": 30.28, "lng": 120.12, "capacity": capacity,
                                      "leader_id": leader_id})
    if small or medium or large:
        t.post(f"/lockers/{point['id']}/compartments", {"small": small, "medium": medium, "large": large})
    return Locker(point["id"], lh, t.product(stock=1000)["id"])


def paid_order(t, lk: Locker, member: dict[str, str]) -> int:
    o = t.post("/orders", {"items": [{"product_id": lk.product_id, "quantity": 1}], "pickup_point_id": lk.id},
               member)
    t.post(f"/orders/{o['id']}/pay", None, member, expect=200)
    return int(o["id"])


def deposit(t, lk: Locker, order_id: int, size: str = "S", expect: int = 201) -> Any:
    return t.post(f"/lockers/{lk.id}/deposits", {"order_id": order_id, "size": size}, lk.leader, expect=expect)


def collect(t, lk: Locker, code: str, headers: dict[str, str], expect: int = 200) -> Any:
    return t.post(f"/lockers/{lk.id}/collect", {"code": code}, headers, expect=expect)


def code_of(t, member: dict[str, str], parcel_id: int) -> str:
    r = t.client.get(f"{API}/mine", headers=member)
    assert r.status_code == 200, r.text
    return next(p["code"] for p in r.json() if p["id"] == parcel_id)


def order_status(t, order_id: int) -> str:
    with t.db.unit_of_work() as s:
        return str(s.scalar(select(Order.status).where(Order.id == order_id)))


def parcel_rows(t) -> list[LockerParcel]:
    with t.db.unit_of_work() as s:
        rows = list(s.scalars(select(LockerParcel).where(LockerParcel.tenant_id == t.tenant_id)
                              .order_by(LockerParcel.id)))
        s.expunge_all()
        return rows


def inbox(t, member_id: int) -> list[tuple[str, str]]:
    with t.db.unit_of_work() as s:
        return [(m.title, m.body) for m in s.scalars(select(InboxMessage).where(
            InboxMessage.tenant_id == t.tenant_id, InboxMessage.member_id == member_id).order_by(InboxMessage.id))]
