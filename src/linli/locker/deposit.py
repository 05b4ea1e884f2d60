"""Putting a paid order into a free compartment of the size asked, with a fresh 6-digit opening code.

Lock order: the order row first (two deposits of one order queue there, the second then sees the first's
parcel), then a conditional UPDATE takes one free compartment (racing leaders each get a different one, or
409 no_free_compartment). The partial unique indexes over live parcels are the last word on both rules and on
the code's uniqueness at the locker (a clash of codes retries with another)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict
from linli.core.outbox import emit
from linli.core.security import Principal
from linli.locker import notices, service
from linli.locker import repository as repo
from linli.locker.schemas import AwaitingOut, DepositIn
from linli.models import LockerParcel
from linli.order import service as orders

CODE_TRIES = 8


class AlreadyInLocker(Conflict):
    code = "already_in_locker"


def new_code(taken: set[str]) -> str:
    """Six random digits not used by a waiting parcel of the same locker."""
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if code not in taken:
            return code


def deposit(s: Session, p: Principal, point_id: int, data: DepositIn) -> LockerParcel:
    point = service.managed(s, p, point_id)
    order = orders.visible(s, p, data.order_id, lock=True)
    if order.pickup_point_id != point.id:
        raise Conflict("该订单不在这个智能柜自提", code="order_not_at_locker")
    if order.status != "paid":
        raise Conflict(f"an order that is {order.status} cannot go into a locker", code="not_ready_for_pickup")
    now = clock.now()
    if order.deliverable_from is not None and now < order.deliverable_from:
        raise Conflict("this presale order is delivered later", code="not_yet_delivered")
    if repo.live_parcel_of_order(s, p.tenant_id, order.id) is not None:
        raise AlreadyInLocker("该订单已在柜中")
    compartment_id = _take(s, p.tenant_id, point.id, data.size)
    hours = service.settings_of(s, p.tenant_id).hold_hours
    parcel = _insert(s, LockerParcel(
        tenant_id=p.tenant_id, pickup_point_id=point.id, compartment_id=compartment_id, order_id=order.id,
        member_id=order.member_id, deposited_by_user_id=p.user_id, status="live", deposited_at=now,
        expires_at=now + timedelta(hours=hours), created_at=now))
    emit(s, p.tenant_id, "locker.deposited", {"parcel_id": parcel.id, "order_id": order.id,
                                              "member_id": order.member_id, "pickup_point_id": point.id})
    label = repo.compartments_by_id(s, p.tenant_id, [compartment_id])[compartment_id].label
    notices.deposited(s, parcel, point.name, label)
    return parcel


def _take(s: Session, tenant_id: int, point_id: int, size: str) -> int:
    for compartment_id in repo.free_compartment_ids(s, tenant_id, point_id, size):
        if repo.take(s, tenant_id, compartment_id):
            return compartment_id
    raise Conflict("这个尺寸已没有空闲格口", code="no_free_compartment")


def _insert(s: Session, parcel: LockerParcel) -> LockerParcel:
    for _ in range(CODE_TRIES):
        parcel.code = new_code(repo.live_codes(s, parcel.tenant_id, parcel.pickup_point_id))
        try:
            with s.begin_nested():  # on PostgreSQL a concurrent insert waits here for the other to commit
                s.add(parcel)
                s.flush()
            return parcel
        except IntegrityError:
            if repo.live_parcel_of_order(s, parcel.tenant_id, parcel.order_id) is not None:
                raise AlreadyInLocker("该订单已在柜中") from None
            if parcel in s:  # a clash of codes: try another
                s.expunge(parcel)
    raise Conflict("未能生成开箱码，请重试", code="code_unavailable")


def awaiting(s: Session, p: Principal, point_id: int) -> list[AwaitingOut]:
    """The paid orders of this locker's pickup point not in a compartment, oldest first."""
    point = service.managed(s, p, point_id)
    inside = repo.live_order_ids(s, p.tenant_id, point.id)
    return [AwaitingOut(order_id=o.id, paid_at=o.paid_at, payable_fen=o.facts.payable_fen - o.facts.refunded_fen)
            for o in orders.paid_orders_at_points(s, p.tenant_id, [point.id])
            if o.facts.status == "paid" and o.id not in inside]
