"""The channels a message goes out on, behind one interface, in one explicit registry.

- inbox: the member app's 站内信 (real): a row in inbox_messages.
- sms, wechat: sandbox providers. They are real implementations of the interface (render the text or the
  template, enforce the provider's limits, assign message ids) that record what would have been handed to
  the provider in sandbox_messages instead of calling it. A tenant's sandbox fail pattern (shell-style,
  `1380000*`) makes them fail for matching phones / openids, to exercise failure handling.
A channel refuses with ChannelFailed(reason); the reason lands in the delivery log."""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Protocol

from sqlalchemy.orm import Session

from linli.core import clock
from linli.messaging import repository as repo
from linli.models.messaging import InboxMessage, MessageDelivery, SandboxMessage

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # a mainland China mobile number
SMS_MAX_CHARS = 500  # a long (concatenated) SMS; providers refuse longer ones
SMS_SINGLE = 70  # characters in one SMS part; longer texts go in parts of 67
SMS_PART = 67
SMS_UNSUBSCRIBE = " 回T退订"  # required on marketing SMS
WECHAT_TEMPLATE = "LINLI_NOTICE"
WECHAT_THING_MAX = 20  # a template's `thing` field holds at most 20 characters


class ChannelFailed(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Contact:
    member_id: int
    phone: str
    wechat_openid: str | None


@dataclass(frozen=True)
class Provider:
    """Per-tenant provider settings a channel needs at send time."""

    sms_signature: str
    sms_fail_pattern: str | None
    wechat_fail_pattern: str | None


class Channel(Protocol):
    name: str

    def address(self, contact: Contact) -> tuple[str | None, str]:
        """(address, reason when there is none): where this channel reaches the member."""
        ...

    def send(self, s: Session, tenant_id: int, d: MessageDelivery, address: str, provider: Provider) -> str:
        """Hand the message over; returns the provider's message id. Raises ChannelFailed."""
        ...


class InboxChannel:
    name = "inbox"

    def address(self, contact: Contact) -> tuple[str | None, str]:
        return str(contact.member_id), ""

    def send(self, s: Session, tenant_id: int, d: MessageDelivery, address: str, provider: Provider) -> str:
        m = repo.add_inbox(s, InboxMessage(tenant_id=tenant_id, member_id=d.member_id, delivery_id=d.id,
                                           category=d.category, title=d.title, body=d.body, link=d.link,
                                           created_at=clock.now()))
        return f"inbox-{m.id}"


def sms_text(signature: str, d: MessageDelivery) -> str:
    """【签名】标题：正文 [https link] [回T退订]. Member-app paths are left out: an SMS needs a full address."""
    text = f"【{signature}】{d.title}：{d.body}"
    if d.link and d.link.startswith("https://"):
        text += f" {d.link}"
    if d.category == "marketing":
        text += SMS_UNSUBSCRIBE
    return text


def sms_parts(text: str) -> int:
    return 1 if len(text) <= SMS_SINGLE else math.ceil(len(text) / SMS_PART)


class SandboxSmsChannel:
    name = "sms"

    def address(self, contact: Contact) -> tuple[str | None, str]:
        return (contact.phone, "") if MOBILE.match(contact.phone or "") else (None, "no_phone")

    def send(self, s: Session, tenant_id: int, d: MessageDelivery, address: str, provider: Provider) -> str:
        text = sms_text(provider.sms_signature, d)
        if len(text) > SMS_MAX_CHARS:
            raise ChannelFailed("sms_too_long")
        if provider.sms_fail_pattern and fnmatchcase(address, provider.sms_fail_pattern):
            raise ChannelFailed("provider_rejected")
        message_id = "SMS" + secrets.token_hex(12).upper()
        repo.add_sandbox(s, SandboxMessage(tenant_id=tenant_id, delivery_id=d.id, channel="sms", recipient=address,
                                           provider_message_id=message_id, template_code=None, content=text,
                                           fields=None, segments=sms_parts(text), created_at=clock.now()))
        return message_id


def wechat_fields(d: MessageDelivery, at: datetime) -> dict[str, str]:
    """The template's fields: the title must fit a `thing` field; the body is shortened to one (the full
    text is behind the link, which defaults to the member's inbox)."""
    if len(d.title) > WECHAT_THING_MAX:
        raise ChannelFailed("template_field_too_long")
    body = d.body if len(d.body) <= WECHAT_THING_MAX else d.body[:WECHAT_THING_MAX - 1] + "…"
    return {"thing1": d.title, "thing2": body, "time3": clock.local(at).strftime("%Y-%m-%d %H:%M"),
            "page": d.link or "/m/inbox"}


class SandboxWechatChannel:
    name = "wechat"

    def address(self, contact: Contact) -> tuple[str | None, str]:
        return (contact.wechat_openid, "") if contact.wechat_openid else (None, "no_openid")

    def send(self, s: Session, tenant_id: int, d: MessageDelivery, address: str, provider: Provider) -> str:
        fields = wechat_fields(d, clock.now())
        if provider.wechat_fail_pattern and fnmatchcase(address, provider.wechat_fail_pattern):
            raise ChannelFailed("provider_rejected")
        message_id = "WX" + secrets.token_hex(12).upper()
        content = f"{fields['thing1']}｜{fields['thing2']}｜{fields['time3']}"
        repo.add_sandbox(s, SandboxMessage(tenant_id=tenant_id, delivery_id=d.id, channel="wechat",
                                           recipient=address, provider_message_id=message_id,
                                           template_code=WECHAT_TEMPLATE, content=content, fields=fields,
                                           segments=1, created_at=clock.now()))
        return message_id


# The registry: a channel name in a message must be a key here.
CHANNELS: dict[str, Channel] = {
    "inbox": InboxChannel(),
    "sms": SandboxSmsChannel(),
    "wechat": SandboxWechatChannel(),
}
