"""SLA breaches: each missed timer of each ticket is recorded once (a unique row; a concurrent run waits on
the conflict, then skips), raises the ticket's escalation level by one (1 = team lead, 2+ = supervisor
queue) and emits `feedback.sla_breached`. A timer met late still counts as a breach."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from linli.core.outbox import emit
from linli.feedback import repository as repo

TIMERS = ("first_response", "resolution", "follow_up")
TIMER_NAMES = {"first_response": "首次响应", "resolution": "解决方案", "follow_up": "效果回访"}
LEVEL_NAMES = {1: "组长", 2: "主管"}  # 3 and above: 运营经理
BATCH = 200


def level_name(level: int) -> str:
    return LEVEL_NAMES.get(level, "运营经理") if level > 0 else ""


def due_breaches(s: Session, now: datetime, timer: str, limit: int = BATCH) -> list[tuple[int, int]]:
    return repo.breach_candidates(s, now, timer, limit)


def record_breach(s: Session, tenant_id: int, ticket_id: int, timer: str, now: datetime) -> bool:
    """True when this call recorded the breach; False when it was recorded before (or is not one)."""
    ticket = repo.ticket(s, tenant_id, ticket_id)
    if ticket is None:
        return False
    due = {"first_response": ticket.first_response_due_at, "resolution": ticket.resolution_due_at,
           "follow_up": ticket.follow_up_due_at}[timer]
    if due > now:
        return False
    breach_id = repo.insert_breach(s, tenant_id, ticket_id, timer, due, now)
    if breach_id is None:
        return False
    level = repo.raise_level(s, tenant_id, ticket_id, breach_id)
    emit(s, tenant_id, "feedback.sla_breached", {
        "ticket_id": ticket_id, "timer": timer, "level": level, "escalated_to": level_name(level),
        "due_at": due.isoformat(), "category": ticket.category, "community_id": ticket.community_id})
    return True
