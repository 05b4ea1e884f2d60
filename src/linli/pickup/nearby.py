"""The member's nearby pickup points: distance from their building (else their community), hours, status."""

from __future__ import annotations

from sqlalchemy.orm import Session

from linli.core.security import Principal
from linli.pickup import optimiser
from linli.pickup.assignment import home_of
from linli.pickup.network import network
from linli.pickup.schemas import STATUS_NAMES, NearbyOut

MAX_SHOWN = 20


def for_member(s: Session, p: Principal) -> list[NearbyOut]:
    """The nearest points first (at most MAX_SHOWN), the member's own among them."""
    assert p.member_id is not None
    home = home_of(s, p.tenant_id, [p.member_id])[p.member_id]
    views = network(s, p.tenant_id, with_closures=False)
    if not views:
        return []
    here = optimiser.Parcel(0, home.lat, home.lng, 0, None)
    sites = [optimiser.Site(v.id, v.lat, v.lng, None) for v in views]
    metres = optimiser.distances_m([here], sites)[0]
    ranked = sorted(zip(views, metres, strict=True), key=lambda vm: (round(float(vm[1])), vm[0].id))
    return [NearbyOut(point=v, distance_m=round(float(d)), chosen=v.id == home.preferred_point_id,
                      label=label(v.effective_status, v.full)) for v, d in ranked[:MAX_SHOWN]]


def label(status: str, full: bool) -> str:
    if status == "open" and full:
        return "已满"
    return STATUS_NAMES[status]
