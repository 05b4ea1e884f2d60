"""Opening a compartment with its code, as the locker's kiosk does: the parcel is collected once, the compartment
freed and the order handed over (via "locker"). Wrong codes are counted per locker and per caller, so guessing
stops after a few tries; a retry of a successful opening (same code, a few minutes later) answers the same
without a second hand-over."""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlalchemy.orm import Session

from linli.core import clock, throttle
from linli.core.errors import Conflict, NotFound
from linli.core.outbox import emit
from linli.core.security import Principal
from linli.locker import repository as repo
from linli.locker import service
from linli.locker.schemas import CollectOut
from linli.models import LockerParcel
from linli.order import pickup
from linli.order.events import Actor

WINDOW = timedelta(minutes=15)
MAX_WRONG_PER_CALLER = 5
MAX_WRONG_PER_LOCKER = 30  # a kiosk serves many residents; one guesser still stops at 5
RETRY_WINDOW = timedelta(minutes=10)


class WrongCode(Conflict):
    code = "wrong_code"


def throttle_keys(p: Principal, point_id: int) -> dict[str, int]:
    """Per locker, and per caller — except the kiosk itself (an operator's token), which every resident shares."""
    keys = {f"locker:{p.tenant_id}:{point_id}": MAX_WRONG_PER_LOCKER}
    if p.role != "operator":
        keys[f"locker:{p.tenant_id}:{point_id}:user:{p.user_id}"] = MAX_WRONG_PER_CALLER
    return keys


def _match(rows: list[LockerParcel], code: str, p: Principal) -> LockerParcel | None:
    found = None
    for row in rows:  # every row compared (constant work per locker), bytes so non-ASCII is just wrong
        if hmac.compare_digest(row.code.encode(), code.encode()) and found is None:
            found = row
    if found is not None and p.role == "member" and found.member_id != p.member_id:
        return None  # a resident's own phone opens only their own parcels
    return found


def collect(s: Session, p: Principal, point_id: int, code: str) -> CollectOut:
    point = service.locker_point(s, p.tenant_id, point_id)
    throttle.check(s, throttle_keys(p, point.id), WINDOW)
    parcel = _match(list(repo.live_parcels(s, p.tenant_id, point.id)), code, p)
    if parcel is None:
        done = _match(list(repo.collected_since(s, p.tenant_id, point.id, clock.now() - RETRY_WINDOW)), code, p)
        if done is None:
            raise WrongCode("开箱码不正确")
        return _answer(s, done)
    throttle.clear(s, f"locker:{p.tenant_id}:{point.id}:user:{p.user_id}")
    if repo.finish(s, p.tenant_id, parcel.id, "collected", clock.now()):
        repo.release(s, p.tenant_id, parcel.compartment_id)
        pickup.hand_over(s, p.tenant_id, parcel.order_id, Actor.of(p), via="locker")
        emit(s, p.tenant_id, "locker.collected", {"parcel_id": parcel.id, "order_id": parcel.order_id,
                                                  "member_id": parcel.member_id, "pickup_point_id": point.id})
    # else a concurrent opening won: the same answer, one hand-over
    return _answer(s, parcel)


def _answer(s: Session, parcel: LockerParcel) -> CollectOut:
    box = repo.compartments_by_id(s, parcel.tenant_id, [parcel.compartment_id])[parcel.compartment_id]
    return CollectOut(parcel_id=parcel.id, order_id=parcel.order_id, compartment_label=box.label,
                      status="collected")


def collect_mine(s: Session, p: Principal, parcel_id: int) -> CollectOut:
    """The owner opens their own waiting parcel from the member app (一键开箱): the same path as the code."""
    row = repo.parcel(s, p.tenant_id, parcel_id)
    if row is None or p.role != "member" or row.member_id != p.member_id:
        raise NotFound("parcel not found", code="parcel_not_found")
    if row.status != "live":
        raise Conflict("包裹已取出或已退回团长", code="parcel_not_waiting")
    return collect(s, p, row.pickup_point_id, row.code)
