"""Messages to members (消息触达): per-tenant rules, member preferences, the delivery log, the in-app inbox
and the sandbox channels' own book of what they would have sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column

CHANNELS = ("inbox", "sms", "wechat")
CATEGORIES = ("marketing", "service")
DELIVERY_STATUSES = ("queued", "deferred", "sent", "skipped", "failed")


class MessagingSettings(Tenanted, Base):
    """Quiet hours and marketing caps of one tenant (absent: the defaults, 22:00-08:00 Asia/Shanghai,
    2 a day and 5 a week). The sandbox fail patterns (shell-style, e.g. `1380000*`) make the sandbox
    SMS / WeChat channels fail for matching phones / openids, to exercise failure handling."""

    __tablename__ = "messaging_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("quiet_start_minute >= 0 and quiet_start_minute < 1440"
                        " and quiet_end_minute >= 0 and quiet_end_minute < 1440", name="quiet_minutes"),
        CheckConstraint("marketing_daily_cap >= 0 and marketing_weekly_cap >= 0", name="caps"),
    )

    quiet_hours_enabled: Mapped[bool] = mapped_column(Boolean)
    quiet_start_minute: Mapped[int] = mapped_column()  # minutes after local midnight, 22:00 = 1320
    quiet_end_minute: Mapped[int] = mapped_column()  # 08:00 = 480
    timezone: Mapped[str] = mapped_column(String(40))
    marketing_daily_cap: Mapped[int] = mapped_column()  # per member and channel, per local day
    marketing_weekly_cap: Mapped[int] = mapped_column()  # per member and channel, over 7 local days
    sms_signature: Mapped[str] = mapped_column(String(12))  # 【签名】 in front of every SMS
    sandbox_sms_fail_pattern: Mapped[str | None] = mapped_column(String(40))
    sandbox_wechat_fail_pattern: Mapped[str | None] = mapped_column(String(40))
    updated_at: Mapped[datetime] = created_at_column()


class MessagePreference(Tenanted, Base):
    """What one member accepts. Created on first need; `unsubscribe_token` names the row in the one-tap
    unsubscribe link (/m/unsubscribe/<token>), so the link works without signing in."""

    __tablename__ = "message_preferences"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id"),
        UniqueConstraint("unsubscribe_token"),
        UniqueConstraint("tenant_id", "wechat_openid"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    marketing: Mapped[bool] = mapped_column(Boolean)  # False: no marketing message on any channel
    sms: Mapped[bool] = mapped_column(Boolean)  # False: no SMS at all (回T退订)
    wechat: Mapped[bool] = mapped_column(Boolean)  # False: no WeChat template message at all
    wechat_openid: Mapped[str | None] = mapped_column(String(64))  # bound by WeChat sign-in; NULL: none
    unsubscribe_token: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = created_at_column()


class MessageDelivery(Tenanted, Base):
    """One message to one member on one channel: the delivery log. UNIQUE (tenant, member, channel,
    dedupe_key) makes a send idempotent, also under concurrent duplicates. `due_at` is when it was or
    will be sent (a deferred one: the end of the quiet hours); caps count by it."""

    __tablename__ = "message_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "member_id", "channel", "dedupe_key"),
        Index("ix_message_deliveries_tenant_status_due", "tenant_id", "status", "due_at"),
        Index("ix_message_deliveries_tenant_member_channel_due", "tenant_id", "member_id", "channel", "due_at"),
        Index("ix_message_deliveries_tenant_created", "tenant_id", "created_at"),
        CheckConstraint("channel IN ('inbox', 'sms', 'wechat')", name="channel"),
        CheckConstraint("category IN ('marketing', 'service')", name="category"),
        CheckConstraint("status IN ('queued', 'deferred', 'sent', 'skipped', 'failed')", name="status"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    channel: Mapped[str] = mapped_column(String(8))
    dedupe_key: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(60))  # who asked: "operator:<user>", "journey:…", …
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(40))
    provider_message_id: Mapped[str | None] = mapped_column(String(40))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = created_at_column()


class InboxMessage(Tenanted, Base):
    """A message in the member app's inbox (站内信), written by the inbox channel."""

    __tablename__ = "inbox_messages"
    __table_args__ = (
        UniqueConstraint("delivery_id"),
        Index("ix_inbox_messages_tenant_member", "tenant_id", "member_id", "read_at"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    delivery_id: Mapped[int] = mapped_column(IdType, ForeignKey("message_deliveries.id"))
    category: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(String(1000))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = created_at_column()
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SandboxMessage(Tenanted, Base):
    """What a sandbox channel (sms, wechat) would have handed to the provider: the rendered SMS text or
    the template fields, the address and the message id it assigned."""

    __tablename__ = "sandbox_messages"
    __table_args__ = (
        UniqueConstraint("delivery_id"),
        UniqueConstraint("provider_message_id"),
        Index("ix_sandbox_messages_tenant_channel", "tenant_id", "channel", "created_at"),
    )

    delivery_id: Mapped[int] = mapped_column(IdType, ForeignKey("message_deliveries.id"))
    channel: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(64))  # phone or openid
    provider_message_id: Mapped[str] = mapped_column(String(40))
    template_code: Mapped[str | None] = mapped_column(String(40))
    content: Mapped[str] = mapped_column(String(1000))  # the SMS text, or the template rendered as text
    fields: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    segments: Mapped[int] = mapped_column()  # SMS: billable parts; WeChat: 1
    created_at: Mapped[datetime] = created_at_column()
