"""Journeys (自动化SOP): versioned definitions, enrolments of members, one run per step, leader tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class Journey(Tenanted, Base):
    """The operator's SOP. `version` is the current definition; members keep the version they entered with.
    trigger_kind/trigger_topic repeat the current definition's trigger so event handlers find candidates
    with one indexed query; scanned_until is how far the idle/schedule trigger has looked."""

    __tablename__ = "journeys"
    __table_args__ = (
        Index("ix_journeys_tenant_status_topic", "tenant_id", "status", "trigger_topic"),
        CheckConstraint("status IN ('draft', 'active', 'paused')", name="status"),
        CheckConstraint("conversion_days > 0", name="conversion_days"),
    )

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    template_code: Mapped[str | None] = mapped_column(String(40))
    trigger_kind: Mapped[str] = mapped_column(String(12))  # event | idle | schedule
    trigger_topic: Mapped[str | None] = mapped_column(String(80))
    conversion_days: Mapped[int] = mapped_column(default=7)
    scanned_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the last activation: older events pass by
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class JourneyVersion(Tenanted, Base):
    """One saved definition (trigger + steps graph), never changed once written."""

    __tablename__ = "journey_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "journey_id", "version"),)

    journey_id: Mapped[int] = mapped_column(IdType, ForeignKey("journeys.id"))
    version: Mapped[int] = mapped_column()
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()


class JourneyEnrolment(Tenanted, Base):
    """A member in one version of a journey. entry_key tells entries apart when the journey allows
    re-entry (the order of a fresh purchase, the start of an idle spell); "once" otherwise."""

    __tablename__ = "journey_enrolments"
    __table_args__ = (
        UniqueConstraint("tenant_id", "version_id", "member_id", "entry_key"),
        Index("ix_journey_enrolments_tenant_journey", "tenant_id", "journey_id"),
        Index("ix_journey_enrolments_tenant_member", "tenant_id", "member_id"),
    )

    journey_id: Mapped[int] = mapped_column(IdType, ForeignKey("journeys.id"))
    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("journey_versions.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    entry_key: Mapped[str] = mapped_column(String(80))
    context: Mapped[dict[str, Any]] = mapped_column(JSON)  # what the trigger knew, e.g. the order id
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JourneyStepRun(Tenanted, Base):
    """One step of one enrolment: created when the member reaches it, done exactly once (the unique
    (enrolment, step) and a locked status check). outcome: the edge taken (next/true/false/a branch
    label) or why an action did nothing. converted_at: a paid order within the journey's conversion window
    after an action."""

    __tablename__ = "journey_step_runs"
    __table_args__ = (
        UniqueConstraint("tenant_id", "enrolment_id", "step_id"),
        Index("ix_journey_step_runs_tenant_due", "tenant_id", "status", "due_at"),
        Index("ix_journey_step_runs_tenant_journey", "tenant_id", "journey_id", "version_id", "step_id"),
        Index("ix_journey_step_runs_tenant_member_convert", "tenant_id", "member_id", "convert_by"),
        CheckConstraint("status IN ('pending', 'done', 'failed')", name="status"),
    )

    journey_id: Mapped[int] = mapped_column(IdType, ForeignKey("journeys.id"))
    version_id: Mapped[int] = mapped_column(IdType, ForeignKey("journey_versions.id"))
    enrolment_id: Mapped[int] = mapped_column(IdType, ForeignKey("journey_enrolments.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    step_id: Mapped[str] = mapped_column(String(40))
    step_type: Mapped[str] = mapped_column(String(12))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    convert_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    converted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LeaderTask(Tenanted, Base):
    """Work a journey hands a leader (回访: call a neighbour back). source_key makes creation idempotent."""

    __tablename__ = "leader_tasks"
    __table_args__ = (
        UniqueConstraint("tenant_id", "source_key"),
        Index("ix_leader_tasks_tenant_leader_done", "tenant_id", "leader_id", "done_at"),
    )

    leader_id: Mapped[int] = mapped_column(IdType, ForeignKey("leaders.id"))
    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    kind: Mapped[str] = mapped_column(String(20))  # callback | visit | message
    title: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")
    source_key: Mapped[str] = mapped_column(String(120))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    done_note: Mapped[str | None] = mapped_column(String(500))
