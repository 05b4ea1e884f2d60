"""The only place that reads and writes the locker tables; every query tenant-scoped (the due job's scans
return (tenant_id, id) pairs, each then handled in its tenant)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.db import table
from linli.models import LockerCompartment, LockerParcel, LockerSettings

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}
C, P = LockerCompartment, LockerParcel


# --- settings -----------------------------------------------------------------------------------

def settings(s: Session, tenant_id: int) -> LockerSettings | None:
    return s.scalar(select(LockerSettings).where(LockerSettings.tenant_id == tenant_id))


def ensure_settings(s: Session, tenant_id: int) -> LockerSettings:
    """The tenant's settings row, created with the defaults on first use (safe under a race)."""
    found = settings(s, tenant_id)
    if found is not None:
        return found
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    s.execute(dialect_insert(table(LockerSettings)).values(
        tenant_id=tenant_id, hold_hours=48, remind_hours=12, updated_at=clock.now())
        .on_conflict_do_nothing(index_elements=["tenant_id"]))
    row = settings(s, tenant_id)
    assert row is not None
    return row


# --- compartments -------------------------------------------------------------------------------

def compartments(s: Session, tenant_id: int, point_id: int) -> Sequence[LockerCompartment]:
    return s.scalars(select(C).where(C.tenant_id == tenant_id, C.pickup_point_id == point_id)
                     .order_by(C.label)).all()


def compartment(s: Session, tenant_id: int, compartment_id: int) -> LockerCompartment | None:
    return s.scalar(select(C).where(C.tenant_id == tenant_id, C.id == compartment_id))


def compartments_by_id(s: Session, tenant_id: int, ids: Sequence[int]) -> dict[int, LockerCompartment]:
    if not ids:
        return {}
    return {c.id: c for c in s.scalars(select(C).where(C.tenant_id == tenant_id, C.id.in_(set(ids))))}


def counts(s: Session, tenant_id: int, point_ids: Sequence[int]) -> list[tuple[int, str, str, int]]:
    """(point, size, status, how many) for these lockers."""
    rows = s.execute(select(C.pickup_point_id, C.size, C.status, func.count())
                     .where(C.tenant_id == tenant_id, C.pickup_point_id.in_(point_ids))
                     .group_by(C.pickup_point_id, C.size, C.status))
    return [(int(p), str(z), str(st), int(n)) for p, z, st, n in rows]


def free_compartment_ids(s: Session, tenant_id: int, point_id: int, size: str) -> list[int]:
    return list(s.scalars(select(C.id).where(C.tenant_id == tenant_id, C.pickup_point_id == point_id,
                                             C.size == size, C.status == "free").order_by(C.label)))


