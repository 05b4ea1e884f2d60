"""Demo: every smart locker (智能自提柜) gets its compartments (half small, a third medium, the rest large) and a
few days of parcels put in by its leader: some opened with their code, two that expired back to the leader
(one already taken back), two reminded before their expiry tonight, and a few waiting since this morning."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.community import service as community
from linli.core import clock
from linli.core.errors import Conflict
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.locker import collect, deposit, expiry, service
from linli.locker.schemas import CompartmentsIn, DepositIn
from linli.models import LockerParcel
from linli.order import service as orders

# (hours before the load it went in — never before the order was paid —, what became of it, size), taken in turn
# across the lockers so that even a small demo shows each kind
PLAN = [(5, "waiting", "S"), (30, "collected", "S"), (70, "expired", "M"), (40, "reminded", "S"),
        (62, "expired_taken_back", "S"), (27, "collected", "M"), (3, "waiting", "M"), (22, "collected", "S"),
        (39, "reminded", "L"), (1, "waiting", "S")]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    users = dict(zip(ids.members, ids.member_users, strict=True))
    made, turn = 0, 0
    for index, point_id in enumerate(ids.points):
        point = community.pickup_point(s, ids.tenant, point_id)
        if point.kind != "locker":
            continue
        cap = point.capacity or 48
        with clock.frozen_at(now - timedelta(days=10)):
            service.add_compartments(s, admin, point.id, CompartmentsIn(small=cap // 2, medium=cap // 3,
                                                                        large=cap - cap // 2 - cap // 3))
        user_id, role = ids.point_pickers[index]
        hands = (Principal(user_id, ids.tenant, slug, "leader", leader_id=point.leader_id)
                 if role == "leader" and point.leader_id else admin)
        paid = [(o.id, o.paid_at) for o in orders.paid_orders_at_points(s, ids.tenant, [point.id])
                if o.facts.status == "paid"][:len(PLAN)]
        done = _parcels(s, ids, slug, now, hands, point.id, paid, users, turn)
        made, turn = made + done, turn + done
    return made


def _parcels(s: Session, ids: Ids, slug: str, now: datetime, hands: Principal, point_id: int,
             paid: list[tuple[int, datetime]], users: dict[int, int], turn: int) -> int:
    made = 0
    for order_id, paid_at in paid:
        hours, fate, size = PLAN[(turn + made) % len(PLAN)]
        at = max(now - timedelta(hours=hours), paid_at + timedelta(minutes=40))
        if at > now - timedelta(minutes=5):
            continue
        try:
            with clock.frozen_at(at):
                parcel = deposit.deposit(s, hands, point_id, DepositIn(order_id=order_id, size=size))  # type: ignore[arg-type]
        except Conflict:  # a presale not delivered yet, or that size full: the leader keeps it
            continue
        made += 1
        _fate(s, ids, slug, now, hands, parcel, fate, users)
    return made


def _fate(s: Session, ids: Ids, slug: str, now: datetime, hands: Principal, parcel: LockerParcel, fate: str,
          users: dict[int, int]) -> None:
    tenant = ids.tenant
    if fate == "collected":  # after a few hours, or half-way to now for a parcel put in lately
        owner = Principal(users[parcel.member_id], tenant, slug, "member", member_id=parcel.member_id)
        with clock.frozen_at(parcel.deposited_at + min(timedelta(hours=3, minutes=17),
                                                       (now - parcel.deposited_at) / 2)):
            collect.collect_mine(s, owner, parcel.id)
        return
    if fate in ("expired", "expired_taken_back", "reminded"):
        remind_at = parcel.expires_at - timedelta(hours=service.settings_of(s, tenant).remind_hours)
        if remind_at <= now:
            with clock.frozen_at(remind_at):
                expiry.remind(s, tenant, parcel.id, remind_at)
    if fate.startswith("expired") and parcel.expires_at <= now:
        with clock.frozen_at(parcel.expires_at):
            expiry.expire(s, tenant, parcel.id, parcel.expires_at)
        if fate == "expired_taken_back":
            with clock.frozen_at(parcel.expires_at + timedelta(hours=2)):
                service.taken_back(s, hands, parcel.id)
