"""Shared steps of the packing tests: residents living in a building, and orders paid at a given instant."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from linli.core import clock
from linli.member import service as members
from linli.member.schemas import MemberIn
from tests.client import Client
from tests.factories import _SHARED_HASH, SAME_ORIGIN

_seq = itertools.count(1)


def home(t, community_id: int, building: str, unit_no: str) -> int:
    """A household in a building of the community (the building made once per name)."""
    found = t.client.get(f"/api/v1/communities/{community_id}/buildings", headers=t.op).json()["items"]
    b = next((x for x in found if x["name"] == building), None) or t.post(
        f"/communities/{community_id}/buildings", {"name": building})
    return int(t.post(f"/buildings/{b['id']}/households", {"unit_no": unit_no, "unit_type": "两室一厅",
                                                           "family_structure": "young_family"})["id"])


def resident(t, name: str, phone: str, household_id: int | None = None,
             community_id: int | None = None) -> tuple[int, dict[str, str]]:
    k = next(_seq)
    with t.db.unit_of_work() as s:
        m = members.create(s, t.tenant_id, MemberIn(
            username=f"pk{k}", password="password-1", name=name, phone=phone,
            community_id=community_id or t.default_community(), household_id=household_id),
            password_hash=_SHARED_HASH)
        member_id, user_id = m.id, m.user_id
    return member_id, t.token("member", user_id, member_id=member_id)


def paid(t, headers, point_id: int, lines: list[tuple[int, int]], at: datetime | None = None) -> dict[str, Any]:
    """An order of (product id, quantity) lines at the point, placed and paid at `at` (local time if naive)."""
    before = clock.now()  # the tests pin the process clock (the app answers in another thread)
    clock.set_process_time(clock.as_utc(at) if at else before)
    try:
        order = t.post("/orders", {"items": [{"product_id": p, "quantity": q} for p, q in lines],
                                   "pickup_point_id": point_id}, headers)
        t.post(f"/orders/{order['id']}/pay", None, headers, expect=200)
    finally:
        clock.set_process_time(before)
    return t.client.get(f"/api/v1/orders/{order['id']}", headers=headers).json()


def get(t, path: str, headers: dict[str, str], expect: int = 200, **params: Any) -> Any:
    r = t.client.get(f"/api/v1{path}", headers=headers, params=params)
    assert r.status_code == expect, r.text
    return r.json()


def browser(t, headers: dict[str, str], cookie: str, path: str) -> TestClient:
    c = Client(t.client.app, headers=SAME_ORIGIN)
    c.cookies.set(cookie, headers["Authorization"].removeprefix("Bearer "), domain="testserver.local", path=path)
    return c
