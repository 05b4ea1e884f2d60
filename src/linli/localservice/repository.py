"""The only place that reads and writes the local-service tables; every query tenant-scoped (the jobs' finders
name the tenant of each row they return)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import (
    LocalService,
    MerchantCommunity,
    ServiceBooking,
    ServiceMerchant,
    ServiceRating,
    ServiceSchedule,
    ServiceSlot,
)

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}
M, S, Sch, Sl, B, R = ServiceMerchant, LocalService, ServiceSchedule, ServiceSlot, ServiceBooking, ServiceRating


def _changed(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


# --- merchants ----------------------------------------------------------------------------------

def merchant(s: Session, tenant_id: int, merchant_id: int) -> ServiceMerchant | None:
    return s.scalar(select(M).where(M.tenant_id == tenant_id, M.id == merchant_id))


def merchants(tenant_id: int, category: str | None = None, community_id: int | None = None,
              active_only: bool = False, q: str | None = None) -> Select[Any]:
    stmt = select(M).where(M.tenant_id == tenant_id)
    if category:
        stmt = stmt.where(M.category == category)
    if community_id is not None:
        stmt = stmt.where(M.id.in_(select(MerchantCommunity.merchant_id).where(
            MerchantCommunity.tenant_id == tenant_id, MerchantCommunity.community_id == community_id)))
    if active_only:
        stmt = stmt.where(M.active.is_(True))
    if q:
        stmt = stmt.where(M.name.contains(q, autoescape=True))
    return stmt


def communities_of(s: Session, tenant_id: int, merchant_ids: Sequence[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {i: [] for i in merchant_ids}
    if not merchant_ids:
        return out
    for mid, cid in s.execute(select(MerchantCommunity.merchant_id, MerchantCommunity.community_id).where(
            MerchantCommunity.tenant_id == tenant_id, MerchantCommunity.merchant_id.in_(merchant_ids))
            .order_by(MerchantCommunity.community_id)):
        out[mid].append(cid)
    return out


def serves(s: Session, tenant_id: int, merchant_id: int, community_id: int | None) -> bool:
    if community_id is None:
        return False
    return s.scalar(select(MerchantCommunity.id).where(
        MerchantCommunity.tenant_id == tenant_id, MerchantCommunity.merchant_id == merchant_id,
        MerchantCommunity.community_id == community_id)) is not None


def set_communities(s: Session, tenant_id: int, merchant_id: int, community_ids: Sequence[int]) -> None:
    s.execute(delete(MerchantCommunity).where(MerchantCommunity.tenant_id == tenant_id,
                                              MerchantCommunity.merchant_id == merchant_id))
    s.add_all([MerchantCommunity(tenant_id=tenant_id, merchant_id=merchant_id, community_id=c)
               for c in dict.fromkeys(community_ids)])
    s.flush()


def add_rating_to_merchant(s: Session, tenant_id: int, merchant_id: int, stars: int) -> None:
    """One UPDATE moves the sum and the count together: concurrent ratings never lose one."""
    s.execute(update(M).where(M.tenant_id == tenant_id, M.id == merchant_id)
              .values(rating_sum=M.rating_sum + stars, rating_count=M.rating_count + 1))


# --- services and schedules ---------------------------------------------------------------------

def service(s: Session, tenant_id: int, service_id: int) -> LocalService | None:
    return s.scalar(select(S).where(S.tenant_id == tenant_id, S.id == service_id))


def services_of(s: Session, tenant_id: int, merchant_ids: Sequence[int],
                active_only: bool = False) -> list[LocalService]:
    if not merchant_ids:
        return []
    stmt = select(S).where(S.tenant_id == tenant_id, S.merchant_id.in_(merchant_ids))
    if active_only:
        stmt = stmt.where(S.active.is_(True))
    return list(s.scalars(stmt.order_by(S.merchant_id, S.id)))


def schedules_of(s: Session, tenant_id: int, service_ids: Sequence[int]) -> list[ServiceSchedule]:
    if not service_ids:
        return []
    return list(s.scalars(select(Sch).where(Sch.tenant_id == tenant_id, Sch.service_id.in_(service_ids))
                          .order_by(Sch.service_id, Sch.weekday, Sch.start_minute)))


def schedule(s: Session, tenant_id: int, service_id: int, weekday: int, start_minute: int) -> ServiceSchedule | None:
    return s.scalar(select(Sch).where(Sch.tenant_id == tenant_id, Sch.service_id == service_id,
                                      Sch.weekday == weekday, Sch.start_minute == start_minute))


def tenants_with_schedules(s: Session) -> list[int]:
    """Every tenant with an active schedule (the slot job's work list)."""
    return list(s.scalars(select(Sch.tenant_id).where(Sch.active.is_(True)).distinct().order_by(Sch.tenant_id)))


def active_schedules(s: Session, tenant_id: int,
                     service_id: int | None = None) -> list[tuple[ServiceSchedule, LocalService]]:
    """A tenant's active schedules of active services of active merchants (of one service, if named)."""
    stmt = (select(Sch, S).join(S, (S.id == Sch.service_id) & (S.tenant_id == Sch.tenant_id))
            .join(M, (M.id == S.merchant_id) & (M.tenant_id == S.tenant_id))
            .where(Sch.tenant_id == tenant_id, Sch.active.is_(True), S.active.is_(True), M.active.is_(True)))
    if service_id is not None:
        stmt = stmt.where(Sch.service_id == service_id)
    rows = s.execute(stmt.order_by(Sch.id))
    return [(r[0], r[1]) for r in rows]


# --- slots --------------------------------------------------------------------------------------

def insert_slot(s: Session, values: dict[str, Any]) -> bool:
    """A new slot unless the service already has one at that start (safe when two runs race): True if new."""
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    new_id = s.scalar(dialect_insert(table(Sl)).values(**values).on_conflict_do_nothing(
        index_elements=["tenant_id", "service_id", "starts_at"]).returning(table(Sl).c.id))
    return new_id is not None


def slot(s: Session, tenant_id: int, slot_id: int) -> ServiceSlot | None:
    return s.scalar(select(Sl).where(Sl.tenant_id == tenant_id, Sl.id == slot_id))


def slot_at(s: Session, tenant_id: int, service_id: int, starts_at: datetime) -> ServiceSlot | None:
    return s.scalar(select(Sl).where(Sl.tenant_id == tenant_id, Sl.service_id == service_id,
                                     Sl.starts_at == starts_at))


def slots_of(s: Session, tenant_id: int, service_id: int, since: datetime, until: datetime) -> list[ServiceSlot]:
    return list(s.scalars(select(Sl).where(Sl.tenant_id == tenant_id, Sl.service_id == service_id,
                                           Sl.starts_at >= since, Sl.starts_at < until).order_by(Sl.starts_at)))


def take_seats(s: Session, tenant_id: int, slot_id: int, seats: int, now: datetime) -> bool:
    """The one place seats are taken: a conditional UPDATE (booked + n <= capacity, still open, not started).
    Concurrent bookers queue on the row; each re-checks the condition on the committed count."""
    result = s.execute(update(Sl).where(Sl.tenant_id == tenant_id, Sl.id == slot_id, Sl.status == "open",
                                        Sl.starts_at > now, Sl.booked + seats <= Sl.capacity)
                       .values(booked=Sl.booked + seats))
    return _changed(result) == 1


def free_seats(s: Session, tenant_id: int, slot_id: int, seats: int) -> None:
    s.execute(update(Sl).where(Sl.tenant_id == tenant_id, Sl.id == slot_id, Sl.booked >= seats)
              .values(booked=Sl.booked - seats))


# --- bookings -----------------------------------------------------------------------------------

def insert_booking(s: Session, booking: ServiceBooking) -> bool:
    """False when the member already holds a live booking of the slot (the UNIQUE constraint decides, also
    for concurrent duplicates: the second waits for the first and then fails)."""
    try:
        with s.begin_nested():
            s.add(booking)
            s.flush()
    except IntegrityError:
        return False
    return True


def booking(s: Session, tenant_id: int, booking_id: int) -> ServiceBooking | None:
    return s.scalar(select(B).where(B.tenant_id == tenant_id, B.id == booking_id))


def live_booking(s: Session, tenant_id: int, member_id: int, slot_id: int) -> ServiceBooking | None:
    return s.scalar(select(B).where(B.tenant_id == tenant_id, B.member_id == member_id, B.live_slot_id == slot_id))


def cancel_booking(s: Session, tenant_id: int, booking_id: int, by: str, reason: str | None, now: datetime) -> bool:
    """confirmed -> cancelled once: the conditional UPDATE makes a second cancel (or a race) change nothing."""
    result = s.execute(update(B).where(B.tenant_id == tenant_id, B.id == booking_id, B.status == "confirmed")
                       .values(status="cancelled", live_slot_id=None, cancelled_at=now, cancelled_by=by,
                               cancel_reason=reason))
    return _changed(result) == 1


def complete_booking(s: Session, tenant_id: int, booking_id: int, now: datetime) -> bool:
    result = s.execute(update(B).where(B.tenant_id == tenant_id, B.id == booking_id, B.status == "confirmed")
                       .values(status="completed", completed_at=now))
    return _changed(result) == 1


def tenants_with_ended(s: Session, at: datetime) -> list[int]:
    return list(s.scalars(select(B.tenant_id).where(B.status == "confirmed", B.ends_at <= at).distinct()))


def complete_ended(s: Session, tenant_id: int, at: datetime) -> int:
    result = s.execute(update(B).where(B.tenant_id == tenant_id, B.status == "confirmed", B.ends_at <= at)
                       .values(status="completed", completed_at=at))
    return _changed(result)


def due_reminders(s: Session, at: datetime, until: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """(tenant, booking) of confirmed bookings starting in (at, until] not reminded yet."""
    rows = s.execute(select(B.tenant_id, B.id).where(B.status == "confirmed", B.reminded_at.is_(None),
                                                     B.starts_at > at, B.starts_at <= until)
                     .order_by(B.id).limit(limit))
    return [(r[0], r[1]) for r in rows]


def mark_reminded(s: Session, tenant_id: int, booking_id: int, now: datetime) -> bool:
    result = s.execute(update(B).where(B.tenant_id == tenant_id, B.id == booking_id, B.reminded_at.is_(None),
                                       B.status == "confirmed").values(reminded_at=now))
    return _changed(result) == 1


def bookings(tenant_id: int, member_id: int | None = None, status: str | None = None,
             merchant_id: int | None = None, community_id: int | None = None, since: datetime | None = None,
             until: datetime | None = None) -> Select[Any]:
    """Bookings narrowed by the filters; `since` / `until` bound the service time (starts_at)."""
    stmt = select(B).where(B.tenant_id == tenant_id)
    if member_id is not None:
        stmt = stmt.where(B.member_id == member_id)
    if status:
        stmt = stmt.where(B.status == status)
    if merchant_id is not None:
        stmt = stmt.where(B.merchant_id == merchant_id)
    if community_id is not None:
        stmt = stmt.where(B.community_id == community_id)
    if since is not None:
        stmt = stmt.where(B.starts_at >= since)
    if until is not None:
        stmt = stmt.where(B.starts_at < until)
    return stmt


def status_counts(s: Session, tenant_id: int) -> dict[str, int]:
    return {st: int(n) for st, n in s.execute(select(B.status, func.count()).where(B.tenant_id == tenant_id)
                                              .group_by(B.status))}


# --- ratings ------------------------------------------------------------------------------------

def insert_rating(s: Session, rating: ServiceRating) -> bool:
    try:
        with s.begin_nested():
            s.add(rating)
            s.flush()
    except IntegrityError:
        return False
    return True


def show_comment(s: Session, tenant_id: int, rating_id: int) -> None:
    s.execute(update(ServiceRating).where(ServiceRating.tenant_id == tenant_id, ServiceRating.id == rating_id)
              .values(comment_visible=True))


def rating_of(s: Session, tenant_id: int, booking_ids: Sequence[int]) -> dict[int, ServiceRating]:
    if not booking_ids:
        return {}
    return {r.booking_id: r for r in s.scalars(select(R).where(R.tenant_id == tenant_id,
                                                               R.booking_id.in_(booking_ids)))}


def ratings_of_merchant(s: Session, tenant_id: int, merchant_id: int, limit: int) -> list[ServiceRating]:
    return list(s.scalars(select(R).where(R.tenant_id == tenant_id, R.merchant_id == merchant_id)
                          .order_by(R.created_at.desc(), R.id.desc()).limit(limit)))


def service_names(s: Session, tenant_id: int, service_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """service id -> (service name, merchant name)."""
    if not service_ids:
        return {}
    rows = s.execute(select(S.id, S.name, M.name).join(M, (M.id == S.merchant_id) & (M.tenant_id == S.tenant_id))
                     .where(S.tenant_id == tenant_id, S.id.in_(service_ids)))
    return {r[0]: (r[1], r[2]) for r in rows}


def completed_unrated(s: Session, tenant_id: int, limit: int) -> list[ServiceBooking]:
    rated = select(R.booking_id).where(R.tenant_id == tenant_id)
    return list(s.scalars(select(B).where(B.tenant_id == tenant_id, B.status == "completed", B.id.not_in(rated))
                          .order_by(B.id).limit(limit)))
