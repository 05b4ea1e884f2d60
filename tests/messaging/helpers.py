"""Shared builders for the messaging tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from linli.core import clock
from linli.messaging import service
from linli.messaging.schemas import DeliveryOut, OutgoingMessage


def shanghai(text: str) -> datetime:
    """'2026-06-01 21:59' read as Asia/Shanghai local time."""
    return datetime.fromisoformat(text).replace(tzinfo=clock.SHANGHAI)


def msg(key: str, category: str = "marketing", channels: tuple[str, ...] = ("inbox",), **kw: Any) -> OutgoingMessage:
    values: dict[str, Any] = {"title": "周末水果特价", "body": "本周六草莓买一送一，欢迎下单。", "source": "test"}
    values.update(kw)
    return OutgoingMessage(category=category, dedupe_key=key, channels=channels, **values)


def send(t: Any, member_id: int, m: OutgoingMessage, at: datetime | None = None) -> list[DeliveryOut]:
    with clock.frozen_at(at or clock.now()), t.db.unit_of_work() as s:
        return service.send_to_member(s, t.tenant_id, member_id, m)


def member_id(t: Any) -> int:
    m, _ = t.member()
    return int(m["id"])


def principal(t: Any, member_id: int) -> Any:
    from linli.core.security import Principal

    return Principal(1, t.tenant_id, t.slug, "member", member_id, None)