def take(s: Session, tenant_id: int, compartment_id: int) -> bool:
    """Occupy a compartment if it is still free (the conditional update is the lock: one winner)."""
    done = s.execute(update(C).where(C.tenant_id == tenant_id, C.id == compartment_id, C.status == "free")
                     .values(status="occupied").execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def release(s: Session, tenant_id: int, compartment_id: int) -> None:
    s.execute(update(C).where(C.tenant_id == tenant_id, C.id == compartment_id, C.status == "occupied")
              .values(status="free").execution_options(synchronize_session=False))


def set_status(s: Session, tenant_id: int, compartment_id: int, status: str) -> bool:
    """free <-> out_of_order, never over an occupied compartment."""
    done = s.execute(update(C).where(C.tenant_id == tenant_id, C.id == compartment_id,
                                     C.status.in_(("free", "out_of_order")))
                     .values(status=status).execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


# --- parcels ------------------------------------------------------------------------------------

def parcel(s: Session, tenant_id: int, parcel_id: int) -> LockerParcel | None:
    return s.scalar(select(P).where(P.tenant_id == tenant_id, P.id == parcel_id))


def live_parcel_of_order(s: Session, tenant_id: int, order_id: int) -> LockerParcel | None:
    return s.scalar(select(P).where(P.tenant_id == tenant_id, P.order_id == order_id, P.status == "live"))


def live_codes(s: Session, tenant_id: int, point_id: int) -> set[str]:
    return set(s.scalars(select(P.code).where(P.tenant_id == tenant_id, P.pickup_point_id == point_id,
                                              P.status == "live")))


def live_parcels(s: Session, tenant_id: int, point_id: int) -> Sequence[LockerParcel]:
    return s.scalars(select(P).where(P.tenant_id == tenant_id, P.pickup_point_id == point_id,
                                     P.status == "live").order_by(P.id)).all()


def collected_since(s: Session, tenant_id: int, point_id: int, since: datetime) -> Sequence[LockerParcel]:
    return s.scalars(select(P).where(P.tenant_id == tenant_id, P.pickup_point_id == point_id,
                                     P.status == "collected", P.collected_at >= since).order_by(P.id)).all()


def live_order_ids(s: Session, tenant_id: int, point_id: int) -> set[int]:
    return set(s.scalars(select(P.order_id).where(P.tenant_id == tenant_id, P.pickup_point_id == point_id,
                                                  P.status == "live")))


def expiring_counts(s: Session, tenant_id: int, point_ids: Sequence[int], before: datetime) -> dict[int, int]:
    rows = s.execute(select(P.pickup_point_id, func.count()).where(
        P.tenant_id == tenant_id, P.pickup_point_id.in_(point_ids), P.status == "live", P.expires_at < before)
        .group_by(P.pickup_point_id))
    return {int(p): int(n) for p, n in rows}


def finish(s: Session, tenant_id: int, parcel_id: int, status: str, at: datetime) -> bool:
    """live -> collected | expired, once (the conditional update decides between racing callers)."""
    stamp = {"collected_at": at} if status == "collected" else {"expired_at": at}
    done = s.execute(update(P).where(P.tenant_id == tenant_id, P.id == parcel_id, P.status == "live")
                     .values(status=status, **stamp).execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def mark_reminded(s: Session, tenant_id: int, parcel_id: int, at: datetime) -> bool:
    done = s.execute(update(P).where(P.tenant_id == tenant_id, P.id == parcel_id, P.status == "live",
                                     P.reminded_at.is_(None))
                     .values(reminded_at=at).execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def mark_returned(s: Session, tenant_id: int, parcel_id: int, at: datetime) -> bool:
    done = s.execute(update(P).where(P.tenant_id == tenant_id, P.id == parcel_id, P.status == "expired",
                                     P.returned_at.is_(None))
                     .values(returned_at=at).execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def parcels(s: Session, tenant_id: int, *, point_ids: Sequence[int] | None = None, member_id: int | None = None,
            statuses: Sequence[str] | None = None, unreturned: bool = False,
            limit: int = 200) -> Sequence[LockerParcel]:
    stmt = select(P).where(P.tenant_id == tenant_id)
    if point_ids is not None:
        stmt = stmt.where(P.pickup_point_id.in_(point_ids))
    if member_id is not None:
        stmt = stmt.where(P.member_id == member_id)
    if statuses:
        stmt = stmt.where(P.status.in_(statuses))
    if unreturned:
        stmt = stmt.where(P.returned_at.is_(None))
    return s.scalars(stmt.order_by(P.id.desc()).limit(limit)).all()


def due_reminders(s: Session, at: datetime, remind_before: dict[int, int], default_hours: int,
                  limit: int = 500) -> list[tuple[int, int, datetime]]:
    """Live, unreminded parcels across tenants that could be due by `at` (the caller applies each tenant's
    hours): (tenant, parcel, expires_at), soonest first."""
    longest = max([default_hours, *remind_before.values()])
    rows = s.execute(select(P.tenant_id, P.id, P.expires_at).where(
        P.status == "live", P.reminded_at.is_(None), P.expires_at > at,
        P.expires_at <= at + timedelta(hours=longest)).order_by(P.expires_at).limit(limit))
    return [(int(t), int(i), e) for t, i, e in rows]


def due_expiries(s: Session, at: datetime, limit: int = 500) -> list[tuple[int, int]]:
    rows = s.execute(select(P.tenant_id, P.id).where(P.status == "live", P.expires_at <= at)
                     .order_by(P.expires_at).limit(limit))
    return [(int(t), int(i)) for t, i in rows]


def remind_hours_by_tenant(s: Session) -> dict[int, int]:
    return {int(t): int(h) for t, h in s.execute(select(LockerSettings.tenant_id, LockerSettings.remind_hours))}



def parcel_query(tenant_id: int, status: str | None, since: datetime | None, until: datetime | None,
                 expiring_before: datetime | None = None) -> Select[Any]:
    """The console's parcel list: by status, deposited in [since, until); `expiring_before` keeps the waiting
    parcels that expire before it."""
    stmt = select(P).where(P.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(P.status == status)
    if expiring_before is not None:
        stmt = stmt.where(P.status == "live", P.expires_at < expiring_before)
    if since is not None:
        stmt = stmt.where(P.deposited_at >= since)
    if until is not None:
        stmt = stmt.where(P.deposited_at < until)
    return stmt
