from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.models import Checkin, GuardianAward, GuardianProgram, GuardianRun


def checkin_on(s: Session, tenant_id: int, member_id: int, day: date) -> Checkin | None:
    return s.scalar(select(Checkin).where(Checkin.tenant_id == tenant_id, Checkin.member_id == member_id,
                                          Checkin.day == day))


def checkins_between(s: Session, tenant_id: int, member_id: int, first: date, last: date) -> Sequence[Checkin]:
    return s.scalars(select(Checkin).where(Checkin.tenant_id == tenant_id, Checkin.member_id == member_id,
                                           Checkin.day >= first, Checkin.day <= last)
                     .order_by(Checkin.day)).all()


def program(s: Session, tenant_id: int) -> GuardianProgram | None:
    return s.scalar(select(GuardianProgram).where(GuardianProgram.tenant_id == tenant_id))


def run_of(s: Session, tenant_id: int, month: str) -> GuardianRun | None:
    return s.scalar(select(GuardianRun).where(GuardianRun.tenant_id == tenant_id, GuardianRun.month == month))


def awarded_tenants(s: Session, month: str) -> set[int]:
    """Tenants whose awards for `month` are done (the job's cross-tenant scan)."""
    return set(s.scalars(select(GuardianRun.tenant_id).where(GuardianRun.month == month)))


def awards(s: Session, tenant_id: int, month: str, community_id: int) -> Sequence[GuardianAward]:
    return s.scalars(select(GuardianAward).where(
        GuardianAward.tenant_id == tenant_id, GuardianAward.month == month,
        GuardianAward.community_id == community_id).order_by(GuardianAward.rank)).all()


def awards_of_member(tenant_id: int, member_id: int) -> Select[Any]:
    return select(GuardianAward).where(GuardianAward.tenant_id == tenant_id, GuardianAward.member_id == member_id)


def counts_by_member(s: Session, tenant_id: int, first: date, last: date) -> dict[int, int]:
    rows = s.execute(select(Checkin.member_id, func.count()).where(
        Checkin.tenant_id == tenant_id, Checkin.day >= first, Checkin.day <= last).group_by(Checkin.member_id))
    return {m: int(n) for m, n in rows}
