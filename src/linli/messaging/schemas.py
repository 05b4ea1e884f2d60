"""What other domains hand to messaging (OutgoingMessage) and the HTTP shapes in and out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from linli.core.schemas import Id, In, Instant, Name, Out


@dataclass(frozen=True)
class OutgoingMessage:
    """One message for one member. The same dedupe_key sent again (on a channel already used) changes
    nothing and answers the first delivery."""

    category: str  # "marketing" | "service"
    title: str
    body: str
    dedupe_key: str
    source: str
    link: str | None = None
    channels: tuple[str, ...] = ("inbox",)  # "inbox" | "sms" | "wechat"


class DeliveryOut(Out):
    id: int
    member_id: int
    channel: str
    category: str
    source: str
    dedupe_key: str
    title: str
    status: str  # queued | deferred | sent | skipped | failed
    reason: str | None
    provider_message_id: str | None
    due_at: Instant
    created_at: Instant
    sent_at: Instant | None


class InboxMessageOut(Out):
    id: int
    category: str
    title: str
    body: str
    link: str | None
    created_at: Instant
    read_at: Instant | None


class InboxOut(Out):
    items: list[InboxMessageOut]
    next_cursor: str | None = None
    unread: int


class PreferencesOut(Out):
    marketing: bool
    sms: bool
    wechat: bool
    wechat_bound: bool


class PreferencesIn(In):
    marketing: bool
    sms: bool
    wechat: bool


HHMM = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Cap = Annotated[int, Field(ge=0, le=100)]
FailPattern = Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z_*?\-]{1,40}$")]


class SettingsOut(Out):
    quiet_hours_enabled: bool
    quiet_start: str
    quiet_end: str
    timezone: str
    marketing_daily_cap: int
    marketing_weekly_cap: int
    sms_signature: str
    sandbox_sms_fail_pattern: str | None
    sandbox_wechat_fail_pattern: str | None


class SettingsIn(In):
    quiet_hours_enabled: bool
    quiet_start: HHMM
    quiet_end: HHMM
    timezone: Annotated[str, StringConstraints(min_length=1, max_length=40)] = "Asia/Shanghai"
    marketing_daily_cap: Cap
    marketing_weekly_cap: Cap
    sms_signature: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=12)] = "邻里"
    sandbox_sms_fail_pattern: FailPattern | None = None
    sandbox_wechat_fail_pattern: FailPattern | None = None


# A link is a page of the member app or an https address (never javascript: or another scheme).
LINK = re.compile(r"^(/m|/m/[^\s\x00]*|https://[^\s\x00]+)$")


class SendIn(In):
    """The operator's message to a list of members."""

    member_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    category: Literal["marketing", "service"]
    title: Name
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
    link: Annotated[str, StringConstraints(max_length=300)] | None = None
    channels: Annotated[list[Literal["inbox", "sms", "wechat"]], Field(min_length=1, max_length=3)] = ["inbox"]

    @field_validator("link")
    @classmethod
    def _link(cls, v: str | None) -> str | None:
        if v is not None and not LINK.match(v):
            raise ValueError("link must be a member-app page (/m/...) or an https address")
        return v


class SendOut(Out):
    deliveries: list[DeliveryOut]
    counts: dict[str, int]  # by status
