"""Demo: the kiosk's FAQ (the 24 starter entries), a few questions to the bot (answered, rated, one handed to
people), and tickets in every state as of the last days — two of them past their SLA, their breaches recorded
as the due job would have at load time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.feedback import bot, sla
from linli.feedback import service as feedback
from linli.feedback.schemas import ConfirmIn, TicketIn
from linli.models import FaqExchange

# (hours before the load it was submitted, category, text, what happened: a list of (hours after, action, text))
Step = tuple[float, str, str]
TICKETS: list[tuple[float, str, str, list[Step]]] = [
    (0.3, "配送与自提", "今天的菜到了吗？群里没看到到货通知", []),
    (3, "商品质量", "昨天买的草莓有一半压坏了，能处理一下吗", []),  # no answer yet: 1 h breached
    (20, "功能建议", "希望可以按楼栋送货上门，老人取货不方便", [(0.5, "reply", "感谢建议，已转给配送团队评估")]),
    (100, "售后退款", "退款申请提交三天了还没到账", [(2, "reply", "抱歉久等，已加急财务处理")]),  # late twice
    (50, "团长服务", "团长这两天自提点经常不开门", [(0.4, "reply", "已联系团长核实"),
                                               (20, "resolve", "已与团长确认营业时间 8:00-21:00，并在群里公告")]),
    (90, "商品质量", "鸡蛋有三个是碎的", [(0.2, "reply", "马上为您补发"), (6, "resolve", "已补发三个鸡蛋"),
                                   (30, "confirm", "")]),
    (110, "其他", "积分兑换的环保袋什么时候能到", [(0.5, "reply", "本周五到自提点"),
                                        (40, "resolve", "已到货，可凭取货码领取"),
                                        (70, "follow_up", "电话回访：已领取，满意")]),
]
# (a member's words, the starter entry the bot answered with (None: nothing matched), its score, 有帮助?)
QUESTIONS = [("几点可以去拿货", "自提点几点开门，什么时间可以取货？", 2.45, True),
             ("退款多久能到账", "退款多久到账？", 3.78, True),
             ("积分能换什么东西", "积分有什么用？", 3.56, None),
             ("小区门口的路灯坏了没人修", None, 0.0, None)]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    with clock.frozen_at(now - timedelta(days=7)):
        bot.load_defaults(s, ids.tenant)
    made = 0
    for i, (hours, category, text, steps) in enumerate(TICKETS):
        member = _member(ids, slug, i)
        start = now - timedelta(hours=hours)
        with clock.frozen_at(start):
            ticket = feedback.submit(s, member, TicketIn(category=category, text=text))  # type: ignore[arg-type]
        for after, action, note in steps:
            with clock.frozen_at(start + timedelta(hours=after)):
                if action == "reply":
                    feedback.reply(s, admin, ticket.id, note)
                elif action == "resolve":
                    feedback.resolve(s, admin, ticket.id, note)
                elif action == "follow_up":
                    feedback.follow_up(s, admin, ticket.id, note)
                else:
                    feedback.confirm(s, member, ticket.id, ConfirmIn(solved=True, rating=5, comment="处理很及时"))
        made += 1
    _questions(s, ids, slug, now)
    _record_breaches(s, ids.tenant, now)
    return made


def _questions(s: Session, ids: Ids, slug: str, now: datetime) -> None:
    """The bot's log as its retrieval scored these questions (written directly: loading the segmenter's
    dictionary would cost the demo seconds); the unmatched one is handed to people through the service."""
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    entries = {e.question: e.id for e in bot.entries(s, admin)}
    for i, (question, entry, score, helpful) in enumerate(QUESTIONS):
        member = _member(ids, slug, len(TICKETS) + i)
        at = now - timedelta(hours=30 - i * 5)
        ex = FaqExchange(tenant_id=ids.tenant, member_id=member.member_id, question=question, score=score,
                         faq_id=entries.get(entry or ""), outcome="answered", helpful=helpful, created_at=at)
        s.add(ex)
        s.flush()
        if entry is None:
            with clock.frozen_at(at):
                bot.handoff(s, member, ex.id)


def _record_breaches(s: Session, tenant_id: int, now: datetime) -> None:
    """What the `feedback.sla` job would record at load time, for the demo tenant."""
    with clock.frozen_at(now):
        for timer in sla.TIMERS:
            for tenant, ticket_id in sla.due_breaches(s, now, timer, limit=1000):
                if tenant == tenant_id:
                    sla.record_breach(s, tenant, ticket_id, timer, now)


def _member(ids: Ids, slug: str, i: int) -> Principal:
    k = (i * 7 + 3) % len(ids.members)
    return Principal(ids.member_users[k], ids.tenant, slug, "member", member_id=ids.members[k])
