from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, case, func, insert, select, update
from sqlalchemy.orm import Session

from linli.lifecycle.stages import Thresholds, stage_expr
from linli.models import LifecycleSettings, MemberActivity, MemberStageHistory


def settings(s: Session, tenant_id: int) -> LifecycleSettings | None:
    return s.scalar(select(LifecycleSettings).where(LifecycleSettings.tenant_id == tenant_id))


def activity(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> MemberActivity | None:
    stmt = select(MemberActivity).where(MemberActivity.tenant_id == tenant_id, MemberActivity.member_id == member_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def history(s: Session, tenant_id: int, member_id: int) -> Sequence[MemberStageHistory]:
    return s.scalars(select(MemberStageHistory).where(MemberStageHistory.tenant_id == tenant_id,
                                                      MemberStageHistory.member_id == member_id)
                     .order_by(MemberStageHistory.at, MemberStageHistory.id)).all()


def tenants_with_members(s: Session) -> list[int]:
    return list(s.scalars(select(MemberActivity.tenant_id).distinct().order_by(MemberActivity.tenant_id)))


def changing(s: Session, tenant_id: int, t: Thresholds, at: datetime, after_id: int,
             limit: int) -> Sequence[MemberActivity]:
    """The next batch of members whose stored stage differs from the rule at `at`, locked in id order
    (a run overlapping this one waits, then finds them already moved)."""
    return s.scalars(select(MemberActivity).where(
        MemberActivity.tenant_id == tenant_id, MemberActivity.id > after_id,
        MemberActivity.stage != stage_expr(t, at))
        .order_by(MemberActivity.id).limit(limit).with_for_update()).all()


def history_until(s: Session, tenant_id: int, end: datetime) -> list[tuple[int, str, datetime]]:
    """(member id, stage entered, when) of every change before `end`, oldest first."""
    rows = s.execute(select(MemberStageHistory.member_id, MemberStageHistory.to_stage, MemberStageHistory.at)
                     .where(MemberStageHistory.tenant_id == tenant_id, MemberStageHistory.at < end)
                     .order_by(MemberStageHistory.at, MemberStageHistory.id))
    return [(m, st, at) for m, st, at in rows]


def set_order_facts(s: Session, tenant_id: int, facts: dict[int, tuple[datetime, int]]) -> None:
    """Bulk: last order time and paid-order count per member (executemany, one statement)."""
    if not facts:
        return
    table = MemberActivity.metadata.tables[MemberActivity.__tablename__]
    at = bindparam("order_at", type_=MemberActivity.last_order_at.type)
    stmt = (update(table).where(table.c.tenant_id == tenant_id, table.c.member_id == bindparam("mid"))
            .values(last_order_at=at, paid_orders=bindparam("n"),
                    last_active_at=case((table.c.last_active_at < at, at), else_=table.c.last_active_at)))
    s.connection().execute(stmt, [{"mid": m, "order_at": a, "n": n} for m, (a, n) in facts.items()])


def member_ids_with_activity(s: Session, tenant_id: int) -> set[int]:
    return set(s.scalars(select(MemberActivity.member_id).where(MemberActivity.tenant_id == tenant_id)))


def add_new_members(s: Session, tenant_id: int, joined: Sequence[tuple[int, datetime]]) -> None:
    """Bulk: activity rows at stage `new` as of joining, with their first history row (executemany)."""
    if not joined:
        return
    conn = s.connection()
    conn.execute(insert(MemberActivity), [
        {"tenant_id": tenant_id, "member_id": m, "joined_at": at, "last_active_at": at, "paid_orders": 0,
         "stage": "new", "stage_since": at} for m, at in joined])
    conn.execute(insert(MemberStageHistory), [
        {"tenant_id": tenant_id, "member_id": m, "from_stage": None, "to_stage": "new", "at": at, "reason": "joined"}
        for m, at in joined])


def activities(s: Session, tenant_id: int, member_ids: Sequence[int]) -> list[MemberActivity]:
    return list(s.scalars(select(MemberActivity).where(MemberActivity.tenant_id == tenant_id,
                                                       MemberActivity.member_id.in_(list(member_ids)))))


def last_active_between(s: Session, tenant_id: int, lo: datetime, hi: datetime, after_id: int,
                        limit: int) -> list[tuple[int, datetime]]:
    """(member id, last active) of members last active in (lo, hi], by member id (journeys' idle trigger)."""
    rows = s.execute(select(MemberActivity.member_id, MemberActivity.last_active_at).where(
        MemberActivity.tenant_id == tenant_id, MemberActivity.last_active_at > lo,
        MemberActivity.last_active_at <= hi, MemberActivity.member_id > after_id)
        .order_by(MemberActivity.member_id).limit(limit))
    return [(m, at) for m, at in rows]


def entered_stage(s: Session, tenant_id: int, stage: str, start: datetime, end: datetime) -> int:
    return int(s.scalar(select(func.count(MemberStageHistory.member_id.distinct()))
                        .where(MemberStageHistory.tenant_id == tenant_id, MemberStageHistory.to_stage == stage,
                               MemberStageHistory.at >= start, MemberStageHistory.at < end)) or 0)
