"""即时配送: warehouse settings and riders, who may have 送货上门 (within a warehouse's radius of their building),
and the delivery record of an order, from placement to the promised time fixed at payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from haversine import Unit, haversine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.community import service as community
from linli.community.schemas import BuildingPlace, PickupPointOut
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.security import Principal
from linli.delivery import repository as repo
from linli.delivery.schemas import (
    STATUS_NAMES,
    DeliveryOut,
    QuoteOut,
    RiderIn,
    RiderOut,
    RiderPatch,
    SettingsIn,
    WarehouseOut,
)
from linli.member import service as members
from linli.models import Delivery, DeliveryRider, DeliveryWarehouse
from linli.order import service as orders

DEFAULTS = SettingsIn()
POINTS_PAGE = 200


@dataclass(frozen=True)
class Place:
    building_id: int
    address: str
    lat: float
    lng: float


def _warehouse_points(s: Session, p: Principal, leader_id: int | None) -> list[PickupPointOut]:
    found: list[PickupPointOut] = []
    cursor: str | None = None
    while True:
        rows, cursor = community.list_pickup_points(s, p, None, leader_id, POINTS_PAGE, cursor)
        found.extend(r for r in rows if r.kind == "warehouse")
        if cursor is None:
            return found


def _out(point: PickupPointOut, row: DeliveryWarehouse | None) -> WarehouseOut:
    cfg = SettingsIn(radius_m=row.radius_m, promise_minutes=row.promise_minutes, max_batch=row.max_batch,
                     active=row.active) if row else DEFAULTS
    return WarehouseOut(id=point.id, name=point.name, community_id=point.community_id, lat=point.lat,
                        lng=point.lng, leader_id=point.leader_id, **cfg.model_dump())


def warehouses(s: Session, p: Principal) -> list[WarehouseOut]:
    """The warehouses the principal runs: every one for an operator (and for a member choosing one), a leader's
    own; each with its settings (the defaults until saved)."""
    points = _warehouse_points(s, p, (p.leader_id or 0) if p.role == "leader" else None)
    rows = repo.settings(s, p.tenant_id, [x.id for x in points])
    return [_out(x, rows.get(x.id)) for x in points]


def warehouse(s: Session, p: Principal, point_id: int) -> WarehouseOut:
    """One warehouse the principal may dispatch from (404 for any other point)."""
    point = community.pickup_point(s, p.tenant_id, point_id)
    if point.kind != "warehouse" or (p.role == "leader" and point.leader_id != p.leader_id) \
            or p.role not in ("operator", "leader"):
        raise NotFound("warehouse not found", code="warehouse_not_found")
    row = repo.settings(s, p.tenant_id, [point_id]).get(point_id)
    return _out(PickupPointOut.model_validate(point), row)


def save_settings(s: Session, p: Principal, point_id: int, data: SettingsIn) -> WarehouseOut:
    if p.role != "operator":
        raise Forbidden("only an operator sets a warehouse's delivery", code="forbidden")
    warehouse(s, p, point_id)
    row = repo.settings(s, p.tenant_id, [point_id]).get(point_id)
    if row is None:
        row = DeliveryWarehouse(tenant_id=p.tenant_id, pickup_point_id=point_id)
        s.add(row)
    row.radius_m, row.promise_minutes, row.max_batch, row.active = (data.radius_m, data.promise_minutes,
                                                                   data.max_batch, data.active)
    row.updated_at = clock.now()
    s.flush()
    return warehouse(s, p, point_id)


# --- riders ---------------------------------------------------------------------------------------------------

def rider_out(r: DeliveryRider) -> RiderOut:
    return RiderOut(id=r.id, warehouse_id=r.warehouse_id, name=r.name, phone=r.phone, active=r.active)


def add_rider(s: Session, p: Principal, point_id: int, data: RiderIn) -> RiderOut:
    warehouse(s, p, point_id)
    r = DeliveryRider(tenant_id=p.tenant_id, warehouse_id=point_id, name=data.name, phone=data.phone, active=True,
                      created_at=clock.now())
    s.add(r)
    s.flush()
    return rider_out(r)


def require_rider(s: Session, p: Principal, rider_id: int, lock: bool = False) -> DeliveryRider:
    r = repo.rider(s, p.tenant_id, rider_id, lock=lock)
    if r is None:
        raise NotFound("rider not found", code="rider_not_found")
    try:
        warehouse(s, p, r.warehouse_id)
    except NotFound:
        raise NotFound("rider not found", code="rider_not_found") from None
    return r


def update_rider(s: Session, p: Principal, rider_id: int, data: RiderPatch) -> RiderOut:
    r = require_rider(s, p, rider_id, lock=True)
    for key, value in data.model_dump(exclude_none=True).items():
        setattr(r, key, value)
    s.flush()
    return rider_out(r)


def riders(s: Session, p: Principal, warehouse_id: int | None = None) -> list[RiderOut]:
    ids = [warehouse(s, p, warehouse_id).id] if warehouse_id else [w.id for w in warehouses(s, p)]
    return [rider_out(r) for r in repo.riders(s, p.tenant_id, ids)]


# --- who may have it --------------------------------------------------------------------------------------------

def member_place(s: Session, tenant_id: int, member_id: int,
                 places: dict[int, BuildingPlace] | None = None) -> Place | None:
    """The member's door: their household's building (where it stands) and unit; None without a household."""
    m = members.require_member(s, tenant_id, member_id)
    if m.household_id is None:
        return None
    home = community.require_household(s, tenant_id, m.household_id, m.community_id)
    place = (places if places is not None else community.building_places(s, tenant_id)).get(home.building_id)
    if place is None:
        return None
    return Place(home.building_id, f"{place.name}{home.unit_no}", place.lat, place.lng)


def _reach(place: Place | None, reachable: list[WarehouseOut]) -> QuoteOut:
    if place is None:
        return QuoteOut(eligible=False, reason="no_address")
    best: tuple[int, WarehouseOut] | None = None
    for w in reachable:
        metres = round(haversine((w.lat, w.lng), (place.lat, place.lng), unit=Unit.METERS))
        if w.active and metres <= w.radius_m and (best is None or metres < best[0]):
            best = (metres, w)
    if best is None:
        return QuoteOut(eligible=False, reason="out_of_range", address=place.address)
    metres, w = best
    return QuoteOut(eligible=True, warehouse_id=w.id, warehouse_name=w.name, distance_m=metres,
                    promise_minutes=w.promise_minutes, address=place.address)


def quote(s: Session, p: Principal, member_id: int | None = None) -> QuoteOut:
    """The nearest active warehouse whose radius reaches the member's building, with its promise."""
    member_id = member_id or p.member_id
    if member_id is None:
        raise Forbidden("a member's delivery", code="forbidden")
    place = member_place(s, p.tenant_id, member_id)
    return _reach(place, warehouses(s, p)) if place is not None else _reach(None, [])


