"""The only place that reads and writes for packing; every query tenant-scoped. Besides its own settings row,
packing is a read model of the day's orders: it reads (never writes) the orders with their lines, products,
members, households, buildings and pickup points, as the analytics read models do. Handing an order out goes
through the order domain's service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.models import Building, Household, Member, Order, OrderItem, PackingSettings, PickupPoint, Product

LISTED_STATUSES = ("paid", "picked_up")  # paid = 待提货; refunded, cancelled and unpaid orders are left out


@dataclass(frozen=True)
class Window:
    """Which paid orders arrive on one delivery day: ordinary ones paid in [paid_from, paid_to); presale ones by
    the later of that rule and their deliverable_from's day [day_start, day_end)."""

    paid_from: datetime
    paid_to: datetime
    day_start: datetime
    day_end: datetime


@dataclass(frozen=True)
class OrderRow:
    order_id: int
    status: str
    point_id: int
    member_id: int


@dataclass(frozen=True)
class LineRow:
    order_id: int
    product_id: int
    product_name: str
    unit: str
    quantity: int  # what is still owed: ordered minus refunded


@dataclass(frozen=True)
class Resident:
    member_id: int
    name: str
    phone: str
    building: str
    unit_no: str


def settings(s: Session, tenant_id: int, lock: bool = False) -> PackingSettings | None:
    stmt = select(PackingSettings).where(PackingSettings.tenant_id == tenant_id)
    return s.scalars(stmt.with_for_update() if lock else stmt).first()


def save_cutoff(s: Session, tenant_id: int, minutes: int, now: datetime) -> None:
    """Insert or update the tenant's one settings row; two first saves at once meet at the unique tenant_id and
    the later one updates the row the earlier one made."""
    row = settings(s, tenant_id, lock=True)
    if row is None:
        try:
            with s.begin_nested():
                s.add(PackingSettings(tenant_id=tenant_id, cutoff_minutes=minutes, updated_at=now))
            return
        except IntegrityError:
            row = settings(s, tenant_id, lock=True)
            assert row is not None
    row.cutoff_minutes, row.updated_at = minutes, now


def orders_for_day(s: Session, tenant_id: int, point_ids: Sequence[int] | None, w: Window) -> list[OrderRow]:
    """The orders arriving on the window's day at these points (None: every point), by id."""
    ordinary = and_(Order.deliverable_from.is_(None), Order.paid_at >= w.paid_from, Order.paid_at < w.paid_to)
    presale = and_(Order.deliverable_from.is_not(None), or_(
        and_(Order.deliverable_from >= w.day_start, Order.deliverable_from < w.day_end, Order.paid_at < w.paid_to),
        and_(Order.paid_at >= w.paid_from, Order.paid_at < w.paid_to, Order.deliverable_from < w.day_end)))
    stmt = (select(Order.id, Order.status, Order.pickup_point_id, Order.member_id)
            .where(Order.tenant_id == tenant_id, Order.status.in_(LISTED_STATUSES),
                   Order.pickup_point_id.is_not(None), or_(ordinary, presale))
            .order_by(Order.id))
    if point_ids is not None:
        stmt = stmt.where(Order.pickup_point_id.in_(point_ids))
    return [OrderRow(i, st, pt, m) for i, st, pt, m in s.execute(stmt) if pt is not None]


def lines(s: Session, tenant_id: int, order_ids: Sequence[int]) -> list[LineRow]:
    """The lines of these orders still owed (fully refunded lines left out), by order then line."""
    out: list[LineRow] = []
    for start in range(0, len(order_ids), 500):  # bounded IN lists
        chunk = order_ids[start:start + 500]
        rows = s.execute(
            select(OrderItem.order_id, OrderItem.product_id, OrderItem.product_name, Product.unit,
                   OrderItem.quantity - OrderItem.refunded_quantity)
            .join(Product, and_(Product.tenant_id == tenant_id, Product.id == OrderItem.product_id))
            .where(OrderItem.tenant_id == tenant_id, OrderItem.order_id.in_(chunk),
                   OrderItem.quantity > OrderItem.refunded_quantity)
            .order_by(OrderItem.order_id, OrderItem.id))
        out.extend(LineRow(o, p, n, u, int(q)) for o, p, n, u, q in rows)
    return out


def residents(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, Resident]:
    """Name, phone and home (building, unit; empty when no household is recorded) of these members."""
    found: dict[int, Resident] = {}
    ids = sorted(set(member_ids))
    for start in range(0, len(ids), 500):
        rows = s.execute(
            select(Member.id, Member.name, Member.phone, Building.name, Household.unit_no)
            .outerjoin(Household, and_(Household.tenant_id == tenant_id, Household.id == Member.household_id))
            .outerjoin(Building, and_(Building.tenant_id == tenant_id, Building.id == Household.building_id))
            .where(Member.tenant_id == tenant_id, Member.id.in_(ids[start:start + 500])))
        for m, name, phone, building, unit_no in rows:
            found[m] = Resident(m, name, phone, building or "", unit_no or "")
    return found


def point_names(s: Session, tenant_id: int, point_ids: Sequence[int]) -> dict[int, str]:
    if not point_ids:
        return {}
    rows = s.execute(select(PickupPoint.id, PickupPoint.name)
                     .where(PickupPoint.tenant_id == tenant_id, PickupPoint.id.in_(sorted(set(point_ids)))))
    return {i: n for i, n in rows}
