"""Every query of the journey domain; each one tenant-scoped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import Journey, JourneyEnrolment, JourneyStepRun, JourneyVersion, LeaderTask

_INSERT = {"postgresql": pg_insert, "sqlite": sqlite_insert}


def _insert_new(s: Session, model: Any, values: dict[str, Any], keys: list[str]) -> int | None:
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: the new row's id, or None when the unique key
    already exists (a retry, or another worker got there first — it waits on the index, then skips)."""
    t = table(model)
    dialect_insert: Any = _INSERT[s.get_bind().dialect.name]
    stmt = dialect_insert(t).values(**values).on_conflict_do_nothing(
        index_elements=keys).returning(t.c.id)
    return s.execute(stmt).scalar()


# --- journeys and versions --------------------------------------------------------------------

def journey(s: Session, tenant_id: int, journey_id: int, lock: bool = False,
            skip_locked: bool = False) -> Journey | None:
    stmt = select(Journey).where(Journey.tenant_id == tenant_id, Journey.id == journey_id)
    if lock:
        stmt = stmt.with_for_update(skip_locked=skip_locked)
    return s.scalar(stmt)


def search(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(Journey).where(Journey.tenant_id == tenant_id)
    return stmt.where(Journey.status == status) if status else stmt


def version(s: Session, tenant_id: int, journey_id: int, number: int) -> JourneyVersion | None:
    return s.scalar(select(JourneyVersion).where(JourneyVersion.tenant_id == tenant_id,
                                                 JourneyVersion.journey_id == journey_id,
                                                 JourneyVersion.version == number))


def version_by_id(s: Session, tenant_id: int, version_id: int) -> JourneyVersion | None:
    return s.scalar(select(JourneyVersion).where(JourneyVersion.tenant_id == tenant_id,
                                                 JourneyVersion.id == version_id))


def active_for_topic(s: Session, tenant_id: int, topic: str) -> list[tuple[Journey, JourneyVersion]]:
    rows = s.execute(select(Journey, JourneyVersion).join(
        JourneyVersion, (JourneyVersion.journey_id == Journey.id) & (JourneyVersion.version == Journey.version)
        & (JourneyVersion.tenant_id == Journey.tenant_id))
        .where(Journey.tenant_id == tenant_id, Journey.status == "active", Journey.trigger_topic == topic)
        .order_by(Journey.id))
    return [(j, v) for j, v in rows]


def tenants_with_active(s: Session) -> list[int]:
    return list(s.scalars(select(Journey.tenant_id).where(Journey.status == "active").distinct()
                          .order_by(Journey.tenant_id)))


def scanning(s: Session, tenant_id: int) -> list[int]:
    """Active journeys whose trigger is a scan over time (idle, schedule) rather than an event."""
    return list(s.scalars(select(Journey.id).where(Journey.tenant_id == tenant_id, Journey.status == "active",
                                                   Journey.trigger_kind.in_(("idle", "schedule")))
                          .order_by(Journey.id)))


# --- enrolments and step runs -----------------------------------------------------------------

def add_enrolment(s: Session, values: dict[str, Any]) -> int | None:
    return _insert_new(s, JourneyEnrolment, values, ["tenant_id", "version_id", "member_id", "entry_key"])


def enrolment(s: Session, tenant_id: int, enrolment_id: int) -> JourneyEnrolment | None:
    return s.scalar(select(JourneyEnrolment).where(JourneyEnrolment.tenant_id == tenant_id,
                                                   JourneyEnrolment.id == enrolment_id))


def add_run(s: Session, values: dict[str, Any]) -> int | None:
    return _insert_new(s, JourneyStepRun, values, ["tenant_id", "enrolment_id", "step_id"])


def lock_run(s: Session, tenant_id: int, run_id: int, skip_locked: bool) -> JourneyStepRun | None:
    """The run, locked: the one who holds it runs the step; a second runner skips it (or waits, then
    finds it done)."""
    return s.scalar(select(JourneyStepRun).where(JourneyStepRun.tenant_id == tenant_id, JourneyStepRun.id == run_id)
                    .with_for_update(skip_locked=skip_locked))


def due_runs(s: Session, tenant_id: int, at: datetime, after_id: int, limit: int) -> list[int]:
    """Pending runs due by `at` of the tenant's active journeys, in id order (unlocked: each is locked
    and rechecked when it runs)."""
    return list(s.scalars(select(JourneyStepRun.id).join(Journey, Journey.id == JourneyStepRun.journey_id)
                          .where(JourneyStepRun.tenant_id == tenant_id, Journey.tenant_id == tenant_id,
                                 JourneyStepRun.status == "pending",
                                 JourneyStepRun.due_at <= at, JourneyStepRun.id > after_id,
                                 Journey.status == "active")
                          .order_by(JourneyStepRun.id).limit(limit)))


def tenants_with_pending(s: Session) -> list[int]:
    return list(s.scalars(select(JourneyStepRun.tenant_id).where(JourneyStepRun.status == "pending").distinct()
                          .order_by(JourneyStepRun.tenant_id)))


def mark_converted(s: Session, tenant_id: int, member_id: int, paid_at: datetime) -> int:
    """A paid order converts every action the member received within its window (once: converted_at
    is set only while empty, so a redelivered order.paid changes nothing)."""
    result = s.execute(update(JourneyStepRun).where(
        JourneyStepRun.tenant_id == tenant_id, JourneyStepRun.member_id == member_id,
        JourneyStepRun.convert_by >= paid_at, JourneyStepRun.finished_at <= paid_at,
        JourneyStepRun.converted_at.is_(None)).values(converted_at=paid_at))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def funnel_rows(s: Session, tenant_id: int, journey_id: int,
                version_id: int) -> Sequence[tuple[str, str, str | None, int, int]]:
    """(step id, status, outcome, runs, converted) for one version."""
    rows = s.execute(select(JourneyStepRun.step_id, JourneyStepRun.status, JourneyStepRun.outcome,
                            func.count(), func.count(JourneyStepRun.converted_at))
                     .where(JourneyStepRun.tenant_id == tenant_id, JourneyStepRun.journey_id == journey_id,
                            JourneyStepRun.version_id == version_id)
                     .group_by(JourneyStepRun.step_id, JourneyStepRun.status, JourneyStepRun.outcome))
    return [(a, b, c, int(d), int(e)) for a, b, c, d, e in rows]


def enrolment_counts(s: Session, tenant_id: int, journey_id: int, version_id: int) -> tuple[int, int]:
    """(enrolled, finished) for one version."""
    row = s.execute(select(func.count(), func.count(JourneyEnrolment.finished_at))
                    .where(JourneyEnrolment.tenant_id == tenant_id, JourneyEnrolment.journey_id == journey_id,
                           JourneyEnrolment.version_id == version_id)).one()
    return int(row[0]), int(row[1])


# --- leader tasks -----------------------------------------------------------------------------

def add_task(s: Session, values: dict[str, Any]) -> int | None:
    return _insert_new(s, LeaderTask, values, ["tenant_id", "source_key"])


def tasks_of(tenant_id: int, leader_id: int, done: bool | None) -> Select[Any]:
    stmt = select(LeaderTask).where(LeaderTask.tenant_id == tenant_id, LeaderTask.leader_id == leader_id)
    if done is not None:
        stmt = stmt.where(LeaderTask.done_at.is_not(None) if done else LeaderTask.done_at.is_(None))
    return stmt


def task(s: Session, tenant_id: int, task_id: int, lock: bool = False) -> LeaderTask | None:
    stmt = select(LeaderTask).where(LeaderTask.tenant_id == tenant_id, LeaderTask.id == task_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)
