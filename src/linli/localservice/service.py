"""Merchants, their services, weekly schedules and time slots. Operators set them up; a member sees only the
active merchants serving the member's community. Bookings live in booking.py. Services never commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from linli.community import service as communities
from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.localservice import repository as repo
from linli.localservice import slots as slot_maker
from linli.localservice.schemas import (
    MerchantIn,
    MerchantOut,
    MerchantPatch,
    ScheduleIn,
    ScheduleOut,
    ServiceIn,
    ServiceOut,
    SlotIn,
    SlotOut,
)
from linli.member import service as members
from linli.models import LocalService, ServiceMerchant, ServiceSchedule

BOOKING_DAYS = 14  # how far ahead members see and the job opens slots


def _operator(p: Principal) -> None:
    if p.role != "operator":
        raise Forbidden("only operators can do this", code="forbidden")


def community_of_member(s: Session, p: Principal) -> int | None:
    if p.role != "member" or p.member_id is None:
        return None
    return members.communities_of(s, p.tenant_id, [p.member_id]).get(p.member_id)


# --- merchants ----------------------------------------------------------------------------------

def _check_communities(s: Session, tenant_id: int, ids: list[int]) -> None:
    for cid in dict.fromkeys(ids):
        communities.require_community(s, tenant_id, cid, as_input=True)


def create_merchant(s: Session, p: Principal, data: MerchantIn) -> MerchantOut:
    _operator(p)
    _check_communities(s, p.tenant_id, data.community_ids)
    m = ServiceMerchant(tenant_id=p.tenant_id, name=data.name, category=data.category, phone=data.phone,
                        address=data.address, description=data.description, active=data.active, rating_sum=0,
                        rating_count=0, created_at=clock.now())
    s.add(m)
    s.flush()
    repo.set_communities(s, p.tenant_id, m.id, data.community_ids)
    return merchant_outs(s, p.tenant_id, [m])[0]


def update_merchant(s: Session, p: Principal, merchant_id: int, data: MerchantPatch) -> MerchantOut:
    """Edits; turning a merchant off hides it and stops new slots (booked ones stay and can be cancelled)."""
    _operator(p)
    m = require_merchant(s, p, merchant_id)
    if data.community_ids is not None:
        _check_communities(s, p.tenant_id, data.community_ids)
        repo.set_communities(s, p.tenant_id, m.id, data.community_ids)
    for name in ("name", "phone", "address", "description", "active"):
        value = getattr(data, name)
        if value is not None:
            setattr(m, name, value)
    s.flush()
    return merchant_outs(s, p.tenant_id, [m])[0]


def require_merchant(s: Session, p: Principal, merchant_id: int) -> ServiceMerchant:
    """Operators see every merchant; a member only an active one serving the member's community."""
    m = repo.merchant(s, p.tenant_id, merchant_id)
    if m is None or (p.role != "operator" and not (
            m.active and repo.serves(s, p.tenant_id, m.id, community_of_member(s, p)))):
        raise NotFound("merchant not found", code="merchant_not_found")
    return m


def get_merchant(s: Session, p: Principal, merchant_id: int) -> MerchantOut:
    return merchant_outs(s, p.tenant_id, [require_merchant(s, p, merchant_id)])[0]


def merchant_outs(s: Session, tenant_id: int, rows: list[ServiceMerchant]) -> list[MerchantOut]:
    served = repo.communities_of(s, tenant_id, [m.id for m in rows])
    return [MerchantOut.model_validate(m).model_copy(update={
        "community_ids": served.get(m.id, []),
        "rating_avg": round(m.rating_sum / m.rating_count, 1) if m.rating_count else None}) for m in rows]


def search_merchants(s: Session, p: Principal, category: str | None, limit: int,
                     cursor: str | None) -> tuple[list[MerchantOut], str | None]:
    """A member: the active merchants serving the member's community; an operator: all."""
    if p.role == "member":
        community = community_of_member(s, p)
        if community is None:
            return [], None
        stmt = repo.merchants(p.tenant_id, category, community, active_only=True)
    else:
        _operator(p)
        stmt = repo.merchants(p.tenant_id, category)
    rows, nxt = fetch_page(s, stmt, ServiceMerchant.id, limit, cursor)
    return merchant_outs(s, p.tenant_id, list(rows)), nxt


def merchants_for_member(s: Session, p: Principal, category: str | None = None) -> list[MerchantOut]:
    """The member app's list: every active merchant serving the member's community, best rated first."""
    community = community_of_member(s, p)
    if community is None:
        return []
    rows = list(s.scalars(repo.merchants(p.tenant_id, category, community, active_only=True)
                          .order_by(ServiceMerchant.id).limit(200)))
    outs = merchant_outs(s, p.tenant_id, rows)
    return sorted(outs, key=lambda m: (-(m.rating_avg or 0), m.id))


# --- services -----------------------------------------------------------------------------------

def create_service(s: Session, p: Principal, merchant_id: int, data: ServiceIn) -> ServiceOut:
    _operator(p)
    m = require_merchant(s, p, merchant_id)
    row = LocalService(tenant_id=p.tenant_id, merchant_id=m.id, name=data.name, description=data.description,
                       price_fen=data.price_fen, duration_minutes=data.duration_minutes, capacity=data.capacity,
                       active=True, created_at=clock.now())
    s.add(row)
    s.flush()
    return ServiceOut.model_validate(row)