def quotes(s: Session, p: Principal, member_ids: list[int]) -> dict[int, QuoteOut]:
    """quote() for many members at once (the warehouses and the buildings read once): a dispatcher's or the
    demo's look over who could have 送货上门."""
    reachable, places = warehouses(s, p), community.building_places(s, p.tenant_id)
    return {m: _reach(member_place(s, p.tenant_id, m, places), reachable) for m in member_ids}


def request(s: Session, p: Principal, order_id: int) -> Delivery:
    """送货上门 for the member's own order, placed or paid: 422 out of every warehouse's range or without an
    address, 409 when the order already has a delivery or is past payment. A paid order's promise runs from now."""
    order = orders.visible(s, p, order_id, lock=True)
    if p.role != "member":
        raise Forbidden("the member asks for delivery", code="forbidden")
    if order.status not in ("pending_payment", "paid"):
        raise Conflict(f"an order that is {order.status} cannot be delivered", code="order_not_deliverable")
    if repo.of_order(s, p.tenant_id, order_id) is not None:
        raise Conflict("this order already has a delivery", code="delivery_exists")
    q = quote(s, p, order.member_id)
    if not q.eligible:
        reason = q.reason or "out_of_range"
        raise Invalid("your address is outside every warehouse's delivery range" if reason == "out_of_range"
                      else "add your building and unit first", code=reason)
    place = member_place(s, p.tenant_id, order.member_id)
    assert place is not None and q.warehouse_id is not None and q.promise_minutes is not None
    now = clock.now()
    paid = order.status == "paid"
    d = Delivery(tenant_id=p.tenant_id, order_id=order.id, member_id=order.member_id, warehouse_id=q.warehouse_id,
                 building_id=place.building_id, address=place.address, lat=place.lat, lng=place.lng,
                 distance_m=q.distance_m or 0, status="pending" if paid else "awaiting_payment",
                 promise_minutes=q.promise_minutes,
                 promised_at=now + timedelta(minutes=q.promise_minutes) if paid else None,
                 attempts=0, created_at=now)
    try:
        with s.begin_nested():
            s.add(d)
            s.flush()
    except IntegrityError:
        raise Conflict("this order already has a delivery", code="delivery_exists") from None
    return d


