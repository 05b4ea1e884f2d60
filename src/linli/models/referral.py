"""Referral fission (裂变): invite codes, who invited whom, ladder rewards and unlocked privileges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class ReferralProgram(Tenanted, Base):
    """One per tenant. ladder: [{"invites": 1, "points": 100}, …] — a reward at each rung."""

    __tablename__ = "referral_programs"
    __table_args__ = (UniqueConstraint("tenant_id"), CheckConstraint("unlock_at > 0", name="unlock_at"))

    ladder: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    unlock_at: Mapped[int] = mapped_column()  # invites that unlock the privilege (seed 000: 3)
    privilege: Mapped[str] = mapped_column(String(40))
    bind_within_days: Mapped[int] = mapped_column()  # a new member may name an inviter this long


class InviteCode(Tenanted, Base):
    __tablename__ = "invite_codes"
    __table_args__ = (UniqueConstraint("tenant_id", "code"), UniqueConstraint("member_id"),
                      Index("ix_invite_codes_code", "code"))  # the public link /m/invite/{code} has no tenant

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    code: Mapped[str] = mapped_column(String(12))


class Referral(Tenanted, Base):
    """Status: registered → qualifying (first order paid) → qualified (past the return window);
    flagged (suspected fraud, held for review); void (refunded, rejected)."""

    __tablename__ = "referrals"
    __table_args__ = (
        UniqueConstraint("invitee_member_id"),  # one inviter, one reward, per invitee
        Index("ix_referrals_tenant_inviter", "tenant_id", "inviter_member_id"),
        Index("ix_referrals_qualifying", "status", "qualifies_at"),
        CheckConstraint("inviter_member_id <> invitee_member_id", name="no_self_invite"),
    )

    inviter_member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    invitee_member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    status: Mapped[str] = mapped_column(String(12))
    flag_reason: Mapped[str | None] = mapped_column(String(40))
    device_id: Mapped[str | None] = mapped_column(String(80))
    first_order_id: Mapped[int | None] = mapped_column(IdType)
    qualifies_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class ReferralReward(Tenanted, Base):
    """A rung of the ladder reached by an inviter: granted once, reversed if the count falls back."""

    __tablename__ = "referral_rewards"
    __table_args__ = (UniqueConstraint("tenant_id", "inviter_member_id", "rung"),)

    inviter_member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    rung: Mapped[int] = mapped_column()  # the invite count that earned it
    points: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="granted")  # granted | reversed
    created_at: Mapped[datetime] = created_at_column()


class MemberDevice(Tenanted, Base):
    """Devices a member was seen on (X-Device-Id), to spot one person inviting themselves."""

    __tablename__ = "member_devices"
    __table_args__ = (UniqueConstraint("tenant_id", "member_id", "device_id"),
                      Index("ix_member_devices_tenant_device", "tenant_id", "device_id"))

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    device_id: Mapped[str] = mapped_column(String(80))
    seen_at: Mapped[datetime] = created_at_column()
