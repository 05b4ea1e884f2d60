from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import ContactNote, Leader, LeaderApplication, LeaderTierHistory, LeaderTierSetting


def get(s: Session, tenant_id: int, leader_id: int, lock: bool = False) -> Leader | None:
    stmt = select(Leader).where(Leader.tenant_id == tenant_id, Leader.id == leader_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def by_user(s: Session, tenant_id: int, user_id: int) -> Leader | None:
    return s.scalar(select(Leader).where(Leader.tenant_id == tenant_id, Leader.user_id == user_id))


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


def contact_notes(tenant_id: int, leader_id: int, member_id: int) -> Select[Any]:
    return select(ContactNote).where(ContactNote.tenant_id == tenant_id, ContactNote.leader_id == leader_id,
                                     ContactNote.member_id == member_id)


def latest_contact_notes(s: Session, tenant_id: int, leader_id: int,
                         member_ids: Sequence[int]) -> dict[int, ContactNote]:
    """member id -> the leader's newest note on that member, for a page of members (two queries)."""
    if not member_ids:
        return {}
    newest = (select(func.max(ContactNote.id))
              .where(ContactNote.tenant_id == tenant_id, ContactNote.leader_id == leader_id,
                     ContactNote.member_id.in_(member_ids))
              .group_by(ContactNote.member_id))
    return {n.member_id: n for n in s.scalars(select(ContactNote).where(ContactNote.id.in_(newest)))}


def last_change(s: Session, tenant_id: int, leader_id: int) -> LeaderTierHistory | None:
    return s.scalar(select(LeaderTierHistory).where(LeaderTierHistory.tenant_id == tenant_id,
                                                    LeaderTierHistory.leader_id == leader_id)
                    .order_by(LeaderTierHistory.at.desc(), LeaderTierHistory.id.desc()).limit(1))


def many(s: Session, tenant_id: int, leader_ids: Sequence[int]) -> Sequence[Leader]:
    """The tenant's leaders among `leader_ids` (one query for a page of rows); unknown ids are left out."""
    if not leader_ids:
        return []
    return s.scalars(select(Leader).where(Leader.tenant_id == tenant_id, Leader.id.in_(leader_ids))).all()


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's leader list: name / phone, community, leader since between."""
    stmt = search(tenant_id, None, None)
    if f.q:
        stmt = stmt.where(or_(Leader.name.like(f"%{f.q}%"), Leader.phone.like(f"%{f.q}%")))
    if f.community_id is not None:
        stmt = stmt.where(Leader.community_id == f.community_id)
    return within(stmt, Leader.since, f)


def console_applications(tenant_id: int, f: Filters) -> Select[Any]:
    """The applications queue: status, community, applied between."""
    stmt = applications(tenant_id, f.status)
    if f.community_id is not None:
        stmt = stmt.where(LeaderApplication.community_id == f.community_id)
    return within(stmt, LeaderApplication.created_at, f)
