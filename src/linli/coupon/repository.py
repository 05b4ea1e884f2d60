from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from linli.core.listing import Filters, within
from linli.models import CouponTemplate, GeoCheckin, GeoSpot, MemberCoupon


def template(s: Session, tenant_id: int, template_id: int) -> CouponTemplate | None:
    return s.scalar(select(CouponTemplate).where(CouponTemplate.tenant_id == tenant_id,
                                                 CouponTemplate.id == template_id))


def templates(tenant_id: int, active: bool | None = None) -> Select[Any]:
    stmt = select(CouponTemplate).where(CouponTemplate.tenant_id == tenant_id)
    return stmt if active is None else stmt.where(CouponTemplate.active.is_(active))


def claimable_templates(tenant_id: int, now: datetime) -> Select[Any]:
    """What a member may browse: active, open now, not all handed out."""
    return templates(tenant_id, True).where(
        (CouponTemplate.valid_from.is_(None)) | (CouponTemplate.valid_from <= now),
        (CouponTemplate.valid_to.is_(None)) | (CouponTemplate.valid_to > now),
        CouponTemplate.claimed < CouponTemplate.total)


def take_one(s: Session, tenant_id: int, template_id: int) -> bool:
    """The guard against over-claiming: one more coupon only while claimed < total."""
    result = s.execute(update(CouponTemplate)
                       .where(CouponTemplate.tenant_id == tenant_id, CouponTemplate.id == template_id,
                              CouponTemplate.claimed < CouponTemplate.total)
                       .values(claimed=CouponTemplate.claimed + 1))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def held_count(s: Session, tenant_id: int, template_id: int, member_id: int) -> int:
    return s.scalar(select(func.count()).select_from(MemberCoupon).where(
        MemberCoupon.tenant_id == tenant_id, MemberCoupon.template_id == template_id,
        MemberCoupon.member_id == member_id)) or 0


def held_counts(s: Session, tenant_id: int, template_ids: Sequence[int], member_id: int) -> dict[int, int]:
    rows = s.execute(select(MemberCoupon.template_id, func.count()).where(
        MemberCoupon.tenant_id == tenant_id, MemberCoupon.template_id.in_(template_ids),
        MemberCoupon.member_id == member_id).group_by(MemberCoupon.template_id))
    return {t: int(n) for t, n in rows}


def used_counts(s: Session, tenant_id: int, template_ids: Sequence[int]) -> dict[int, int]:
    rows = s.execute(select(MemberCoupon.template_id, func.count()).where(
        MemberCoupon.tenant_id == tenant_id, MemberCoupon.template_id.in_(template_ids),
        MemberCoupon.status == "used").group_by(MemberCoupon.template_id))
    return {t: int(n) for t, n in rows}


def by_issue_key(s: Session, tenant_id: int, key: str) -> MemberCoupon | None:
    return s.scalar(select(MemberCoupon).where(MemberCoupon.tenant_id == tenant_id,
                                               MemberCoupon.issue_key == key))


def coupon(s: Session, tenant_id: int, member_coupon_id: int) -> MemberCoupon | None:
    return s.scalar(select(MemberCoupon).where(MemberCoupon.tenant_id == tenant_id,
                                               MemberCoupon.id == member_coupon_id))


def mark_used(s: Session, tenant_id: int, member_coupon_id: int, order_id: int, discount_fen: int,
              now: datetime) -> bool:
    """available -> used, atomically: of two concurrent uses of one coupon only one changes a row."""
    result = s.execute(update(MemberCoupon)
                       .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.id == member_coupon_id,
                              MemberCoupon.status == "available", MemberCoupon.valid_from <= now,
                              MemberCoupon.valid_to > now)
                       .values(status="used", used_at=now, order_id=order_id, discount_fen=discount_fen))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def used_on(s: Session, tenant_id: int, order_id: int) -> Sequence[MemberCoupon]:
    return s.scalars(select(MemberCoupon).where(MemberCoupon.tenant_id == tenant_id,
                                                MemberCoupon.order_id == order_id,
                                                MemberCoupon.status == "used")).all()


def release(s: Session, tenant_id: int, member_coupon_id: int, order_id: int, status: str) -> bool:
    """used -> available/expired, only if still used on this order (so a repeat changes nothing)."""
    result = s.execute(update(MemberCoupon)
                       .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.id == member_coupon_id,
                              MemberCoupon.status == "used", MemberCoupon.order_id == order_id)
                       .values(status=status, used_at=None, order_id=None, discount_fen=None))
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


def mine(tenant_id: int, member_id: int, status: str | None) -> Select[MemberCoupon, CouponTemplate]:
    stmt = (select(MemberCoupon, CouponTemplate)
            .join(CouponTemplate, CouponTemplate.id == MemberCoupon.template_id)
            .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.member_id == member_id))
    return stmt.where(MemberCoupon.status == status) if status else stmt


def page_of_mine(s: Session, stmt: Select[MemberCoupon, CouponTemplate], limit: int,
                 after: int | None) -> list[Any]:
    if after is not None:
        stmt = stmt.where(MemberCoupon.id < after)
    return list(s.execute(stmt.order_by(MemberCoupon.id.desc()).limit(limit + 1)).all())


def due_to_expire(s: Session, now: datetime, limit: int) -> list[int]:
    return list(s.scalars(select(MemberCoupon.id).where(MemberCoupon.status == "available",
                                                        MemberCoupon.valid_to <= now)
                          .order_by(MemberCoupon.id).limit(limit)))


def expire(s: Session, ids: Sequence[int], now: datetime) -> int:
    result = s.execute(update(MemberCoupon)
                       .where(MemberCoupon.id.in_(ids), MemberCoupon.status == "available",
                              MemberCoupon.valid_to <= now)
                       .values(status="expired"))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def spot(s: Session, tenant_id: int, spot_id: int) -> GeoSpot | None:
    return s.scalar(select(GeoSpot).where(GeoSpot.tenant_id == tenant_id, GeoSpot.id == spot_id))


def spots(tenant_id: int, active_only: bool) -> Select[Any]:
    stmt = select(GeoSpot).where(GeoSpot.tenant_id == tenant_id)
    return stmt.where(GeoSpot.active.is_(True)) if active_only else stmt


def checkin(s: Session, tenant_id: int, spot_id: int, member_id: int) -> GeoCheckin | None:
    return s.scalar(select(GeoCheckin).where(GeoCheckin.tenant_id == tenant_id, GeoCheckin.spot_id == spot_id,
                                             GeoCheckin.member_id == member_id))


def console_list(tenant_id: int, f: Filters) -> Select[Any]:
    """The console's coupon list: name, created between."""
    stmt = templates(tenant_id)
    if f.q:
        stmt = stmt.where(CouponTemplate.name.like(f"%{f.q}%"))
    return within(stmt, CouponTemplate.created_at, f)


def used_between(s: Session, tenant_id: int, start: datetime, end: datetime) -> int:
    return int(s.scalar(select(func.count(MemberCoupon.id))
                        .where(MemberCoupon.tenant_id == tenant_id, MemberCoupon.used_at >= start,
                               MemberCoupon.used_at < end)) or 0)
