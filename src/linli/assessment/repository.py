from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.models import (
    AssessmentRun,
    AssessmentSettings,
    HelpTask,
    LeaderAssessment,
    LeaderCase,
    LeaderCaseEvent,
    OrderRating,
)


def rating_of_order(s: Session, tenant_id: int, order_id: int) -> OrderRating | None:
    return s.scalar(select(OrderRating).where(OrderRating.tenant_id == tenant_id, OrderRating.order_id == order_id))


def feedback(tenant_id: int, leader_id: int) -> Select[Any]:
    return select(OrderRating).where(OrderRating.tenant_id == tenant_id, OrderRating.leader_id == leader_id)


def stars_by_leader(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, tuple[float, int]]:
    rows = s.execute(select(OrderRating.leader_id, func.avg(OrderRating.stars), func.count())
                     .where(OrderRating.tenant_id == tenant_id, OrderRating.created_at >= start,
                            OrderRating.created_at < end, OrderRating.leader_id.is_not(None))
                     .group_by(OrderRating.leader_id))
    return {lid: (float(avg), int(n)) for lid, avg, n in rows if lid is not None}


def settings(s: Session, tenant_id: int) -> AssessmentSettings | None:
    return s.scalar(select(AssessmentSettings).where(AssessmentSettings.tenant_id == tenant_id))


def run_of(s: Session, tenant_id: int, month: str, lock: bool = False) -> AssessmentRun | None:
    stmt = select(AssessmentRun).where(AssessmentRun.tenant_id == tenant_id, AssessmentRun.month == month)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def assessed_tenants(s: Session, month: str) -> set[int]:
    return set(s.scalars(select(AssessmentRun.tenant_id).where(AssessmentRun.month == month)))


def assessments_of_month(s: Session, tenant_id: int, month: str) -> dict[int, LeaderAssessment]:
    rows = s.scalars(select(LeaderAssessment).where(LeaderAssessment.tenant_id == tenant_id,
                                                    LeaderAssessment.month == month))
    return {a.leader_id: a for a in rows}


def ranked(s: Session, tenant_id: int, month: str, after_rank: int, limit: int) -> Sequence[LeaderAssessment]:
    return s.scalars(select(LeaderAssessment).where(
        LeaderAssessment.tenant_id == tenant_id, LeaderAssessment.month == month, LeaderAssessment.rank > after_rank)
        .order_by(LeaderAssessment.rank).limit(limit)).all()


def assessments_of_leader(s: Session, tenant_id: int, leader_id: int, limit: int) -> Sequence[LeaderAssessment]:
    return s.scalars(select(LeaderAssessment).where(LeaderAssessment.tenant_id == tenant_id,
                                                    LeaderAssessment.leader_id == leader_id)
                     .order_by(LeaderAssessment.month.desc()).limit(limit)).all()


def cases_of_month(s: Session, tenant_id: int, month: str) -> dict[tuple[int, str], LeaderCase]:
    rows = s.scalars(select(LeaderCase).where(LeaderCase.tenant_id == tenant_id, LeaderCase.month == month))
    return {(c.leader_id, c.kind): c for c in rows}


def cases_of_leader(s: Session, tenant_id: int, leader_id: int, limit: int) -> Sequence[LeaderCase]:
    return s.scalars(select(LeaderCase).where(LeaderCase.tenant_id == tenant_id, LeaderCase.leader_id == leader_id)
                     .order_by(LeaderCase.id.desc()).limit(limit)).all()


def case(s: Session, tenant_id: int, case_id: int, lock: bool = False) -> LeaderCase | None:
    stmt = select(LeaderCase).where(LeaderCase.tenant_id == tenant_id, LeaderCase.id == case_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def events_of(s: Session, tenant_id: int, case_ids: Sequence[int]) -> Sequence[LeaderCaseEvent]:
    return s.scalars(select(LeaderCaseEvent).where(LeaderCaseEvent.tenant_id == tenant_id,
                                                   LeaderCaseEvent.case_id.in_(case_ids))
                     .order_by(LeaderCaseEvent.id)).all()


def tasks_of(s: Session, tenant_id: int, case_ids: Sequence[int]) -> Sequence[HelpTask]:
    return s.scalars(select(HelpTask).where(HelpTask.tenant_id == tenant_id, HelpTask.case_id.in_(case_ids))
                     .order_by(HelpTask.id)).all()


def task(s: Session, tenant_id: int, task_id: int, lock: bool = False) -> HelpTask | None:
    stmt = select(HelpTask).where(HelpTask.tenant_id == tenant_id, HelpTask.id == task_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def latest_assessments(s: Session, tenant_id: int, leader_ids: Sequence[int]) -> Sequence[LeaderAssessment]:
    """Each of these leaders' newest assessment (one query for a page of leaders); unassessed leaders are absent."""
    if not leader_ids:
        return []
    newest = (select(LeaderAssessment.leader_id, func.max(LeaderAssessment.month).label("month"))
              .where(LeaderAssessment.tenant_id == tenant_id, LeaderAssessment.leader_id.in_(leader_ids))
              .group_by(LeaderAssessment.leader_id).subquery())
    return s.scalars(select(LeaderAssessment)
                     .join(newest, (LeaderAssessment.leader_id == newest.c.leader_id)
                           & (LeaderAssessment.month == newest.c.month))
                     .where(LeaderAssessment.tenant_id == tenant_id)).all()


def open_case_counts(s: Session, tenant_id: int, leader_ids: Sequence[int], kind: str) -> dict[int, int]:
    """leader id -> how many of their cases of `kind` are open; leaders with none are absent."""
    if not leader_ids:
        return {}
    rows = s.execute(select(LeaderCase.leader_id, func.count())
                     .where(LeaderCase.tenant_id == tenant_id, LeaderCase.leader_id.in_(leader_ids),
                            LeaderCase.kind == kind, LeaderCase.status == "open")
                     .group_by(LeaderCase.leader_id))
    return {lid: int(n) for lid, n in rows}


def rating_counts(s: Session, tenant_id: int, start: datetime, end: datetime, bad_at_most: int) -> tuple[int, int]:
    n, bad = s.execute(select(func.count(OrderRating.id),
                              func.count(OrderRating.id).filter(OrderRating.stars <= bad_at_most))
                       .where(OrderRating.tenant_id == tenant_id, OrderRating.created_at >= start,
                              OrderRating.created_at < end)).one()
    return int(n), int(bad)
