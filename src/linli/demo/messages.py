"""A few messages in member0001's inbox (the README's account), sent through the messaging service as of the
load's instant minus a few days, so the inbox shows read and unread ones; a couple of members get WeChat bound."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.messaging import inbox
from linli.messaging.schemas import OutgoingMessage
from linli.messaging.service import send_to_member

FIRST = 0  # member0001's index
# (days before the load at 10:00 Shanghai, category, title, body, link, read)
MESSAGES = (
    (6, "service", "欢迎加入邻里团购", "新人专享券已放入您的卡包，下单满20元立减8元。", "/m/me/coupons", True),
    (3, "marketing", "周末鲜果特价", "本周六阳光玫瑰葡萄限时秒杀，每人限购2盒，先到先得。", "/m", True),
    (1, "service", "您的订单已到自提点", "请凭取货码到自提点取货，自提点营业至晚上9点。", "/m/orders", False),
    (0, "marketing", "今日菜谱：番茄炒蛋", "新鲜番茄配土鸡蛋，十分钟上桌，食材已为您备好。", "/m/products", False),
)


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    member_id = ids.members[FIRST]
    member = Principal(ids.member_users[FIRST], ids.tenant, slug, "member", member_id)
    today = clock.local(now).replace(hour=10, minute=0, second=0, microsecond=0)
    sent = 0
    for days, category, title, body, link, read in MESSAGES:
        at = min(now, today - timedelta(days=days))
        with clock.frozen_at(at):
            out = send_to_member(s, ids.tenant, member_id, OutgoingMessage(
                category=category, title=title, body=body, dedupe_key=f"demo:{days}", source="demo", link=link))
            if read:
                message = inbox.inbox(s, member, 1, None).items[0]
                inbox.mark_read(s, member, message.id)
        sent += sum(d.status == "sent" for d in out)
    for k in range(1, 3):  # WeChat bound for member0002 and member0003, to show the template channel
        inbox.bind_wechat(s, ids.tenant, ids.members[k], f"o-demo-{k + 1:04d}")
    return sent
