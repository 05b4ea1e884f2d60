"""The only place that reads and writes the pickup network's tables; every query tenant-scoped (the due-closure
scan of the job reads across tenants, by design)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.db import table
from linli.models import AssignmentMove, AssignmentRun, PickupClosure, PickupHours, PickupPointState, PickupSettings

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _insert_ignore(s: Session, model: Any, keys: list[str], **values: Any) -> None:
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    s.execute(dialect_insert(table(model)).values(**values).on_conflict_do_nothing(index_elements=keys))


# --- settings (also the tenant's assignment lock) -----------------------------------------------

def settings(s: Session, tenant_id: int, lock: bool = False) -> PickupSettings:
    """The tenant's settings, created with the defaults on first use (safe under a race); lock=True holds the
    row until the transaction ends, which serialises the tenant's assignment runs."""
    stmt = select(PickupSettings).where(PickupSettings.tenant_id == tenant_id)
    found = s.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        _insert_ignore(s, PickupSettings, ["tenant_id"], tenant_id=tenant_id, max_distance_m=1500,
                       preference_penalty_m=300, updated_at=clock.now())
        found = s.scalar(stmt.with_for_update() if lock else stmt)
    assert found is not None
    return found


# --- point states -------------------------------------------------------------------------------

def states(s: Session, tenant_id: int) -> dict[int, PickupPointState]:
    rows = s.scalars(select(PickupPointState).where(PickupPointState.tenant_id == tenant_id))
    return {r.pickup_point_id: r for r in rows}


def state_of(s: Session, tenant_id: int, point_id: int) -> PickupPointState | None:
    """The point's state row, if it has one (none: open, no capacity of its own)."""
    return s.scalar(select(PickupPointState).where(PickupPointState.tenant_id == tenant_id,
                                                   PickupPointState.pickup_point_id == point_id))


def state(s: Session, tenant_id: int, point_id: int, lock: bool = False) -> PickupPointState:
    """The point's state row, made (open) on first use; lock=True holds it (status changes queue here)."""
    stmt = select(PickupPointState).where(PickupPointState.tenant_id == tenant_id,
                                          PickupPointState.pickup_point_id == point_id)
    found = s.scalar(stmt.with_for_update() if lock else stmt)
    if found is None:
        _insert_ignore(s, PickupPointState, ["tenant_id", "pickup_point_id"], tenant_id=tenant_id,
                       pickup_point_id=point_id, status="open", reason="", daily_capacity=None,
                       changed_at=clock.now())
        found = s.scalar(stmt.with_for_update() if lock else stmt)
    assert found is not None
    return found


# --- hours --------------------------------------------------------------------------------------

def hours(s: Session, tenant_id: int, point_ids: Sequence[int] | None = None) -> list[PickupHours]:
    stmt = select(PickupHours).where(PickupHours.tenant_id == tenant_id)
    if point_ids is not None:
        stmt = stmt.where(PickupHours.pickup_point_id.in_(list(point_ids)))
    return list(s.scalars(stmt.order_by(PickupHours.pickup_point_id, PickupHours.weekday)))


def replace_hours(s: Session, tenant_id: int, point_id: int, week: dict[int, tuple[int, int]]) -> None:
    for row in hours(s, tenant_id, [point_id]):
        s.delete(row)
    s.flush()
    s.add_all(PickupHours(tenant_id=tenant_id, pickup_point_id=point_id, weekday=d, opens_minute=o,
                          closes_minute=c) for d, (o, c) in sorted(week.items()))
    s.flush()


# --- closures -----------------------------------------------------------------------------------

def _covering(at: datetime) -> Any:
    return and_(PickupClosure.starts_at <= at, or_(PickupClosure.ends_at.is_(None), PickupClosure.ends_at > at))


def add_closure(s: Session, row: PickupClosure) -> PickupClosure:
    s.add(row)
    s.flush()
    return row


