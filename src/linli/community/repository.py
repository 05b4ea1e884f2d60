from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import Building, Community, Household, PickupPoint


def community(s: Session, tenant_id: int, community_id: int) -> Community | None:
    return s.scalar(select(Community).where(Community.tenant_id == tenant_id,
                                            Community.id == community_id))


def household(s: Session, tenant_id: int, household_id: int) -> Household | None:
    return s.scalar(select(Household).where(Household.tenant_id == tenant_id,
                                            Household.id == household_id))


def pickup_point(s: Session, tenant_id: int, point_id: int) -> PickupPoint | None:
    return s.scalar(select(PickupPoint).where(PickupPoint.tenant_id == tenant_id,
                                              PickupPoint.id == point_id))


def search_communities(tenant_id: int, q: str | None) -> Select[Any]:
    stmt = select(Community).where(Community.tenant_id == tenant_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Community.name.like(like), Community.address.like(like),
                              Community.district.like(like)))
    return stmt


def pickup_points(tenant_id: int, community_id: int | None, leader_id: int | None) -> Select[Any]:
    stmt = select(PickupPoint).where(PickupPoint.tenant_id == tenant_id)
    if community_id:
        stmt = stmt.where(PickupPoint.community_id == community_id)
    if leader_id:
        stmt = stmt.where(PickupPoint.leader_id == leader_id)
    return stmt


def points_of_community(s: Session, tenant_id: int, community_id: int) -> list[PickupPoint]:
    """Leader-run points first, then the rest, oldest first."""
    return list(s.scalars(select(PickupPoint).where(PickupPoint.tenant_id == tenant_id,
                                                    PickupPoint.community_id == community_id)
                          .order_by(PickupPoint.leader_id.is_(None), PickupPoint.id)))


def point_ids_of_leader(s: Session, tenant_id: int, leader_id: int) -> list[int]:
    return list(s.scalars(select(PickupPoint.id).where(PickupPoint.tenant_id == tenant_id,
                                                       PickupPoint.leader_id == leader_id)))


def communities_by_ids(s: Session, tenant_id: int, ids: list[int]) -> list[Community]:
    return list(s.scalars(select(Community).where(Community.tenant_id == tenant_id, Community.id.in_(ids))))


def buildings_of_households(s: Session, tenant_id: int, household_ids: Sequence[int]) -> dict[int, int]:
    rows = s.execute(select(Household.id, Household.building_id).where(Household.tenant_id == tenant_id,
                                                                       Household.id.in_(set(household_ids))))
    return {h: b for h, b in rows}


def building(s: Session, tenant_id: int, building_id: int) -> Building | None:
    return s.scalar(select(Building).where(Building.tenant_id == tenant_id, Building.id == building_id))


def buildings(tenant_id: int, community_id: int) -> Select[Any]:
    return select(Building).where(Building.tenant_id == tenant_id, Building.community_id == community_id)


def households(tenant_id: int, building_id: int) -> Select[Any]:
    return select(Household).where(Household.tenant_id == tenant_id, Household.building_id == building_id)


def leaders_of_points(s: Session, tenant_id: int) -> dict[int, int]:
    rows = s.execute(select(PickupPoint.id, PickupPoint.leader_id).where(
        PickupPoint.tenant_id == tenant_id, PickupPoint.leader_id.is_not(None)))
    return {p: lid for p, lid in rows if lid is not None}


def point_ids(s: Session, tenant_id: int, community_id: int | None, leader_id: int | None) -> list[int]:
    stmt = pickup_points(tenant_id, community_id, leader_id).with_only_columns(PickupPoint.id)
    return list(s.scalars(stmt))


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's community list: name / address / district, created between."""
    return within(search_communities(tenant_id, f.q), Community.created_at, f)


def communities_of_points(s: Session, tenant_id: int) -> dict[int, int]:
    rows = s.execute(select(PickupPoint.id, PickupPoint.community_id).where(PickupPoint.tenant_id == tenant_id))
    return {point: cid for point, cid in rows}


def building_places(s: Session, tenant_id: int) -> list[tuple[int, int, str, float, float]]:
    rows = s.execute(select(Building.id, Building.community_id, Building.name,
                            func.coalesce(Building.lat, Community.lat), func.coalesce(Building.lng, Community.lng))
                     .join(Community, Community.id == Building.community_id)
                     .where(Building.tenant_id == tenant_id).order_by(Building.id))
    return [tuple(r) for r in rows]  # type: ignore[misc]
