"""Chinese names of the messaging codes, shared by the console and the member app."""

from __future__ import annotations

from typing import Any

STATUSES = {"queued": "排队中", "deferred": "免打扰延后", "sent": "已发送", "skipped": "已跳过", "failed": "发送失败"}
CHANNELS = {"inbox": "站内信", "sms": "短信", "wechat": "微信模板消息"}
CATEGORIES = {"marketing": "营销消息", "service": "服务通知"}
REASONS = {"unsubscribed_marketing": "已退订营销消息", "unsubscribed_channel": "已关闭该渠道",
           "no_phone": "没有可用手机号", "no_openid": "未绑定微信", "frequency_cap": "超出频次上限",
           "sms_too_long": "短信超长", "template_field_too_long": "模板字段超长", "provider_rejected": "服务商拒绝"}
SOURCES = {"operator": "运营发送", "journey": "自动化SOP", "campaign": "场景活动", "demo": "演示数据"}


def source(code: str) -> str:
    """'operator:3' -> '运营发送 #3'; the parts after the kind are shown only when they are numbers."""
    kind, *rest = code.split(":")
    numbers = [r for r in rest if r.isascii() and r.isdigit()]
    return SOURCES.get(kind, "其他") + (f" #{numbers[0]}" if numbers else "")


def install(env: Any) -> None:
    env.filters.update(message_status=lambda c: STATUSES.get(c, c), message_channel=lambda c: CHANNELS.get(c, c),
                       message_category=lambda c: CATEGORIES.get(c, c),
                       message_reason=lambda c: REASONS.get(c, c) if c else "", message_source=source)
