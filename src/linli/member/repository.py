from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import Member, MemberPickupPoint, User


def get(s: Session, tenant_id: int, member_id: int) -> Member | None:
    return s.scalar(select(Member).where(Member.tenant_id == tenant_id, Member.id == member_id))


def by_user(s: Session, tenant_id: int, user_id: int) -> Member | None:
    return s.scalar(select(Member).where(Member.tenant_id == tenant_id, Member.user_id == user_id))


def usernames(s: Session, tenant_id: int, user_ids: list[int]) -> dict[int, str]:
    rows = s.execute(select(User.id, User.username).where(User.tenant_id == tenant_id,
                                                          User.id.in_(user_ids)))
    return {uid: name for uid, name in rows}


def search(tenant_id: int, q: str | None, community_id: int | None) -> Select[Any]:
    stmt = select(Member).where(Member.tenant_id == tenant_id)
    if community_id:
        stmt = stmt.where(Member.community_id == community_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Member.name.like(like), Member.phone.like(like),
                              Member.user_id.in_(select(User.id).where(User.tenant_id == tenant_id,
                                                                       User.username.like(like)))))
    return stmt


def names(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, str]:
    rows = s.execute(select(Member.id, Member.name).where(Member.tenant_id == tenant_id,
                                                          Member.id.in_(set(member_ids))))
    return {k: v for k, v in rows}


def count_joined(s: Session, tenant_id: int, since: datetime, until: datetime) -> int:
    """Members who joined in [since, until)."""
    return int(s.scalar(select(func.count(Member.id)).where(
        Member.tenant_id == tenant_id, Member.joined_at >= since, Member.joined_at < until)) or 0)


def communities_of(s: Session, tenant_id: int, member_ids: Sequence[int]) -> dict[int, int]:
    rows = s.execute(select(Member.id, Member.community_id).where(Member.tenant_id == tenant_id,
                                                                  Member.id.in_(set(member_ids))))
    return {k: v for k, v in rows}


def homes(s: Session, tenant_id: int, member_ids: Sequence[int]) -> list[tuple[int, int, int | None, int | None]]:
    """(member, community, household, chosen pickup point) of each member, in one query."""
    chosen = (MemberPickupPoint.tenant_id == Member.tenant_id) & (MemberPickupPoint.member_id == Member.id)
    rows = s.execute(select(Member.id, Member.community_id, Member.household_id, MemberPickupPoint.pickup_point_id)
                     .outerjoin(MemberPickupPoint, chosen)
                     .where(Member.tenant_id == tenant_id, Member.id.in_(set(member_ids))))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def joined_at_by_member(s: Session, tenant_id: int) -> dict[int, datetime]:
    return {m: at for m, at in s.execute(select(Member.id, Member.joined_at).where(Member.tenant_id == tenant_id))}


def count_in_community(s: Session, tenant_id: int, community_id: int, joined_since: datetime | None,
                       until: datetime) -> int:
    stmt = select(func.count(Member.id)).where(Member.tenant_id == tenant_id, Member.community_id == community_id,
                                               Member.joined_at < until)
    if joined_since is not None:
        stmt = stmt.where(Member.joined_at >= joined_since)
    return int(s.scalar(stmt) or 0)


def joined_by_community(s: Session, tenant_id: int, start: datetime, end: datetime) -> dict[int, int]:
    rows = s.execute(select(Member.community_id, func.count()).where(
        Member.tenant_id == tenant_id, Member.joined_at >= start, Member.joined_at < end)
        .group_by(Member.community_id))
    return {c: int(n) for c, n in rows}


def pickup_choice(s: Session, tenant_id: int, member_id: int) -> MemberPickupPoint | None:
    return s.scalar(select(MemberPickupPoint).where(MemberPickupPoint.tenant_id == tenant_id,
                                                    MemberPickupPoint.member_id == member_id))


def add_pickup_choice(s: Session, choice: MemberPickupPoint) -> None:
    s.add(choice)
    s.flush()


def drop_pickup_choice(s: Session, choice: MemberPickupPoint) -> None:
    s.delete(choice)
    s.flush()


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's member list: name / phone / username, community, joined between."""
    return within(search(tenant_id, f.q, f.community_id), Member.joined_at, f)
