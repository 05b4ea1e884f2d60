"""Packing's rules: the delivery day of a paid order, whose points a principal may list, the settings, and
handing an order out by its scanned QR code."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.security import Principal
from linli.models.packing import DEFAULT_CUTOFF_MINUTES
from linli.order import pickup
from linli.order import service as orders
from linli.packing import qr
from linli.packing import repository as repo
from linli.packing.schemas import PickupTokenOut, ScanOut, SettingsIn, SettingsOut

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2999, 12, 31)  # a list's day; beyond is a typo


# --- the delivery day ------------------------------------------------------------------------------------------


def cutoff_minutes(s: Session, tenant_id: int) -> int:
    row = repo.settings(s, tenant_id)
    return row.cutoff_minutes if row is not None else DEFAULT_CUTOFF_MINUTES


def delivery_day(paid_at: datetime, cutoff: int, deliverable_from: datetime | None = None) -> date:
    """Paid before the cut-off (Asia/Shanghai): at the pickup point the next day; at or after it, the day after.
    A presale order arrives on its deliverable_from day, or by the ordinary rule when that is later."""
    ordinary = clock.local(paid_at + timedelta(minutes=24 * 60 - cutoff)).date() + timedelta(days=1)
    if deliverable_from is None:
        return ordinary
    return max(ordinary, clock.local(deliverable_from).date())


def window(day: date, cutoff: int) -> repo.Window:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise Invalid("day: out of range", code="day_out_of_range")
    def at(d: date) -> datetime:
        return clock.as_utc(datetime.combine(d, time()))
    return repo.Window(paid_from=at(day - timedelta(days=2)) + timedelta(minutes=cutoff),
                       paid_to=at(day - timedelta(days=1)) + timedelta(minutes=cutoff),
                       day_start=at(day), day_end=at(day + timedelta(days=1)))


def default_day(s: Session, tenant_id: int) -> date:
    """The day the lists open on: what arrives tomorrow once today's cut-off has passed, else today."""
    now = clock.now()
    before_cutoff = clock.local(now).hour * 60 + clock.local(now).minute < cutoff_minutes(s, tenant_id)
    today = clock.local(now).date()
    return today if before_cutoff else today + timedelta(days=1)


# --- scope -----------------------------------------------------------------------------------------------------


def point_scope(s: Session, p: Principal, point_id: int | None = None, community_id: int | None = None,
                leader_id: int | None = None) -> list[int] | None:
    """The pickup points a list covers: a leader's own (or one of them); an operator's choice of one point, a
    community's points, a leader's points, or every point (None)."""
    if p.role == "leader":
        mine = community.point_ids_of_leader(s, p.tenant_id, p.leader_id or 0)
        if point_id is None:
            return mine
        if point_id not in mine:
            raise NotFound("pickup point not found", code="pickup_point_not_found")
        return [point_id]
    if p.role != "operator":
        raise Forbidden("only leaders and operators see the packing lists", code="forbidden")
    if point_id is not None:
        point = community.pickup_point(s, p.tenant_id, point_id)
        if (community_id is not None and point.community_id != community_id) or (
                leader_id is not None and point.leader_id != leader_id):
            return []
        return [point.id]
    if community_id is not None:
        community.require_community(s, p.tenant_id, community_id)
    if community_id is not None or leader_id is not None:
        return community.point_ids(s, p.tenant_id, community_id, leader_id)
    return None


# --- settings --------------------------------------------------------------------------------------------------


def get_settings(s: Session, p: Principal) -> SettingsOut:
    return _settings_out(cutoff_minutes(s, p.tenant_id))


def update_settings(s: Session, p: Principal, data: SettingsIn) -> SettingsOut:
    hours, minutes = (int(x) for x in data.cutoff.split(":"))
    value = hours * 60 + minutes
    if value == 0:
        raise Invalid("cutoff: 00:00 would leave no time to order; use 24:00 for midnight", code="cutoff_invalid")
    repo.save_cutoff(s, p.tenant_id, value, clock.now())
    return _settings_out(value)


def _settings_out(value: int) -> SettingsOut:
    return SettingsOut(cutoff=f"{value // 60:02d}:{value % 60:02d}", cutoff_minutes=value)


# --- QR pickup -------------------------------------------------------------------------------------------------


def pickup_token(s: Session, p: Principal, order_id: int) -> PickupTokenOut:
    """The owner's QR token of an order awaiting pickup (anyone else: 404)."""
    order = orders.get(s, p, order_id)
    if p.role != "member" or order.member_id != p.member_id:
        raise NotFound("order not found", code="order_not_found")
    if order.status != "paid" or not order.pickup_code:
        raise Conflict("only an order awaiting pickup has a pickup QR code", code="not_ready_for_pickup")
    token, expires = qr.issue(p.tenant_id, order.id, order.pickup_code)
    return PickupTokenOut(order_id=order.id, token=token, expires_at=expires)


def scan(s: Session, p: Principal, token: str) -> ScanOut:
    """Hand out the order a scanned QR code names: the leader must run its pickup point (404 otherwise); a second
    scan finds it already handed out (409 already_picked_up)."""
    claims = qr.read(token)
    if claims.tenant_id != p.tenant_id:
        raise Invalid("this QR code belongs to another platform", code="qr_other_tenant")
    order = pickup.verify_signed(s, p, claims.order_id, claims.proves)
    resident = repo.residents(s, p.tenant_id, [order.member_id]).get(order.member_id)
    return ScanOut(order_id=order.id, status=order.status, member_name=resident.name if resident else "",
                   phone_masked=mask_phone(resident.phone) if resident else "", picked_up_at=order.picked_up_at)


def mask_phone(phone: str) -> str:
    """138****1234: enough for the leader to tell two neighbours apart, not enough to call a stranger."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"
