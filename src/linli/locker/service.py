"""Lockers and their compartments: who may manage which locker, adding compartments by size, marking one out of
order, the occupancy overview, the tenant's hold/remind hours, and the parcel lists. Services never commit;
deposit.py, collect.py and expiry.py hold the parcel's moves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Invalid, NotFound
from linli.core.security import Principal
from linli.locker import repository as repo
from linli.locker.schemas import (
    SIZES,
    CompartmentOut,
    CompartmentsIn,
    LockerOut,
    ParcelOut,
    SettingsIn,
    SettingsOut,
    SizeCount,
)
from linli.models import LockerCompartment, LockerParcel, LockerSettings, PickupPoint

EXPIRING_HOURS = 12  # the overview's "expiring soon": the reminder's horizon by default
MAX_COMPARTMENTS = 300  # a locker bank without a capacity set


# --- which locker -------------------------------------------------------------------------------

def locker_point(s: Session, tenant_id: int, point_id: int) -> PickupPoint:
    """A pickup point of kind locker in this tenant, else 404 locker_not_found."""
    try:
        point = community.pickup_point(s, tenant_id, point_id)
    except NotFound:
        point = None
    if point is None or point.kind != "locker":
        raise NotFound("locker not found", code="locker_not_found")
    return point


def managed(s: Session, p: Principal, point_id: int) -> PickupPoint:
    """A locker the caller runs: any for an operator, the leader's own points for a leader; else 404."""
    point = locker_point(s, p.tenant_id, point_id)
    if p.role == "operator" or (p.role == "leader" and p.leader_id is not None and point.leader_id == p.leader_id):
        return point
    raise NotFound("locker not found", code="locker_not_found")


def locker_points(s: Session, p: Principal) -> list[PickupPoint]:
    """Every locker the caller runs, by id."""
    leader_id = p.leader_id if p.role == "leader" else None
    if p.role == "leader" and leader_id is None:
        return []
    found, cursor = [], None
    while True:
        rows, cursor = community.list_pickup_points(s, p, None, leader_id, 200, cursor)
        found += [r.id for r in rows if r.kind == "locker"]
        if cursor is None:
            break
    return sorted((community.pickup_point(s, p.tenant_id, i) for i in found), key=lambda x: x.id)


# --- settings -----------------------------------------------------------------------------------

def settings_of(s: Session, tenant_id: int) -> LockerSettings:
    return repo.ensure_settings(s, tenant_id)


def get_settings(s: Session, p: Principal) -> SettingsOut:
    return SettingsOut.model_validate(settings_of(s, p.tenant_id))


def save_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    """New hours apply to parcels deposited from now on; waiting parcels keep the expiry promised to them."""
    if data.remind_hours >= data.hold_hours:
        raise Invalid("提醒时间须早于到期时间", code="invalid_locker_hours")
    row = repo.ensure_settings(s, p.tenant_id)
    row.hold_hours, row.remind_hours, row.updated_at = data.hold_hours, data.remind_hours, clock.now()
    s.flush()
    return SettingsOut.model_validate(row)


# --- compartments -------------------------------------------------------------------------------

def add_compartments(s: Session, p: Principal, point_id: int, data: CompartmentsIn) -> list[CompartmentOut]:
    """Add compartments by size, labelled on from the locker's highest number (01, 02, ...); never past the
    point's capacity. Operators only (the endpoint checks)."""
    point = locker_point(s, p.tenant_id, point_id)
    wanted = {"S": data.small, "M": data.medium, "L": data.large}
    adding = sum(wanted.values())
    if adding == 0:
        raise Invalid("至少添加一个格口", code="no_compartments")
    existing = repo.compartments(s, p.tenant_id, point.id)
    limit = point.capacity or MAX_COMPARTMENTS
    if len(existing) + adding > limit:
        raise Invalid(f"格口总数不能超过 {limit} 个", code="over_capacity")
    number = max((int(c.label) for c in existing if c.label.isdigit()), default=0)
    added = []
    for size in SIZES:
        for _ in range(wanted[size]):
            number += 1
            row = LockerCompartment(tenant_id=p.tenant_id, pickup_point_id=point.id, label=f"{number:02d}",
                                    size=size, status="free", created_at=clock.now())
            s.add(row)
            added.append(row)
    s.flush()
    return [CompartmentOut.model_validate(c) for c in added]


def compartments(s: Session, p: Principal, point_id: int) -> list[CompartmentOut]:
    point = managed(s, p, point_id)
    return [CompartmentOut.model_validate(c) for c in repo.compartments(s, p.tenant_id, point.id)]


