"""Coupons (优惠券): templates, the coupons members hold, and geo check-in spots (社区探秘)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class CouponTemplate(Tenanted, Base):
    """What a coupon gives and to whom. `claimed` counts every coupon handed out (claim, issue, event,
    geo); the conditional `claimed < total` update is what keeps a coupon from being over-claimed."""

    __tablename__ = "coupon_templates"
    __table_args__ = (
        CheckConstraint("claimed >= 0 AND claimed <= total", name="claimed_within_total"),
        CheckConstraint("total > 0 AND per_member_limit > 0", name="limits_positive"),
        CheckConstraint("(kind = 'fixed' AND discount_fen > 0) OR "
                        "(kind = 'percent' AND percent_off BETWEEN 1 AND 99)", name="benefit"),
        CheckConstraint("min_spend_fen >= 0", name="min_spend_not_negative"),
        CheckConstraint("valid_to IS NOT NULL OR valid_days IS NOT NULL", name="validity"),
        Index("ix_coupon_templates_tenant_active", "tenant_id", "active"),
    )

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))  # fixed | percent
    discount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    percent_off: Mapped[int | None] = mapped_column()
    max_discount_fen: Mapped[int | None] = mapped_column(BigInteger)
    min_spend_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    category_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None = every category
    product_ids: Mapped[list[int] | None] = mapped_column(JSON)
    new_member_only: Mapped[bool] = mapped_column(Boolean, default=False)
    tier_only: Mapped[list[str] | None] = mapped_column(JSON)
    total: Mapped[int] = mapped_column()
    claimed: Mapped[int] = mapped_column(default=0)
    per_member_limit: Mapped[int] = mapped_column(default=1)
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime())
    valid_days: Mapped[int | None] = mapped_column()  # relative validity: N days after claim
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class MemberCoupon(Tenanted, Base):
    """One coupon a member holds. claim_no is 1..per_member_limit: two racing claims by one member
    compute the same number and collide on the unique constraint."""

    __tablename__ = "member_coupons"
    __table_args__ = (
        UniqueConstraint("template_id", "member_id", "claim_no"),
        UniqueConstraint("tenant_id", "issue_key"),
        CheckConstraint("claim_no >= 1", name="claim_no_positive"),
        CheckConstraint("status IN ('available', 'used', 'expired')", name="status"),
        CheckConstraint("source IN ('claim', 'issue', 'event', 'geo')", name="source"),
        CheckConstraint("(status = 'used') = (order_id IS NOT NULL)", name="used_has_order"),
        Index("ix_member_coupons_tenant_member_status", "tenant_id", "member_id", "status"),
        Index("ix_member_coupons_tenant_order", "tenant_id", "order_id"),
        Index("ix_member_coupons_expiry", "status", "valid_to"),
    )

    template_id: Mapped[int] = mapped_column(IdType, ForeignKey("coupon_templates.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    claim_no: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(10), default="available")
    source: Mapped[str] = mapped_column(String(10))
    issue_key: Mapped[str | None] = mapped_column(String(120))  # idempotency of issue_to (events, geo)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime())
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime] = created_at_column()
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_id: Mapped[int | None] = mapped_column(IdType)
    discount_fen: Mapped[int | None] = mapped_column(BigInteger)  # what it took off the order it was used on


class GeoSpot(Tenanted, Base):
    """A partner merchant or pickup point; checking in within radius_m unlocks its coupon once."""

    __tablename__ = "geo_spots"
    __table_args__ = (
        CheckConstraint("kind IN ('partner', 'pickup_point')", name="kind"),
        CheckConstraint("radius_m > 0", name="radius_positive"),
        Index("ix_geo_spots_tenant_active", "tenant_id", "active"),
    )

    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    radius_m: Mapped[int] = mapped_column(default=3000)
    coupon_template_id: Mapped[int] = mapped_column(IdType, ForeignKey("coupon_templates.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()


class GeoCheckin(Tenanted, Base):
    __tablename__ = "geo_checkins"
    __table_args__ = (UniqueConstraint("spot_id", "member_id"),
                      Index("ix_geo_checkins_tenant_member", "tenant_id", "member_id"))

    spot_id: Mapped[int] = mapped_column(IdType, ForeignKey("geo_spots.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    member_coupon_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("member_coupons.id"))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    distance_m: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()
