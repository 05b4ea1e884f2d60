"""Geo check-in coupons (社区探秘): a member checking in within a spot's radius (default 3 km, haversine)
of a partner merchant or pickup point unlocks the spot's coupon, once per member and spot (UNIQUE)."""

from __future__ import annotations

from haversine import Unit, haversine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock, outbox
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.coupon import claims, rules
from linli.coupon import repository as repo
from linli.coupon.schemas import CheckinIn, CheckinOut, GeoSpotIn, GeoSpotOut, GeoSpotPatch
from linli.models import GeoCheckin, GeoSpot


def create_spot(s: Session, p: Principal, data: GeoSpotIn) -> GeoSpotOut:
    if repo.template(s, p.tenant_id, data.coupon_template_id) is None:
        raise Invalid("coupon_template_id: no such coupon", code="unknown_coupon")
    spot = GeoSpot(tenant_id=p.tenant_id, **data.model_dump())
    s.add(spot)
    s.flush()
    return GeoSpotOut.model_validate(spot)


def update_spot(s: Session, p: Principal, spot_id: int, data: GeoSpotPatch) -> GeoSpotOut:
    spot = repo.spot(s, p.tenant_id, spot_id)
    if spot is None:
        raise NotFound("check-in spot not found", code="geo_spot_not_found")
    for field, value in data.model_dump(exclude_none=True).items():
        setattr(spot, field, value)
    s.flush()
    return GeoSpotOut.model_validate(spot)


def search_spots(s: Session, p: Principal, limit: int, cursor: str | None) -> tuple[list[GeoSpotOut], str | None]:
    """Operators see every spot; members the active ones."""
    rows, nxt = fetch_page(s, repo.spots(p.tenant_id, p.role != "operator"), GeoSpot.id, limit, cursor)
    return [GeoSpotOut.model_validate(r) for r in rows], nxt


def check_in(s: Session, p: Principal, data: CheckinIn) -> CheckinOut:
    assert p.member_id is not None
    spot = repo.spot(s, p.tenant_id, data.spot_id)
    if spot is None or not spot.active:
        raise Invalid("spot_id: no such check-in spot", code="unknown_spot")
    meters = haversine((data.lat, data.lng), (spot.lat, spot.lng), unit=Unit.METERS)
    if meters > spot.radius_m:
        raise Conflict(f"you are {round(meters)} m from {spot.name}; check in within {spot.radius_m} m",
                       code="too_far")
    if repo.checkin(s, p.tenant_id, spot.id, p.member_id) is not None:
        raise Conflict("you already checked in here", code="already_checked_in")
    row = GeoCheckin(tenant_id=p.tenant_id, spot_id=spot.id, member_id=p.member_id, lat=data.lat, lng=data.lng,
                     distance_m=round(meters))
    try:
        with s.begin_nested():  # a concurrent check-in of the same member waits here, then collides
            s.add(row)
    except IntegrityError as exc:
        raise Conflict("you already checked in here", code="already_checked_in") from exc
    t = repo.template(s, p.tenant_id, spot.coupon_template_id)
    if t is None or not rules.open_for_claims(t, clock.now()):
        raise Conflict("this spot's coupon is not on offer now", code="not_claimable")
    mc = claims.grant(s, p.tenant_id, t, p.member_id, "geo", key=f"geo:{spot.id}:{p.member_id}")
    row.member_coupon_id = mc.id
    outbox.emit(s, p.tenant_id, "member.interacted", {"member_id": p.member_id, "kind": "geo_checkin",
                                                      "at": clock.now().isoformat(), "spot_id": spot.id})
    return CheckinOut(checkin_id=row.id, spot_id=spot.id, member_coupon_id=mc.id, distance_m=row.distance_m)
