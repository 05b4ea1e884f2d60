"""Read-only households and communities for the insight domain (household mix, heatmap rows)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from linli.models import Building, Community, Household


def households(s: Session, tenant_id: int) -> list[tuple[int, int, int, str, str]]:
    """(household, building, community, unit type, family structure) of every household of the tenant."""
    rows = s.execute(select(Household.id, Household.building_id, Building.community_id, Household.unit_type,
                            Household.family_structure)
                     .join(Building, Building.id == Household.building_id)
                     .where(Household.tenant_id == tenant_id, Building.tenant_id == tenant_id)
                     .order_by(Household.id))
    return [(int(h), int(b), int(c), str(u), str(f)) for h, b, c, u, f in rows]


def communities(s: Session, tenant_id: int) -> list[tuple[int, str, float, float]]:
    """(id, name, lat, lng) of every community of the tenant."""
    rows = s.execute(select(Community.id, Community.name, Community.lat, Community.lng)
                     .where(Community.tenant_id == tenant_id).order_by(Community.id))
    return [(int(i), str(n), float(la), float(ln)) for i, n, la, ln in rows]
