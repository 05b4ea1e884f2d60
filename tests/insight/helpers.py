"""A small neighbourhood for the insight tests: communities with buildings (at their own places), households of
known unit type and family structure, members living in them, and paid orders."""

from __future__ import annotations

from typing import Any

from linli.member import service as members
from linli.member.schemas import MemberIn
from tests.factories import _SHARED_HASH, PASSWORD, TenantKit, _seq


def building(t: TenantKit, community_id: int, name: str, lat: float, lng: float) -> int:
    return int(t.post(f"/communities/{community_id}/buildings", {"name": name, "lat": lat, "lng": lng})["id"])


def household(t: TenantKit, building_id: int, unit_type: str, family: str, unit_no: str = "1单元101") -> int:
    return int(t.post(f"/buildings/{building_id}/households",
                      {"unit_no": unit_no, "unit_type": unit_type, "family_structure": family})["id"])


def resident(t: TenantKit, community_id: int, household_id: int | None, name: str) -> tuple[int, dict[str, str]]:
    """A member living in the household (None: not registered to one): (member id, headers)."""
    with t.db.unit_of_work() as s:
        m = members.create(s, t.tenant_id, MemberIn(
            username=f"r{next(_seq)}", password=PASSWORD, name=name, phone="13900001111", community_id=community_id,
            household_id=household_id), password_hash=_SHARED_HASH)
        member_id, user_id = m.id, m.user_id
    return member_id, t.token("member", user_id, member_id=member_id)


def buy(t: TenantKit, headers: dict[str, str], lines: list[tuple[int, int]], pay: bool = True) -> dict[str, Any]:
    order: dict[str, Any] = t.post("/orders", {"items": [{"product_id": p, "quantity": q} for p, q in lines]}, headers)
    if pay:
        t.post(f"/orders/{order['id']}/pay", None, headers, expect=200)
    return order