def on_order_paid(s: Session, tenant_id: int, order_id: int, paid_at: datetime) -> None:
    """The promise starts at payment. Idempotent: only a delivery still awaiting payment moves."""
    d = repo.of_order(s, tenant_id, order_id, lock=True)
    if d is not None and d.status == "awaiting_payment":
        repo.set_status(s, tenant_id, d.id, ("awaiting_payment",), status="pending",
                        promised_at=paid_at + timedelta(minutes=d.promise_minutes))


def on_order_closed(s: Session, tenant_id: int, order_id: int) -> None:
    """Cancelled or refunded: a delivery not yet on its way is called off (one on the road fails at the door)."""
    state = orders.state_of(s, tenant_id, order_id)
    if state is None or state.status not in ("cancelled", "refunded"):
        return  # a partial refund: the rest still goes out
    d = repo.of_order(s, tenant_id, order_id, lock=True)
    if d is not None:
        repo.set_status(s, tenant_id, d.id, ("awaiting_payment", "pending", "failed"), status="cancelled")


# --- reading --------------------------------------------------------------------------------------------------------

def out(d: Delivery, departed_at: datetime | None = None, planned_at: datetime | None = None) -> DeliveryOut:
    start = departed_at or planned_at
    eta = start + timedelta(seconds=d.eta_offset_s) if start and d.eta_offset_s is not None else None
    on_time = (d.delivered_at <= d.promised_at) if d.delivered_at and d.promised_at else None
    return DeliveryOut(id=d.id, order_id=d.order_id, member_id=d.member_id, warehouse_id=d.warehouse_id,
                       address=d.address, lat=d.lat, lng=d.lng, distance_m=d.distance_m, status=d.status,
                       status_name=STATUS_NAMES.get(d.status, d.status), promise_minutes=d.promise_minutes,
                       promised_at=d.promised_at, batch_id=d.batch_id, stop_seq=d.stop_seq,
                       eta_at=eta if d.status in ("batched", "out") else None, attempts=d.attempts,
                       delivered_at=d.delivered_at, failed_at=d.failed_at, failure_reason=d.failure_reason,
                       on_time=on_time, created_at=d.created_at)


def allowed_warehouses(s: Session, p: Principal) -> list[int] | None:
    """None: every warehouse (an operator); else the leader's own."""
    if p.role == "operator":
        return None
    if p.role == "leader":
        return [w.id for w in warehouses(s, p)]
    raise Forbidden("the warehouse's staff dispatch", code="forbidden")


def require_delivery(s: Session, p: Principal, delivery_id: int, lock: bool = False) -> Delivery:
    d = repo.delivery(s, p.tenant_id, delivery_id, lock=lock)
    allowed = allowed_warehouses(s, p) if p.role != "member" else []
    if d is None or (allowed is not None and d.warehouse_id not in allowed):
        raise NotFound("delivery not found", code="delivery_not_found")
    return d


def for_order(s: Session, p: Principal, order_id: int) -> DeliveryOut:
    """The owner, the warehouse's leader or an operator; anyone else 404."""
    d = repo.of_order(s, p.tenant_id, order_id)
    if d is None or (p.role == "member" and d.member_id != p.member_id):
        raise NotFound("this order has no delivery", code="delivery_not_found")
    if p.role not in ("member", "operator") and d.warehouse_id not in (allowed_warehouses(s, p) or []):
        raise NotFound("this order has no delivery", code="delivery_not_found")
    b = repo.batch(s, p.tenant_id, d.batch_id) if d.batch_id else None
    return out(d, b.departed_at if b else None, b.created_at if b else None)


def deliveries(s: Session, p: Principal, warehouse_id: int | None, statuses: list[str] | None,
               limit: int = 200) -> list[DeliveryOut]:
    allowed = allowed_warehouses(s, p)
    ids = [warehouse(s, p, warehouse_id).id] if warehouse_id else allowed
    rows = s.scalars(repo.listing(p.tenant_id, ids, statuses).order_by(Delivery.promised_at, Delivery.id)
                     .limit(limit))
    return [out(d) for d in rows]