def require_service(s: Session, p: Principal, service_id: int) -> LocalService:
    row = repo.service(s, p.tenant_id, service_id)
    if row is None or (p.role != "operator" and not row.active):
        raise NotFound("service not found", code="service_not_found")
    try:
        require_merchant(s, p, row.merchant_id)
    except NotFound:
        raise NotFound("service not found", code="service_not_found") from None
    return row


def get_service(s: Session, p: Principal, service_id: int) -> ServiceOut:
    return ServiceOut.model_validate(require_service(s, p, service_id))


def services_of(s: Session, p: Principal, merchant_id: int) -> list[ServiceOut]:
    m = require_merchant(s, p, merchant_id)
    rows = repo.services_of(s, p.tenant_id, [m.id], active_only=p.role != "operator")
    return [ServiceOut.model_validate(r) for r in rows]


def set_service_active(s: Session, p: Principal, service_id: int, active: bool) -> ServiceOut:
    _operator(p)
    row = require_service(s, p, service_id)
    row.active = active
    s.flush()
    return ServiceOut.model_validate(row)


# --- schedules and slots ------------------------------------------------------------------------

def add_schedule(s: Session, p: Principal, service_id: int, data: ScheduleIn) -> ScheduleOut:
    """A weekly opening; its slots for the next 14 days open at once (the job keeps them opening)."""
    _operator(p)
    svc = require_service(s, p, service_id)
    hours, minutes = (int(x) for x in data.start_time.split(":"))
    start_minute = hours * 60 + minutes
    if repo.schedule(s, p.tenant_id, svc.id, data.weekday, start_minute) is not None:
        raise Conflict("该时段已在每周排期中", code="schedule_exists")
    row = ServiceSchedule(tenant_id=p.tenant_id, service_id=svc.id, weekday=data.weekday,
                          start_minute=start_minute, capacity=data.capacity, active=True, created_at=clock.now())
    s.add(row)
    s.flush()
    slot_maker.open_slots(s, p.tenant_id, clock.now(), BOOKING_DAYS, svc.id)
    return ScheduleOut.model_validate(row)


def schedules_of(s: Session, p: Principal, service_id: int) -> list[ScheduleOut]:
    _operator(p)
    svc = require_service(s, p, service_id)
    return [ScheduleOut.model_validate(r) for r in repo.schedules_of(s, p.tenant_id, [svc.id])]


def add_slot(s: Session, p: Principal, service_id: int, data: SlotIn) -> SlotOut:
    """One slot added by hand (an activity's date, an extra visit)."""
    _operator(p)
    svc = require_service(s, p, service_id)
    now = clock.now()
    if data.starts_at <= now:
        raise Invalid("时段开始时间须晚于当前时间", code="slot_in_past")
    if data.starts_at > now + timedelta(days=366):
        raise Invalid("时段最多提前一年添加", code="slot_too_far")
    values = {"tenant_id": p.tenant_id, "service_id": svc.id, "merchant_id": svc.merchant_id, "schedule_id": None,
              "starts_at": data.starts_at, "ends_at": data.starts_at + timedelta(minutes=svc.duration_minutes),
              "capacity": data.capacity or svc.capacity, "booked": 0, "status": "open", "created_at": now}
    if not repo.insert_slot(s, values):
        raise Conflict("该服务在这个时间已有时段", code="slot_exists")
    found = repo.slot_at(s, p.tenant_id, svc.id, data.starts_at)
    assert found is not None
    return slot_out(found)


def slot_out(row: object) -> SlotOut:
    out = SlotOut.model_validate(row)
    return out.model_copy(update={"remaining": max(0, out.capacity - out.booked)})


def upcoming_slots(s: Session, p: Principal, service_id: int, days: int = BOOKING_DAYS) -> list[SlotOut]:
    """The service's slots from now for `days` days (full ones included: the picker shows them disabled)."""
    svc = require_service(s, p, service_id)
    now = clock.now()
    rows = repo.slots_of(s, p.tenant_id, svc.id, now, now + timedelta(days=days))
    return [slot_out(r) for r in rows if p.role == "operator" or r.status == "open"]


# --- the console's reads ------------------------------------------------------------------------

def all_merchants(s: Session, p: Principal, category: str | None = None, limit: int = 500) -> list[MerchantOut]:
    """Every merchant of the tenant (the console's table), newest first."""
    _operator(p)
    rows = list(s.scalars(repo.merchants(p.tenant_id, category).order_by(ServiceMerchant.id.desc()).limit(limit)))
    return merchant_outs(s, p.tenant_id, rows)


def service_counts(s: Session, p: Principal, merchant_ids: list[int]) -> dict[int, int]:
    counted: dict[int, int] = dict.fromkeys(merchant_ids, 0)
    for row in repo.services_of(s, p.tenant_id, merchant_ids):
        counted[row.merchant_id] += 1
    return counted


def names(s: Session, tenant_id: int, service_ids: list[int]) -> dict[int, tuple[str, str]]:
    """service id -> (service name, merchant name), for lists and exports."""
    return repo.service_names(s, tenant_id, sorted(set(service_ids)))
