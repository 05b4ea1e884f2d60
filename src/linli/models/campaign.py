"""Scenario campaigns (场景活动: 开学季, 中秋, 停水通知 …) aimed by segment, their recipients, A/B tests with
their variants and exposures, and community pilots (试点-复盘-推广)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class ScenarioCampaign(Tenanted, Base):
    """One message to a segment in a window. community_ids limits it to some communities (a pilot; None =
    all); scope_revision counts scope changes (a roll-out) and built_revision is the scope whose recipients
    have been written, so the sender adds the newcomers once and never anyone twice. segment_id names an
    audience segment (another domain's table, checked through its service: no foreign key)."""

    __tablename__ = "scenario_campaigns"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'scheduled', 'running', 'ended', 'cancelled')", name="status"),
        CheckConstraint("ends_at > starts_at", name="window"),
        CheckConstraint("link_kind IN ('none', 'product', 'group_buy', 'flash_sale')", name="link_kind"),
        Index("ix_scenario_campaigns_tenant_status", "tenant_id", "status"),
        Index("ix_scenario_campaigns_tenant_starts", "tenant_id", "starts_at"),
    )

    name: Mapped[str] = mapped_column(String(100))
    scenario: Mapped[str] = mapped_column(String(20))
    segment_id: Mapped[int] = mapped_column(IdType)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(1000))
    link_kind: Mapped[str] = mapped_column(String(12), default="none")
    link_id: Mapped[int | None] = mapped_column(IdType)
    coupon_template_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("coupon_templates.id"))
    community_ids: Mapped[list[int] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    scope_revision: Mapped[int] = mapped_column(default=1)
    built_revision: Mapped[int] = mapped_column(default=0)
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class CampaignRecipient(Tenanted, Base):
    """A member the campaign is sent to: written once (unique per campaign and member), then sent in batches;
    status pending -> sent | skipped (outside the pilot at send time, unsubscribed …)."""

    __tablename__ = "campaign_recipients"
    __table_args__ = (
        UniqueConstraint("tenant_id", "campaign_id", "member_id"),
        Index("ix_campaign_recipients_tenant_campaign_status", "tenant_id", "campaign_id", "status"),
        CheckConstraint("status IN ('pending', 'sent', 'skipped')", name="status"),
    )

    campaign_id: Mapped[int] = mapped_column(IdType, ForeignKey("scenario_campaigns.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    variant_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("experiment_variants.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    outcome: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Experiment(Tenanted, Base):
    """An A/B test: on a campaign (its recipients are split) or standalone (exposures recorded by the caller).
    salt makes assignment a stable hash of (salt, member) that no other experiment shares."""

    __tablename__ = "experiments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'running', 'stopped')", name="status"),
        CheckConstraint("conversion_days BETWEEN 1 AND 90", name="conversion_days"),
        UniqueConstraint("tenant_id", "campaign_id"),
        Index("ix_experiments_tenant_status", "tenant_id", "status"),
    )

    name: Mapped[str] = mapped_column(String(100))
    campaign_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("scenario_campaigns.id"))
    salt: Mapped[str] = mapped_column(String(32))
    conversion_days: Mapped[int] = mapped_column(default=7)
    community_ids: Mapped[list[int] | None] = mapped_column(JSON)  # a pilot's scope for standalone exposures
    status: Mapped[str] = mapped_column(String(10), default="draft")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class ExperimentVariant(Tenanted, Base):
    """One arm. weight is a whole percentage (the arms add up to 100); title/body/coupon replace the
    campaign's for members in this arm when given."""

    __tablename__ = "experiment_variants"
    __table_args__ = (
        UniqueConstraint("tenant_id", "experiment_id", "code"),
        CheckConstraint("weight BETWEEN 1 AND 100", name="weight"),
    )

    experiment_id: Mapped[int] = mapped_column(IdType, ForeignKey("experiments.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[int] = mapped_column()
    position: Mapped[int] = mapped_column()
    is_control: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(String(100))
    body: Mapped[str | None] = mapped_column(String(1000))
    coupon_template_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("coupon_templates.id"))


class ExperimentExposure(Tenanted, Base):
    """A member shown their variant (once per experiment: unique). A paid order in [exposed_at, convert_by]
    converts it once (the conditional UPDATE on converted_at IS NULL)."""

    __tablename__ = "experiment_exposures"
    __table_args__ = (
        UniqueConstraint("tenant_id", "experiment_id", "member_id"),
        Index("ix_experiment_exposures_tenant_member_convert", "tenant_id", "member_id", "convert_by"),
        Index("ix_experiment_exposures_tenant_experiment_variant", "tenant_id", "experiment_id", "variant_id"),
    )

    experiment_id: Mapped[int] = mapped_column(IdType, ForeignKey("experiments.id"))
    variant_id: Mapped[int] = mapped_column(IdType, ForeignKey("experiment_variants.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    exposed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    convert_by: Mapped[datetime] = mapped_column(UTCDateTime())
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    order_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("orders.id"))


class Pilot(Tenanted, Base):
    """A campaign or experiment tried in a few communities first, then reviewed and rolled out (or dropped).
    status pilot -> reviewed -> rolled_out | abandoned; the window is what the review compares."""

    __tablename__ = "pilots"
    __table_args__ = (
        CheckConstraint("status IN ('pilot', 'reviewed', 'rolled_out', 'abandoned')", name="status"),
        CheckConstraint("(campaign_id IS NULL) <> (experiment_id IS NULL)", name="one_subject"),
        CheckConstraint("ends_at > starts_at", name="window"),
        Index("ix_pilots_tenant_status", "tenant_id", "status"),
    )

    name: Mapped[str] = mapped_column(String(100))
    campaign_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("scenario_campaigns.id"))
    experiment_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("experiments.id"))
    community_ids: Mapped[list[int]] = mapped_column(JSON)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(12), default="pilot")
    review_note: Mapped[str | None] = mapped_column(String(500))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rollout_community_ids: Mapped[list[int] | None] = mapped_column(JSON)  # None after a roll-out = all
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
