"""Follow-ups after a compensation (the seeds' 后续跟进: 3 天内完成用户回访, 7 天提交整改报告): each
compensated member gets the 3-day and the 7-day message once (the recipient row's time is set by the one run
that flips it from empty, in the same transaction as the message)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.crisis import repository as repo
from linli.crisis.playbook import FOLLOW_UPS
from linli.messaging import service as messaging
from linli.messaging.schemas import OutgoingMessage

BATCH = 200
TEXTS = {
    3: ("回访:补偿处理结果",
        "关于「{title}」,补偿已发放三天了。请问您对处理结果是否满意?如仍有问题,请在「意见反馈」中告诉我们。"),
    7: ("整改进展通报", "关于「{title}」,我们已完成整改复盘并改进了相关流程。感谢您的耐心与监督!"),
}


def tenants_due(s: Session, at: datetime) -> list[int]:
    return repo.tenants_with_pending_followups(s, at - FOLLOW_UPS[3])


def send_batch(s: Session, tenant_id: int, day: int, at: datetime) -> int:
    """Up to BATCH due follow-ups of one kind (3 or 7 days); returns how many were sent."""
    sent = 0
    titles: dict[int, str] = {}
    for r in repo.followups_due(s, tenant_id, day, at - FOLLOW_UPS[day], BATCH):
        if not repo.mark_followup(s, tenant_id, r.id, day, at):
            continue  # a concurrent run took it
        if r.case_id not in titles:
            case = repo.get(s, tenant_id, r.case_id)
            titles[r.case_id] = case.title if case else ""
        title, body = TEXTS[day]
        messaging.send_to_member(s, tenant_id, r.member_id, OutgoingMessage(
            category="service", title=title, body=body.format(title=titles[r.case_id]),
            dedupe_key=f"crisis:{r.case_id}:{r.member_id}:followup{day}", source="crisis"))
        sent += 1
    return sent
