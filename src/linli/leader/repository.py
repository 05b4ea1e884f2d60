from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from linli.models import Leader, LeaderApplication, LeaderTierHistory, LeaderTierSetting


def get(s: Session, tenant_id: int, leader_id: int, lock: bool = False) -> Leader | None:
    stmt = select(Leader).where(Leader.tenant_id == tenant_id, Leader.id == leader_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def by_user(s: Session, tenant_id: int, user_id: int) -> Leader | None:
    return s.scalar(select(Leader).where(Leader.tenant_id == tenant_id, Leader.user_id == user_id))


def by_member(s: Session, tenant_id: int, member_id: int) -> Leader | None:
    return s.scalar(select(Leader).where(Leader.tenant_id == tenant_id, Leader.member_id == member_id))


def ids(s: Session, tenant_id: int) -> list[int]:
    return list(s.scalars(select(Leader.id).where(Leader.tenant_id == tenant_id).order_by(Leader.id)))


def search(tenant_id: int, tier: str | None, leader_type: str | None) -> Select[Any]:
    stmt = select(Leader).where(Leader.tenant_id == tenant_id)
    if tier is not None:
        stmt = stmt.where(Leader.tier == tier)
    if leader_type is not None:
        stmt = stmt.where(Leader.leader_type == leader_type)
    return stmt


def change_tier(s: Session, tenant_id: int, leader_id: int, from_tier: str, to_tier: str) -> bool:
    """Conditional: only if the tier is still `from_tier` (a concurrent change wins, this one is a no-op)."""
    res = s.execute(update(Leader).where(Leader.tenant_id == tenant_id, Leader.id == leader_id,
                                         Leader.tier == from_tier).values(tier=to_tier)
                    .execution_options(synchronize_session=False))
    return bool(res.rowcount)  # type: ignore[attr-defined]


def history(s: Session, tenant_id: int, leader_id: int) -> Sequence[LeaderTierHistory]:
    return s.scalars(select(LeaderTierHistory).where(LeaderTierHistory.tenant_id == tenant_id,
                                                     LeaderTierHistory.leader_id == leader_id)
                     .order_by(LeaderTierHistory.at, LeaderTierHistory.id)).all()


def tier_settings(s: Session, tenant_id: int) -> dict[str, LeaderTierSetting]:
    rows = s.scalars(select(LeaderTierSetting).where(LeaderTierSetting.tenant_id == tenant_id))
    return {r.tier: r for r in rows}


def application(s: Session, tenant_id: int, app_id: int, lock: bool = False) -> LeaderApplication | None:
    stmt = select(LeaderApplication).where(LeaderApplication.tenant_id == tenant_id, LeaderApplication.id == app_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def latest_application(s: Session, tenant_id: int, member_id: int) -> LeaderApplication | None:
    return s.scalar(select(LeaderApplication).where(LeaderApplication.tenant_id == tenant_id,
                                                    LeaderApplication.member_id == member_id)
                    .order_by(LeaderApplication.id.desc()).limit(1))


def applications(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(LeaderApplication).where(LeaderApplication.tenant_id == tenant_id)
    return stmt if status is None else stmt.where(LeaderApplication.status == status)


def decide(s: Session, tenant_id: int, app_id: int, values: dict[str, Any]) -> bool:
    """pending → approved|rejected, once: the conditional UPDATE makes a second decision a no-op."""
    res = s.execute(update(LeaderApplication)
                    .where(LeaderApplication.tenant_id == tenant_id, LeaderApplication.id == app_id,
                           LeaderApplication.status == "pending")
                    .values(open_member_id=None, **values).execution_options(synchronize_session=False))
    return bool(res.rowcount)  # type: ignore[attr-defined]
