"""Demo: a few texts the word screen sent to review, as of the last two days, written where members write them —
comments on the newest post the member sees in 邻里圈, feedback tickets — so every case points at its own subject:
three waiting in 待审核, one escalated to the senior queue (the admin is named senior reviewer), one rejected
(its `moderation.decided` hides that comment when the outbox drains)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.content import engagement
from linli.content import service as content
from linli.content.schemas import CommentIn
from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.feedback import service as feedback
from linli.feedback.schemas import TicketIn
from linli.member import service as members
from linli.moderation import cases

TEXTS = [
    ("comment", "这家草莓不错，想要更便宜的加我 V X 私聊"),
    ("comment", "好评返现五元，截图发我"),
    ("feedback", "团长太慢了，真是个白痴"),
    ("comment", "去美团优选买更便宜，别在这买"),
    ("feedback", "听说这批西瓜打针了，吃了会致癌"),
]


def seed(s: Session, ids: Ids, slug: str, now: datetime) -> int:
    admin = Principal(ids.admin_user, ids.tenant, slug, "operator")
    cases.set_seniors(s, admin, [ids.admin_user])
    for i, (kind, text) in enumerate(TEXTS):
        k = (i * 7 + 3) % len(ids.members)
        member = Principal(ids.member_users[k], ids.tenant, slug, "member", member_id=ids.members[k])
        community = members.communities_of(s, ids.tenant, [ids.members[k]])[ids.members[k]]
        with clock.frozen_at(now - timedelta(hours=40 - i * 6)):
            if kind == "comment":
                post = content.candidate_posts(s, ids.tenant, community, 1)[0].id  # the newest the member sees
                engagement.comment(s, member, post, CommentIn(body=text))
            else:
                feedback.submit(s, member, TicketIn(category="团长服务", text=text))
    made = sorted(c.id for c in cases.search(s, ids.tenant, "pending", None, 50, None)[0])
    with clock.frozen_at(now - timedelta(hours=2)):
        cases.escalate(s, admin, made[0], "疑似团长本人的联系方式，请主管确认")
        cases.decide(s, admin, made[1], "reject", "好评返现违反平台规则")
    return len(made)
