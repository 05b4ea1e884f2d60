from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from linli.models import InviteCode, MemberDevice, Referral, ReferralProgram, ReferralReward


def program(s: Session, tenant_id: int) -> ReferralProgram | None:
    return s.scalar(select(ReferralProgram).where(ReferralProgram.tenant_id == tenant_id))


def code_of(s: Session, tenant_id: int, member_id: int) -> InviteCode | None:
    return s.scalar(select(InviteCode).where(InviteCode.tenant_id == tenant_id, InviteCode.member_id == member_id))


def by_code(s: Session, tenant_id: int, code: str) -> InviteCode | None:
    return s.scalar(select(InviteCode).where(InviteCode.tenant_id == tenant_id, InviteCode.code == code))


def with_code_in_any_tenant(s: Session, code: str) -> Sequence[InviteCode]:
    """An invite link names no tenant (the visitor has no token): at most two rows, to see it is unique."""
    return s.scalars(select(InviteCode).where(InviteCode.code == code).order_by(InviteCode.id).limit(2)).all()


def referral_of_invitee(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> Referral | None:
    stmt = select(Referral).where(Referral.tenant_id == tenant_id, Referral.invitee_member_id == member_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def referral(s: Session, tenant_id: int, referral_id: int, lock: bool = False) -> Referral | None:
    stmt = select(Referral).where(Referral.tenant_id == tenant_id, Referral.id == referral_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def listing(tenant_id: int, status: str | None) -> Select[Any]:
    stmt = select(Referral).where(Referral.tenant_id == tenant_id)
    return stmt.where(Referral.status == status) if status else stmt


def counts(s: Session, tenant_id: int, inviter_id: int) -> dict[str, int]:
    rows = s.execute(select(Referral.status, func.count()).where(
        Referral.tenant_id == tenant_id, Referral.inviter_member_id == inviter_id).group_by(Referral.status))
    return {st: n for st, n in rows}


def rewards(s: Session, tenant_id: int, inviter_id: int) -> Sequence[ReferralReward]:
    return s.scalars(select(ReferralReward).where(ReferralReward.tenant_id == tenant_id,
                                                  ReferralReward.inviter_member_id == inviter_id)
                     .order_by(ReferralReward.rung)).all()


def devices(s: Session, tenant_id: int, member_id: int) -> set[str]:
    return set(s.scalars(select(MemberDevice.device_id).where(MemberDevice.tenant_id == tenant_id,
                                                              MemberDevice.member_id == member_id)))


def due_to_qualify(s: Session, now: datetime, limit: int) -> list[tuple[int, int]]:
    rows = s.execute(select(Referral.tenant_id, Referral.id).where(
        Referral.status == "qualifying", Referral.qualifies_at <= now).limit(limit))
    return [(t, i) for t, i in rows]
