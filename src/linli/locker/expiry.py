"""A parcel's clock: the member is reminded once `remind_hours` before its expiry; at expiry the parcel is marked
expired (the leader takes the goods back), its compartment freed, and member and leader told. The order stays
paid, so the leader can still hand it out against the member's pickup code. Each step is a conditional update:
a second run, or a collection racing the expiry, changes nothing twice. An order refunded or cancelled in its
compartment is withdrawn the same way (handlers.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.outbox import emit
from linli.locker import notices, service
from linli.locker import repository as repo
from linli.order import service as orders

DEFAULT_REMIND_HOURS = 12


def due_reminders(s: Session, at: datetime) -> list[tuple[int, int]]:
    by_tenant = repo.remind_hours_by_tenant(s)
    return [(t, i) for t, i, expires in repo.due_reminders(s, at, by_tenant, DEFAULT_REMIND_HOURS)
            if expires - timedelta(hours=by_tenant.get(t, DEFAULT_REMIND_HOURS)) <= at]


def remind(s: Session, tenant_id: int, parcel_id: int, at: datetime) -> bool:
    parcel = repo.parcel(s, tenant_id, parcel_id)
    if parcel is None or not repo.mark_reminded(s, tenant_id, parcel_id, at):
        return False
    point = service.locker_point(s, tenant_id, parcel.pickup_point_id)
    box = repo.compartments_by_id(s, tenant_id, [parcel.compartment_id])[parcel.compartment_id]
    notices.reminder(s, parcel, point.name, box.label)
    return True


def due_expiries(s: Session, at: datetime) -> list[tuple[int, int]]:
    return repo.due_expiries(s, at)


def expire(s: Session, tenant_id: int, parcel_id: int, at: datetime) -> bool:
    parcel = repo.parcel(s, tenant_id, parcel_id)
    if parcel is None or parcel.expires_at > at or not repo.finish(s, tenant_id, parcel_id, "expired", at):
        return False
    repo.release(s, tenant_id, parcel.compartment_id)
    point = service.locker_point(s, tenant_id, parcel.pickup_point_id)
    s.refresh(parcel)
    emit(s, tenant_id, "locker.expired", {"parcel_id": parcel.id, "order_id": parcel.order_id,
                                          "member_id": parcel.member_id, "pickup_point_id": point.id})
    notices.expired(s, parcel, point.name, point.leader_id)
    return True


def withdraw(s: Session, tenant_id: int, order_id: int) -> bool:
    """An order refunded or cancelled while it waits in a compartment: the code stops opening it, the compartment
    is freed and the leader told to take the goods back (the parcel ends as expired: back with the leader)."""
    parcel = repo.live_parcel_of_order(s, tenant_id, order_id)
    state = orders.state_of(s, tenant_id, order_id)
    if parcel is None or state is None or state.status == "paid":  # a partial refund leaves it waiting
        return False
    if not repo.finish(s, tenant_id, parcel.id, "expired", clock.now()):
        return False
    repo.release(s, tenant_id, parcel.compartment_id)
    point = service.locker_point(s, tenant_id, parcel.pickup_point_id)
    emit(s, tenant_id, "locker.withdrawn", {"parcel_id": parcel.id, "order_id": order_id,
                                            "pickup_point_id": point.id, "order_status": state.status})
    notices.withdrawn(s, parcel, point.name, point.leader_id)
    return True
