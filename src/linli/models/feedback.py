"""The feedback kiosk (社区意见亭): tickets with their conversation, attachments and SLA breaches, the tenant's
SLA settings, and the FAQ entries the bot answers from, with a log of the bot's exchanges."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from linli.core.db import Base, IdType, UTCDateTime
from linli.models.base import Tenanted, created_at_column


class FeedbackSettings(Tenanted, Base):
    """Per-tenant SLA ("1-3-5": respond in 1 h, resolve in 3 d, follow up in 5 d, all from submission) and the
    bot's score threshold. faq_revision is restamped on every FAQ change, so every process rebuilds its index."""

    __tablename__ = "feedback_settings"
    __table_args__ = (
        UniqueConstraint("tenant_id"),
        CheckConstraint("first_response_minutes > 0 AND resolution_minutes > 0 AND follow_up_minutes > 0",
                        name="positive"),
    )

    first_response_minutes: Mapped[int] = mapped_column(default=60)
    resolution_minutes: Mapped[int] = mapped_column(default=3 * 24 * 60)
    follow_up_minutes: Mapped[int] = mapped_column(default=5 * 24 * 60)
    bot_min_score: Mapped[float] = mapped_column(Float, default=0.5)  # BM25; the word coverage guards too
    faq_revision: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = created_at_column()


class FeedbackTicket(Tenanted, Base):
    """One piece of feedback. status open (待响应) -> processing (处理中) -> resolved (待回访) -> closed.
    The three due instants are fixed at submission from the settings then in force; escalation_level counts
    the SLA breaches recorded (1 = team lead, 2+ = supervisor queue). review_status follows moderation."""

    __tablename__ = "feedback_tickets"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'processing', 'resolved', 'closed')", name="status"),
        CheckConstraint("review_status IN ('ok', 'pending', 'rejected')", name="review_status"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_feedback_tickets_tenant_status_created", "tenant_id", "status", "created_at"),
        Index("ix_feedback_tickets_tenant_member", "tenant_id", "member_id"),
        Index("ix_feedback_tickets_tenant_community", "tenant_id", "community_id"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    community_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("communities.id"))
    order_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("orders.id"))
    category: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(10), default="kiosk")  # kiosk | bot (a hand-off)
    status: Mapped[str] = mapped_column(String(12), default="open")
    review_status: Mapped[str] = mapped_column(String(10), default="ok")
    assignee_user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    escalation_level: Mapped[int] = mapped_column(default=0)
    first_response_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolution_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    follow_up_due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution_note: Mapped[str | None] = mapped_column(String(1000))
    follow_up_note: Mapped[str | None] = mapped_column(String(1000))
    rating: Mapped[int | None] = mapped_column()
    member_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()


class FeedbackMessage(Tenanted, Base):
    """The conversation on a ticket: the member's words, the operators' replies, the bot's answer, notes."""

    __tablename__ = "feedback_messages"
    __table_args__ = (
        CheckConstraint("author_kind IN ('member', 'operator', 'bot', 'system')", name="author_kind"),
        Index("ix_feedback_messages_tenant_ticket", "tenant_id", "ticket_id"),
    )

    ticket_id: Mapped[int] = mapped_column(IdType, ForeignKey("feedback_tickets.id"))
    author_kind: Mapped[str] = mapped_column(String(10))
    author_user_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = created_at_column()


class FeedbackAttachment(Tenanted, Base):
    """An image or voice recording on a ticket, stored by content hash outside the public media folder."""

    __tablename__ = "feedback_attachments"
    __table_args__ = (
        CheckConstraint("kind IN ('image', 'voice')", name="kind"),
        Index("ix_feedback_attachments_tenant_ticket", "tenant_id", "ticket_id"),
    )

    ticket_id: Mapped[int] = mapped_column(IdType, ForeignKey("feedback_tickets.id"))
    kind: Mapped[str] = mapped_column(String(6))
    content_type: Mapped[str] = mapped_column(String(40))
    stored_name: Mapped[str] = mapped_column(String(80))
    size_bytes: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = created_at_column()


class FeedbackBreach(Tenanted, Base):
    """One missed SLA timer of one ticket: recorded once (unique), with the escalation level it raised."""

    __tablename__ = "feedback_breaches"
    __table_args__ = (
        UniqueConstraint("tenant_id", "ticket_id", "timer"),
        CheckConstraint("timer IN ('first_response', 'resolution', 'follow_up')", name="timer"),
        Index("ix_feedback_breaches_tenant_recorded", "tenant_id", "recorded_at"),
    )

    ticket_id: Mapped[int] = mapped_column(IdType, ForeignKey("feedback_tickets.id"))
    timer: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    level: Mapped[int] = mapped_column()
    recorded_at: Mapped[datetime] = created_at_column()


class FaqEntry(Tenanted, Base):
    """A question the bot can answer: matched on the question and keywords (jieba + BM25)."""

    __tablename__ = "faq_entries"
    __table_args__ = (Index("ix_faq_entries_tenant_active", "tenant_id", "active"),)

    question: Mapped[str] = mapped_column(String(200))
    answer: Mapped[str] = mapped_column(String(2000))
    keywords: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()


class FaqExchange(Tenanted, Base):
    """One question put to the bot: answered (with the entry and its score) or handed off (with the ticket);
    helpful is the member's 有帮助 / 没帮助, None until they say."""

    __tablename__ = "faq_exchanges"
    __table_args__ = (
        CheckConstraint("outcome IN ('answered', 'handed_off')", name="outcome"),
        Index("ix_faq_exchanges_tenant_created", "tenant_id", "created_at"),
    )

    member_id: Mapped[int] = mapped_column(IdType, ForeignKey("members.id"))
    question: Mapped[str] = mapped_column(String(500))
    faq_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("faq_entries.id"))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    outcome: Mapped[str] = mapped_column(String(12))
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    ticket_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("feedback_tickets.id"))
    created_at: Mapped[datetime] = created_at_column()
