from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from linli.core.db import table
from linli.models import GrowthEntry, MemberPrivilege, MemberTier, MemberTierHistory, TierProgram, TierRun

_programs, _accounts = table(TierProgram), table(MemberTier)


def _of_program(column: Any) -> Any:
    return select(column).where(_programs.c.tenant_id == bindparam("tenant")).scalar_subquery()


def _of_account(column: Any) -> Any:
    return select(column).where(_accounts.c.tenant_id == bindparam("tenant"),
                                _accounts.c.member_id == bindparam("member")).scalar_subquery()


# built once: it runs on every order placed
_STANDING = select(_of_program(_programs.c.ladder), _of_program(_programs.c.black_card),
                   _of_account(_accounts.c.tier), _of_account(_accounts.c.black_card))


def standing(s: Session, tenant_id: int, member_id: int) -> tuple[Any, Any, str | None, bool | None]:
    """(ladder, black_card benefits) of the tenant's program, None when it has none, and (tier, black_card)
    of the member's account, None without one: one round trip."""
    ladder, black, tier, holder = s.execute(_STANDING, {"tenant": tenant_id, "member": member_id}).one()
    return ladder, black, tier, holder


def program(s: Session, tenant_id: int) -> TierProgram | None:
    return s.scalar(select(TierProgram).where(TierProgram.tenant_id == tenant_id))


def account(s: Session, tenant_id: int, member_id: int, lock: bool = False) -> MemberTier | None:
    stmt = select(MemberTier).where(MemberTier.tenant_id == tenant_id, MemberTier.member_id == member_id)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def accounts(s: Session, tenant_id: int, lock: bool = False) -> Sequence[MemberTier]:
    stmt = select(MemberTier).where(MemberTier.tenant_id == tenant_id).order_by(MemberTier.id)
    return s.scalars(stmt.with_for_update() if lock else stmt).all()


def has_entry(s: Session, tenant_id: int, ref: str) -> bool:
    return s.scalar(select(GrowthEntry.id).where(GrowthEntry.tenant_id == tenant_id, GrowthEntry.ref == ref)) \
        is not None


def order_growth(s: Session, tenant_id: int, member_id: int, order_id: int) -> int:
    """Growth an order still contributes: what its payment earned less what its refunds took back."""
    return int(s.scalar(select(func.coalesce(func.sum(GrowthEntry.delta), 0)).where(
        GrowthEntry.tenant_id == tenant_id, GrowthEntry.member_id == member_id,
        GrowthEntry.order_id == order_id)) or 0)


def growth_since(s: Session, tenant_id: int, start: datetime) -> dict[int, int]:
    """member id -> growth earned from `start` on (orders, refunds, actions; not review adjustments)."""
    rows = s.execute(select(GrowthEntry.member_id, func.sum(GrowthEntry.delta)).where(
        GrowthEntry.tenant_id == tenant_id, GrowthEntry.at >= start, GrowthEntry.kind != "yearly_review")
        .group_by(GrowthEntry.member_id))
    return {m: int(v or 0) for m, v in rows}


def history(s: Session, tenant_id: int, member_id: int) -> Sequence[MemberTierHistory]:
    return s.scalars(select(MemberTierHistory).where(MemberTierHistory.tenant_id == tenant_id,
                                                     MemberTierHistory.member_id == member_id)
                     .order_by(MemberTierHistory.at, MemberTierHistory.id)).all()


def black_holders(s: Session, tenant_id: int) -> set[int]:
    return set(s.scalars(select(MemberTier.member_id).where(MemberTier.tenant_id == tenant_id,
                                                            MemberTier.black_card.is_(True))))


def earned_tiers(s: Session, tenant_id: int, member_ids: Collection[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids = sorted(member_ids)
    for i in range(0, len(ids), 1000):
        rows = s.execute(select(MemberTier.member_id, MemberTier.tier).where(
            MemberTier.tenant_id == tenant_id, MemberTier.member_id.in_(ids[i:i + 1000])))
        out.update({m: tier for m, tier in rows})
    return out


def set_black_card(s: Session, tenant_id: int, member_ids: Collection[int], holds: bool, month: str | None) -> None:
    ids = sorted(member_ids)
    for i in range(0, len(ids), 1000):
        s.execute(update(MemberTier).where(MemberTier.tenant_id == tenant_id,
                                           MemberTier.member_id.in_(ids[i:i + 1000]))
                  .values(black_card=holds, black_card_month=month))


def run(s: Session, tenant_id: int, kind: str, period: str, lock: bool = False) -> TierRun | None:
    stmt = select(TierRun).where(TierRun.tenant_id == tenant_id, TierRun.kind == kind, TierRun.period == period)
    return s.scalar(stmt.with_for_update() if lock else stmt)


def privileges(s: Session, tenant_id: int, member_id: int) -> list[str]:
    return list(s.scalars(select(MemberPrivilege.code).where(
        MemberPrivilege.tenant_id == tenant_id, MemberPrivilege.member_id == member_id).order_by(MemberPrivilege.id)))
