"""Demo: a few texts the word screen sent to review, as of the last two days: three waiting in 待审核, one
escalated to the senior queue (the admin is named senior reviewer), one already rejected. The subjects are
members' feedback texts and comments numbered from 1 (the content and feedback demos may write their own);
no `moderation.decided` is replayed here beyond the one rejection."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.security import Principal
from linli.demo.writer import Ids
from linli.moderation import cases
from linli.moderation import service as moderation

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
    made = []
    for i, (kind, text) in enumerate(TEXTS):
        with clock.frozen_at(now - timedelta(hours=40 - i * 6)):
            verdict = moderation.screen(s, ids.tenant, subject_kind=kind, subject_id=i + 1, text=text,
                                        author_member_id=ids.members[i % len(ids.members)])
        if verdict.case_id:
            made.append(verdict.case_id)
    with clock.frozen_at(now - timedelta(hours=2)):
        cases.escalate(s, admin, made[0], "疑似团长本人的联系方式，请主管确认")
        cases.decide(s, admin, made[1], "reject", "好评返现违反平台规则")
    return len(made)