def closure(s: Session, tenant_id: int, closure_id: int, lock: bool = False) -> PickupClosure | None:
    stmt = select(PickupClosure).where(PickupClosure.tenant_id == tenant_id, PickupClosure.id == closure_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def closures_now(s: Session, tenant_id: int, at: datetime) -> dict[int, PickupClosure]:
    """point id -> a closure covering `at` (the earliest started)."""
    rows = s.scalars(select(PickupClosure).where(PickupClosure.tenant_id == tenant_id, _covering(at))
                     .order_by(PickupClosure.starts_at.desc(), PickupClosure.id.desc()))
    return {r.pickup_point_id: r for r in rows}


def closure_now(s: Session, tenant_id: int, point_id: int, at: datetime) -> PickupClosure | None:
    """A closure of the point covering `at`, if any."""
    return s.scalar(select(PickupClosure).where(PickupClosure.tenant_id == tenant_id,
                                                PickupClosure.pickup_point_id == point_id, _covering(at)).limit(1))


def closures_of(s: Session, tenant_id: int, point_ids: Sequence[int], since: datetime) -> list[PickupClosure]:
    """Closures of these points still running or to come at `since`, by start."""
    stmt = (select(PickupClosure)
            .where(PickupClosure.tenant_id == tenant_id, PickupClosure.pickup_point_id.in_(list(point_ids)),
                   or_(PickupClosure.ends_at.is_(None), PickupClosure.ends_at > since))
            .order_by(PickupClosure.starts_at, PickupClosure.id))
    return list(s.scalars(stmt))


def end_closures(s: Session, tenant_id: int, point_id: int, at: datetime) -> int:
    rows = list(s.scalars(select(PickupClosure).where(PickupClosure.tenant_id == tenant_id,
                                                      PickupClosure.pickup_point_id == point_id, _covering(at))))
    for r in rows:
        if r.starts_at >= at:  # began this very instant: nothing is left of it
            s.delete(r)
        else:
            r.ends_at = at
    s.flush()
    return len(rows)


def due_closures(s: Session, at: datetime, limit: int = 200) -> list[tuple[int, int]]:
    """(tenant id, closure id) of closures running at `at` whose orders were not reassigned yet, any tenant."""
    rows = s.execute(select(PickupClosure.tenant_id, PickupClosure.id)
                     .where(PickupClosure.reassigned_at.is_(None), _covering(at))
                     .order_by(PickupClosure.starts_at, PickupClosure.id).limit(limit))
    return [(t, c) for t, c in rows]


# --- runs ---------------------------------------------------------------------------------------

def run_by_key(s: Session, tenant_id: int, key: str) -> AssignmentRun | None:
    return s.scalar(select(AssignmentRun).where(AssignmentRun.tenant_id == tenant_id, AssignmentRun.key == key))


def run(s: Session, tenant_id: int, run_id: int) -> AssignmentRun | None:
    return s.scalar(select(AssignmentRun).where(AssignmentRun.tenant_id == tenant_id, AssignmentRun.id == run_id))


def add_run(s: Session, row: AssignmentRun) -> AssignmentRun:
    s.add(row)
    s.flush()
    return row


def add_moves(s: Session, rows: list[AssignmentMove]) -> None:
    s.add_all(rows)
    s.flush()


def moves(s: Session, tenant_id: int, run_id: int) -> list[AssignmentMove]:
    return list(s.scalars(select(AssignmentMove).where(AssignmentMove.tenant_id == tenant_id,
                                                       AssignmentMove.run_id == run_id)
                          .order_by(AssignmentMove.outcome, AssignmentMove.order_id)))


def runs(tenant_id: int) -> Select[Any]:
    return select(AssignmentRun).where(AssignmentRun.tenant_id == tenant_id)


def recent_runs(s: Session, tenant_id: int, limit: int) -> list[AssignmentRun]:
    return list(s.scalars(runs(tenant_id).order_by(AssignmentRun.created_at.desc(), AssignmentRun.id.desc())
                          .limit(limit)))