def set_compartment_status(s: Session, p: Principal, compartment_id: int, status: str) -> CompartmentOut:
    """Out of order (故障) and back; an occupied compartment is emptied first (collected or expired)."""
    row = repo.compartment(s, p.tenant_id, compartment_id)
    if row is None:
        raise NotFound("compartment not found", code="compartment_not_found")
    managed(s, p, row.pickup_point_id)
    if not repo.set_status(s, p.tenant_id, row.id, status):
        raise Conflict("格口有包裹，取出后才能更改状态", code="compartment_occupied")
    s.refresh(row)
    return CompartmentOut.model_validate(row)


# --- overview -----------------------------------------------------------------------------------

def overview(s: Session, p: Principal) -> list[LockerOut]:
    """Each locker the caller runs with its occupancy by size, its waiting parcels and those expiring soon."""
    points = locker_points(s, p)
    ids = [pt.id for pt in points]
    if not ids:
        return []
    counts: dict[int, dict[str, dict[str, int]]] = {}
    for point_id, size, status, n in repo.counts(s, p.tenant_id, ids):
        counts.setdefault(point_id, {}).setdefault(size, {})[status] = n
    soon = repo.expiring_counts(s, p.tenant_id, ids, clock.now() + timedelta(hours=EXPIRING_HOURS))
    out = []
    for pt in points:
        sizes = [SizeCount(size=z, total=sum(by.values()), free=by.get("free", 0), occupied=by.get("occupied", 0),
                           out_of_order=by.get("out_of_order", 0))
                 for z in SIZES if (by := counts.get(pt.id, {}).get(z))]
        out.append(LockerOut(
            pickup_point_id=pt.id, name=pt.name, community_id=pt.community_id, leader_id=pt.leader_id,
            capacity=pt.capacity, compartments=sum(x.total for x in sizes), free=sum(x.free for x in sizes),
            occupied=sum(x.occupied for x in sizes), out_of_order=sum(x.out_of_order for x in sizes),
            live_parcels=sum(x.occupied for x in sizes), expiring_soon=soon.get(pt.id, 0), sizes=sizes))
    return out


# --- parcels ------------------------------------------------------------------------------------

def parcel_out(parcel: LockerParcel, compartment: LockerCompartment, p: Principal | None = None) -> ParcelOut:
    """The opening code only to the parcel's owner while it waits."""
    owner = p is not None and p.role == "member" and p.member_id == parcel.member_id
    return ParcelOut(
        id=parcel.id, pickup_point_id=parcel.pickup_point_id, compartment_id=parcel.compartment_id,
        compartment_label=compartment.label, size=compartment.size, order_id=parcel.order_id,
        member_id=parcel.member_id, status=parcel.status, deposited_at=parcel.deposited_at,
        expires_at=parcel.expires_at, reminded_at=parcel.reminded_at, collected_at=parcel.collected_at,
        expired_at=parcel.expired_at, returned_at=parcel.returned_at,
        code=parcel.code if owner and parcel.status == "live" else None)


def outs(s: Session, tenant_id: int, rows: Sequence[LockerParcel], p: Principal | None = None) -> list[ParcelOut]:
    boxes = repo.compartments_by_id(s, tenant_id, [r.compartment_id for r in rows])
    return [parcel_out(r, boxes[r.compartment_id], p) for r in rows]


def my_parcels(s: Session, p: Principal, limit: int = 50) -> list[ParcelOut]:
    """The member's parcels, newest first: the waiting ones with their code."""
    if p.member_id is None:
        return []
    return outs(s, p.tenant_id, repo.parcels(s, p.tenant_id, member_id=p.member_id, limit=limit), p)


def parcels_at(s: Session, p: Principal, point_id: int, statuses: Sequence[str] | None = None,
               limit: int = 200) -> list[ParcelOut]:
    point = managed(s, p, point_id)
    return outs(s, p.tenant_id, repo.parcels(s, p.tenant_id, point_ids=[point.id], statuses=statuses,
                                             limit=limit), p)


def to_take_back(s: Session, p: Principal, limit: int = 200) -> list[ParcelOut]:
    """Expired parcels not yet taken back by the leader, at the lockers the caller runs."""
    ids = [pt.id for pt in locker_points(s, p)]
    if not ids:
        return []
    return outs(s, p.tenant_id, repo.parcels(s, p.tenant_id, point_ids=ids, statuses=["expired"],
                                             unreturned=True, limit=limit), p)


def taken_back(s: Session, p: Principal, parcel_id: int) -> ParcelOut:
    """The leader has the goods of an expired parcel back (idempotent: a second call answers the same)."""
    row = repo.parcel(s, p.tenant_id, parcel_id)
    if row is None:
        raise NotFound("parcel not found", code="parcel_not_found")
    managed(s, p, row.pickup_point_id)
    if row.status != "expired":
        raise Conflict("只有超时退回的包裹需要确认取回", code="parcel_not_expired")
    repo.mark_returned(s, p.tenant_id, row.id, clock.now())
    s.refresh(row)
    return outs(s, p.tenant_id, [row], p)[0]
