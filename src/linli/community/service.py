"""Communities (小区), households and pickup points."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from linli.community import repository as repo
from linli.community.schemas import (
    BuildingIn,
    BuildingOut,
    BuildingPlace,
    CommunityIn,
    CommunityOut,
    HouseholdIn,
    HouseholdOut,
    PickupPointIn,
    PickupPointOut,
)
from linli.core.errors import Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import Building, Community, Household, PickupPoint


def create_community(s: Session, tenant_id: int, data: CommunityIn) -> CommunityOut:
    c = Community(tenant_id=tenant_id, **data.model_dump())
    s.add(c)
    s.flush()
    return CommunityOut.model_validate(c)


def require_community(s: Session, tenant_id: int, community_id: int, as_input: bool = False) -> Community:
    """as_input: the id came in a request body, so an unknown one is bad input (422), not 404."""
    c = repo.community(s, tenant_id, community_id)
    if c is None:
        if as_input:
            raise Invalid("community_id: no such community", code="unknown_community")
        raise NotFound("community not found", code="community_not_found")
    return c


def get_community(s: Session, p: Principal, community_id: int) -> CommunityOut:
    return CommunityOut.model_validate(require_community(s, p.tenant_id, community_id))


def search_communities(s: Session, p: Principal, q: str | None, limit: int,
                       cursor: str | None) -> tuple[list[CommunityOut], str | None]:
    rows, nxt = fetch_page(s, repo.search_communities(p.tenant_id, q), Community.id, limit, cursor)
    return [CommunityOut.model_validate(c) for c in rows], nxt


def communities_by_ids(s: Session, tenant_id: int, ids: list[int]) -> list[CommunityOut]:
    return [CommunityOut.model_validate(c) for c in repo.communities_by_ids(s, tenant_id, ids)]


def require_household(s: Session, tenant_id: int, household_id: int, community_id: int) -> Household:
    h = repo.household(s, tenant_id, household_id)
    if h is None:
        raise Invalid("household_id: no such household", code="unknown_household")
    b = repo.building(s, tenant_id, h.building_id)
    if b is None or b.community_id != community_id:
        raise Invalid("household_id: the household is in another community", code="household_elsewhere")
    return h


def add_building(s: Session, p: Principal, community_id: int, data: BuildingIn) -> BuildingOut:
    require_community(s, p.tenant_id, community_id)
    if (data.lat is None) != (data.lng is None):
        raise Invalid("lat, lng: give both or neither", code="partial_location")
    b = Building(tenant_id=p.tenant_id, community_id=community_id, **data.model_dump())
    s.add(b)
    s.flush()
    return BuildingOut.model_validate(b)


def list_buildings(s: Session, p: Principal, community_id: int, limit: int,
                   cursor: str | None) -> tuple[list[BuildingOut], str | None]:
    require_community(s, p.tenant_id, community_id)
    rows, nxt = fetch_page(s, repo.buildings(p.tenant_id, community_id), Building.id, limit, cursor)
    return [BuildingOut.model_validate(r) for r in rows], nxt


def add_household(s: Session, p: Principal, building_id: int, data: HouseholdIn) -> HouseholdOut:
    _building(s, p.tenant_id, building_id)
    h = Household(tenant_id=p.tenant_id, building_id=building_id, **data.model_dump())
    s.add(h)
    s.flush()
    return HouseholdOut.model_validate(h)


def list_households(s: Session, p: Principal, building_id: int, limit: int,
                    cursor: str | None) -> tuple[list[HouseholdOut], str | None]:
    _building(s, p.tenant_id, building_id)
    rows, nxt = fetch_page(s, repo.households(p.tenant_id, building_id), Household.id, limit, cursor)
    return [HouseholdOut.model_validate(r) for r in rows], nxt


def _building(s: Session, tenant_id: int, building_id: int) -> Building:
    b = repo.building(s, tenant_id, building_id)
    if b is None:
        raise NotFound("building not found", code="building_not_found")
    return b


def create_pickup_point(s: Session, tenant_id: int, data: PickupPointIn,
                        leader_exists: bool = True) -> PickupPointOut:
    require_community(s, tenant_id, data.community_id, as_input=True)
    if data.leader_id is not None and not leader_exists:
        raise Invalid("leader_id: no such leader", code="unknown_leader")
    point = PickupPoint(tenant_id=tenant_id, **data.model_dump())
    s.add(point)
    s.flush()
    return PickupPointOut.model_validate(point)


def pickup_point(s: Session, tenant_id: int, point_id: int, as_input: bool = False) -> PickupPoint:
    point = repo.pickup_point(s, tenant_id, point_id)
    if point is None:
        if as_input:
            raise Invalid("pickup_point_id: no such pickup point", code="unknown_pickup_point")
        raise NotFound("pickup point not found", code="pickup_point_not_found")
    return point


def list_pickup_points(s: Session, p: Principal, community_id: int | None, leader_id: int | None,
                       limit: int, cursor: str | None) -> tuple[list[PickupPointOut], str | None]:
    stmt = repo.pickup_points(p.tenant_id, community_id, leader_id)
    rows, nxt = fetch_page(s, stmt, PickupPoint.id, limit, cursor)
    return [PickupPointOut.model_validate(r) for r in rows], nxt


def points_of_community(s: Session, tenant_id: int, community_id: int) -> list[PickupPointOut]:
    """A community's pickup points, the ones a leader runs first, then by age: the first is its default."""
    return [PickupPointOut.model_validate(r) for r in repo.points_of_community(s, tenant_id, community_id)]


def point_ids_of_leader(s: Session, tenant_id: int, leader_id: int) -> list[int]:
    return repo.point_ids_of_leader(s, tenant_id, leader_id)


def leaders_of_points(s: Session, tenant_id: int) -> dict[int, int]:
    """pickup point id -> its leader's id, for every point that has a leader."""
    return repo.leaders_of_points(s, tenant_id)


def point_ids(s: Session, tenant_id: int, community_id: int | None, leader_id: int | None) -> list[int]:
    """The pickup points of a community, of a leader, or both at once (lists filtered by where goods go)."""
    return repo.point_ids(s, tenant_id, community_id, leader_id)


def communities_of_points(s: Session, tenant_id: int) -> dict[int, int]:
    """pickup point id -> its community's id, for every point."""
    return repo.communities_of_points(s, tenant_id)


def buildings_of_households(s: Session, tenant_id: int, household_ids: Sequence[int]) -> dict[int, int]:
    """household id -> its building's id."""
    return repo.buildings_of_households(s, tenant_id, household_ids)


def building_places(s: Session, tenant_id: int) -> dict[int, BuildingPlace]:
    """Every building of the tenant with where it stands (its community's location when it has none)."""
    return {b: BuildingPlace(b, c, name, lat, lng) for b, c, name, lat, lng in repo.building_places(s, tenant_id)}
