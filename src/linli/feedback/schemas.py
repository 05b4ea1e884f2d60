"""HTTP shapes of the feedback kiosk, its console and the FAQ bot."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from linli.core.schemas import Id, In, Instant, Out

# the kiosk's categories (社区意见亭), in the order the member sees them
CATEGORIES = ("商品质量", "配送与自提", "团长服务", "售后退款", "功能建议", "其他")
Category = Literal["商品质量", "配送与自提", "团长服务", "售后退款", "功能建议", "其他"]
Queue = Literal["pending", "processing", "follow_up", "overdue", "closed"]
QUEUE_NAMES = {"pending": "待响应", "processing": "处理中", "follow_up": "待回访", "overdue": "已超时",
               "closed": "已关闭"}
TicketText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=1000)]
Reply = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]
Answer = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]
Keywords = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
# the FAQ's topics (free text up to 20 characters; these are the ones the starter entries use)
FAQ_CATEGORIES = ("配送与自提", "售后退款", "积分", "优惠券", "拼团", "秒杀", "团长服务", "其他")
FaqCategory = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)]
Minutes = Annotated[int, Field(ge=5, le=60 * 24 * 60)]


class TicketIn(In):
    category: Category
    text: TicketText
    order_id: Id | None = None


class ReplyIn(In):
    body: Reply


class AssignIn(In):
    user_id: Id | None = None  # None: to the caller


class ResolveIn(In):
    note: Reply


class FollowUpIn(In):
    note: Reply


class ConfirmIn(In):
    """The member's word on a resolved ticket: solved (closes it, with a 1-5 rating) or not (reopens it)."""

    solved: bool
    rating: Annotated[int, Field(ge=1, le=5)] | None = None
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None


class MessageOut(Out):
    id: int
    author_kind: str
    body: str
    created_at: Instant


class AttachmentOut(Out):
    id: int
    kind: str
    content_type: str
    size_bytes: int
    url: str


class BreachOut(Out):
    timer: str
    due_at: Instant
    level: int
    recorded_at: Instant


class TicketOut(Out):
    id: int
    member_id: int
    community_id: int | None
    order_id: int | None
    category: str
    text: str
    source: str
    status: str
    review_status: str
    assignee_user_id: int | None
    escalation_level: int
    first_response_due_at: Instant
    resolution_due_at: Instant
    follow_up_due_at: Instant
    first_responded_at: Instant | None
    resolved_at: Instant | None
    followed_up_at: Instant | None
    closed_at: Instant | None
    rating: int | None
    created_at: Instant
    due_timer: str | None = None  # the timer that runs now, and its seconds left (negative: overdue)
    seconds_left: int | None = None


class TicketDetailOut(TicketOut):
    resolution_note: str | None
    follow_up_note: str | None
    messages: list[MessageOut]
    attachments: list[AttachmentOut]
    breaches: list[BreachOut]


class SettingsIn(In):
    first_response_minutes: Minutes
    resolution_minutes: Minutes
    follow_up_minutes: Minutes
    bot_min_score: Annotated[float, Field(ge=0, le=100)] = 0.5


class SettingsOut(Out):
    first_response_minutes: int
    resolution_minutes: int
    follow_up_minutes: int
    bot_min_score: float


class FaqIn(In):
    question: Question
    answer: Answer
    keywords: Keywords = ""
    category: FaqCategory
    active: bool = True


class FaqOut(Out):
    id: int
    question: str
    answer: str
    keywords: str
    category: str
    active: bool


class AskIn(In):
    question: Question


class AskOut(Out):
    exchange_id: int
    outcome: Literal["answered", "handed_off"]
    faq_id: int | None = None
    question: str | None = None  # the entry's question
    answer: str | None = None
    score: float
    ticket_id: int | None = None


class HelpfulIn(In):
    helpful: bool


class BotStatsOut(Out):
    asked: int
    answered: int
    handed_off: int
    helpful: int
    not_helpful: int
    answer_rate: float  # answered / asked, 0 when nothing was asked
