from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linli.models import CrisisCase, CrisisCompensation, CrisisRecipient, CrisisStep


def get(s: Session, tenant_id: int, case_id: int, lock: bool = False) -> CrisisCase | None:
    stmt = select(CrisisCase).where(CrisisCase.tenant_id == tenant_id, CrisisCase.id == case_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def search(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(CrisisCase).where(CrisisCase.tenant_id == tenant_id)
    return stmt.where(CrisisCase.status == status) if status else stmt


def steps(s: Session, tenant_id: int, case_id: int) -> list[CrisisStep]:
    return list(s.scalars(select(CrisisStep).where(CrisisStep.tenant_id == tenant_id, CrisisStep.case_id == case_id)
                          .order_by(CrisisStep.position)))


def step(s: Session, tenant_id: int, step_id: int) -> CrisisStep | None:
    return s.scalar(select(CrisisStep).where(CrisisStep.tenant_id == tenant_id, CrisisStep.id == step_id)
                    .with_for_update())


def overdue_counts(s: Session, tenant_id: int, case_ids: list[int], now: datetime) -> dict[int, int]:
    rows = s.execute(select(CrisisStep.case_id, func.count(CrisisStep.id))
                     .where(CrisisStep.tenant_id == tenant_id, CrisisStep.case_id.in_(case_ids),
                            CrisisStep.done_at.is_(None), CrisisStep.due_at < now)
                     .group_by(CrisisStep.case_id))
    return {c: int(n) for c, n in rows}


def compensations(s: Session, tenant_id: int, case_id: int) -> list[CrisisCompensation]:
    return list(s.scalars(select(CrisisCompensation).where(CrisisCompensation.tenant_id == tenant_id,
                                                           CrisisCompensation.case_id == case_id)
                          .order_by(CrisisCompensation.id)))


def recipients(s: Session, tenant_id: int, case_id: int, limit: int) -> list[CrisisRecipient]:
    return list(s.scalars(select(CrisisRecipient).where(CrisisRecipient.tenant_id == tenant_id,
                                                        CrisisRecipient.case_id == case_id)
                          .order_by(CrisisRecipient.id).limit(limit)))


def recipient_count(s: Session, tenant_id: int, case_id: int) -> tuple[int, int, int]:
    n, f3, f7 = s.execute(select(func.count(CrisisRecipient.id), func.count(CrisisRecipient.followup_3d_at),
                                 func.count(CrisisRecipient.followup_7d_at))
                          .where(CrisisRecipient.tenant_id == tenant_id, CrisisRecipient.case_id == case_id)).one()
    return int(n), int(f3), int(f7)


def compensated_members(s: Session, tenant_id: int, case_id: int, member_ids: list[int]) -> set[int]:
    if not member_ids:
        return set()
    return set(s.scalars(select(CrisisRecipient.member_id).where(
        CrisisRecipient.tenant_id == tenant_id, CrisisRecipient.case_id == case_id,
        CrisisRecipient.member_id.in_(member_ids))))


def add_recipient(s: Session, r: CrisisRecipient) -> bool:
    """False when the member is already compensated in the case — by an earlier run or a concurrent one
    (the unique key decides; on PostgreSQL the second insert waits for the first to commit)."""
    try:
        with s.begin_nested():
            s.add(r)
    except IntegrityError:
        return False
    return True


def followups_due(s: Session, tenant_id: int, day: int, issued_before: datetime,
                  limit: int) -> list[CrisisRecipient]:
    col = CrisisRecipient.followup_3d_at if day == 3 else CrisisRecipient.followup_7d_at
    return list(s.scalars(select(CrisisRecipient).where(
        CrisisRecipient.tenant_id == tenant_id, col.is_(None), CrisisRecipient.issued_at <= issued_before)
        .order_by(CrisisRecipient.id).limit(limit)))


def mark_followup(s: Session, tenant_id: int, recipient_id: int, day: int, at: datetime) -> bool:
    """Once: only the run that flips NULL to a time sends the message."""
    col = "followup_3d_at" if day == 3 else "followup_7d_at"
    attr = getattr(CrisisRecipient, col)
    done = s.execute(update(CrisisRecipient).where(CrisisRecipient.tenant_id == tenant_id,
                                                   CrisisRecipient.id == recipient_id, attr.is_(None))
                     .values({col: at}).execution_options(synchronize_session=False))
    return bool(done.rowcount)  # type: ignore[attr-defined]


def tenants_with_pending_followups(s: Session, issued_before: datetime) -> list[int]:
    return list(s.scalars(select(CrisisRecipient.tenant_id).where(
        CrisisRecipient.issued_at <= issued_before,
        CrisisRecipient.followup_3d_at.is_(None) | CrisisRecipient.followup_7d_at.is_(None)).distinct()))
