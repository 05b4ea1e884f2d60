"""The review queue: operator decisions and escalations, the senior queue, and the reviewers' settings.

Senior reviewers are operator users named in the tenant's moderation settings (the auth model has one operator
role). Only they decide escalated cases; while none is named, any operator does (a one-person shop). Every
decision emits `moderation.decided` once: the status moves with a conditional update, so a second or
concurrent decision on the same case changes no row and answers 409."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Conflict, Forbidden, Invalid, NotFound
from linli.core.outbox import emit
from linli.core.pagination import fetch_page
from linli.core.security import Principal
from linli.models import ModerationCase, ModerationSettings
from linli.moderation import repository as repo
from linli.tenancy import service as tenancy

TABS = {"pending": ("pending",), "escalated": ("escalated",), "decided": ("approved", "rejected")}


def get(s: Session, tenant_id: int, case_id: int) -> ModerationCase:
    case = repo.case(s, tenant_id, case_id)
    if case is None:
        raise NotFound("case not found", code="case_not_found")
    return case


def search(s: Session, tenant_id: int, tab: str, subject_kind: str | None, limit: int,
           cursor: str | None) -> tuple[list[ModerationCase], str | None]:
    rows, nxt = fetch_page(s, repo.cases(tenant_id, TABS[tab], subject_kind), ModerationCase.id, limit, cursor)
    return list(rows), nxt


def counts(s: Session, tenant_id: int) -> dict[str, int]:
    by = repo.count_by_status(s, tenant_id)
    return {tab: sum(by.get(st, 0) for st in statuses) for tab, statuses in TABS.items()}


def seniors(s: Session, tenant_id: int) -> list[int]:
    row = repo.settings(s, tenant_id)
    return list(row.senior_user_ids) if row else []


def is_senior(s: Session, p: Principal) -> bool:
    named = seniors(s, p.tenant_id)
    return not named or p.user_id in named


def decide(s: Session, p: Principal, case_id: int, decision: str, reason: str | None) -> ModerationCase:
    case = get(s, p.tenant_id, case_id)
    if case.status not in ("pending", "escalated"):
        raise Conflict("case already decided", code="case_decided")
    level = "operator"
    if case.status == "escalated":
        if not is_senior(s, p):
            raise Forbidden("only a senior reviewer decides an escalated case", code="not_senior_reviewer")
        level = "senior"
    outcome = "approved" if decision == "approve" else "rejected"
    values: dict[str, Any] = {"status": outcome, "decided_by": p.user_id, "decided_level": level,
                              "decision_reason": reason, "decided_at": clock.now()}
    if not repo.claim_decision(s, p.tenant_id, case_id, case.status, values):
        raise Conflict("case already decided", code="case_decided")
    s.refresh(case)
    emit(s, p.tenant_id, "moderation.decided", {"subject_kind": case.subject_kind, "subject_id": case.subject_id,
                                                 "decision": outcome, "case_id": case.id})
    return case


def escalate(s: Session, p: Principal, case_id: int, reason: str) -> ModerationCase:
    case = get(s, p.tenant_id, case_id)
    if case.status != "pending":
        raise Conflict("only a pending case can be escalated", code="case_not_pending")
    values = {"status": "escalated", "escalated_by": p.user_id, "escalation_reason": reason,
              "escalated_at": clock.now()}
    if not repo.claim_decision(s, p.tenant_id, case_id, "pending", values):
        raise Conflict("only a pending case can be escalated", code="case_not_pending")
    s.refresh(case)
    return case


def settings(s: Session, tenant_id: int) -> tuple[int, list[int]]:
    row = repo.settings(s, tenant_id)
    return (row.words_version, list(row.senior_user_ids)) if row else (0, [])


def set_seniors(s: Session, p: Principal, user_ids: list[int]) -> tuple[int, list[int]]:
    ids = list(dict.fromkeys(user_ids))
    users = [tenancy.user(s, p.tenant_id, i) for i in ids]
    if any(u is None or u.role != "operator" for u in users):
        raise Invalid("senior reviewers must be operator users of this tenant", code="invalid_senior_reviewer")
    row = repo.settings(s, p.tenant_id)
    if row is None:
        row = ModerationSettings(tenant_id=p.tenant_id, words_version=0, senior_user_ids=ids)
        s.add(row)
    else:
        row.senior_user_ids, row.updated_at = ids, clock.now()
    s.flush()
    return row.words_version, ids
